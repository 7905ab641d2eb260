using Microsoft.Extensions.Hosting;

namespace JobPlatform.Jobs.Resilience;

/// <summary>Creates <see cref="Dependencies"/> at start, so every breaker shows on <c>/metrics</c> (as closed)
/// before the first job that needs it runs.</summary>
internal sealed class DependenciesActivator(Dependencies dependencies) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(dependencies);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
