using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace JobPlatform.Jobs.Reports;

/// <summary>One launched browser and its idle pages; replaced as a whole when the browser dies.</summary>
internal sealed class ChromiumSession(IPlaywright playwright, IBrowser browser) : IAsyncDisposable
{
    private readonly ConcurrentBag<IPage> _idle = [];
    private volatile bool _dead;

    public IBrowser Browser { get; } = browser;

    /// <summary>Set when the browser disconnected or a call found it gone; the next print launches a new session.</summary>
    public bool Dead
    {
        get => _dead;
        set => _dead = value;
    }

    private int _consecutiveTimeouts;

    /// <summary>Counts a print that was cancelled mid-way (a timeout, most often); two in a row without a success in
    /// between mean a hung browser, which is then marked dead so the next print relaunches it.</summary>
    public void PrintCancelled()
    {
        if (Interlocked.Increment(ref _consecutiveTimeouts) >= HungAfterCancelledPrints)
        {
            Dead = true;
        }
    }

    /// <summary>A print finished: the browser answers.</summary>
    public void PrintSucceeded() => Interlocked.Exchange(ref _consecutiveTimeouts, 0);

    /// <summary>Cancelled prints in a row after which the browser is taken for hung.</summary>
    public const int HungAfterCancelledPrints = 2;

    public IPage? TakeIdlePage()
    {
        while (_idle.TryTake(out var page))
        {
            if (!page.IsClosed)
            {
                return page;
            }
        }

        return null;
    }

    public void ReturnPage(IPage page) => _idle.Add(page);

    public async ValueTask DisposeAsync()
    {
        Dead = true;
        try
        {
            await Browser.CloseAsync().ConfigureAwait(false);
        }
        catch (PlaywrightException)
        {
            // Already dead or disconnected.
        }

        playwright.Dispose();
    }
}
