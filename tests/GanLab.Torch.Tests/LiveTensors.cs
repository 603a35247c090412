namespace GanLab.Torch.Tests;

/// <summary>
/// The live-tensor count, read after the GC has run pending finalizers: a tensor some other test
/// dropped without disposing is freed by its finalizer at a moment of the GC's choosing, which
/// would otherwise move the count in the middle of a leak test.
/// </summary>
internal static class LiveTensors
{
    public static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return torch.LiveTensorCount;
    }
}
