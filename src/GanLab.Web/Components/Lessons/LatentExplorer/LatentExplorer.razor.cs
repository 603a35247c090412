using GanLab.Core.Data;
using GanLab.Core.Imaging;
using GanLab.Core.Latent;
using GanLab.Core.Models;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Pretrained;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// ```latent-explorer in a lesson: a trained Generator's latent space. Interpolation between two latent points
/// (linear or spherical) as a strip; A − B + C in z; seed 000's pixel arithmetic beside the latent midpoint; and
/// sample A's nearest training images. Works on a pretrained model (the block's model) or, given
/// <see cref="Checkpoint"/>, on a run's checkpoint. While the pretrained model is being prepared it says how far
/// along it is, and never waits for it: the page renders at once and fills in when the model is ready.
/// </summary>
public sealed partial class LatentExplorer : ComponentBase, ILessonComponent<LatentExplorerSettings>, IDisposable
{
    [Parameter] public LatentExplorerSettings Settings { get; set; } = new();

    /// <summary>A GanTrainer checkpoint to explore instead of the pretrained model (a student's run); not a lesson setting.</summary>
    [Parameter] public string? Checkpoint { get; set; }

    [Inject] private PretrainedLibrary Library { get; set; } = default!;

    [Inject] private ILogger<LatentExplorer> Logger { get; set; } = default!;

    private static readonly string[] PointNames = ["A", "B", "C"];

    private PretrainedStatus _status = new(PretrainedState.Missing, 0, null);
    private LatentGenerator? _generator;
    private bool _ownsGenerator;
    private ImageDataset? _training;
    private string? _error;
    private ExplorerView? _view;
    private int[] _seeds = [1, 2, 3];
    private int _pickFor;
    private int _steps = 8;
    private string _interpolation = "spherical";
    private LatentExplorerSettings? _shown;
    private string? _source;
    // Results of an older request that finish after a newer one are dropped.
    private int _version;
    private bool _disposed;

    private string ModelName => Checkpoint is null ? Settings.Model : Path.GetFileName(Checkpoint);

    protected override void OnInitialized() => Library.Changed += OnLibraryChanged;

    protected override async Task OnParametersSetAsync()
    {
        var source = Checkpoint ?? Settings.Model;
        var settingsChanged = _shown is null || !SameSettings(_shown, Settings);
        if (settingsChanged)
        {
            _shown = Settings;
            _seeds = [Settings.SeedA, Settings.SeedB, Settings.SeedC];
            _steps = Math.Clamp(Settings.Steps, 3, 16);
            _interpolation = LatentMath.InterpolationNames.Contains(Settings.Interpolation) ? Settings.Interpolation : "spherical";
            _pickFor = 0;
        }
        if (source != _source)
        {
            _source = source;
            ReleaseGenerator();
            _view = null;
            _error = null;
            await OpenAsync();
        }
        else if (settingsChanged)
        {
            await RecomputeAsync();
        }
    }

    private async Task OpenAsync()
    {
        if (Checkpoint is { } path)
        {
            _status = new(PretrainedState.Ready, 1, null);
            try
            {
                var datasets = Library.Models.Datasets;
                _generator = await Library.RunBoundedAsync(() => LatentGenerator.Load(path, datasets));
                _ownsGenerator = true;
            }
            catch (Exception ex)
            {
                _error = $"The checkpoint {Path.GetFileName(path)} cannot be explored: {ex.Message}";
                return;
            }
        }
        else
        {
            _status = Library.StatusOf(Settings.Model);
            if (_status.State != PretrainedState.Ready) return;
            try
            {
                _generator = await Library.GeneratorAsync(Settings.Model);
            }
            catch (Exception ex)
            {
                _error = $"The pretrained model {Settings.Model} cannot be loaded: {ex.Message}";
                return;
            }
        }
        await RecomputeAsync();
    }

    private void OnLibraryChanged(string name)
    {
        if (_disposed || Checkpoint is not null || name != Settings.Model) return;
        _ = InvokeAsync(async () =>
        {
            var wasReady = _status.State == PretrainedState.Ready;
            _status = Library.StatusOf(name);
            if (!wasReady && _status.State == PretrainedState.Ready && _generator is null) await OpenAsync();
            StateHasChanged();
        });
    }

    /// <summary>Generates every image the views show in one batch, off the render thread and within the server's bound.</summary>
    private async Task RecomputeAsync()
    {
        if (_generator is not { } generator) return;
        var version = ++_version;
        var request = new ExplorerRequest(_seeds.ToArray(), _steps, _interpolation, Math.Clamp(Settings.Samples, 4, 24),
            Math.Clamp(Settings.Neighbours, 1, 10), Settings.Views);
        try
        {
            var datasets = Library.Models.Datasets;
            var view = await Library.RunBoundedAsync(() =>
            {
                // The training set is the dataset the model was trained on: all of it (GanTrainer trains on every image).
                _training ??= request.Views.Contains("neighbours") ? datasets.Get(generator.Options.Dataset) : null;
                return ExplorerView.Compute(generator, request, _training);
            });
            if (version != _version || _disposed) return;
            _view = view;
            _error = null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            if (version != _version || _disposed) return;
            Logger.LogWarning("latent-explorer on {Model}: {Message}", ModelName, ex.Message);
            _error = $"The images could not be made: {ex.Message}";
        }
    }

    private Task PickAsync(int seed)
    {
        _seeds[_pickFor] = seed;
        // Clicking through A, B, C in turn is the quickest way to set all three.
        _pickFor = (_pickFor + 1) % PointNames.Length;
        return RecomputeAsync();
    }

    private Task SetSeedAsync(int point, object? value)
    {
        if (!int.TryParse(value?.ToString(), out var seed) || seed < 0) return Task.CompletedTask;
        _seeds[point] = Math.Min(seed, 1_000_000);
        return RecomputeAsync();
    }

    private Task SetStepsAsync(object? value)
    {
        if (!int.TryParse(value?.ToString(), out var steps)) return Task.CompletedTask;
        _steps = Math.Clamp(steps, 3, 16);
        return RecomputeAsync();
    }

    private Task SetInterpolationAsync(object? value)
    {
        var name = value?.ToString() ?? "";
        if (!LatentMath.InterpolationNames.Contains(name)) return Task.CompletedTask;
        _interpolation = name;
        return RecomputeAsync();
    }

    private bool Shows(string view) => Settings.Views.Contains(view);

    private static int Percent(double fraction) => (int)Math.Floor(100 * Math.Clamp(fraction, 0, 1));

    private static string Distance(double d) => d.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);

    private static bool SameSettings(LatentExplorerSettings a, LatentExplorerSettings b) =>
        a.Model == b.Model && a.SeedA == b.SeedA && a.SeedB == b.SeedB && a.SeedC == b.SeedC && a.Steps == b.Steps
        && a.Interpolation == b.Interpolation && a.Samples == b.Samples && a.Neighbours == b.Neighbours && a.Show == b.Show;

    private void ReleaseGenerator()
    {
        if (_ownsGenerator) _generator?.Dispose();
        _generator = null;
        _ownsGenerator = false;
        _training = null;
    }

    public void Dispose()
    {
        _disposed = true;
        Library.Changed -= OnLibraryChanged;
        ReleaseGenerator();
    }
}

/// <summary>What the explorer is asked to draw: the three points' seeds and the views' settings.</summary>
internal sealed record ExplorerRequest(int[] Seeds, int Steps, string Interpolation, int Samples, int Neighbours, IReadOnlyList<string> Views);

/// <summary>One image as the page shows it.</summary>
internal sealed record ExplorerImage(string Url, string Caption);

internal sealed record ExplorerNeighbour(string Url, int Label, double Distance, int Index);

/// <summary>
/// Everything the explorer shows, computed in one pass: one Generator call for every z, PNGs as data URLs.
/// Pixel arithmetic images are stretched as plt.imshow draws them (seed 000's plots), with their raw range beside.
/// </summary>
internal sealed record ExplorerView(
    IReadOnlyList<(int Seed, string Url)> Gallery,
    IReadOnlyList<ExplorerImage> Points,
    IReadOnlyList<ExplorerImage> Strip,
    ExplorerImage Arithmetic,
    IReadOnlyList<ExplorerImage> Pixels,
    ExplorerImage LatentMidpoint,
    IReadOnlyList<ExplorerNeighbour> Neighbours)
{
    public static ExplorerView Compute(LatentGenerator generator, ExplorerRequest request, ImageDataset? training)
    {
        var gallerySeeds = Enumerable.Range(1, request.Samples).ToArray();
        var z = request.Seeds.Select(seed => generator.LatentFor(seed)).ToArray();
        var path = LatentMath.Path(z[0], z[1], request.Steps, request.Interpolation);
        var arithmetic = LatentMath.Arithmetic(z[0], z[1], z[2]);
        var midpoint = LatentMath.Slerp(z[0], z[1], 0.5);
        List<float[]> latents = [.. gallerySeeds.Select(seed => generator.LatentFor(seed)), .. z, .. path, arithmetic, midpoint];

        var pixels = generator.Generate(latents);
        var size = generator.Image.Pixels;
        var image = (int i) => pixels.AsSpan(i * size, size).ToArray();
        var next = 0;
        var gallery = gallerySeeds.Select(seed => (seed, Url(image(next++), generator.Image))).ToList();
        var points = new float[3][];
        for (var p = 0; p < 3; p++) points[p] = image(next++);
        var strip = path.Select((_, k) => new ExplorerImage(Url(image(next++), generator.Image), $"t = {k / (double)(path.Length - 1):0.##}")).ToList();
        var arithmeticImage = image(next++);
        var midpointImage = image(next++);

        var (a, b) = (points[0], points[1]);
        var sum = PixelArithmetic.Add(a, b);
        var difference = PixelArithmetic.Subtract(a, b);
        var cancel = PixelArithmetic.Add(a, PixelArithmetic.Negate(a));
        List<ExplorerImage> pixelViews =
        [
            new(Url(PixelArithmetic.Rescale(sum), generator.Image), $"A + B (pixels {Range(sum)})"),
            new(Url(PixelArithmetic.Rescale(difference), generator.Image), $"A − B (pixels {Range(difference)})"),
            new(Url(PixelArithmetic.Rescale(cancel), generator.Image), $"A + (−A) (pixels {Range(cancel)})"),
        ];

        var neighbours = training is null ? [] : NearestNeighbours.Of(a, training, request.Neighbours)
            .Select(n => new ExplorerNeighbour(Url(training.Pixels.AsSpan(n.Index * training.ImageSize, training.ImageSize).ToArray(), generator.Image),
                n.Label, n.Distance, n.Index))
            .ToList();

        return new ExplorerView(gallery,
            points.Select((p, i) => new ExplorerImage(Url(p, generator.Image), $"{"ABC"[i]} (seed {request.Seeds[i]})")).ToList(),
            strip,
            new ExplorerImage(Url(arithmeticImage, generator.Image), "G(z_A − z_B + z_C)"),
            pixelViews,
            new ExplorerImage(Url(midpointImage, generator.Image), "G(midpoint of z_A and z_B)"),
            neighbours);
    }

    private static string Range(float[] values)
    {
        var (min, max) = PixelArithmetic.Range(values);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{min:0.##} to {max:0.##}").Replace('-', '−');
    }

    /// <summary>One image in [0, 1] as a PNG data URL.</summary>
    private static string Url(float[] pixels, ImageFormat format) =>
        "data:image/png;base64," + Convert.ToBase64String(SampleGrid.ToPng(pixels, 1, 1, format, PixelRange.ZeroToOne));
}
