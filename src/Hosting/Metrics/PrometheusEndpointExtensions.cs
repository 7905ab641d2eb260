using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace JobPlatform.Hosting;

/// <summary>Registers and serves <see cref="PrometheusMetrics"/>.</summary>
public static class PrometheusEndpointExtensions
{
    /// <summary>The content type of the Prometheus text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Adds the exporter as a singleton listening to the <c>JobPlatform</c> meters.</summary>
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services)
    {
        services.AddSingleton(_ => new PrometheusMetrics());
        return services;
    }

    /// <summary>Serves the metrics at <paramref name="pattern"/>.</summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        // Created now, not at the first scrape: measurements made before the listener exists are lost.
        var metrics = endpoints.ServiceProvider.GetRequiredService<PrometheusMetrics>();
        return endpoints.MapGet(pattern, () => Results.Text(metrics.Render(), ContentType));
    }
}
