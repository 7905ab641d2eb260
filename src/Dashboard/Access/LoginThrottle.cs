using System.Collections.Concurrent;

namespace JobPlatform.Dashboard.Access;

/// <summary>
/// Counts failed sign-ins per user name and per client address; once either has <c>maxFailures</c> within the
/// window, further attempts for it are refused until its oldest failure leaves the window, whatever the password.
/// Per process: several dashboard replicas each count their own (a guesser spread over N replicas gets N times
/// the attempts, still a handful per quarter hour).
/// </summary>
internal sealed class LoginThrottle(int maxFailures, TimeSpan window, TimeProvider time)
{
    private const int MaxTrackedKeys = 100_000;
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the name or address must wait before trying again; null when it may try now.</summary>
    public TimeSpan? RetryAfter(string user, string address)
    {
        var now = time.GetUtcNow();
        var waits = new[] { Wait(UserKey(user), now), Wait(AddressKey(address), now) }.OfType<TimeSpan>().ToList();
        return waits.Count == 0 ? null : waits.Max();
    }

    public void Failed(string user, string address)
    {
        if (_failures.Count > MaxTrackedKeys)
        {
            Prune(time.GetUtcNow());
        }

        Record(UserKey(user));
        Record(AddressKey(address));
    }

    public void Succeeded(string user) => _failures.TryRemove(UserKey(user), out _);

    private void Record(string key)
    {
        var queue = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            queue.Enqueue(time.GetUtcNow());
            while (queue.Count > maxFailures)
            {
                queue.Dequeue();
            }
        }
    }

    private TimeSpan? Wait(string key, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var queue))
        {
            return null;
        }

        lock (queue)
        {
            while (queue.Count > 0 && now - queue.Peek() >= window)
            {
                queue.Dequeue();
            }

            return queue.Count >= maxFailures ? queue.Peek() + window - now : null;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, queue) in _failures)
        {
            lock (queue)
            {
                if (queue.Count == 0 || now - queue.Last() >= window)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
    }

    private static string UserKey(string user) => "user:" + user.ToLowerInvariant();

    private static string AddressKey(string address) => "address:" + address;
}
