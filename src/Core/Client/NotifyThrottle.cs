using System.Collections.Concurrent;
using System.Diagnostics;

namespace JobPlatform.Core;

/// <summary>
/// Sends at most one wake-up per queue per interval from this client (off by default). Notifying commits
/// serialize on a database-wide lock; since concurrent enqueues share one statement and so one NOTIFY, that
/// cost shrinks with load by itself, and the throttle is only for extreme single-insert rates. A job whose
/// NOTIFY is skipped is found by workers that keep polling briefly after a wake-up
/// (<see cref="JobEngineOptions.HotPollWindow"/>), or by the leader's wake-up once a second.
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
