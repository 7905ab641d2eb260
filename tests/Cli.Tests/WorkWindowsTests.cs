using System.Diagnostics;
using JobPlatform.Cli.Bench;
using JobPlatform.TestSupport;

namespace JobPlatform.Cli.Tests;

public sealed class WorkWindowsTests
{
    [Fact]
    public async Task Every_full_window_starting_at_a_sample_gets_its_rate()
    {
        // A count that grows by exactly 1,000 per millisecond: every window's rate is 1,000,000/s whatever the timer's jitter.
        var started = Stopwatch.GetTimestamp();
        var windows = new WorkWindows(() => (long)(Stopwatch.GetElapsedTime(started).TotalMilliseconds * 1000),
            TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(10));
        using (windows.Start())
        {
            await TestDatabase.WaitUntilAsync(() => Task.FromResult(windows.FullWindowRates().Count >= 5), TimeSpan.FromSeconds(10),
                "five overlapping windows");
        }

        var rates = windows.FullWindowRates();
        Assert.All(rates, r => Assert.InRange(r, 990_000, 1_010_000));
    }

    [Fact]
    public void Before_a_window_has_passed_there_is_no_rate()
    {
        var windows = new WorkWindows(() => 0, TimeSpan.FromSeconds(10));
        using (windows.Start())
        {
            Assert.Empty(windows.FullWindowRates());
        }
    }
}
