using System.Net.Http.Headers;
using System.Text.Json;
using JobPlatform.Core;
using JobPlatform.FakeGateway;
using JobPlatform.TestSupport;

namespace JobPlatform.Jobs.Tests.Billing;

/// <summary>Billing in the real worker process, with the FakeGateway as a process or in process.</summary>
public sealed class BillingProcessTests
{
    [Fact]
    public async Task Worker_bills_a_period_enqueued_with_jobctl_against_the_gateway_process()
    {
        await using var h = await BillingHarness.CreateAsync();
        // The demo data of the README, so the file stays in step with the schema.
        var demo = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "tools", "FakeGateway", "billing-demo.sql"));
        await h.Db.ExecuteAsync(demo.Replace("jobplatform.", "{schema}.", StringComparison.Ordinal));
        Assert.Equal(5, await h.CountAsync("SELECT count(*) FROM {schema}.billing_subscriptions"));

        var gatewayPort = ChildProcess.FreePort();
        var gatewayUrl = $"http://127.0.0.1:{gatewayPort}";
        const string apiKey = "sk_test_process";
        using var gateway = ChildProcess.Start(Path.Combine(AppContext.BaseDirectory, "JobPlatform.FakeGateway.dll"),
            ["--urls", gatewayUrl, "--ApiKey", apiKey], new Dictionary<string, string>());
        var (worker, port) = WorkerProcess.Start(h.Db.ConnectionString, h.Db.Schema, "billing-worker", 4, new Dictionary<string, string>
        {
            ["Billing__Gateway__BaseUrl"] = gatewayUrl,
            ["Billing__Gateway__ApiKey"] = apiKey,
        });
        using (worker)
        {
            await worker.WaitReadyAsync(port, TimeSpan.FromSeconds(60));
            var (exit, output) = await ChildProcess.RunJobctlAsync(h.Db.ConnectionString, h.Db.Schema,
                "enqueue", "--kind", "billing.run", "--args", "{\"period\":\"2026-11\"}");
            Assert.True(exit == 0, output);

            await TestDatabase.WaitUntilAsync(async () => await h.CountAsync("SELECT count(*) FROM {schema}.billing_invoices WHERE status = 'paid'") == 5,
                TimeSpan.FromSeconds(60), "5 paid invoices\n" + worker.Tail() + "\n" + gateway.Tail());
            Assert.DoesNotContain(apiKey, worker.Output);
        }

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, gatewayUrl + "/v1/charges");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(request);
        using var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(5, list.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_bad_gateway_URL_fails_the_worker_start_naming_the_key()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (worker, _) = WorkerProcess.Start(db.ConnectionString, db.Schema, "billing-bad", 1, new Dictionary<string, string>
        {
            ["Billing__Gateway__BaseUrl"] = "ftp://gateway.example",
        });
        using (worker)
        {
            var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.NotEqual(0, exit);
            Assert.Contains("Billing:Gateway:BaseUrl is 'ftp://gateway.example'", worker.Output);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void An_absent_or_empty_gateway_URL_is_no_error_at_start(string? url) =>
        Assert.Null(new Jobs.Billing.PaymentGatewayOptions { BaseUrl = url }.Validate());

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "JobPlatform.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("JobPlatform.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task Kill_9_of_the_worker_while_the_gateway_charges_does_not_charge_twice()
    {
        await using var h = await BillingHarness.CreateAsync();
        var sub = await h.AddSubscriptionAsync();
        // The gateway holds the first request for 4 s and then charges: the worker is killed while it waits.
        h.Gateway.InjectFault(new GatewayFault(GatewayFaultKind.Delay) { Delay = TimeSpan.FromSeconds(4) });
        var env = new Dictionary<string, string>
        {
            ["Billing__Gateway__BaseUrl"] = h.Gateway.BaseUrl,
            ["Billing__Gateway__ApiKey"] = h.ApiKey,
        };
        var id = await h.EnqueueChargeAsync(sub);

        var (a, portA) = WorkerProcess.Start(h.Db.ConnectionString, h.Db.Schema, "billing-a", 4, env);
        using (a)
        {
            await TestDatabase.WaitUntilAsync(() => Task.FromResult(h.Gateway.ChargeRequestsArrived >= 1), TimeSpan.FromSeconds(60),
                "worker-a's charge request to reach the gateway\n" + a.Tail());
            a.KillHard();
            await a.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        var (b, portB) = WorkerProcess.Start(h.Db.ConnectionString, h.Db.Schema, "billing-b", 4, env);
        using (b)
        {
            var job = await h.WaitForAsync(id, j => j.State == JobState.Completed, "the rescued charge to complete\n" + b.Tail(), seconds: 90);
            Assert.Equal(2, job.Attempt);
        }

        var charge = Assert.Single(h.Gateway.Charges);
        Assert.Equal("succeeded", charge.Status);
        Assert.Equal(charge.Id, await h.Db.ScalarAsync<string>("SELECT gateway_charge_id FROM {schema}.billing_payments"));
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM {schema}.billing_payments"));
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM {schema}.jobs WHERE kind = 'email.send'"));
    }
}
