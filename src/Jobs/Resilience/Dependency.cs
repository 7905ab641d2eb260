using JobPlatform.Core;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace JobPlatform.Jobs.Resilience;

/// <summary>
/// One external dependency (SMTP server, payment gateway, Chromium) behind its Polly pipeline:
/// retry with jitter → circuit breaker → per-call timeout. Handlers run every call through
/// <see cref="ExecuteAsync{T}"/>; it turns an open breaker and a long Retry-After into a
/// <see cref="SnoozeJobException"/>. The breaker is per worker process.
/// </summary>
public sealed class Dependency
{
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly ResiliencePipeline _pipeline;
    private long _snoozes;

    /// <summary>Builds the pipeline of <paramref name="name"/> from <paramref name="options"/>.</summary>
    /// <param name="name">The dependency's name, as in configuration and metrics (e.g. <c>smtp</c>).</param>
    /// <param name="options">Its settings.</param>
    /// <param name="time">Clock for the breaker and delays (tests inject one).</param>
    public Dependency(string name, DependencyOptions options, TimeProvider? time = null)
    {
        Name = name;
        Options = options;
        var retryable = new PredicateBuilder()
            .Handle<TimeoutRejectedException>()
            .Handle<TransientDependencyException>(e => e.RetryAfter is null || e.RetryAfter <= options.MaxInProcessRetryAfter);
        var builder = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = retryable,
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                DelayGenerator = static args => new ValueTask<TimeSpan?>(
                    args.Outcome.Exception is TransientDependencyException { RetryAfter: { } after } ? after : null),
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            // Rate limits (a Retry-After) say the dependency is healthy and busy: they must not open the breaker.
            ShouldHandle = new PredicateBuilder()
                .Handle<TimeoutRejectedException>()
                .Handle<TransientDependencyException>(e => e.RetryAfter is null),
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
            StateProvider = _state,
        });
        builder.AddTimeout(options.Timeout);
        _pipeline = builder.Build();
    }

    /// <summary>The dependency's name.</summary>
    public string Name { get; }

    /// <summary>Its settings.</summary>
    public DependencyOptions Options { get; }

    /// <summary>The breaker's state now.</summary>
    public CircuitState State => _state.CircuitState;

    /// <summary>Jobs snoozed by this dependency's breaker or rate limits since the process started.</summary>
    public long Snoozes => Interlocked.Read(ref _snoozes);

    /// <summary>
    /// Runs <paramref name="call"/> through the pipeline. Permanent failures (anything but
    /// <see cref="TransientDependencyException"/> and timeouts) pass straight through without retry.
    /// </summary>
    /// <exception cref="SnoozeJobException">The breaker is open, or the dependency asked for a wait (Retry-After)
    /// longer than <see cref="DependencyOptions.MaxInProcessRetryAfter"/> or still did after the in-process retries.</exception>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            throw BreakerSnooze(e.RetryAfter);
        }
        catch (TransientDependencyException e) when (e.RetryAfter is { } after)
        {
            // A rate limit, whether too long to wait out or still there after the in-process retries: the
            // dependency is healthy and busy, so the job waits without spending its attempt.
            Interlocked.Increment(ref _snoozes);
            throw new SnoozeJobException(after, $"{Name} asked to retry after {after.TotalSeconds:0.#} s: {e.Message}");
        }
    }

    /// <summary>Snoozes the job at once while the breaker is open, before a handler spends anything (a rate-limit
    /// token, reading attachments) on a call that would be refused anyway.</summary>
    /// <exception cref="SnoozeJobException">The breaker is open.</exception>
    public void SnoozeIfOpen()
    {
        if (State == CircuitState.Open)
        {
            throw BreakerSnooze(null);
        }
    }

    /// <summary>Runs a call that returns nothing; see <see cref="ExecuteAsync{T}"/>.</summary>
    public Task ExecuteAsync(Func<CancellationToken, ValueTask> call, CancellationToken cancellationToken) =>
        ExecuteAsync<bool>(async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private SnoozeJobException BreakerSnooze(TimeSpan? retryAfter)
    {
        Interlocked.Increment(ref _snoozes);
        // Spread the snoozed jobs a little so they do not all return the instant the breaker half-opens.
        var delay = (retryAfter ?? Options.BreakDuration) + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000));
        return new SnoozeJobException(delay, $"The {Name} circuit breaker is open after repeated failures; snoozed for {delay.TotalSeconds:0.#} s.");
    }
}
