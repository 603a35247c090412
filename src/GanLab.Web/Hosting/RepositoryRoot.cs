using GanLab.Core;

namespace GanLab.Web.Hosting;

/// <summary>
/// Finds the repository root before the host is built: the web root (top-level wwwroot) can only
/// be chosen when the builder is created, so this cannot wait for the options system.
/// </summary>
public static class RepositoryRoot
{
    /// <summary>--GanLab:Root=... or GanLab__Root, else Core's discovery (GANLAB_ROOT, then walking up to GanLab.sln).</summary>
    public static string Locate(string[] args)
    {
        var config = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var explicitRoot = config[$"{GanLabWebOptions.Section}:Root"];
        if (!string.IsNullOrWhiteSpace(explicitRoot)) return Path.GetFullPath(explicitRoot);
        try
        {
            return GanLabPaths.Discover().Root;
        }
        catch (DirectoryNotFoundException)
        {
            // `dotnet run` from a copied build: the working directory may still be inside the repository.
            return GanLabPaths.Discover(Directory.GetCurrentDirectory()).Root;
        }
    }
}
