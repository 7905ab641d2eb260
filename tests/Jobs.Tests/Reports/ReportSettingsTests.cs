using JobPlatform.Core;
using JobPlatform.Jobs.Reports;
using JobPlatform.Jobs.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobPlatform.Jobs.Tests.Reports;

public sealed class ReportSettingsTests
{
    [Fact]
    public void Bad_report_settings_name_their_keys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Reports:ChromiumPath"] = "chromium",
            ["Reports:PagePoolSize"] = "0",
            ["Reports:LinkBaseUrl"] = "not a url",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<ReportOptions>().BindConfiguration(ReportOptions.SectionName).ValidateDataAnnotations();
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ReportOptions>>().Value);
        Assert.Contains("Reports:ChromiumPath is 'chromium'; it must be the absolute path", e.Message);
        Assert.Contains("Reports:PagePoolSize is 0; it must be 1 to 32", e.Message);
        Assert.Contains("Reports:LinkBaseUrl is 'not a url'", e.Message);
    }

    [Fact]
    public async Task A_browser_that_keeps_failing_opens_the_breaker_and_report_jobs_are_snoozed()
    {
        // /bin/false "launches" and exits at once: every print fails as a transient Chromium fault.
        await using var browser = new ChromiumBrowser(Options.Create(new ReportOptions { ChromiumPath = "/bin/false" }), NullLogger<ChromiumBrowser>.Instance);
        var dependency = new Dependency(Dependencies.Chromium, new DependencyOptions { MaxRetryAttempts = 0, MinimumThroughput = 2, FailureRatio = 0.5 });
        var printer = new ReportPrinter(browser, new Dependencies([dependency]));

        for (var i = 0; i < 2; i++)
        {
            var failure = await Assert.ThrowsAsync<TransientDependencyException>(() => printer.PrintAsync("<html></html>", default));
            Assert.Contains("Chromium could not be launched from '/bin/false'", failure.Message);
        }

        var snooze = await Assert.ThrowsAsync<SnoozeJobException>(() => printer.PrintAsync("<html></html>", default));
        Assert.Contains("chromium circuit breaker is open", snooze.Message);
    }
}
