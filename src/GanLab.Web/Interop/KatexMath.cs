using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace GanLab.Web.Interop;

/// <summary>
/// The typed wrapper for KaTeX (wwwroot/js/math.js). Markdig writes $...$ and $$...$$ as
/// elements with class "math"; typesetting turns them into KaTeX markup in the browser.
/// </summary>
public sealed class KatexMath(IJSRuntime js) : LazyJsModule(js, ModulePath)
{
    public const string ModulePath = "./js/math.js";

    /// <summary>Typesets every not-yet-typeset formula under the element.</summary>
    public Task TypesetAsync(ElementReference root) => InvokeVoidAsync("typeset", root);
}
