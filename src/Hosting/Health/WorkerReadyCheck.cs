using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JobPlatform.Hosting;

/// <summary>Ready once the engine has started, and no longer once it is draining.</summary>
internal sealed class WorkerReadyCheck(WorkerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Started
            ? HealthCheckResult.Healthy($"worker {state.WorkerId} running")
            : HealthCheckResult.Unhealthy("worker not started or draining"));
}
