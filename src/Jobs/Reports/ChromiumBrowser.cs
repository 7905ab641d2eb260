using JobPlatform.Jobs.Resilience;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace JobPlatform.Jobs.Reports;

/// <summary>
/// The worker's one headless Chromium, driven through Playwright: launched on first use, shared by every report,
/// with open pages pooled for reuse (opening a page costs far more than reusing one). When the browser
/// dies (its Disconnected event, or a call that fails with it gone), the next print launches a new one. Closed when
/// the host disposes its services, after the engine has drained.
/// </summary>
internal sealed class ChromiumBrowser : IAsyncDisposable
{
    /// <summary>Debian's chromium, headless, with nothing that phones home or needs a GPU or a sandbox user.</summary>
    internal static readonly string[] LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    /// <summary>A backstop for a single Playwright call; the Chromium dependency's own timeout normally fires first.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(2);

    private static readonly PagePdfOptions PdfOptions = new()
    {
        Format = "A4",
        PrintBackground = true,
        DisplayHeaderFooter = true,
        HeaderTemplate = "<span></span>",
        FooterTemplate = "<div style=\"font-size:8px;width:100%;text-align:center;color:#666;\">"
            + "<span class=\"pageNumber\"></span> / <span class=\"totalPages\"></span></div>",
        Margin = new Margin { Top = "14mm", Bottom = "16mm", Left = "14mm", Right = "14mm" },
    };

    private readonly ReportOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _launchLock = new(1, 1);
    private readonly SemaphoreSlim _pages;
    private volatile ChromiumSession? _session;
    private volatile bool _disposed;
    private int _launches;

    private readonly CancellationToken _hostStopping;

    /// <param name="options">Report settings.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="lifetime">The host, if any: a browser that exits while it stops (Ctrl+C reaches Chromium
    /// too) is expected, not a fault worth a warning.</param>
    public ChromiumBrowser(IOptions<ReportOptions> options, ILogger<ChromiumBrowser> logger, IHostApplicationLifetime? lifetime = null)
    {
        _options = options.Value;
        _logger = logger;
        _hostStopping = lifetime?.ApplicationStopping ?? CancellationToken.None;
        _pages = new SemaphoreSlim(_options.PagePoolSize, _options.PagePoolSize);
    }

    /// <summary>How many times a browser was launched by this instance (tests watch restarts with it).</summary>
    public int Launches => Volatile.Read(ref _launches);

    /// <summary>
    /// Prints <paramref name="html"/> (a complete document, with no scripts or external resources needed) to an A4 PDF.
    /// Call it inside <c>Dependencies[Dependencies.Chromium].ExecuteAsync</c>.
    /// </summary>
    /// <exception cref="TransientDependencyException">Chromium failed or died; a later call relaunches it.</exception>
    /// <exception cref="InvalidOperationException">The configured executable does not exist (a setting to fix, not a fault).</exception>
    public async Task<byte[]> PrintPdfAsync(string html, CancellationToken cancellationToken)
    {
        using var slot = await WaitForPageSlotAsync(cancellationToken).ConfigureAwait(false);
        return await PrintOnSlotAsync(html, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for one of the <see cref="ReportOptions.PagePoolSize"/> page slots; dispose the result to free it.
    /// Waiting is queueing, not a Chromium fault, so callers take the slot outside the dependency's timeout.</summary>
    public async Task<IDisposable> WaitForPageSlotAsync(CancellationToken cancellationToken)
    {
        await _pages.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new PageSlot(_pages);
    }

    /// <summary>Prints on a page slot the caller holds (from <see cref="WaitForPageSlotAsync"/>); see <see cref="PrintPdfAsync"/>.</summary>
    public async Task<byte[]> PrintOnSlotAsync(string html, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(html);
        var session = await GetSessionAsync(cancellationToken).ConfigureAwait(false);
        IPage? page = null;
        try
        {
            page = session.TakeIdlePage() ?? await NewPageAsync(session).WaitAsync(cancellationToken).ConfigureAwait(false);
            await page.SetContentAsync(html, new PageSetContentOptions { WaitUntil = WaitUntilState.Load })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            var pdf = await page.PdfAsync(PdfOptions).WaitAsync(cancellationToken).ConfigureAwait(false);
            session.ReturnPage(page);
            session.PrintSucceeded();
            page = null;
            return pdf;
        }
        catch (OperationCanceledException)
        {
            // A hung browser only ever shows as timeouts: without this it would be reused for ever.
            session.PrintCancelled();
            throw;
        }
        catch (PlaywrightException e)
        {
            if (!session.Browser.IsConnected)
            {
                session.Dead = true;
            }

            throw new TransientDependencyException(
                $"Chromium failed to print the report ({(session.Dead ? "the browser is gone and is relaunched on the next try" : "the page is discarded")}): {e.Message}", e);
        }
        finally
        {
            // A page whose call failed or was cancelled may be mid-navigation: never hand it out again.
            if (page is not null)
            {
                _ = CloseQuietlyAsync(page);
            }
        }
    }

    private sealed class PageSlot(SemaphoreSlim pages) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                pages.Release();
            }
        }
    }

    /// <summary>The operating-system process id of the running browser, read over the DevTools protocol; for tests
    /// that kill it. Null when no browser is running.</summary>
    internal async Task<int?> GetBrowserProcessIdAsync()
    {
        var session = _session;
        if (session is null || session.Dead || !session.Browser.IsConnected)
        {
            return null;
        }

        var cdp = await session.Browser.NewBrowserCDPSessionAsync().ConfigureAwait(false);
        try
        {
            var info = await cdp.SendAsync("SystemInfo.getProcessInfo").ConfigureAwait(false);
            foreach (var process in info!.Value.GetProperty("processInfo").EnumerateArray())
            {
                if (process.GetProperty("type").GetString() == "browser")
                {
                    return process.GetProperty("id").GetInt32();
                }
            }

            return null;
        }
        finally
        {
            await cdp.DetachAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _launchLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_session is { } session)
            {
                _session = null;
                await session.DisposeAsync().ConfigureAwait(false);
                _logger.LogInformation("Chromium closed.");
            }
        }
        finally
        {
            _launchLock.Release();
        }
    }

    private async Task<ChromiumSession> GetSessionAsync(CancellationToken cancellationToken)
    {
        var current = _session;
        if (current is { Dead: false } && current.Browser.IsConnected)
        {
            return current;
        }

        await _launchLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            current = _session;
            if (current is { Dead: false } && current.Browser.IsConnected)
            {
                return current;
            }

            if (current is not null)
            {
                _session = null;
                _logger.LogWarning("Chromium is gone (crashed or killed); launching a new browser.");
                _ = current.DisposeAsync().AsTask();
            }

            var launch = LaunchAsync();
            try
            {
                _session = await launch.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The launch goes on without us (bounded by LaunchTimeout): close that browser once it is up.
                _ = launch.ContinueWith(t => t.Result.DisposeAsync().AsTask(), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default).Unwrap();
                throw;
            }

            return _session;
        }
        finally
        {
            _launchLock.Release();
        }
    }

    private async Task<ChromiumSession> LaunchAsync()
    {
        if (!File.Exists(_options.ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at '{_options.ChromiumPath}' ({ReportOptions.SectionName}:ChromiumPath). Install Debian's chromium package " +
                "or point the setting at a Chromium or Chrome binary; browsers are never downloaded.");
        }

        IPlaywright? playwright = null;
        try
        {
            playwright = await Playwright.CreateAsync().ConfigureAwait(false);
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = _options.ChromiumPath,
                Headless = true,
                Args = LaunchArgs,
                Timeout = (float)_options.LaunchTimeout.TotalMilliseconds,
            }).ConfigureAwait(false);
            var session = new ChromiumSession(playwright, browser);
            browser.Disconnected += (_, _) =>
            {
                session.Dead = true;
                if (_disposed)
                {
                    return;
                }

                if (_hostStopping.IsCancellationRequested)
                {
                    _logger.LogInformation("Chromium exited while the worker is stopping.");
                }
                else
                {
                    _logger.LogWarning("Chromium disconnected; the next report launches a new browser.");
                }
            };
            var n = Interlocked.Increment(ref _launches);
            _logger.LogInformation("Chromium {Version} launched from {Path} (launch {Launch} of this worker).", browser.Version, _options.ChromiumPath, n);
            return session;
        }
        catch (PlaywrightException e)
        {
            playwright?.Dispose();
            throw new TransientDependencyException($"Chromium could not be launched from '{_options.ChromiumPath}': {e.Message}", e);
        }
    }

    private static async Task<IPage> NewPageAsync(ChromiumSession session)
    {
        var page = await session.Browser.NewPageAsync(new BrowserNewPageOptions
        {
            // Reports are static HTML: no scripts run and nothing is fetched, whatever the data contains.
            JavaScriptEnabled = false,
            Offline = true,
        }).ConfigureAwait(false);
        page.SetDefaultTimeout((float)CallTimeout.TotalMilliseconds);
        return page;
    }

    private static async Task CloseQuietlyAsync(IPage page)
    {
        try
        {
            await page.Context.CloseAsync().ConfigureAwait(false);
        }
        catch (PlaywrightException)
        {
            // The browser is already gone with it.
        }
    }
}
