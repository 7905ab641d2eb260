using JobPlatform.Jobs.Resilience;

namespace JobPlatform.Jobs.Reports;

/// <summary>Prints HTML to PDF on the shared browser through the <c>chromium</c> dependency's pipeline: a timeout or a
/// crash is retried in process (on a relaunched browser), repeated ones open the breaker and snooze report jobs.</summary>
internal sealed class ReportPrinter(ChromiumBrowser browser, Dependencies dependencies)
{
    public Task<byte[]> PrintAsync(string html, CancellationToken cancellationToken) =>
        dependencies[Dependencies.Chromium].ExecuteAsync(ct => new ValueTask<byte[]>(browser.PrintPdfAsync(html, ct)), cancellationToken);
}
