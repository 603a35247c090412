using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace GanLab.Web.Interop;

/// <summary>
/// The typed wrapper for highlight.js (wwwroot/js/highlight.js). Lesson code fences that are not
/// components (```python, ```bash) are highlighted in the browser after the lesson renders.
/// </summary>
public sealed class CodeHighlighter(IJSRuntime js) : IAsyncDisposable
{
    public const string ModulePath = "./js/highlight.js";

    private Task<IJSObjectReference>? _module;

    /// <summary>Highlights every not-yet-highlighted code block under the element.</summary>
    public async Task HighlightAsync(ElementReference root)
    {
        _module ??= js.InvokeAsync<IJSObjectReference>("import", ModulePath).AsTask();
        var module = await _module;
        await module.InvokeVoidAsync("highlight", root);
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
