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
    public async Task Metrics_endpoint_on_kestrel_serves_the_text_format()
    {
        using var meter = new Meter($"JobPlatform.Test.{Guid.NewGuid():N}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddPrometheusMetrics(o => o.MeterPrefixes = [meter.Name]);
        await using var app = builder.Build();
        app.MapPrometheusMetrics();
        await app.StartAsync();

        // Recorded after the mapping created the exporter, before the scrape.
        meter.CreateCounter<long>("jobplatform.jobs.finished").Add(3, new KeyValuePair<string, object?>("outcome", "completed"));

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{address}/metrics");

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("# TYPE jobplatform_jobs_finished_total counter\njobplatform_jobs_finished_total{outcome=\"completed\"} 3\n", text);
        await app.StopAsync();
    }

    [Fact]
    public void Mapping_without_registration_says_what_to_call()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        var e = Assert.Throws<InvalidOperationException>(() => app.MapPrometheusMetrics());
        Assert.Contains("AddPrometheusMetrics()", e.Message);
    }
}
