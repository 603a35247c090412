using Microsoft.JSInterop;

namespace GanLab.Web.Interop;

/// <summary>
/// What every typed JS wrapper shares: its ES module is imported on first use (after the first render, when
/// JS interop exists), and disposed with the component, ignoring a circuit that is already gone. A wrapper that
/// leaves things in the page (charts) clears them in <see cref="BeforeDisposeAsync"/>.
/// </summary>
public abstract class LazyJsModule(IJSRuntime js, string modulePath) : IAsyncDisposable
{
    private Task<IJSObjectReference>? _module;

    protected async Task InvokeVoidAsync(string identifier, params object?[] args)
    {
        _module ??= js.InvokeAsync<IJSObjectReference>("import", modulePath).AsTask();
        var module = await _module;
        await module.InvokeVoidAsync(identifier, args);
    }

    /// <summary>Called on dispose while the module is still loaded, only when it was ever used.</summary>
    protected virtual Task BeforeDisposeAsync() => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_module is null) return;
        try
        {
            var module = await _module;
            await BeforeDisposeAsync();
            await module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; so is the module.
        }
    }
}
