using System.Threading.Channels;
using JobPlatform.Core.Diagnostics;
using JobPlatform.Core.Storage;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Core.Completion;

/// <summary>
/// Writes attempt outcomes in batches: outcomes gather for a few milliseconds (or while the previous batch is
/// being written) and go to PostgreSQL as arrays in one statement. A batch that fails is kept and retried
/// until it is written or the engine stops, so a database outage never loses a completion; if the process
/// dies first, the rescuer runs those jobs again (at-least-once).
/// </summary>
internal sealed class BatchCompleter
{
    private static readonly Backoff RetryBackoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

    private readonly CompletionStore _store;
    private readonly JobEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<JobOutcome> _channel;
    private Task? _loop;

    public BatchCompleter(CompletionStore store, JobEngineOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        // Bounded: when the database falls behind, finishing handlers wait here, which stops further fetches.
        _channel = Channel.CreateBounded<JobOutcome>(new BoundedChannelOptions(options.Tuning.CompletionBatchMax * 4)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ValueTask AddAsync(JobOutcome outcome) => _channel.Writer.WriteAsync(outcome);

    public void Start(CancellationToken abandon) => _loop = Task.Run(() => RunAsync(abandon), CancellationToken.None);

    /// <summary>Stops accepting outcomes and waits until every pending one is written (or
    /// the abandon token given to Start fires while the database is unreachable).</summary>
    public async Task StopAsync()
    {
        _channel.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    private async Task RunAsync(CancellationToken abandon)
    {
        var batch = new List<JobOutcome>(_options.Tuning.CompletionBatchMax);
        var reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync(abandon).ConfigureAwait(false))
            {
                if (_options.Tuning.CompletionFlushInterval > TimeSpan.Zero)
                {
                    await Task.Delay(_options.Tuning.CompletionFlushInterval, _time, abandon).ConfigureAwait(false);
                }

                while (batch.Count < _options.Tuning.CompletionBatchMax && reader.TryRead(out var outcome))
                {
                    batch.Add(outcome);
                }

                await WriteWithRetryAsync(batch, abandon).ConfigureAwait(false);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            var lost = batch.Count + reader.Count;
            if (lost > 0)
            {
                _logger.LogError("Stopped with {Count} job outcomes unwritten (database unreachable); those jobs stay running until rescued and will run again", lost);
            }
        }
    }

    private async Task WriteWithRetryAsync(List<JobOutcome> batch, CancellationToken abandon)
    {
        for (var failures = 0; ; failures++)
        {
            try
            {
                await _store.CompleteAsync(batch, abandon).ConfigureAwait(false);
                EngineMetrics.CompletionBatches.Add(1);
                if (failures > 0)
                {
                    _logger.LogInformation("Wrote {Count} job outcomes after {Failures} failed tries", batch.Count, failures);
                }

                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !abandon.IsCancellationRequested)
            {
                var delay = RetryBackoff.Delay(failures + 1);
                EngineMetrics.DatabaseErrors.Add(1, new KeyValuePair<string, object?>("component", "completer"));
                _logger.LogWarning("Writing {Count} job outcomes failed ({Error}); retrying in {Delay}", batch.Count, e.Message, delay);
                await Task.Delay(delay, _time, abandon).ConfigureAwait(false);
            }
        }
    }
}
