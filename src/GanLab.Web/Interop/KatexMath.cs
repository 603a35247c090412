using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace GanLab.Web.Interop;

/// <summary>
/// The typed wrapper for KaTeX (wwwroot/js/math.js). Markdig writes $...$ and $$...$$ as
/// elements with class "math"; typesetting turns them into KaTeX markup in the browser.
/// </summary>
public sealed class KatexMath(IJSRuntime js) : IAsyncDisposable
{
    public const string ModulePath = "./js/math.js";

    private Task<IJSObjectReference>? _module;

    /// <summary>Typesets every not-yet-typeset formula under the element.</summary>
    public async Task TypesetAsync(ElementReference root)
    {
        _module ??= js.InvokeAsync<IJSObjectReference>("import", ModulePath).AsTask();
        var module = await _module;
        await module.InvokeVoidAsync("typeset", root);
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is null) return;
        try
        {
            await (await _module).DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; so is the module.
        }
    }
}
