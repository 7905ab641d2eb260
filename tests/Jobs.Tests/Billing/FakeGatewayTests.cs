using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JobPlatform.FakeGateway;

namespace JobPlatform.Jobs.Tests.Billing;

/// <summary>The FakeGateway's own contract: Stripe's idempotency semantics, the key, the control API.</summary>
public sealed class FakeGatewayTests
{
    [Fact]
    public async Task The_same_key_replays_the_charge_and_different_parameters_are_refused()
    {
        await using var gateway = await FakeGatewayServer.StartAsync(apiKey: "sk_test_x");
        using var http = new HttpClient();

        using var first = await PostAsync(http, gateway, "k1", """{"amount":500,"currency":"eur","customer":"cus_1"}""");
        using var again = await PostAsync(http, gateway, "k1", """{"amount":500,"currency":"eur","customer":"cus_1"}""");
        using var changed = await PostAsync(http, gateway, "k1", """{"amount":501,"currency":"eur","customer":"cus_1"}""");
        using var form = await http.SendAsync(Request(gateway, "k2", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["amount"] = "700", ["currency"] = "usd", ["customer"] = "cus_2" })));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.BadRequest, changed.StatusCode);
        Assert.Contains("idempotency_error", await changed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal([500L, 700L], gateway.Charges.Select(c => c.Amount));
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_faults_are_injected_through_the_control_api()
    {
        await using var gateway = await FakeGatewayServer.StartAsync(apiKey: "sk_test_x");
        using var http = new HttpClient();
        using var wrong = new HttpRequestMessage(HttpMethod.Post, gateway.BaseUrl + "/v1/charges")
        {
            Content = new StringContent("""{"amount":1,"currency":"eur","customer":"c"}""", Encoding.UTF8, "application/json"),
        };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_wrong");
        using var unauthorized = await http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);

        using var inject = await http.PostAsync(gateway.BaseUrl + "/_control/faults",
            new StringContent("""{"kind":"rate_limit","count":1,"retryAfterSeconds":7}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, inject.StatusCode);
        using var limited = await PostAsync(http, gateway, "k", """{"amount":1,"currency":"eur","customer":"c"}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        using var ok = await PostAsync(http, gateway, "k", """{"amount":1,"currency":"eur","customer":"c"}""");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        using var log = JsonDocument.Parse(await http.GetStringAsync(gateway.BaseUrl + "/_control/requests"));
        Assert.Equal(["unauthorized", "fault:rate_limit", "charged"], log.RootElement.EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        Assert.DoesNotContain("sk_test", log.RootElement.GetRawText());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, FakeGatewayServer gateway, string key, string json) =>
        http.SendAsync(Request(gateway, key, new StringContent(json, Encoding.UTF8, "application/json")));

    private static HttpRequestMessage Request(FakeGatewayServer gateway, string key, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, gateway.BaseUrl + "/v1/charges") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_x");
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }
}
