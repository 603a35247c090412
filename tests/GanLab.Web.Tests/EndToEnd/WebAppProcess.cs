using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace GanLab.Web.Tests.EndToEnd;

/// <summary>
/// The already-built GanLab.Web binary, started on a free loopback port and killed (with its
/// children) on dispose. Builds nothing: `./ganlab test` builds the solution first.
/// </summary>
public sealed class WebAppProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public Uri BaseUrl { get; }

    /// <summary>How long the app under test keeps a vanished tab's circuit (shorter than the default, to keep the test quick).</summary>
    public const int DisconnectedTabSeconds = 10;

    private WebAppProcess(Process process, Uri baseUrl, string dataFolder)
    {
        _process = process;
        BaseUrl = baseUrl;
        DataFolder = dataFolder;
    }

    /// <summary>The server's GanLab:DataFolder (runs database, checkpoints): a fresh temporary folder unless given.</summary>
    public string DataFolder { get; }

    /// <summary>Everything the app wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <param name="dataFolder">Reuse a data folder (a restart); a fresh temporary one when null.</param>
    /// <param name="settings">More --GanLab:Name=value arguments.</param>
    public static async Task<WebAppProcess> StartAsync(string? dataFolder = null, params string[] settings)
    {
        dataFolder ??= Directory.CreateTempSubdirectory("ganlab-e2e-data-").FullName;
        var root = RepositoryRoot();
        var binary = WebBinary(root);
        var url = new Uri($"http://127.0.0.1:{FreePort()}");

        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.ToString().TrimEnd('/'));
        start.ArgumentList.Add($"--GanLab:DisconnectedTabSeconds={DisconnectedTabSeconds}");
        start.ArgumentList.Add($"--GanLab:DataFolder={dataFolder}");
        // A test server must not start ten-minute trainings of the pretrained models.
        start.ArgumentList.Add("--GanLab:PretrainOnStart=false");
        foreach (var setting in settings) start.ArgumentList.Add(setting);
        start.Environment["GANLAB_ROOT"] = root;
        start.Environment.Remove("ASPNETCORE_URLS"); // --urls decides

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var app = new WebAppProcess(process, url, dataFolder);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        if (!process.Start()) throw new InvalidOperationException($"Could not start {binary}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await app.WaitForHealthyAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Polls /healthz until it answers 200; fails early if the app exits.</summary>
    private async Task WaitForHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var health = new Uri(BaseUrl, "/healthz");
        var deadline = Stopwatch.StartNew();
        string last = "no answer yet";
        while (deadline.Elapsed < StartupTimeout)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // flushes the redirected output
                throw new InvalidOperationException(
                    $"GanLab.Web exited with code {_process.ExitCode} before {health} answered.\n--- app output ---\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync(health);
                if (response.StatusCode == HttpStatusCode.OK) return;
                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException(
            $"{health} did not answer 200 within {StartupTimeout.TotalSeconds:0} s (last: {last}).\n--- app output ---\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Never started, or already gone.
        }
        _process.Dispose();
    }

    /// <summary>GANLAB_ROOT when it names the repository, else the first folder above the tests holding GanLab.sln.</summary>
    public static string RepositoryRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("GANLAB_ROOT");
        if (!string.IsNullOrWhiteSpace(fromEnv) && File.Exists(Path.Combine(fromEnv, "GanLab.sln")))
            return Path.GetFullPath(fromEnv);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GanLab.sln"))) return dir.FullName;
        throw new InvalidOperationException(
            $"No GanLab.sln above {AppContext.BaseDirectory}; set GANLAB_ROOT to the repository root.");
    }

    /// <summary>
    /// The web app built with the same configuration as these tests: the test output folder
    /// (bin/Release/net9.0/linux-x64/) mirrored under src/GanLab.Web, else the newest build there.
    /// </summary>
    private static string WebBinary(string root)
    {
        var webProject = Path.Combine(root, "src", "GanLab.Web");
        var testProject = Path.Combine(root, "tests", "GanLab.Web.Tests");
        var relative = Path.GetRelativePath(testProject, AppContext.BaseDirectory);
        if (!relative.StartsWith("..", StringComparison.Ordinal))
        {
            var mirrored = Path.Combine(webProject, relative, "GanLab.Web");
            if (File.Exists(mirrored)) return mirrored;
        }

        var configuration = typeof(WebAppProcess).Assembly
            .GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var candidates = Directory.Exists(Path.Combine(webProject, "bin"))
            ? Directory.GetFiles(Path.Combine(webProject, "bin"), "GanLab.Web", SearchOption.AllDirectories)
                .Where(path => path.Contains($"{Path.DirectorySeparatorChar}linux-x64{Path.DirectorySeparatorChar}"))
                .OrderByDescending(path => path.Contains($"{Path.DirectorySeparatorChar}{configuration}{Path.DirectorySeparatorChar}"))
                .ThenByDescending(File.GetLastWriteTimeUtc)
                .ToList()
            : [];
        return candidates.FirstOrDefault() ?? throw new FileNotFoundException(
            $"The GanLab.Web binary is not built under {webProject}/bin; run `dotnet build -c {configuration} GanLab.sln` (./ganlab test does).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
