namespace JobPlatform.Core.Processing;

/// <summary>An auto-reset wake-up: many <see cref="Set"/> calls before a wait count as one.</summary>
internal sealed class AsyncSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread set it first: already signalled.
            }
        }
    }

    /// <summary>Whether a signal is waiting to be taken.</summary>
    public bool IsSet => _semaphore.CurrentCount > 0;

    /// <summary>Waits for a signal; returns false on timeout.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);

    public Task WaitAsync(CancellationToken cancellationToken) => _semaphore.WaitAsync(cancellationToken);
}
