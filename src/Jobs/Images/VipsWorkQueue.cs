using System.Collections.Concurrent;

namespace JobPlatform.Jobs.Images;

/// <summary>
/// A fixed set of dedicated threads for blocking libvips calls, so image work never occupies the thread pool
/// that runs the engine's fetch loops and heartbeats, and no more than <c>Images:MaxConcurrency</c> images are
/// decoded at once whatever the queue's concurrency.
/// </summary>
internal sealed class VipsWorkQueue : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread[] _threads;

    public VipsWorkQueue(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Run) { IsBackground = true, Name = $"libvips-{i}" };
            _threads[i].Start();
        }
    }

    public int Threads => _threads.Length;

    /// <summary>Runs <paramref name="work"/> on one of the threads. When <paramref name="cancellationToken"/> fires
    /// before a thread takes it, it never starts; once started, cancelling is up to the work itself.</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        // A caller waiting for a thread stops waiting on cancellation; once the work runs, it finishes (or is killed).
        var registration = cancellationToken.Register(() =>
        {
            if (Interlocked.CompareExchange(ref started, -1, 0) == 0)
            {
                done.TrySetCanceled(cancellationToken);
            }
        });
        _work.Add(() =>
        {
            registration.Dispose();
            if (Interlocked.CompareExchange(ref started, 1, 0) != 0)
            {
                return;
            }

            try
            {
                done.TrySetResult(work());
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }, CancellationToken.None);
        return done.Task;
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(30));
        }

        _work.Dispose();
    }

    private void Run()
    {
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }
}
