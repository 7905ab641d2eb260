using System.Diagnostics.Metrics;
using Polly.CircuitBreaker;

namespace JobPlatform.Jobs.Resilience;

/// <summary>
/// The external dependencies of this worker, by name, each with its pipeline. Exports
/// <c>jobplatform_dependency_breaker_state</c> (0 closed, 1 open, 2 half-open, 3 isolated) and
/// <c>jobplatform_dependency_snoozes_total</c> per dependency on <c>/metrics</c>.
/// </summary>
public sealed class Dependencies : IDisposable
{
    /// <summary>The SMTP server of <c>email.send</c>.</summary>
    public const string Smtp = "smtp";

    /// <summary>The payment gateway of <c>billing.charge</c>.</summary>
    public const string PaymentGateway = "payment-gateway";

    /// <summary>The headless Chromium of <c>report.generate</c>.</summary>
    public const string Chromium = "chromium";

    private readonly Dictionary<string, Dependency> _byName;
    private readonly Meter _meter = new("JobPlatform.Jobs");

    /// <summary>Holds <paramref name="dependencies"/> and starts exporting their state.</summary>
    public Dependencies(IEnumerable<Dependency> dependencies)
    {
        _byName = dependencies.ToDictionary(d => d.Name, StringComparer.Ordinal);
        _meter.CreateObservableGauge("jobplatform.dependency.breaker_state",
            () => _byName.Values.Select(d => new Measurement<int>(StateValue(d.State), new KeyValuePair<string, object?>("dependency", d.Name))),
            description: "Circuit breaker state per dependency: 0 closed, 1 open, 2 half-open, 3 isolated.");
        _meter.CreateObservableCounter("jobplatform.dependency.snoozes",
            () => _byName.Values.Select(d => new Measurement<long>(d.Snoozes, new KeyValuePair<string, object?>("dependency", d.Name))),
            description: "Jobs snoozed because a dependency's breaker was open or it asked to retry later.");
    }

    /// <summary>Every dependency.</summary>
    public IReadOnlyCollection<Dependency> All => _byName.Values;

    /// <summary>The dependency named <paramref name="name"/>.</summary>
    public Dependency this[string name] =>
        _byName.TryGetValue(name, out var d) ? d : throw new KeyNotFoundException($"No dependency named '{name}' is registered.");

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static int StateValue(CircuitState state) => state switch
    {
        CircuitState.Closed => 0,
        CircuitState.Open => 1,
        CircuitState.HalfOpen => 2,
        _ => 3,
    };
}
