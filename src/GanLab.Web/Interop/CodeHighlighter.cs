using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace GanLab.Web.Interop;

/// <summary>
/// The typed wrapper for highlight.js (wwwroot/js/highlight.js). Lesson code fences that are not
/// components (```python, ```bash) are highlighted in the browser after the lesson renders.
/// </summary>
public sealed class CodeHighlighter(IJSRuntime js) : LazyJsModule(js, ModulePath)
{
    public const string ModulePath = "./js/highlight.js";

    /// <summary>Highlights every not-yet-highlighted code block under the element.</summary>
    public Task HighlightAsync(ElementReference root) => InvokeVoidAsync("highlight", root);
}
