using Bunit;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Tests.Components;

public static class ClickOnRenderer
{
    /// <summary>
    /// Finds the element and clicks it on the renderer's thread. A live component (a run training, a toy playing, a
    /// measurement queued) re-renders from other threads; a re-render between a test's Find and its Click renews the
    /// element's event handlers, and the click then names a handler bUnit no longer knows. On the renderer's thread no
    /// render can come between the two.
    /// </summary>
    public static Task ClickAsync<TComponent>(this IRenderedComponent<TComponent> component, string selector) where TComponent : IComponent =>
        component.InvokeAsync(() => component.Find(selector).Click());
}
