using System.Diagnostics;
using GanLab.Core;
using GanLab.Core.Course;
using GanLab.Torch;

namespace GanLab.Cli;

internal static partial class Commands
{
    /// <summary>
    /// Measures the numbers the lessons quote and writes them beside each lesson (content/NN-slug.measured.json),
    /// with the machine, the date and the commit, so every figure on a page can be traced and repeated.
    /// </summary>
    private static int Claims(CommandLine o)
    {
        var paths = GanLabPaths.Discover();
        var lessons = o.TextOrNull("lesson") is { } one ? [CourseClaims.Find(one)] : CourseClaims.All;
        var scale = o.Choice("scale", "full", ["full", "smoke"]) == "full" ? ClaimScale.FullSize : ClaimScale.Smoke;
        TrainingDeviceThreads();
        foreach (var claims in lessons)
        {
            var lessonPath = Path.Combine(paths.Content, claims.Lesson + ".md");
            if (!File.Exists(lessonPath)) throw new ArgumentException($"{lessonPath} does not exist: measurements belong beside their lesson");
            Console.WriteLine($"{claims.Lesson}: {claims.Describes}");
            var clock = Stopwatch.StartNew();
            var recorder = new ClaimRecorder(Console.WriteLine);
            claims.Measure(recorder, scale, paths);
            var command = $"./ganlab claims --lesson {claims.Lesson[..2]}" + (scale.Full ? "" : " --scale smoke");
            var measured = new LessonMeasurements(claims.Lesson, DateTimeOffset.UtcNow, Machine(), command, Commit(paths.Root), recorder.Values);
            // A smoke run checks the measurements work; it must never replace the numbers a lesson quotes.
            if (scale.Full) measured.SaveBeside(lessonPath);
            Console.WriteLine($"  {recorder.Values.Count} values in {clock.Elapsed.TotalMinutes:F1} min" +
                              (scale.Full ? $" → {LessonMeasurements.PathBeside(lessonPath)}" : " (smoke: not saved)"));
        }
        return 0;
    }

    private static int ListClaims()
    {
        foreach (var claims in CourseClaims.All) Console.WriteLine($"{claims.Lesson,-32} {claims.Describes}");
        return 0;
    }

    private static void TrainingDeviceThreads() => Core.Training.TrainingDevice.ConfigureThreads();

    /// <summary>What a reader needs to compare numbers: the processor, its cores, libtorch and the device.</summary>
    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name"))?.Split(':', 2)[1].Trim()
            : null;
        var device = torch.cuda.is_available() ? "CUDA available" : "CPU only";
        return $"{cpu ?? "unknown processor"}, {Environment.ProcessorCount} cores, libtorch {torch.version}, {device}, .NET {Environment.Version}";
    }

    private static string Commit(string root)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", root, "rev-parse", "--short", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true });
            var hash = git?.StandardOutput.ReadToEnd().Trim();
            git?.WaitForExit();
            return git?.ExitCode == 0 && !string.IsNullOrEmpty(hash) ? hash : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown"; // no git on this machine
        }
    }
}
