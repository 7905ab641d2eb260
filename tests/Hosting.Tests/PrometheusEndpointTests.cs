using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Hosting.Tests;

public sealed class PrometheusEndpointTests
{
    [Fact]
    public async Task Metrics_endpoint_on_kestrel_serves_our_meters_with_prometheus_names_and_only_their_labels()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        using var meter = new Meter($"JobPlatform.Test.{id}");
        using var other = new Meter($"Other.Test.{id}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddJobPlatformTelemetry();
        await using var app = builder.Build();
        app.MapJobPlatformMetrics();
        await app.StartAsync();

        meter.CreateCounter<long>($"jobplatform.test_{id}.finished").Add(3, new KeyValuePair<string, object?>("outcome", "completed"));
        meter.CreateHistogram<double>($"jobplatform.test_{id}.duration.seconds", unit: "s",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1] }).Record(0.7);
        meter.CreateUpDownCounter<long>($"jobplatform.test_{id}.in_flight").Add(2);
        other.CreateCounter<long>($"other.test_{id}").Add(1);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{address}/metrics");

        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        var text = (await response.Content.ReadAsStringAsync()).Replace("\r", "");
        Assert.Contains($"# TYPE jobplatform_test_{id}_finished_total counter\n", text);
        Assert.Contains($"jobplatform_test_{id}_finished_total{{outcome=\"completed\"}} 3", text);
        Assert.Contains($"# TYPE jobplatform_test_{id}_duration_seconds histogram\n", text);
        Assert.Contains($"jobplatform_test_{id}_duration_seconds_bucket{{le=\"0.5\"}} 0", text);
        Assert.Contains($"jobplatform_test_{id}_duration_seconds_bucket{{le=\"1\"}} 1", text);
        Assert.Contains($"# TYPE jobplatform_test_{id}_in_flight gauge\n", text);
        // A series without labels may be written with empty braces; Prometheus reads both the same.
        Assert.Matches($"\njobplatform_test_{id}_in_flight(\\{{\\}})? 2\n", text);
        Assert.DoesNotContain($"other_test_{id}", text);
        Assert.DoesNotContain("otel_scope", text);
        Assert.DoesNotContain("target_info", text);
        await app.StopAsync();
    }
}
