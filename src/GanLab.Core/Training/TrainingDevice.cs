using GanLab.Torch;

namespace GanLab.Core.Training;

/// <summary>Chooses the device a run trains on and sets libtorch's threads once per process.</summary>
public static class TrainingDevice
{
    private static readonly Lazy<int> Threads = new(() =>
    {
        // One intra-op thread per run measured fastest on a 2-core CPU (OpenBLAS adds its own threads),
        // and it lets several students' runs share the cores. GANLAB_THREADS overrides.
        var threads = int.TryParse(Environment.GetEnvironmentVariable("GANLAB_THREADS"), out var t) && t > 0 ? t : 1;
        torch.set_num_threads(threads);
        return threads;
    });

    public static int ConfigureThreads() => Threads.Value;

    /// <summary>"auto" picks CUDA when the shim was built against a CUDA libtorch and a GPU answers.</summary>
    public static Device Choose(string requested)
    {
        ConfigureThreads();
        return requested switch
        {
            "auto" => torch.cuda.is_available() ? Device.CUDA : Device.CPU,
            "cpu" => Device.CPU,
            "cuda" when torch.cuda.is_available() => Device.CUDA,
            "cuda" => throw new InvalidOperationException(
                "device 'cuda' was asked for but no CUDA GPU is usable: this server's libtorch has no CUDA, or no GPU answered. Use device 'auto' or 'cpu'."),
            _ => throw new ArgumentException($"device '{requested}' is unknown; allowed: auto, cpu, cuda"),
        };
    }

    /// <summary>The device name "auto" resolves to here, for /healthz and the trainer's status line.</summary>
    public static string Describe(string requested) => Choose(requested).ToString();
}
