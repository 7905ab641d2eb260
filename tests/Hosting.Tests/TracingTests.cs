using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Diagnostics;
using JobPlatform.Core;
using JobPlatform.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace JobPlatform.Hosting.Tests;

/// <summary>Traces through a real engine on PostgreSQL, exported by OpenTelemetry's in-memory exporter.</summary>
public sealed class TracingTests
{
    private static readonly ActivitySource Caller = new("JobPlatform.Tests.Caller");

    [Fact]
    public async Task A_job_enqueued_inside_an_activity_runs_in_the_same_trace_with_database_and_http_spans_below_its_run()
    {
        var exported = new LockedList<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(Caller.Name).AddJobPlatformSources().AddInMemoryExporter(exported).Build();
        await using var db = await TestDatabase.CreateAsync();
        await using var http = await HttpTarget.StartAsync();
        await using var dataSource = TracedDataSource(db);
        using var client = new HttpClient();
        var handlers = new JobHandlerRegistry().Register<TraceArgs>(async (args, _, ct) =>
        {
            await using (var command = dataSource.CreateCommand("SELECT 1"))
            {
                await command.ExecuteScalarAsync(ct);
            }

            (await client.GetAsync(http.Address + "services/T1/B1/webhook-secret?token=query-secret", ct)).EnsureSuccessStatusCode();
            if (args.Fail)
            {
                throw new InvalidOperationException("asked to fail");
            }
        });
        await using var engine = new JobEngine(dataSource, db.EngineOptions(), handlers);
        await engine.StartAsync();
        var jobs = new JobClient(dataSource, new JobClientOptions { Schema = db.Schema });

        Guid ok, failing;
        ActivityTraceId trace;
        using (var caller = Caller.StartActivity("checkout"))
        {
            trace = caller!.TraceId;
            ok = (await jobs.EnqueueAsync(new TraceArgs(Fail: false))).Id;
            failing = (await jobs.EnqueueAsync(new TraceArgs(Fail: true), new EnqueueOptions { MaxAttempts = 1 })).Id;
        }

        Activity Run(Guid id) => exported.Snapshot().Single(a => a.OperationName == "run trace.args" && (string?)a.GetTagItem("jobplatform.job.id") == id.ToString());
        await TestDatabase.WaitUntilAsync(() => Task.FromResult(exported.Snapshot().Count(a => a.OperationName == "run trace.args") == 2),
            TimeSpan.FromSeconds(20), "both runs exported");

        var all = exported.Snapshot();
        var enqueues = all.Where(a => a.OperationName == "enqueue trace.args").ToList();
        Assert.Equal(2, enqueues.Count);
        Assert.All(enqueues, e => Assert.Equal(trace, e.TraceId));
        Assert.All(enqueues, e => Assert.Equal(ActivityKind.Producer, e.Kind));

        var run = Run(ok);
        var enqueue = Assert.Single(enqueues, e => (string?)e.GetTagItem("jobplatform.job.id") == ok.ToString());
        Assert.Equal(trace, run.TraceId);
        Assert.Equal(enqueue.SpanId, run.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, run.Kind);
        Assert.Equal("trace.args", run.GetTagItem("jobplatform.job.kind"));
        Assert.Equal("default", run.GetTagItem("jobplatform.job.queue"));
        Assert.Equal(1, run.GetTagItem("jobplatform.job.attempt"));
        Assert.Equal("completed", run.GetTagItem("jobplatform.job.outcome"));
        Assert.Equal(ActivityStatusCode.Unset, run.Status);
        Assert.Equal(enqueue.Id, await db.ScalarAsync<string>("SELECT trace_context FROM {schema}.jobs WHERE id = $1", ok));

        // The handler's database command and HTTP request are spans of the run.
        var below = all.Where(a => a.ParentSpanId == run.SpanId).ToList();
        Assert.Contains(below, a => a.Source.Name == "Npgsql");
        var request = Assert.Single(below, a => a.Source.Name == "System.Net.Http" && a.Kind == ActivityKind.Client);
        // A webhook's URL is a secret: the span keeps where it went, not the path or the query.
        Assert.Equal(http.Address, request.GetTagItem("url.full"));
        Assert.DoesNotContain(request.TagObjects, t => t.Value is string v && v.Contains("secret", StringComparison.Ordinal));

        var failed = Run(failing);
        Assert.Equal(trace, failed.TraceId);
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("asked to fail", failed.StatusDescription);
        Assert.Equal("discarded", failed.GetTagItem("jobplatform.job.outcome"));
        var exception = Assert.Single(failed.Events, e => e.Name == "exception");
        Assert.Contains(exception.Tags, t => t.Key == "exception.type" && (string?)t.Value == "System.InvalidOperationException");

        // The engine's own polls and heartbeats run outside any activity and make no span; while it idles, nothing is
        // exported. Idle starts once both outcomes are committed and their spans, which may end after the runs', are in.
        await TestDatabase.WaitUntilAsync(async () => (await jobs.GetAsync(ok))?.State == JobState.Completed
                && (await jobs.GetAsync(failing))?.State == JobState.Discarded, TimeSpan.FromSeconds(20), "both outcomes committed");
        var before = exported.Snapshot().Count;
        for (var settle = 0; settle < 20; settle++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var now = exported.Snapshot().Count;
            if (now == before)
            {
                break;
            }

            before = now;
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(before, exported.Snapshot().Count);
    }

    [Fact]
    public async Task Without_a_listener_no_activity_is_made_and_the_job_carries_no_trace_context()
    {
        await using var db = await TestDatabase.CreateAsync();
        var jobs = db.CreateClient();
        // A listener attaches to every source of the name, so this one sees whether the engine's has any.
        using var source = new ActivitySource(JobPlatformTelemetry.ActivitySourceName);
        Assert.False(source.HasListeners());
        var id = (await jobs.EnqueueAsync(new TraceArgs(Fail: false))).Id;
        Assert.True(await db.ScalarAsync<bool>("SELECT trace_context IS NULL FROM {schema}.jobs WHERE id = $1", id));
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_host_sends_its_spans_there_and_without_one_it_traces_nothing()
    {
        await using var collector = await HttpTarget.StartAsync();
        var span = "otlp-" + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(JobPlatformTelemetry.ActivitySourceName);

        var quiet = WebApplication.CreateSlimBuilder();
        quiet.Logging.ClearProviders();
        quiet.AddJobPlatformTelemetry();
        await using (var app = quiet.Build())
        {
            await app.StartAsync();
            Assert.Null(app.Services.GetService<TracerProvider>());
            Assert.False(source.HasListeners());
            await app.StopAsync();
        }

        var traced = WebApplication.CreateSlimBuilder();
        traced.Logging.ClearProviders();
        traced.Configuration[JobPlatformTelemetryExtensions.OtlpEndpointKey] = collector.Address.TrimEnd('/');
        traced.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        traced.AddJobPlatformTelemetry();
        await using (var app = traced.Build())
        {
            await app.StartAsync();
            Assert.True(source.HasListeners());
            source.StartActivity(span)!.Dispose();
            await app.StopAsync();
        }

        // Stopping the host flushes the batch exporter: the span was posted as OTLP/HTTP protobuf.
        var post = Assert.Single(collector.Requests, r => r.Path == "/v1/traces" && r.Body.Contains(span, StringComparison.Ordinal));
        Assert.Equal("application/x-protobuf", post.ContentType);
    }

    private static NpgsqlDataSource TracedDataSource(TestDatabase db)
    {
        var builder = new NpgsqlDataSourceBuilder(db.ConnectionString);
        builder.ConfigureTracing(JobPlatformTelemetryExtensions.ConfigureNpgsqlTracing);
        return builder.Build();
    }

    private sealed record TraceArgs(bool Fail) : IJobArgs
    {
        public static string Kind => "trace.args";
    }

    /// <summary>The exporter adds from the engine's threads while the test reads.</summary>
    private sealed class LockedList<T> : Collection<T>
    {
        public IReadOnlyList<T> Snapshot()
        {
            lock (Items)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (Items)
            {
                base.InsertItem(index, item);
            }
        }
    }

    /// <summary>A real HTTP server: the handler calls it, and it stands in for an OTLP collector, recording what is posted.</summary>
    private sealed class HttpTarget(WebApplication app, string address, ConcurrentQueue<Received> requests) : IAsyncDisposable
    {
        public string Address { get; } = address;

        public IReadOnlyCollection<Received> Requests => requests;

        public static async Task<HttpTarget> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var requests = new ConcurrentQueue<Received>();
            app.MapGet("/{**path}", () => "ok");
            app.MapPost("/v1/traces", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                // Protobuf writes strings as UTF-8 bytes, so a span's name can be found in the body as text.
                requests.Enqueue(new Received(request.Path, request.ContentType, System.Text.Encoding.UTF8.GetString(body.ToArray())));
                return Results.Ok();
            });
            await app.StartAsync();
            return new HttpTarget(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/", requests);
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }

    private sealed record Received(string Path, string? ContentType, string Body);
}
