namespace GanLab.Torch;

/// <summary>
/// Frees every tensor made on this thread while the scope is open, except those moved out of it.
/// A training step runs inside one, so its many temporaries (activations, losses, gradients read
/// for telemetry) are released the moment the step ends, not whenever the GC gets round to it.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly List<Tensor> owned = new();
    private readonly DisposeScope? outer;
    private bool disposed;

    internal DisposeScope()
    {
        outer = current;
        current = this;
    }

    internal static DisposeScope? Current => current;

    /// <summary>Tensors this scope will free when it closes.</summary>
    public int Count => owned.Count(t => t.OwnerScope == this);

    internal void Register(Tensor tensor)
    {
        tensor.OwnerScope = this;
        owned.Add(tensor);
    }

    /// <summary>Hands a tensor to the enclosing scope (or to nobody), so it outlives this one.</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        if (tensor.OwnerScope != this) return tensor;
        tensor.OwnerScope = null;
        outer?.Register(tensor);
        return tensor;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var tensor in owned)
            if (tensor.OwnerScope == this) tensor.Dispose();
        owned.Clear();
        // Scopes close in the order they opened; closing an outer one first would orphan the inner.
        if (current == this) current = outer;
    }
}
