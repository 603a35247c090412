using System.Diagnostics;
using System.Globalization;

namespace GanLab.Web.Hosting;

/// <summary>What the instructor page and /healthz show of the machine: CPU, memory, native tensors, device.</summary>
public sealed record LoadReading(
    double ProcessCpuPercent,
    double? MachineCpuPercent,
    long WorkingSetBytes,
    long ManagedHeapBytes,
    long LiveTensors,
    string Device,
    int Cores);

/// <summary>
/// Samples the server's load. CPU is a rate, so each reading is measured over the time since the previous one
/// (the instructor page asks every two seconds); the first reading covers the time since the server started.
/// The machine's CPU comes from /proc/stat on Linux: the server may share its cores with other work.
/// </summary>
public sealed class MachineLoad
{
    private readonly Lock _gate = new();
    private readonly Process _process = Process.GetCurrentProcess();
    private TimeSpan _lastCpu;
    private DateTime _lastWall = Process.GetCurrentProcess().StartTime.ToUniversalTime();
    private (long Busy, long Total)? _lastMachine = ReadProcStat();

    public LoadReading Read(string device)
    {
        lock (_gate)
        {
            _process.Refresh();
            var cpu = _process.TotalProcessorTime;
            var wall = DateTime.UtcNow;
            var seconds = Math.Max((wall - _lastWall).TotalSeconds, 1e-3);
            var processPercent = 100 * (cpu - _lastCpu).TotalSeconds / seconds / Environment.ProcessorCount;
            (_lastCpu, _lastWall) = (cpu, wall);

            double? machinePercent = null;
            var machine = ReadProcStat();
            if (machine is { } now && _lastMachine is { } before && now.Total > before.Total)
                machinePercent = 100.0 * (now.Busy - before.Busy) / (now.Total - before.Total);
            _lastMachine = machine;

            long tensors;
            try
            {
                tensors = GanLab.Torch.torch.LiveTensorCount;
            }
            catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
            {
                tensors = -1;
            }
            return new LoadReading(Math.Clamp(processPercent, 0, 100), machinePercent, _process.WorkingSet64,
                GC.GetTotalMemory(forceFullCollection: false), tensors, device, Environment.ProcessorCount);
        }
    }

    /// <summary>Busy and total jiffies of all CPUs from the first line of /proc/stat; null where there is none.</summary>
    private static (long Busy, long Total)? ReadProcStat()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is not { Length: > 5 } || fields[0] != "cpu") return null;
            var values = fields.Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = values[3] + values[4]; // idle + iowait
            var total = values.Sum();
            return (total - idle, total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
