using System.Diagnostics;
using JobPlatform.Jobs.Reports;
using JobPlatform.Jobs.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobPlatform.Jobs.Tests.Reports;

/// <summary>These tests kill or close their browser, so each has its own instead of the shared one.</summary>
public sealed class ChromiumRestartTests : IAsyncLifetime
{
    private const string Html = "<!DOCTYPE html><html><body><h1>Restart check</h1></body></html>";

    private readonly ChromiumBrowser _browser = new(Options.Create(new ReportOptions { PagePoolSize = 2 }), NullLogger<ChromiumBrowser>.Instance);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task A_killed_browser_is_relaunched_for_the_next_report()
    {
        var printer = new ReportPrinter(_browser, new Dependencies([new Dependency(Dependencies.Chromium, ReportJobsExtensions.ChromiumDefaults)]));
        Assert.Contains("Restart check", await PdfText.ExtractAsync(await printer.PrintAsync(Html, default)));
        var first = await _browser.GetBrowserProcessIdAsync();
        Assert.NotNull(first);

        using (var chromium = Process.GetProcessById(first.Value))
        {
            chromium.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await chromium.WaitForExitAsync(timeout.Token);
        }

        Assert.Contains("Restart check", await PdfText.ExtractAsync(await printer.PrintAsync(Html, default)));
        var second = await _browser.GetBrowserProcessIdAsync();
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.Equal(2, _browser.Launches);
    }

    [Fact]
    public async Task Pages_are_reused_and_the_browser_is_launched_once_for_many_reports()
    {
        var prints = Enumerable.Range(0, 6).Select(_ => _browser.PrintPdfAsync(Html, default));
        var pdfs = await Task.WhenAll(prints);
        for (var i = 0; i < 4; i++)
        {
            pdfs = [.. pdfs, await _browser.PrintPdfAsync(Html, default)];
        }

        Assert.All(pdfs, pdf => Assert.True(pdf.Length > 500));
        Assert.Equal(1, _browser.Launches);
    }

    [Fact]
    public async Task Disposing_closes_the_browser_process()
    {
        await _browser.PrintPdfAsync(Html, default);
        var pid = (await _browser.GetBrowserProcessIdAsync())!.Value;

        await _browser.DisposeAsync();

        await TestSupport.TestDatabase.WaitUntilAsync(() => Task.FromResult(!IsRunning(pid)), TimeSpan.FromSeconds(20),
            $"chromium (pid {pid}) to exit after the browser was disposed");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _browser.PrintPdfAsync(Html, default));
    }

    [Fact]
    public async Task A_missing_executable_names_the_setting()
    {
        await using var browser = new ChromiumBrowser(Options.Create(new ReportOptions { ChromiumPath = "/nonexistent/chromium" }), NullLogger<ChromiumBrowser>.Instance);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => browser.PrintPdfAsync(Html, default));
        Assert.Contains("Reports:ChromiumPath", e.Message);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            // A zombie waiting for its parent to reap it counts as gone.
            return !process.HasExited && File.Exists($"/proc/{pid}/status") && !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ");
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
