using JobPlatform.Jobs.Resilience;

namespace JobPlatform.Jobs.Reports;

/// <summary>Prints HTML to PDF on the shared browser through the <c>chromium</c> dependency's pipeline: a timeout or a
/// crash is retried in process (on a relaunched browser), repeated ones open the breaker and snooze report jobs.</summary>
internal sealed class ReportPrinter(ChromiumBrowser browser, Dependencies dependencies)
{
    public async Task<byte[]> PrintAsync(string html, CancellationToken cancellationToken)
    {
        // The page slot is taken first: a backlog of reports waiting for pages must not time out as Chromium
        // faults and open the breaker while the browser is healthy.
        using var slot = await browser.WaitForPageSlotAsync(cancellationToken).ConfigureAwait(false);
        return await dependencies[Dependencies.Chromium]
            .ExecuteAsync(ct => new ValueTask<byte[]>(browser.PrintOnSlotAsync(html, ct)), cancellationToken).ConfigureAwait(false);
    }
}
