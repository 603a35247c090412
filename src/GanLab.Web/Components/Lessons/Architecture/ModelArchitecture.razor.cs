using System.Collections.Concurrent;
using System.Globalization;
using GanLab.Core.Models;
using GanLab.Web.Lessons.Components;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// ```model-architecture in a lesson: a zoo model's layers with their output shapes and parameter counts, Keras-style,
/// from Core's <see cref="ModelSummary"/> (the table `./ganlab models NAME` prints). Tracing builds the model and runs
/// a batch of two through it; that is libtorch work, so it runs off the render thread, once per model, format and z.
/// </summary>
public sealed partial class ModelArchitecture : ComponentBase, ILessonComponent<ArchitectureSettings>
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    // A summary never changes for the same model, format and z size, and a class of thirty opens the same lesson.
    private static readonly ConcurrentDictionary<(string Model, ImageFormat? Image, int? Latent), Lazy<Task<ModelSummary>>> Summaries = new();

    [Parameter] public ArchitectureSettings Settings { get; set; } = new();

    private ModelSummary? _summary;
    private string? _error;

    /// <summary>The summary for these settings, traced once per process on a worker thread.</summary>
    public static Task<ModelSummary> SummaryFor(string model, ImageFormat? image, int? latentSize) =>
        Summaries.GetOrAdd((model, image, latentSize),
            key => new Lazy<Task<ModelSummary>>(() => Task.Run(() => ModelSummary.Of(key.Model, key.Image, key.Latent)))).Value;

    protected override async Task OnParametersSetAsync()
    {
        _summary = null;
        _error = null;
        var problems = Settings.Validate();
        if (problems.Count > 0)
        {
            _error = string.Join("; ", problems);
            return;
        }
        try
        {
            _summary = await SummaryFor(Settings.Model, Settings.ImageFormat(), Settings.LatentSize);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or GanLab.Torch.TorchException or DllNotFoundException or TypeInitializationException)
        {
            // libtorch missing or a model refusing this shape: the block says so, the page lives on.
            Summaries.TryRemove((Settings.Model, Settings.ImageFormat(), Settings.LatentSize), out _);
            _error = $"the layers of {Settings.Model} could not be traced: {e.Message}";
        }
    }

    private IEnumerable<NetworkSummary> Shown(ModelSummary summary) => Settings.Network switch
    {
        "generator" => [summary.Generator],
        "discriminator" => [summary.Discriminator],
        _ => [summary.Generator, summary.Discriminator],
    };

    private static string Count(long n) => n.ToString("N0", Culture);

    private static string Shape(long[] shape) => NetworkSummary.Shape(shape);
}
