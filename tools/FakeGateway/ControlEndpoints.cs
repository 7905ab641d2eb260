using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobPlatform.FakeGateway;

/// <summary>
/// The control API, for demos and process tests: <c>POST /_control/faults</c> with
/// <c>{"kind":"server_error|rate_limit|delay|lost_response|decline","count":3,"retryAfterSeconds":5,"delayMs":5000,"declineCode":"insufficient_funds"}</c>,
/// <c>DELETE /_control/faults</c>, <c>GET /_control/requests</c>.
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(WebApplication app, GatewayState state)
    {
        app.MapPost("/_control/faults", async (HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync(http.RequestAborted);
            try
            {
                var json = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("expected a JSON object");
                var kind = ParseKind(json["kind"]?.GetValue<string>());
                var count = json["count"]?.GetValue<int>() ?? 1;
                if (count is < 1 or > 10_000)
                {
                    throw new FormatException($"count is {count}; it must be 1 to 10000.");
                }

                var fault = new GatewayFault(kind);
                if (json["retryAfterSeconds"] is { } after) { fault = fault with { RetryAfter = TimeSpan.FromSeconds(after.GetValue<double>()) }; }
                if (json["delayMs"] is { } delay)
                {
                    var ms = delay.GetValue<double>();
                    fault = ms is >= 0 and <= 600_000
                        ? fault with { Delay = TimeSpan.FromMilliseconds(ms) }
                        : throw new FormatException($"delayMs is {ms}; it must be 0 to 600000.");
                }

                if (json["declineCode"] is { } code) { fault = fault with { DeclineCode = code.GetValue<string>() }; }
                state.InjectFault(fault, count);
                return ChargeEndpoint.Json(200, new JsonObject { ["pending"] = state.PendingFaults });
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                return ChargeEndpoint.Json(400, new JsonObject { ["error"] = e.Message });
            }
        });
        app.MapDelete("/_control/faults", () =>
        {
            state.ClearFaults();
            return Results.NoContent();
        });
        app.MapGet("/_control/requests", () => ChargeEndpoint.Json(200, new JsonArray([.. state.Requests.Select(r => (JsonNode)new JsonObject
        {
            ["at"] = r.At.ToString("O", CultureInfo.InvariantCulture),
            ["method"] = r.Method,
            ["path"] = r.Path,
            ["idempotencyKey"] = r.IdempotencyKey,
            ["authorized"] = r.Authorized,
            ["status"] = r.Status,
            ["outcome"] = r.Outcome,
            ["body"] = r.Body,
        })])));
    }

    private static GatewayFaultKind ParseKind(string? kind) => kind switch
    {
        "server_error" or "500" => GatewayFaultKind.ServerError,
        "rate_limit" or "429" => GatewayFaultKind.RateLimited,
        "delay" or "timeout" => GatewayFaultKind.Delay,
        "lost_response" => GatewayFaultKind.LostResponse,
        "decline" or "402" => GatewayFaultKind.Decline,
        _ => throw new FormatException($"kind is '{kind}'; it must be one of server_error, rate_limit, delay, lost_response, decline."),
    };
}
