using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace JobPlatform.Hosting;

/// <summary>What every JobPlatform host shares: Serilog logs, OpenTelemetry metrics (Prometheus) and traces (OTLP), health endpoints.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The tag of the health checks <c>/health/ready</c> runs; a host adds its component's check with it.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Adds logging, metrics and traces (<see cref="JobPlatformTelemetryExtensions.AddJobPlatformTelemetry"/>) and the database readiness check.</summary>
    public static IHostApplicationBuilder AddJobPlatformServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.AddJobPlatformLogging();
        builder.AddJobPlatformTelemetry();
        builder.Services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>Adds the worker-started check to readiness.</summary>
    public static IHostApplicationBuilder AddWorkerReadiness(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<WorkerReadyCheck>("worker", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health/live</c> (the process answers), <c>/health/ready</c> (database reachable and migrated,
    /// plus any component checks; JSON body with each check) and <c>/metrics</c> (Prometheus text).
    /// </summary>
    public static IEndpointRouteBuilder MapJobPlatformDefaultEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = WriteJsonAsync,
        });
        endpoints.MapJobPlatformMetrics();
        return endpoints;
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
