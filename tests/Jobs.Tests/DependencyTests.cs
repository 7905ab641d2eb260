using System.Diagnostics.Metrics;
using JobPlatform.Core;
using JobPlatform.Hosting;
using JobPlatform.Jobs.Resilience;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace JobPlatform.Jobs.Tests;

public sealed class DependencyTests
{
    private static DependencyOptions Quick(int retries = 0) => new()
    {
        MaxRetryAttempts = retries,
        RetryDelay = TimeSpan.Zero,
        MinimumThroughput = 2,
        FailureRatio = 0.5,
        BreakDuration = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public async Task Transient_faults_are_retried_in_process_until_one_succeeds()
    {
        var dependency = new Dependency("retry-" + Guid.NewGuid().ToString("N"), Quick(retries: 2) with { MinimumThroughput = 10 });
        var calls = 0;

        var result = await dependency.ExecuteAsync(_ => ++calls < 3 ? throw new TransientDependencyException("451 try later") : ValueTask.FromResult(42), default);

        Assert.Equal(42, result);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Permanent_faults_pass_through_at_once_and_never_open_the_breaker()
    {
        var dependency = new Dependency("permanent-" + Guid.NewGuid().ToString("N"), Quick(retries: 2));
        var calls = 0;

        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<DiscardJobException>(() => dependency.ExecuteAsync<int>(_ => { calls++; throw new DiscardJobException("550 no such mailbox"); }, default));
        }

        Assert.Equal(5, calls);
        Assert.Equal(CircuitState.Closed, dependency.State);
    }

    [Fact]
    public async Task An_open_breaker_snoozes_the_job_without_calling_the_dependency()
    {
        var dependency = new Dependency("breaker-" + Guid.NewGuid().ToString("N"), Quick());
        var calls = 0;
        Task<int> Failing() => dependency.ExecuteAsync<int>(_ => { calls++; throw new TransientDependencyException("connection refused"); }, default);

        await Assert.ThrowsAsync<TransientDependencyException>(Failing);
        await Assert.ThrowsAsync<TransientDependencyException>(Failing);
        var snooze = await Assert.ThrowsAsync<SnoozeJobException>(Failing);

        Assert.Equal(2, calls);
        Assert.Equal(CircuitState.Open, dependency.State);
        Assert.InRange(snooze.Delay, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(2));
        Assert.Contains("circuit breaker is open", snooze.Message);
        Assert.Equal(1, dependency.Snoozes);
    }

    [Fact]
    public async Task A_long_retry_after_snoozes_for_that_long_and_does_not_count_towards_the_breaker()
    {
        var dependency = new Dependency("ratelimit-" + Guid.NewGuid().ToString("N"), Quick(retries: 2));
        var calls = 0;

        for (var i = 0; i < 4; i++)
        {
            var snooze = await Assert.ThrowsAsync<SnoozeJobException>(() => dependency.ExecuteAsync<int>(
                _ => { calls++; throw new TransientDependencyException("429 Too Many Requests", retryAfter: TimeSpan.FromSeconds(30)); }, default));
            Assert.Equal(TimeSpan.FromSeconds(30), snooze.Delay);
        }

        Assert.Equal(4, calls);
        Assert.Equal(CircuitState.Closed, dependency.State);
    }

    [Fact]
    public async Task Short_rate_limits_that_outlast_the_in_process_retries_snooze_instead_of_spending_the_attempt()
    {
        var dependency = new Dependency("busy-" + Guid.NewGuid().ToString("N"), Quick(retries: 2));
        var calls = 0;

        var snooze = await Assert.ThrowsAsync<SnoozeJobException>(() => dependency.ExecuteAsync<int>(
            _ => { calls++; throw new TransientDependencyException("429 Too Many Requests", retryAfter: TimeSpan.FromMilliseconds(10)); }, default));

        Assert.Equal(3, calls);
        Assert.Equal(TimeSpan.FromMilliseconds(10), snooze.Delay);
        Assert.Equal(CircuitState.Closed, dependency.State);
    }

    [Fact]
    public async Task A_call_over_its_timeout_is_a_transient_fault()
    {
        var dependency = new Dependency("timeout-" + Guid.NewGuid().ToString("N"), Quick() with { Timeout = TimeSpan.FromMilliseconds(50) });

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => dependency.ExecuteAsync<int>(async ct =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return 1;
        }, default));
    }

    [Fact]
    public async Task Breaker_state_and_snoozes_are_exported_as_metrics()
    {
        var name = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var values = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "JobPlatform.Jobs")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "dependency", Value: string d } && d == name)
                {
                    values[instrument.Name] = value;
                }
            }
        }

        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        using var dependencies = new Dependencies([new Dependency(name, Quick())]);
        var dependency = dependencies[name];
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => dependency.ExecuteAsync<int>(_ => throw new TransientDependencyException("down"), default));
        }

        // The host's exporter serves them as jobplatform_dependency_breaker_state and _snoozes_total (see the worker's HostTests).
        listener.RecordObservableInstruments();
        Assert.Equal(1, values["jobplatform.dependency.breaker_state"]);
        Assert.Equal(1, values["jobplatform.dependency.snoozes"]);
    }

    [Fact]
    public void A_kinds_attempt_timeout_covers_its_dependencys_longest_call()
    {
        var smtp = new DependencyOptions { Timeout = TimeSpan.FromSeconds(30), MaxRetryAttempts = 2, RetryDelay = TimeSpan.FromMilliseconds(200) };

        // Three tries at 30 s, and two waits of at least the in-process Retry-After limit (2 s) each.
        Assert.Equal(TimeSpan.FromSeconds(94), smtp.LongestCall);
        Assert.Equal(TimeSpan.FromMinutes(2), JobPlatformJobsExtensions.AttemptTimeout(TimeSpan.FromMinutes(2), smtp, TimeSpan.FromSeconds(10)));
        var slow = smtp with { Timeout = TimeSpan.FromMinutes(2) };
        Assert.Equal(TimeSpan.FromSeconds(364) + TimeSpan.FromSeconds(90),
            JobPlatformJobsExtensions.AttemptTimeout(TimeSpan.FromMinutes(2), slow, TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public void Bad_settings_are_reported_with_their_keys()
    {
        var problems = new DependencyOptions { Timeout = TimeSpan.Zero, MaxRetryAttempts = 11, FailureRatio = 2, MinimumThroughput = 1 }
            .Validate("Jobs:Resilience:smtp").ToList();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Jobs:Resilience:smtp:Timeout", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Jobs:Resilience:smtp:MaxRetryAttempts", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Jobs:Resilience:smtp:FailureRatio", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Jobs:Resilience:smtp:MinimumThroughput", StringComparison.Ordinal));
    }
}
