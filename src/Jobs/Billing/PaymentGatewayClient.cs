using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using JobPlatform.Core;
using JobPlatform.Jobs.Resilience;
using Microsoft.Extensions.Options;

namespace JobPlatform.Jobs.Billing;

/// <summary>
/// One <c>POST /v1/charges</c> to a Stripe-like gateway (JSON body), classified for the resilience pipeline:
/// a charge or a decline is returned; 5xx, 408, 409 (the same key is still being processed), timeouts and
/// connection errors throw <see cref="TransientDependencyException"/>; 429 throws it with the Retry-After; any
/// other 4xx throws <see cref="DiscardJobException"/> with the gateway's message. Run it inside
/// <see cref="Dependency.ExecuteAsync{T}"/>, which owns the timeout (the HttpClient's own is infinite).
/// </summary>
internal sealed class PaymentGatewayClient(IHttpClientFactory httpClients, IOptions<PaymentGatewayOptions> options)
{
    /// <summary>The named HttpClient.</summary>
    public const string HttpClientName = "billing-gateway";

    /// <summary>Used when a 429 carries no (readable) Retry-After.</summary>
    internal static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>Wait before asking again about a charge that is not final yet, or a key still in progress.</summary>
    internal static readonly TimeSpan PendingRetryAfter = TimeSpan.FromSeconds(2);

    private readonly PaymentGatewayOptions _options = options.Value;

    public async ValueTask<GatewayChargeOutcome> ChargeAsync(GatewayChargeRequest charge, string idempotencyKey, CancellationToken cancellationToken)
    {
        var endpoint = ChargesEndpoint();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = JsonContent.Create(charge, BillingJsonContext.Default.GatewayChargeRequest),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }

        var http = httpClients.CreateClient(HttpClientName);
        HttpStatusCode status;
        GatewayChargeResponse? body;
        TimeSpan? retryAfter;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            status = response.StatusCode;
            retryAfter = RetryAfterOf(response);
            body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            // Refused, reset, or the response lost half-way: the charge may or may not have happened; the retry
            // carries the same Idempotency-Key, so the gateway replays the original answer instead of charging again.
            throw new TransientDependencyException($"The payment gateway at {endpoint.Host}:{endpoint.Port} did not answer: {e.Message}", e);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientDependencyException($"The payment gateway's answer was cut off: {e.Message}", e);
        }

        return Classify(status, body, retryAfter, idempotencyKey);
    }

    internal static GatewayChargeOutcome Classify(HttpStatusCode status, GatewayChargeResponse? body, TimeSpan? retryAfter, string idempotencyKey)
    {
        var code = (int)status;
        var message = body?.Error?.Message ?? body?.FailureMessage;
        if (code is >= 200 and < 300)
        {
            if (string.IsNullOrEmpty(body?.Id))
            {
                throw new TransientDependencyException($"The payment gateway answered {code} without a charge id for {idempotencyKey}.");
            }

            return body.Status switch
            {
                null or "succeeded" => GatewayChargeOutcome.Success(body.Id),
                "failed" => GatewayChargeOutcome.Declined(body.Id, body.FailureCode ?? body.Status, message ?? "The charge failed."),
                // Pending (or a status we do not know) may still succeed: never settle the invoice as failed on it.
                // The retry sends the same Idempotency-Key and gets the charge's final state.
                _ => throw new TransientDependencyException(
                    $"The payment gateway's charge {body.Id} for {idempotencyKey} is '{body.Status}', not final yet; asking again later.",
                    retryAfter: PendingRetryAfter),
            };
        }

        var detail = $"The payment gateway answered {code} {status} for {idempotencyKey}" + (message is null ? "." : $": {message}");
        return code switch
        {
            402 => GatewayChargeOutcome.Declined(body?.Error?.Charge, body?.Error?.DeclineCode ?? body?.Error?.Code ?? "card_declined", message ?? "The card was declined."),
            429 => throw new TransientDependencyException(detail, retryAfter: retryAfter ?? DefaultRetryAfter),
            // 409: a request with this key is still in progress (a concurrent duplicate), not an unhealthy gateway.
            409 => throw new TransientDependencyException(detail, retryAfter: PendingRetryAfter),
            408 or >= 500 => throw new TransientDependencyException(detail),
            _ => throw new DiscardJobException(detail + " Retrying cannot help: check Billing:Gateway (URL, API key) and the invoice, then retry the job."),
        };
    }

    private Uri ChargesEndpoint()
    {
        if (string.IsNullOrWhiteSpace(_options.BaseUrl))
        {
            // Not a discard: once the setting is fixed and the worker restarted, the job's next attempt succeeds.
            throw new InvalidOperationException(
                $"{PaymentGatewayOptions.SectionName}:BaseUrl is not set, so billing.charge cannot reach a payment gateway. " +
                "Set it (env Billing__Gateway__BaseUrl, e.g. http://127.0.0.1:5090) and restart the worker; the job is retried.");
        }

        return new Uri(new Uri(_options.BaseUrl.TrimEnd('/') + "/", UriKind.Absolute), "v1/charges");
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } header)
        {
            if (header.Delta is { } delta)
            {
                return delta;
            }

            if (header.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        // Some gateways send fractional seconds, which the typed header rejects.
        return response.Headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static async Task<GatewayChargeResponse?> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, BillingJsonContext.Default.GatewayChargeResponse);
        }
        catch (JsonException)
        {
            // A proxy's HTML error page, say: classify by the status alone.
            return null;
        }
    }
}
