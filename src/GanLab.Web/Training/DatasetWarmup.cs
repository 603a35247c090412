using GanLab.Core.Data;

namespace GanLab.Web.Training;

/// <summary>
/// Loads the datasets the lessons train on while the server starts, so a learner's first Train shows
/// samples at once instead of waiting for the digits to be parsed. A failure here is only logged:
/// the trainer reports the same error to the learner, and a fixed file is picked up on the next try.
/// Only the datasets a package installs are warmed: the ones a user adds load when first asked for.
/// </summary>
public sealed class DatasetWarmup(DatasetCatalog datasets, ILogger<DatasetWarmup> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        foreach (var name in DatasetCatalog.Installed)
        {
            if (stoppingToken.IsCancellationRequested) return;
            try
            {
                var dataset = datasets.Get(name);
                logger.LogInformation("Dataset {Name} ready: {Count} images", name, dataset.Count);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
            {
                logger.LogWarning("Dataset {Name} could not be loaded: {Message}", name, e.Message);
            }
        }
    }, stoppingToken);
}
