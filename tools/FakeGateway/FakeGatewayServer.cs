using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace JobPlatform.FakeGateway;

/// <summary>
/// A Stripe-like payment gateway on Kestrel, for tests (in process, on a free port) and demos (as a process):
/// <c>POST /v1/charges</c> (JSON or form fields: amount, currency, customer, description) with real
/// Idempotency-Key semantics (a repeat replays the first answer; different parameters → 400; still in progress →
/// 409), <c>GET /v1/charges</c>, <c>GET /v1/charges/{id}</c>, a Bearer key when configured, injectable faults and
/// a log of every request.
/// </summary>
public sealed class FakeGatewayServer : IAsyncDisposable
{
    /// <summary>The address the process listens on without <c>--urls</c>.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5090";

    private readonly WebApplication _app;
    private readonly GatewayState _state;

    private FakeGatewayServer(WebApplication app, GatewayState state)
    {
        _app = app;
        _state = state;
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash); set once started.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Every charge made (declined ones with status <c>failed</c>), oldest first.</summary>
    public IReadOnlyList<FakeCharge> Charges => _state.Charges;

    /// <summary>Charge requests that have arrived, including those still being handled (e.g. held by a delay fault).</summary>
    public int ChargeRequestsArrived => _state.Arrived;

    /// <summary>Every charge request answered (or aborted), oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _state.Requests;

    /// <summary>Starts a gateway on 127.0.0.1:<paramref name="port"/> (0: a free port), requiring
    /// <paramref name="apiKey"/> as Bearer when given.</summary>
    public static async Task<FakeGatewayServer> StartAsync(int port = 0, string? apiKey = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var server = Create(builder, apiKey);
        await server._app.StartAsync(cancellationToken);
        server.BaseUrl = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First().TrimEnd('/');
        return server;
    }

    /// <summary>Runs the gateway as a process until Ctrl-C: <c>--urls</c> (default <see cref="DefaultUrl"/>) and
    /// <c>--ApiKey</c> (or env <c>FakeGateway__ApiKey</c>; unset: no key required).</summary>
    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        // One line per request is noise beside a worker's log; the request log is at GET /_control/requests.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var server = Create(builder, builder.Configuration["ApiKey"] ?? builder.Configuration["FakeGateway:ApiKey"]);
        await server._app.RunAsync();
    }

    /// <summary>Makes the next <paramref name="count"/> charge requests meet <paramref name="fault"/> (after any already queued).</summary>
    public void InjectFault(GatewayFault fault, int count = 1)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _state.InjectFault(fault, count);
    }

    /// <summary>Drops the faults not yet used.</summary>
    public void ClearFaults() => _state.ClearFaults();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static FakeGatewayServer Create(WebApplicationBuilder builder, string? apiKey)
    {
        var state = new GatewayState(string.IsNullOrEmpty(apiKey) ? null : apiKey);
        var app = builder.Build();
        var time = TimeProvider.System;
        app.MapPost("/v1/charges", (HttpContext http) => ChargeEndpoint.CreateAsync(http, state, time));
        app.MapGet("/v1/charges", (HttpContext http) => ChargeEndpoint.Authorized(http, state) ? ChargeEndpoint.List(state) : ChargeEndpoint.Unauthorized());
        app.MapGet("/v1/charges/{id}", (HttpContext http, string id) => ChargeEndpoint.Authorized(http, state) ? ChargeEndpoint.Get(state, id) : ChargeEndpoint.Unauthorized());
        ControlEndpoints.Map(app, state);
        return new FakeGatewayServer(app, state);
    }
}
