using System.Collections.Concurrent;
using System.Diagnostics;

namespace JobPlatform.Core;

/// <summary>
/// Sends at most one wake-up per queue per interval from this client. Notifying commits serialize on a
/// database-wide lock, so a NOTIFY per insert collapses under concurrent producers (measured: pickup p50
/// 225 ms at 500 inserts/s, 1.3 ms with a 5 ms throttle). A job whose NOTIFY is skipped is still found
/// quickly: a worker that was just woken keeps polling briefly (<see cref="JobEngineOptions.HotPollWindow"/>).
/// </summary>
internal sealed class NotifyThrottle(TimeSpan interval)
{
    private readonly ConcurrentDictionary<string, long> _last = new(StringComparer.Ordinal);
    private readonly long _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);

    /// <summary>True when this insert should NOTIFY its queue (and records that it did).</summary>
    public bool ShouldNotify(string queue)
    {
        if (_intervalTicks <= 0)
        {
            return true;
        }

        var now = Stopwatch.GetTimestamp();
        while (true)
        {
            if (!_last.TryGetValue(queue, out var last))
            {
                if (_last.TryAdd(queue, now))
                {
                    return true;
                }

                continue;
            }

            if (now - last < _intervalTicks)
            {
                return false;
            }

            if (_last.TryUpdate(queue, now, last))
            {
                return true;
            }
        }
    }
}
