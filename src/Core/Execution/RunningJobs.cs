using System.Collections.Concurrent;

namespace JobPlatform.Core.Execution;

/// <summary>The attempts running in this process, so cancellation requests and shutdown can reach them.</summary>
internal sealed class RunningJobs
{
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    public int Count => _entries.Count;

    public Entry Add(Guid id, CancellationTokenSource source)
    {
        var entry = new Entry(source);
        _entries[id] = entry;
        return entry;
    }

    public void Remove(Guid id) => _entries.TryRemove(id, out _);

    /// <summary>Cancels one job at an operator's request; false if it does not run here.</summary>
    public bool RequestCancel(Guid id)
    {
        if (!_entries.TryGetValue(id, out var entry))
        {
            return false;
        }

        entry.CancelRequested = true;
        entry.TryCancel();
        return true;
    }

    /// <summary>Cancels every running job for shutdown: their attempts are released, not spent.</summary>
    public void CancelAllForShutdown()
    {
        foreach (var entry in _entries.Values)
        {
            entry.ShutdownRequested = true;
            entry.TryCancel();
        }
    }

    public sealed class Entry(CancellationTokenSource source)
    {
        public volatile bool CancelRequested;
        public volatile bool ShutdownRequested;

        public void TryCancel()
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The attempt finished meanwhile.
            }
        }
    }
}
