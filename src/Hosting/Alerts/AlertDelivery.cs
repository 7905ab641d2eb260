using System.Globalization;
using System.Net;
using System.Text;
using JobPlatform.Core.Alerts;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace JobPlatform.Hosting.Alerts;

/// <summary>The channels this scheduler can deliver to, by name (the URLs are secrets: never logged, never stored).</summary>
/// <param name="Channels">Name to (type, URL).</param>
public sealed record AlertChannels(IReadOnlyDictionary<string, (string Type, Uri Url)> Channels)
{
    /// <summary>The channels of <paramref name="options"/>: <c>slack</c> from <c>Alerts:Slack:WebhookUrl</c>, and
    /// <c>Alerts:Channels:*</c>. Throws naming each bad key, without the URL.</summary>
    public static AlertChannels From(AlertOptions options)
    {
        var errors = new List<string>();
        var channels = new Dictionary<string, (string, Uri)>(StringComparer.OrdinalIgnoreCase);
        void Add(string name, string type, string? url, string key)
        {
            if (type is not ("slack" or "webhook"))
            {
                errors.Add($"{key}:Type is '{type}'; use slack or webhook.");
            }
            else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"{key} is not an http(s) URL (the value is not shown: it is a secret).");
            }
            else
            {
                channels[name] = (type, uri);
            }
        }

        if (!string.IsNullOrWhiteSpace(options.Slack.WebhookUrl))
        {
            Add(AlertOptions.DefaultChannel, "slack", options.Slack.WebhookUrl, "Alerts:Slack:WebhookUrl");
        }

        foreach (var (name, channel) in options.Channels)
        {
            Add(name, channel.Type.ToLowerInvariant(), channel.Url, $"Alerts:Channels:{name}:Url");
        }

        return errors.Count == 0 ? new AlertChannels(channels)
            : throw new InvalidOperationException("Alert channels are not valid:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
    }
}

/// <summary>
/// Delivers the outbox's due notifications, each to its channel: at most one message per
/// <see cref="AlertOptions.MinimumMessageInterval"/> per channel; transient failures (no answer, 5xx) retried with
/// jittered backoff, and a 429 waited out for its Retry-After; a breaker per channel that stops hammering a channel
/// that keeps failing; any other 4xx recorded as failed for good with the channel's answer (Slack's webhooks name
/// the reason: channel_not_found, invalid_token…), shown on the dashboard and in a metric, never retried in a loop.
/// Slack has no idempotency key: a message whose answer was lost may arrive twice; retries are few for that reason.
/// </summary>
public sealed class AlertDelivery
{
    /// <summary>Longest Retry-After waited out within a run; a longer one is waited for by the next runs.</summary>
    public static readonly TimeSpan MaxInlineWait = TimeSpan.FromSeconds(30);

    /// <summary>How long a notification keeps being retried before it is given up.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);

    private const int BatchSize = 50;

    private readonly AlertStore _store;
    private readonly AlertChannels _channels;
    private readonly AlertOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DateTimeOffset> _lastSent = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the delivery over the outbox and the channels.</summary>
    public AlertDelivery(AlertStore store, AlertChannels channels, AlertOptions options, HttpClient http, TimeProvider time, ILogger<AlertDelivery> logger)
    {
        _store = store;
        _channels = channels;
        _options = options;
        _http = http;
        _time = time;
        _logger = logger;
    }

    /// <summary>Delivers every due notification (one run of the alerts task).</summary>
    public async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        foreach (var notification in await _store.DueNotificationsAsync(BatchSize, cancellationToken).ConfigureAwait(false))
        {
            await DeliverAsync(notification, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(AlertNotification n, CancellationToken ct)
    {
        if (!_channels.Channels.TryGetValue(n.Channel, out var channel))
        {
            await FailAsync(n, $"channel '{n.Channel}' is not configured on the scheduler (Alerts:Slack:WebhookUrl or Alerts:Channels:{n.Channel}:Url)", ct);
            return;
        }

        var message = AlertStore.ParseMessage(n.MessageJson);
        var body = channel.Type == "slack" ? SlackMessage.Render(message) : SlackMessage.RenderWebhook(message);
        await WaitForRateAsync(n.Channel, ct).ConfigureAwait(false);
        HttpResponseMessage? response = null;
        string? error = null;
        try
        {
            response = await Pipeline(n.Channel).ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, channel.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                _lastSent[n.Channel] = _time.GetUtcNow();
                return await _http.SendAsync(request, token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            error = $"not sent: the channel failed repeatedly, so its breaker is open for {AlertText.Duration(e.RetryAfter ?? BreakDuration)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // The message names the host at most, never the webhook's secret path.
            error = e is TaskCanceledException ? $"no answer within {AlertText.Duration(_http.Timeout)}" : e.Message;
        }

        using (response)
        {
            await RecordAsync(n, response, error, ct).ConfigureAwait(false);
        }
    }

    private async Task RecordAsync(AlertNotification n, HttpResponseMessage? response, string? error, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (response is { IsSuccessStatusCode: true })
        {
            await _store.MarkSentAsync(n.Id, null, ct).ConfigureAwait(false);
            AlertMetrics.Notifications.Add(1, new("channel", n.Channel), new("outcome", "sent"));
            _logger.LogInformation("Alert notification {Id} ({Kind} {Rule}) delivered to channel {Channel}", n.Id, n.Kind, n.Rule, n.Channel);
            return;
        }

        var answer = response is null ? error! : await AnswerAsync(response, ct).ConfigureAwait(false);
        var status = (int?)response?.StatusCode;
        if (status is >= 400 and < 500 and not 429)
        {
            await FailAsync(n, answer, ct).ConfigureAwait(false);
            return;
        }

        if (now - n.CreatedAt >= GiveUpAfter)
        {
            await FailAsync(n, $"gave up after {n.Attempts + 1} attempts over {AlertText.Duration(now - n.CreatedAt)}; last: {answer}", ct).ConfigureAwait(false);
            return;
        }

        var wait = status == 429 && RetryAfter(response!) is { } after ? after : Backoff(n.Attempts);
        await _store.MarkRetryAsync(n.Id, now + wait, answer, ct).ConfigureAwait(false);
        AlertMetrics.Notifications.Add(1, new("channel", n.Channel), new("outcome", "retry"));
        _logger.LogWarning("Alert notification {Id} to channel {Channel} not delivered ({Answer}); next attempt in {Wait}", n.Id, n.Channel, answer, AlertText.Duration(wait));
    }

    private async Task FailAsync(AlertNotification n, string reason, CancellationToken ct)
    {
        await _store.MarkFailedAsync(n.Id, reason, ct).ConfigureAwait(false);
        AlertMetrics.Notifications.Add(1, new("channel", n.Channel), new("outcome", "failed"));
        _logger.LogError("Alert notification {Id} ({Kind} {Rule}) to channel {Channel} failed for good: {Reason}", n.Id, n.Kind, n.Rule, n.Channel, reason);
    }

    private async Task WaitForRateAsync(string channel, CancellationToken ct)
    {
        if (_lastSent.TryGetValue(channel, out var last) && _time.GetUtcNow() - last is var since && since < _options.MinimumMessageInterval)
        {
            await Task.Delay(_options.MinimumMessageInterval - since, _time, ct).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan BreakDuration = TimeSpan.FromMinutes(1);

    private ResiliencePipeline<HttpResponseMessage> Pipeline(string channel)
    {
        if (_pipelines.TryGetValue(channel, out var pipeline))
        {
            return pipeline;
        }

        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TaskCanceledException>()
            .HandleResult(r => (int)r.StatusCode >= 500 || (r.StatusCode == HttpStatusCode.TooManyRequests && (RetryAfter(r) ?? TimeSpan.MaxValue) <= MaxInlineWait));
        pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            TimeProvider = _time,
        }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                // Slack's Retry-After is the wait it asks for; anything else backs off exponentially.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } r ? RetryAfter(r) : null),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>().Handle<TaskCanceledException>()
                    .HandleResult(r => (int)r.StatusCode >= 500),
                FailureRatio = 1.0,
                MinimumThroughput = 5,
                SamplingDuration = TimeSpan.FromMinutes(2),
                BreakDuration = BreakDuration,
            })
            .Build();
        _pipelines[channel] = pipeline;
        return pipeline;
    }

    private static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(15 * 60, 30 * Math.Pow(2, Math.Min(attempts, 10))));

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);

    private static async Task<string> AnswerAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        body = body.Length > 300 ? body[..300] + "…" : body;
        return string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode} {body.Trim()}").TrimEnd();
    }
}
