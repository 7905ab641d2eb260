using System.Diagnostics;
using JobPlatform.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace JobPlatform.Hosting;

/// <summary>Metrics and traces of every host, through OpenTelemetry.</summary>
public static class JobPlatformTelemetryExtensions
{
    /// <summary>The OpenTelemetry setting that switches on OTLP export (traces and metrics), e.g. <c>http://collector:4317</c>.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The OpenTelemetry setting naming the service on spans and metrics; the host's application name when unset.</summary>
    public const string ServiceNameKey = "OTEL_SERVICE_NAME";

    /// <summary>The path the metrics are served on.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Adds OpenTelemetry: the <c>JobPlatform</c> and <c>JobPlatform.*</c> meters, exported on <see cref="MetricsPath"/>
    /// in the Prometheus text format by the OpenTelemetry Prometheus exporter (the names Prometheus rules use:
    /// <c>jobplatform.jobs.finished</c> becomes <c>jobplatform_jobs_finished_total</c>). When
    /// <see cref="OtlpEndpointKey"/> is set, also traces (the <see cref="JobPlatformTelemetry.ActivitySourceName"/>
    /// source, Npgsql's commands and HttpClient's requests below it) and metrics over OTLP. Without it nothing listens
    /// to the activity source, so the engine creates no activities.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    public static IHostApplicationBuilder AddJobPlatformTelemetry(this IHostApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration[ServiceNameKey] is { Length: > 0 } name ? name : builder.Environment.ApplicationName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(JobPlatformTelemetry.MeterName, JobPlatformTelemetry.MeterName + ".*")
                    .AddPrometheusExporter(o =>
                    {
                        // Every scrape reads the instruments afresh, and the families carry only their own labels,
                        // as dashboards and alert rules expect them.
                        o.ScrapeResponseCacheDurationMilliseconds = 0;
                        o.ScopeInfoEnabled = false;
                        o.TargetInfoEnabled = false;
                    });
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddJobPlatformSources().AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>
    /// Listens to the engine's activity source, and to Npgsql's and HttpClient's spans; Npgsql's only below another
    /// activity (a job's run, an enqueue), so the engine's own polling and heartbeats do not make a trace each.
    /// HTTP client spans keep only scheme, host and port of their URL (webhook URLs are secrets). Add exporters after it.
    /// </summary>
    /// <param name="tracing">The tracer provider builder.</param>
    public static TracerProviderBuilder AddJobPlatformSources(this TracerProviderBuilder tracing) =>
        tracing.AddSource(JobPlatformTelemetry.ActivitySourceName)
            .AddHttpClientInstrumentation()
            .AddNpgsql()
            .AddProcessor(new UrlRedactionProcessor());

    /// <summary>Npgsql's tracing options for the host's data source: a command or batch has a span only when
    /// it runs below another activity, and the pool's physical opens (made for whoever comes first) have none.</summary>
    internal static void ConfigureNpgsqlTracing(NpgsqlTracingOptionsBuilder options) =>
        options.ConfigureCommandFilter(_ => Activity.Current is not null)
            .ConfigureBatchFilter(_ => Activity.Current is not null)
            .EnablePhysicalOpenTracing(false);

    /// <summary>Serves the metrics at <see cref="MetricsPath"/> in the Prometheus text format.</summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <exception cref="InvalidOperationException"><see cref="AddJobPlatformTelemetry"/> was not called.</exception>
    public static IEndpointConventionBuilder MapJobPlatformMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath);
}
