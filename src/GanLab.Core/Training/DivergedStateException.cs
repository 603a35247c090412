namespace GanLab.Core.Training;

/// <summary>
/// A run's weights hold NaN or infinite values, so its state must not be saved: the checkpoint already on disk
/// is the last good one. Its own type so callers can tell a diverged run from any other failure to save.
/// </summary>
public sealed class DivergedStateException(string message) : InvalidOperationException(message);
