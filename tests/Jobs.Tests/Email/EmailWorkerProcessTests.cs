using System.Globalization;
using JobPlatform.Core;
using JobPlatform.TestSupport;

namespace JobPlatform.Jobs.Tests.Email;

/// <summary><c>email.send</c> in the real worker process: configuration, migration, sending, /metrics.</summary>
public sealed class EmailWorkerProcessTests
{
    [Fact]
    public async Task Worker_sends_email_and_exports_the_smtp_breaker_state()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        await using var server = await SmtpTestServer.StartAsync();
        var blobs = Directory.CreateTempSubdirectory("jobplatform-email-worker-").FullName;
        try
        {
            var (worker, port) = WorkerProcess.Start(db.ConnectionString, db.Schema, "email-w", concurrency: 4, new Dictionary<string, string>
            {
                ["Blobs__Root"] = blobs,
                ["Email__From"] = "Reports <reports@example.com>",
                ["Email__Smtp__Host"] = "127.0.0.1",
                ["Email__Smtp__Port"] = server.Port.ToString(CultureInfo.InvariantCulture),
                ["Email__RateLimit__PerSecond"] = "100",
                ["Jobs__Resilience__smtp__MaxRetryAttempts"] = "1",
                ["Jobs__Resilience__smtp__RetryDelay"] = "00:00:00.010",
                ["Jobs__Resilience__smtp__MinimumThroughput"] = "2",
                ["Jobs__Resilience__smtp__BreakDuration"] = "00:01:00",
            });
            using (worker)
            {
                await worker.WaitReadyAsync(port, TimeSpan.FromSeconds(60));
                var client = db.CreateClient();
                using var http = new HttpClient();
                var sent = await client.EnqueueAsync(new EmailSendArgs { To = "ann@example.com", Subject = "From the worker", Text = "hello" });
                await TestDatabase.WaitUntilAsync(async () => (await client.GetAsync(sent.Id))!.State == JobState.Completed,
                    TimeSpan.FromSeconds(30), $"the email job to complete; worker output:\n{worker.Tail()}");
                var mail = Assert.Single(await server.WaitForAsync(1));
                Assert.Equal("Reports <reports@example.com>", mail.Header("From"));
                Assert.Equal($"<{sent.Id}@jobplatform>", mail.Header("Message-ID"));
                Assert.Contains("jobplatform_dependency_breaker_state{dependency=\"smtp\"} 0", await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"));

                // Two failed calls of one attempt open the breaker; the scrape shows it open (1).
                await client.EnqueueAsync(new EmailSendArgs { To = "defer451@example.com", Subject = "Later", Text = "x" });
                var metrics = "";
                await TestDatabase.WaitUntilAsync(async () =>
                {
                    metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
                    return metrics.Contains("jobplatform_dependency_breaker_state{dependency=\"smtp\"} 1", StringComparison.Ordinal);
                }, TimeSpan.FromSeconds(30), "the smtp breaker to show as open on /metrics");
            }
        }
        finally
        {
            Directory.Delete(blobs, recursive: true);
        }
    }

    [Fact]
    public async Task Worker_sends_over_starttls_with_a_login_trusting_the_configured_certificate()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        await using var server = await SmtpTestServer.StartAsync(SmtpTestTls.StartTls, user: "reports", password: "pw-worker-secret");
        var (worker, port) = WorkerProcess.Start(db.ConnectionString, db.Schema, "email-tls", concurrency: 2, new Dictionary<string, string>
        {
            ["Blobs__Root"] = server.MailDir + "-blobs", // inside the server's temp folder, removed with it
            ["Email__Smtp__Host"] = "127.0.0.1",
            ["Email__Smtp__Port"] = server.Port.ToString(CultureInfo.InvariantCulture),
            ["Email__Smtp__Security"] = "StartTls",
            // The worker trusts exactly the test server's self-signed certificate, through its own setting.
            ["Email__Smtp__TrustedCertificatesPath"] = server.CertificateFile,
            ["Email__Smtp__UserName"] = "reports",
            ["Email__Smtp__Password"] = "pw-worker-secret",
            ["Serilog__MinimumLevel__Override__JobPlatform.Jobs"] = "Debug",
        });
        using (worker)
        {
            await worker.WaitReadyAsync(port, TimeSpan.FromSeconds(60));
            var client = db.CreateClient();
            var sent = await client.EnqueueManyAsync(Enumerable.Range(0, 3).Select(i => new EmailSendArgs { To = "ann@example.com", Subject = $"Encrypted {i}", Text = "hello over TLS" }));
            foreach (var job in sent)
            {
                await TestDatabase.WaitUntilAsync(async () => (await client.GetAsync(job.Id))!.State == JobState.Completed,
                    TimeSpan.FromSeconds(30), $"the email job to complete over STARTTLS; worker output:\n{worker.Tail()}");
            }

            var mails = await server.WaitForAsync(3);
            Assert.Equal(["Encrypted 0", "Encrypted 1", "Encrypted 2"], mails.Select(m => m.Message.Subject).Order());
            // Two job slots, a pool of two: the three messages needed at most two logins.
            Assert.InRange(server.Connections, 1, 2);
            Assert.Contains("Opened an SMTP connection to", worker.Output);
            Assert.DoesNotContain("pw-worker-secret", worker.Output);
        }
    }

    [Fact]
    public async Task Bad_email_settings_fail_the_start_naming_the_keys_but_not_the_password()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (worker, _) = WorkerProcess.Start(db.ConnectionString, db.Schema, "email-bad", concurrency: 1, new Dictionary<string, string>
        {
            ["Email__From"] = "not-an-address",
            ["Email__Smtp__Port"] = "70000",
            ["Email__Smtp__Password"] = "pw-never-printed",
        });
        using (worker)
        {
            Assert.NotEqual(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("Email:From is 'not-an-address'", worker.Output);
            Assert.Contains("Email:Smtp:Port is 70000", worker.Output);
            Assert.Contains("Email:Smtp:UserName and Email:Smtp:Password must be set together", worker.Output);
            Assert.DoesNotContain("pw-never-printed", worker.Output);
        }
    }
}
