namespace GanLab.Web.Tests.EndToEnd;

/// <summary>
/// A fact that needs Debian's chromium, and is skipped (saying why) only when it is absent.
/// `./ganlab test` installs chromium, so on CI these tests always run.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath))
            Skip = $"{ChromiumPath} is missing: install Debian's chromium (./ganlab test does) to run the end-to-end tests.";
    }
}

/// <summary>End-to-end tests start a server and a browser: run them alone, not beside the unit tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "EndToEnd";
}
