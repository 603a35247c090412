// Does each chapter's training fit the minutes its front matter promises, on this machine?
//
// For every experiment a lesson embeds (LessonExperiments: each trainer and preset, each side of a comparison,
// each toy), this times a few training steps after a warm-up and multiplies by the experiment's budget. The sum
// over a lesson is what one student alone on the server waits for when running each experiment once; it is set
// against the lesson's minutes, which also hold the reading. Toys and trainers without a step budget run until the
// student stops them: their step time is shown, not counted. With a class on one server the scheduler shares the
// slots by time slicing: N students running the same experiments together each get 1/N of a slot, so the class is done
// after about N ÷ slots times one student's time. Each lesson's line therefore also says how many students can run
// its experiments together within its minutes on this server's training slots (GanLabWebOptions' default for the device,
// or --slots).
//
//   ./ganlab bench lessons [--lesson NN] [--steps N] [--warmup W] [--slots S]

using System.Diagnostics;
using System.Globalization;
using GanLab.Core;
using GanLab.Core.Data;
using GanLab.Core.Toys;
using GanLab.Core.Training;
using GanLab.Web.Lessons;
using GanLab.Web.Lessons.Components;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string? only = null;
var timedSteps = 20;
var warmup = 3;
int? slots = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--lesson" when i + 1 < args.Length: only = args[++i]; break;
        case "--steps" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0: timedSteps = n; i++; break;
        case "--warmup" when i + 1 < args.Length && int.TryParse(args[i + 1], out var w) && w >= 0: warmup = w; i++; break;
        case "--slots" when i + 1 < args.Length && int.TryParse(args[i + 1], out var s) && s > 0: slots = s; i++; break;
        default:
            Console.Error.WriteLine("usage: ./ganlab bench lessons [--lesson NN] [--steps N (timed steps per experiment, default 20)] [--warmup W (default 3)] " +
                                    "[--slots S (training slots of the server a class shares; default: the server's default for this device)]");
            return 2;
    }
}

var paths = GanLabPaths.Discover();
var parser = new LessonParser(LessonComponentRegistry.CreateDefault());
var datasets = new DatasetCatalog(paths);
var files = Directory.EnumerateFiles(paths.Content, "*.md").Order()
    .Where(path => only is null || Path.GetFileName(path).StartsWith(only, StringComparison.Ordinal)).ToList();
if (files.Count == 0)
{
    Console.Error.WriteLine($"no lesson in {paths.Content} starts with '{only}'");
    return 2;
}

var cuda = TrainingDevice.Choose("auto").Type == GanLab.Torch.DeviceType.CUDA;
slots ??= new GanLab.Web.GanLabWebOptions().ConcurrentRunsFor(cuda);
Console.WriteLine($"Lesson pace on {Environment.ProcessorCount} CPU cores, device {(cuda ? "cuda" : "cpu")}, {slots} training slot(s), " +
                  $"{TrainingDevice.ConfigureThreads()} libtorch thread(s), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average {LoadAverage()}");
Console.WriteLine($"Each experiment: {warmup} warm-up steps, then {timedSteps} timed steps; budget × time per step.");
Console.WriteLine();

var summary = new List<string>();
foreach (var file in files)
{
    var slug = LessonCatalog.SlugOf(Path.GetFileName(file));
    if (slug is null) continue;
    var lesson = parser.Parse(slug, file, File.ReadAllText(file));
    var experiments = LessonExperiments.Of(lesson);
    Console.WriteLine($"{Path.GetFileName(file)} ({lesson.FrontMatter.Minutes} min): {experiments.Count} experiment(s)");
    var budgeted = TimeSpan.Zero;
    foreach (var experiment in experiments)
    {
        var (perStep, budget, line) = Time(experiment);
        budgeted += budget ?? TimeSpan.Zero;
        Console.WriteLine($"  {Where(experiment),-58} {perStep.TotalMilliseconds,9:0.0} ms/step  {line}");
    }
    var share = lesson.FrontMatter.Minutes > 0 ? budgeted.TotalMinutes / lesson.FrontMatter.Minutes : double.NaN;
    var verdict = $"{Path.GetFileNameWithoutExtension(file)}: budgeted training {budgeted.TotalMinutes:0.0} min of {lesson.FrontMatter.Minutes} min ({share:P0}); " +
                  ClassLine(budgeted, lesson.FrontMatter.Minutes, slots.Value);
    Console.WriteLine("  = " + verdict);
    Console.WriteLine();
    summary.Add(verdict);
}
Console.WriteLine($"Summary (one student alone, every experiment run once to its budget; a class together on {slots} training slot(s)):");
summary.ForEach(line => Console.WriteLine("  " + line));
return 0;

(TimeSpan PerStep, TimeSpan? Budget, string Line) Time(LessonExperiment experiment)
{
    switch (experiment)
    {
        case ImageExperiment image:
        {
            using var trainer = new GanTrainer(image.Options, datasets.Get(image.Options.Dataset));
            var perStep = TimeSteps(() => trainer.TrainStep());
            if (image.Seconds is { } seconds)
                return (perStep, TimeSpan.FromSeconds(seconds), $"{seconds:0} s of training ({seconds / perStep.TotalSeconds:N0} steps)");
            if (image.Steps is { } steps)
            {
                var budget = perStep * steps;
                return (perStep, budget, $"{steps:N0} steps ≈ {budget.TotalMinutes:0.0} min");
            }
            return (perStep, null, "no step budget: trains until stopped");
        }
        case ToyExperiment toy:
        {
            using var trainer = new ToyGanTrainer(toy.Options);
            var perStep = TimeSteps(() => trainer.TrainStep());
            return (perStep, null, $"toy: plays until paused ({1 / perStep.TotalSeconds:N0} steps/s)");
        }
        default:
            throw new InvalidOperationException($"{experiment.Where}: no timing for {experiment.GetType().Name}");
    }
}

TimeSpan TimeSteps(Func<TrainingProgress> step)
{
    for (var i = 0; i < warmup; i++) step();
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < timedSteps; i++) step();
    return clock.Elapsed / timedSteps;
}

// Students sharing the slots by time slicing each go at slots/N of full speed: N fit when N/slots × budget ≤ the lesson's minutes.
static string ClassLine(TimeSpan budgeted, int minutes, int slots)
{
    // Toys and trainers without a step budget run until stopped: a class shares them too, but no total can be given.
    if (budgeted <= TimeSpan.Zero) return "no class total (its experiments run until stopped)";
    var students = (int)Math.Floor(minutes / budgeted.TotalMinutes * slots);
    var thirty = budgeted.TotalMinutes * 30 / slots;
    return students < 1
        ? $"too long even for one student; 30 together need {thirty:0} min"
        : $"fits {students:N0} student(s) together; 30 together need {thirty:0} min";
}

// "04-a-first-gan-on-mnist line 68 (gan-trainer), preset 'relu'" without the lesson's slug, which heads the block.
static string Where(LessonExperiment experiment) => experiment.Where[(experiment.Where.IndexOf(' ') + 1)..];

static string LoadAverage()
{
    try
    {
        return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "unknown";
    }
}
