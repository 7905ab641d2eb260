using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobPlatform.Hosting;

/// <summary>Registers <see cref="PrometheusMetrics"/> and serves it over HTTP.</summary>
public static class PrometheusEndpointExtensions
{
    /// <summary>The content type of the Prometheus text exposition format 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The path <see cref="MapPrometheusMetrics"/> serves by default.</summary>
    public const string DefaultPattern = "/metrics";

    /// <summary>Adds the exporter as a singleton; by default it exports the <c>JobPlatform</c> and <c>JobPlatform.*</c> meters.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the options, e.g. adds a meter prefix; null keeps the defaults.</param>
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services, Action<PrometheusMetricsOptions>? configure = null)
    {
        var options = services.AddOptions<PrometheusMetricsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(sp => new PrometheusMetrics(
            sp.GetRequiredService<IOptions<PrometheusMetricsOptions>>().Value,
            sp.GetService<ILogger<PrometheusMetrics>>()));
        return services;
    }

    /// <summary>Serves the metrics as Prometheus text at <paramref name="pattern"/>.</summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="pattern">The route, <c>/metrics</c> by default.</param>
    /// <exception cref="InvalidOperationException"><see cref="AddPrometheusMetrics"/> was not called.</exception>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        // Resolved now, not at the first scrape: measurements made before the listener exists are lost.
        var metrics = endpoints.ServiceProvider.GetService<PrometheusMetrics>()
            ?? throw new InvalidOperationException("PrometheusMetrics is not registered: call builder.Services.AddPrometheusMetrics() before MapPrometheusMetrics().");
        return endpoints.MapGet(pattern, () => Results.Text(metrics.Render(), ContentType)).ExcludeFromDescription();
    }
}
