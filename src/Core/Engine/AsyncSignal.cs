namespace JobPlatform.Core.Engine;

/// <summary>An auto-reset wake-up: many <see cref="Set"/> calls before a wait count as one; a set wakes every
/// waiter. Timeouts run on the engine's clock.</summary>
internal sealed class AsyncSignal(TimeProvider time)
{
    private readonly Lock _lock = new();
    private bool _set;
    private TaskCompletionSource? _waiters;

    /// <summary>Whether a signal is waiting to be taken.</summary>
    public bool IsSet
    {
        get
        {
            lock (_lock)
            {
                return _set;
            }
        }
    }

    public void Set()
    {
        TaskCompletionSource? waiters;
        lock (_lock)
        {
            waiters = _waiters;
            _waiters = null;
            _set = waiters is null;
        }

        waiters?.TrySetResult();
    }

    /// <summary>Waits for a signal; returns false on timeout.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task signalled;
        lock (_lock)
        {
            if (_set)
            {
                _set = false;
                return true;
            }

            signalled = (_waiters ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        if (timeout == Timeout.InfiniteTimeSpan)
        {
            await signalled.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, timer.Token);
        var first = await Task.WhenAny(signalled, delay).ConfigureAwait(false);
        timer.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        return first == signalled;
    }
}
