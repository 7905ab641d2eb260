using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobPlatform.FakeGateway;

/// <summary><c>POST /v1/charges</c> with Stripe's idempotency semantics, and the listing for assertions.</summary>
internal static class ChargeEndpoint
{
    public static async Task CreateAsync(HttpContext http, GatewayState state, TimeProvider time)
    {
        state.Arrive();
        var request = http.Request;
        var body = await new StreamReader(request.Body).ReadToEndAsync(http.RequestAborted);
        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        var authorized = Authorized(http, state);
        var status = 0;
        var outcome = "";
        try
        {
            (status, outcome) = await HandleAsync(http, state, time, body, key, authorized);
        }
        finally
        {
            state.Record(new RecordedRequest(time.GetUtcNow(), request.Method, request.Path, key, authorized, body, status, outcome));
        }
    }

    public static bool Authorized(HttpContext http, GatewayState state) =>
        state.ApiKey is null || http.Request.Headers.Authorization.FirstOrDefault() == "Bearer " + state.ApiKey;

    public static IResult Unauthorized() => Json(401, Error("invalid_request_error", "Invalid API Key provided."));

    public static IResult List(GatewayState state) =>
        Json(200, new JsonObject { ["object"] = "list", ["data"] = new JsonArray([.. state.Charges.Select(ToJson)]) });

    public static IResult Get(GatewayState state, string id) =>
        state.FindCharge(id) is { } charge ? Json(200, ToJson(charge)) : Json(404, Error("invalid_request_error", $"No such charge: '{id}'"));

    private static async Task<(int Status, string Outcome)> HandleAsync(HttpContext http, GatewayState state, TimeProvider time, string body, string? key, bool authorized)
    {
        if (!authorized)
        {
            return await AnswerAsync(http, 401, Error("invalid_request_error", "Invalid API Key provided."), "unauthorized");
        }

        // Injected 500s and 429s happen in front of the API (no charge, no key kept), like a load balancer's.
        var fault = state.NextFault();
        switch (fault?.Kind)
        {
            case GatewayFaultKind.ServerError:
                return await AnswerAsync(http, 500, Error("api_error", "Injected fault: internal server error."), "fault:server_error");
            case GatewayFaultKind.RateLimited:
                var seconds = Math.Max(1, (int)Math.Ceiling(fault.RetryAfter.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return await AnswerAsync(http, 429, Error("rate_limit_error", "Injected fault: too many requests."), "fault:rate_limit");
        }

        if (!TryParse(http.Request.ContentType, body, out var charge, out var problem))
        {
            return await AnswerAsync(http, 400, Error("invalid_request_error", problem), "invalid");
        }

        var fingerprint = string.Join('\n', charge.Amount, charge.Currency, charge.Customer, charge.Description);
        if (key is not null && state.Claim(key, fingerprint) is { } existing)
        {
            if (existing.Fingerprint != fingerprint)
            {
                return await AnswerAsync(http, 400, Error("idempotency_error",
                    $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."), "idempotency_mismatch");
            }

            if (existing.Answer is not { } answer)
            {
                return await AnswerAsync(http, 409, Error("idempotency_error",
                    "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): " + key + ". Please try again later."), "in_progress");
            }

            http.Response.Headers["Idempotent-Replayed"] = "true";
            await WriteAsync(http, answer.Status, answer.Body);
            return (answer.Status, "replayed");
        }

        if (fault?.Kind == GatewayFaultKind.Delay)
        {
            // Deliberately not cancelled by the client giving up: the charge still happens, as at a slow real gateway.
            try
            {
                await Task.Delay(fault.Delay, time);
            }
            catch
            {
                // Leave no key stuck "in progress" (409 for ever) when the charge is never made.
                if (key is not null)
                {
                    state.Release(key);
                }

                throw;
            }
        }

        var declined = fault?.Kind == GatewayFaultKind.Decline;
        var made = new FakeCharge("ch_" + Guid.NewGuid().ToString("N")[..24], charge.Amount, charge.Currency, charge.Customer, charge.Description,
            key, declined ? "failed" : "succeeded", time.GetUtcNow());
        state.AddCharge(made);
        var (status, json) = declined
            ? (402, Error("card_error", "Your card was declined.", "card_declined", fault!.DeclineCode, made.Id))
            : (200, ToJson(made));
        var text = json.ToJsonString();
        if (key is not null)
        {
            state.Complete(key, status, text);
        }

        if (fault?.Kind == GatewayFaultKind.LostResponse)
        {
            http.Abort();
            return (0, "fault:lost_response (charged " + made.Id + ")");
        }

        await WriteAsync(http, status, text);
        return (status, declined ? "declined" : "charged");
    }

    private static bool TryParse(string? contentType, string body, out ChargeParams charge, out string problem)
    {
        charge = default;
        problem = "";
        Dictionary<string, string?> fields;
        try
        {
            fields = contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
                ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body).ToDictionary(p => p.Key, p => (string?)p.Value.ToString())
                : (JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object"))
                    .ToDictionary(p => p.Key, p => p.Value is JsonValue v ? v.ToString() : p.Value?.ToJsonString());
        }
        catch (JsonException e)
        {
            problem = $"The body is neither a JSON object nor form fields: {e.Message}";
            return false;
        }

        foreach (var name in new[] { "amount", "currency", "customer" })
        {
            if (!fields.TryGetValue(name, out var value) || string.IsNullOrEmpty(value))
            {
                problem = $"Missing required param: {name}.";
                return false;
            }
        }

        if (!long.TryParse(fields["amount"], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            problem = $"Invalid positive integer: amount '{fields["amount"]}'.";
            return false;
        }

        charge = new ChargeParams(amount, fields["currency"]!, fields["customer"]!, fields.GetValueOrDefault("description"));
        return true;
    }

    private static JsonObject ToJson(FakeCharge c) => new()
    {
        ["id"] = c.Id,
        ["object"] = "charge",
        ["amount"] = c.Amount,
        ["currency"] = c.Currency,
        ["customer"] = c.Customer,
        ["description"] = c.Description,
        ["status"] = c.Status,
        ["paid"] = c.Status == "succeeded",
        ["created"] = c.Created.ToUnixTimeSeconds(),
    };

    private static JsonObject Error(string type, string message, string? code = null, string? declineCode = null, string? charge = null)
    {
        var error = new JsonObject { ["type"] = type, ["message"] = message };
        if (code is not null) { error["code"] = code; }
        if (declineCode is not null) { error["decline_code"] = declineCode; }
        if (charge is not null) { error["charge"] = charge; }
        return new JsonObject { ["error"] = error };
    }

    private static async Task<(int, string)> AnswerAsync(HttpContext http, int status, JsonObject json, string outcome)
    {
        await WriteAsync(http, status, json.ToJsonString());
        return (status, outcome);
    }

    private static async Task WriteAsync(HttpContext http, int status, string json)
    {
        if (http.RequestAborted.IsCancellationRequested)
        {
            return; // the client gave up (a delay fault); the charge is kept for its retry to replay
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        try
        {
            await http.Response.WriteAsync(json, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    internal static IResult Json(int status, JsonNode json) => Results.Text(json.ToJsonString(), "application/json", statusCode: status);

    private readonly record struct ChargeParams(long Amount, string Currency, string Customer, string? Description);
}
