using Bunit;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Components.Pages;
using GanLab.Web.Interop;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace GanLab.Web.Tests.Components;

/// <summary>/trainer reads a trainer configuration from its address.</summary>
public class TrainerPageTests : WebTestContext
{
    public TrainerPageTests()
    {
        var charts = JSInterop.SetupModule(PlotlyCharts.ModulePath);
        charts.SetupVoid("newPlot", _ => true).SetVoidResult();
        charts.SetupVoid("purge", _ => true).SetVoidResult();
    }

    [Fact]
    public void The_settings_in_the_address_configure_the_trainer()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("trainer?model=dcgan&learningRate=0.0002&maxSteps=500");

        var page = Render<TrainerPage>();

        var trainer = page.FindComponent<GanTrainerPanel>();
        Assert.Equal("dcgan", trainer.Instance.Settings.Training.Model);
        Assert.Equal(2e-4, trainer.Instance.Settings.Training.LearningRate);
        Assert.Equal(500, trainer.Instance.Settings.Training.MaxSteps);
        Assert.Equal("trainer?model=dcgan&learningRate=0.0002&maxSteps=500", page.Find("[data-testid=trainer-config-link]").GetAttribute("href"));
    }

    [Fact]
    public void A_bad_address_says_what_is_wrong_and_shows_no_trainer()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("trainer?model=vae&batchSize=many");

        var page = Render<TrainerPage>();

        var error = page.Find("[data-testid=trainer-link-error]").TextContent;
        Assert.Contains("'batchSize=many' is not a valid whole number", error);
        Assert.Contains("model 'vae' is unknown", error);
        Assert.Empty(page.FindComponents<GanTrainerPanel>());
    }
}
