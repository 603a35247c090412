using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace GanLab.Web.Lessons.Components;

/// <summary>
/// Reads the summary of a property from its assembly's XML documentation file (GanLab.Core.xml,
/// GanLab.Web.xml, written by the build next to the assembly), so a setting is described once, in
/// its doc comment, for both the code and the authoring reference.
/// </summary>
public static partial class XmlDocumentation
{
    private static readonly ConcurrentDictionary<Assembly, IReadOnlyDictionary<string, XElement>> ByAssembly = new();

    /// <summary>The summary as plain text with whitespace collapsed; "" when the property has none.</summary>
    public static string Summary(PropertyInfo property)
    {
        var members = ByAssembly.GetOrAdd(property.DeclaringType!.Assembly, Load);
        var id = $"P:{property.DeclaringType!.FullName!.Replace('+', '.')}.{property.Name}";
        return members.TryGetValue(id, out var member) && member.Element("summary") is { } summary ? PlainText(summary) : "";
    }

    private static IReadOnlyDictionary<string, XElement> Load(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (string.IsNullOrEmpty(assembly.Location) || !File.Exists(path))
            throw new FileNotFoundException(
                $"{Path.GetFileName(path)} is missing next to {assembly.GetName().Name}: its project must set GenerateDocumentationFile, the authoring reference reads setting descriptions from it.",
                path);
        return XDocument.Load(path).Descendants("member")
            .Where(member => member.Attribute("name") is not null)
            .GroupBy(member => member.Attribute("name")!.Value)
            .ToDictionary(group => group.Key, group => group.First());
    }

    private static string PlainText(XElement element)
    {
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText plain:
                    text.Append(plain.Value);
                    break;
                // <see cref="T:GanLab.Core.Models.GanZoo"/> reads as "GanZoo".
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    var target = see.Attribute("cref")?.Value ?? see.Attribute("langword")?.Value ?? see.Attribute("href")?.Value ?? "";
                    text.Append(see.Value is { Length: > 0 } label ? label : target[(target.LastIndexOf('.') + 1)..]);
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } reference:
                    text.Append(reference.Attribute("name")?.Value);
                    break;
                case XElement inner:
                    text.Append(PlainText(inner));
                    break;
            }
        }
        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
