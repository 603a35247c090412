using System.Text.Json.Serialization;
using GanLab.Core.Training;
using GanLab.Torch;
using GanLab.Web.Training;

namespace GanLab.Web.Hosting;

/// <summary>GET /healthz: is the server up, and which libtorch and device would a run use.</summary>
public static class HealthEndpoint
{
    public sealed record Health(
        string Status,
        string Device,
        string Libtorch,
        bool CudaAvailable,
        // Runs holding a model (and native memory) right now: zero once every learner has left.
        int LiveRuns,
        // Native tensors alive in the process: flat over time, or memory is leaking.
        long LiveTensors,
        // Runs training now and runs waiting for a slot (TrainingScheduler).
        int Running,
        int Queued,
        // The process's resident memory: bounded by GanLab:MaxLiveRuns models, however many students train.
        long WorkingSetBytes,
        // What the working set is made of: the .NET heap, and the C heap libtorch's CPU tensors use
        // (in use, and held free by malloc; null off glibc). Free C heap is handed back when a run's model goes.
        long ManagedHeapBytes,
        long? NativeInUseBytes,
        long? NativeFreeBytes,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);

    public static WebApplication MapHealthEndpoint(this WebApplication app)
    {
        app.MapGet("/healthz", (TrainingService training, ILoggerFactory loggers) =>
        {
            try
            {
                var heap = NativeHeap.Statistics();
                return Results.Json(new Health(
                    Status: "ok",
                    // "cpu" or "cuda": which kind a run with device "auto" would use (not the index).
                    Device: TrainingDevice.Choose("auto").Type == GanLab.Torch.DeviceType.CUDA ? "cuda" : "cpu",
                    Libtorch: GanLab.Torch.torch.version,
                    CudaAvailable: GanLab.Torch.torch.cuda.is_available(),
                    LiveRuns: training.LiveRuns,
                    LiveTensors: GanLab.Torch.torch.LiveTensorCount,
                    Running: training.Scheduler.RunningCount,
                    Queued: training.Scheduler.QueuedCount,
                    WorkingSetBytes: Environment.WorkingSet,
                    ManagedHeapBytes: GC.GetGCMemoryInfo().HeapSizeBytes,
                    NativeInUseBytes: heap?.InUseBytes,
                    NativeFreeBytes: heap?.FreeBytes));
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or InvalidOperationException)
            {
                // The page server is fine but training cannot work: say so with 503 and libtorch's reason.
                loggers.CreateLogger(typeof(HealthEndpoint)).LogError(ex, "libtorch is not usable");
                return Results.Json(new Health("error", "none", "unavailable", false, training.LiveRuns, 0,
                    training.Scheduler.RunningCount, training.Scheduler.QueuedCount, Environment.WorkingSet, GC.GetGCMemoryInfo().HeapSizeBytes, null, null,
                    ex.GetBaseException().Message),
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }
}
