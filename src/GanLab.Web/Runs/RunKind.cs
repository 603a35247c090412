namespace GanLab.Web.Runs;

/// <summary>What a stored run trained; stored as its lower-case name in the runs database's kind column.</summary>
public enum RunKind
{
    /// <summary>A GAN on images (a trainer panel, a comparison, the trainer page): metrics, sample grids, a checkpoint.</summary>
    Image,
    /// <summary>
    /// A toy component's small GAN on 1-D or 2-D points (toy-2d, optimal-discriminator, minimax-game): its settings,
    /// status, timings and last numbers are kept, not its metric series (about a thousand steps a second), grids or weights.
    /// </summary>
    Toy,
}

public static class RunKinds
{
    /// <summary>The name stored in the database and shown in the UI ("image", "toy").</summary>
    public static string Name(this RunKind kind) => kind.ToString().ToLowerInvariant();

    public static RunKind Parse(string name) => Enum.TryParse<RunKind>(name, ignoreCase: true, out var kind)
        ? kind
        : throw new InvalidDataException($"unknown run kind '{name}' in the runs database");
}
