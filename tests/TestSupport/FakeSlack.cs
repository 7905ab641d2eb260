using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobPlatform.TestSupport;

/// <summary>An answer the fake Slack gives instead of 200 ok.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The body (Slack's webhooks answer a short code, e.g. channel_not_found).</param>
/// <param name="RetryAfterSeconds">A Retry-After header, if any.</param>
public sealed record SlackAnswer(int Status, string Body, int? RetryAfterSeconds = null);

/// <summary>A request the fake Slack received, with when and what it answered.</summary>
public sealed record SlackRequest(string Path, string Body, DateTimeOffset At, int Status)
{
    /// <summary>The body as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The fallback text of a Slack message.</summary>
    public string Text => Json.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "";
}

/// <summary>
/// A real HTTP server standing in for Slack's incoming webhooks (any path under <c>/hooks/</c>): records every POST
/// and answers 200 <c>ok</c>, or the answers queued with <see cref="AnswerNext"/>.
/// </summary>
public sealed class FakeSlack : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SlackAnswer> _answers = new();
    private readonly List<SlackRequest> _requests = [];

    private FakeSlack(WebApplication app) => _app = app;

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>A webhook URL on this server.</summary>
    public string Hook(string name = "main") => $"{BaseUrl}/hooks/T000/B000/{name}";

    /// <summary>Every request so far, oldest first.</summary>
    public IReadOnlyList<SlackRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>The requests answered 200, oldest first.</summary>
    public IReadOnlyList<SlackRequest> Delivered => Requests.Where(r => r.Status == 200).ToList();

    public static async Task<FakeSlack> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var slack = new FakeSlack(app);
        app.MapPost("/hooks/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var answer = slack._answers.TryDequeue(out var next) ? next : new SlackAnswer(200, "ok");
            lock (slack._requests)
            {
                slack._requests.Add(new SlackRequest(context.Request.Path, body, DateTimeOffset.UtcNow, answer.Status));
            }

            context.Response.StatusCode = answer.Status;
            if (answer.RetryAfterSeconds is { } after)
            {
                context.Response.Headers.RetryAfter = after.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await context.Response.WriteAsync(answer.Body);
        });
        await app.StartAsync();
        slack.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return slack;
    }

    /// <summary>Queues answers for the next requests, in order.</summary>
    public void AnswerNext(params SlackAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _answers.Enqueue(answer);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the requests received.</summary>
    public Task WaitForAsync(Func<IReadOnlyList<SlackRequest>, bool> condition, TimeSpan timeout, string what) =>
        TestDatabase.WaitUntilAsync(() => Task.FromResult(condition(Requests)), timeout, what + $" (requests so far: {Requests.Count})");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
