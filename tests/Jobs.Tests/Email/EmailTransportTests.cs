using JobPlatform.Core;
using JobPlatform.Jobs.Email;
using JobPlatform.Jobs.Resilience;
using JobPlatform.TestSupport;

namespace JobPlatform.Jobs.Tests.Email;

/// <summary>
/// How <c>email.send</c> reaches the server, against a real aiosmtpd: STARTTLS and implicit TLS with a throwaway
/// certificate trusted through <c>Email:Smtp:TrustedCertificatesPath</c>, SMTP AUTH, and the per-worker connection
/// pool (reuse, NOOP check, discarding broken connections, closing idle ones), counted at the server.
/// </summary>
public sealed class EmailTransportTests
{
    private static readonly DependencyOptions NoRetry = EmailTestKit.Fast with { MaxRetryAttempts = 0 };

    [Theory]
    [InlineData(SmtpTestTls.StartTls, SmtpSecurity.StartTls)]
    [InlineData(SmtpTestTls.Implicit, SmtpSecurity.SslOnConnect)]
    [InlineData(SmtpTestTls.StartTls, SmtpSecurity.Auto)]
    public async Task Delivers_over_tls_to_a_server_whose_certificate_is_trusted_by_setting(SmtpTestTls tls, SmtpSecurity security)
    {
        await using var server = await SmtpTestServer.StartAsync(tls);
        // Auto off port 465 upgrades with STARTTLS when offered; this server requires it, so plain text would get 530.
        await using var kit = new EmailTestKit(server.Port, configure: Trusting(server, security));

        await kit.Handler.SendAsync(Message($"Over {tls}"), Guid.CreateVersion7(), CancellationToken.None);

        var mail = Assert.Single(await server.WaitForAsync(1));
        Assert.Equal($"Over {tls}", mail.Message.Subject);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_certificate_that_is_not_trusted_fails_the_handshake_transiently_naming_the_setting(bool trustAnotherCertificate)
    {
        await using var server = await SmtpTestServer.StartAsync(SmtpTestTls.StartTls);
        var other = Path.Combine(server.MailDir + "-other.pem");
        SmtpTestServer.WriteSelfSignedCertificate(other);
        await using var kit = new EmailTestKit(server.Port, NoRetry, o =>
        {
            o.Smtp.Security = SmtpSecurity.StartTls;
            o.Smtp.TrustedCertificatesPath = trustAnotherCertificate ? other : null;
        });

        var e = await Assert.ThrowsAsync<TransientDependencyException>(() => kit.Handler.SendAsync(Message("Hi"), Guid.CreateVersion7(), CancellationToken.None));

        Assert.Contains("TLS handshake failed", e.Message);
        Assert.Contains("Email:Smtp:TrustedCertificatesPath", e.Message);
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task Starttls_required_by_the_settings_but_not_offered_is_a_transient_configuration_fault()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port, NoRetry, o => o.Smtp.Security = SmtpSecurity.StartTls);

        var e = await Assert.ThrowsAsync<TransientDependencyException>(() => kit.Handler.SendAsync(Message("Hi"), Guid.CreateVersion7(), CancellationToken.None));

        Assert.Contains("STARTTLS", e.Message);
        Assert.Contains("Email:Smtp:Security", e.Message);
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task Authenticates_with_user_and_password_over_starttls()
    {
        await using var server = await SmtpTestServer.StartAsync(SmtpTestTls.StartTls, user: "mailer", password: "pw-right");
        await using var kit = new EmailTestKit(server.Port, configure: Trusting(server, SmtpSecurity.StartTls, "mailer", "pw-right"));

        await kit.Handler.SendAsync(Message("Authenticated"), Guid.CreateVersion7(), CancellationToken.None);

        Assert.Equal("Authenticated", Assert.Single(await server.WaitForAsync(1)).Message.Subject);
    }

    [Fact]
    public async Task Wrong_password_is_a_transient_configuration_fault_that_never_shows_the_password()
    {
        await using var server = await SmtpTestServer.StartAsync(SmtpTestTls.StartTls, user: "mailer", password: "pw-right");
        await using var kit = new EmailTestKit(server.Port, NoRetry, Trusting(server, SmtpSecurity.StartTls, "mailer", "pw-wrong-secret"));

        var e = await Assert.ThrowsAsync<TransientDependencyException>(() => kit.Handler.SendAsync(Message("Hi"), Guid.CreateVersion7(), CancellationToken.None));

        Assert.Contains("login as Email:Smtp:UserName was refused", e.Message);
        Assert.DoesNotContain("pw-wrong-secret", e.ToString());
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task Sequential_jobs_share_one_connection()
    {
        await using var server = await SmtpTestServer.StartAsync(SmtpTestTls.StartTls);
        await using var kit = new EmailTestKit(server.Port, configure: Trusting(server, SmtpSecurity.StartTls));

        var ids = Enumerable.Range(0, 5).Select(_ => Guid.CreateVersion7()).ToList();
        foreach (var id in ids)
        {
            await kit.Handler.SendAsync(Message($"Job {id}"), id, CancellationToken.None);
        }

        var mails = await server.WaitForAsync(5);
        Assert.Equal(ids.Select(id => $"{id}@jobplatform").Order(), mails.Select(m => m.Message.MessageId).Order());
        Assert.Equal(1, server.Connections);
        Assert.Equal(1, kit.Pool.Opened);
    }

    [Fact]
    public async Task Concurrent_jobs_use_at_most_pool_size_connections_and_never_mix_their_messages()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port, configure: o => o.Smtp.PoolSize = 2);

        var jobs = Enumerable.Range(0, 12).Select(i => (Id: Guid.CreateVersion7(), To: $"user{i}@example.com")).ToList();
        await Task.WhenAll(jobs.Select(j => Task.Run(() =>
            kit.Handler.SendAsync(new EmailSendArgs { To = j.To, Subject = $"For {j.To}", Text = "x" }, j.Id, CancellationToken.None))));

        var mails = await server.WaitForAsync(12);
        Assert.Equal(12, mails.Count);
        foreach (var (id, to) in jobs)
        {
            var mail = Assert.Single(mails, m => m.Message.MessageId == $"{id}@jobplatform");
            Assert.Equal([to], mail.RcptTo);
            Assert.Equal($"For {to}", mail.Message.Subject);
        }

        Assert.InRange(server.Connections, 1, 2);
        Assert.InRange(kit.Pool.IdleCount, 1, 2);
    }

    [Fact]
    public async Task A_connection_broken_mid_message_is_discarded_and_the_next_job_gets_a_new_one()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port, NoRetry);
        await kit.Handler.SendAsync(Message("First"), Guid.CreateVersion7(), CancellationToken.None);

        // The server drops the connection at this RCPT without a reply.
        var e = await Assert.ThrowsAsync<TransientDependencyException>(() => kit.Handler.SendAsync(
            new EmailSendArgs { To = "dropconn@example.com", Subject = "Lost", Text = "x" }, Guid.CreateVersion7(), CancellationToken.None));
        Assert.Contains($"SMTP server 127.0.0.1:{server.Port} failed transiently", e.Message);
        Assert.Equal(0, kit.Pool.IdleCount);

        await kit.Handler.SendAsync(Message("Third"), Guid.CreateVersion7(), CancellationToken.None);
        var mails = await server.WaitForAsync(2);
        Assert.Equal(["First", "Third"], mails.Select(m => m.Message.Subject));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_pooled_connection_the_server_closed_fails_its_noop_check_and_is_replaced_without_failing_the_job()
    {
        await using var server = await SmtpTestServer.StartAsync(idleTimeoutSeconds: 0.5);
        await using var kit = new EmailTestKit(server.Port, NoRetry);
        await kit.Handler.SendAsync(Message("Before"), Guid.CreateVersion7(), CancellationToken.None);
        await TestDatabase.WaitUntilAsync(() => Task.FromResult(server.Closed == 1), TimeSpan.FromSeconds(10), "the server to close the idle connection");
        Assert.Equal(1, kit.Pool.IdleCount);

        await kit.Handler.SendAsync(Message("After"), Guid.CreateVersion7(), CancellationToken.None);

        Assert.Equal(["Before", "After"], (await server.WaitForAsync(2)).Select(m => m.Message.Subject));
        Assert.Equal(2, server.Connections);
        Assert.Equal(2, kit.Pool.Opened);
    }

    [Fact]
    public async Task Idle_connections_are_closed_with_quit_after_the_idle_timeout()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port, configure: o => o.Smtp.IdleTimeout = TimeSpan.FromMilliseconds(300));
        await kit.Handler.SendAsync(Message("Once"), Guid.CreateVersion7(), CancellationToken.None);

        await TestDatabase.WaitUntilAsync(() => Task.FromResult(server.Closed == 1), TimeSpan.FromSeconds(10), "the pool to close its idle connection");
        Assert.Equal(0, kit.Pool.IdleCount);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Disposing_the_pool_closes_its_idle_connections()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var kit = new EmailTestKit(server.Port);
        try
        {
            await kit.Handler.SendAsync(Message("Before shutdown"), Guid.CreateVersion7(), CancellationToken.None);
            Assert.Equal(1, kit.Pool.IdleCount);
            Assert.Equal(0, server.Closed);
        }
        finally
        {
            await kit.DisposeAsync();
        }

        await TestDatabase.WaitUntilAsync(() => Task.FromResult(server.Closed == 1), TimeSpan.FromSeconds(10), "the server to see the connection closed");
        Assert.Equal(0, kit.Pool.IdleCount);
    }

    [Fact]
    public async Task A_job_waits_for_a_busy_pool_and_snoozes_when_no_connection_frees_up_in_time()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port, EmailTestKit.Fast with { Timeout = TimeSpan.FromMilliseconds(300) }, o => o.Smtp.PoolSize = 1);
        using (await kit.Pool.RentAsync(CancellationToken.None))
        {
            var snooze = await Assert.ThrowsAsync<SnoozeJobException>(() => kit.Handler.SendAsync(Message("Waits"), Guid.CreateVersion7(), CancellationToken.None));
            Assert.Contains("All 1 SMTP connection(s) of this worker", snooze.Message);
            Assert.Contains("Email:Smtp:PoolSize", snooze.Message);
        }

        await kit.Handler.SendAsync(Message("Goes"), Guid.CreateVersion7(), CancellationToken.None);
        Assert.Equal("Goes", Assert.Single(await server.WaitForAsync(1)).Message.Subject);
    }

    /// <summary>Settings that speak <paramref name="security"/> to <paramref name="server"/>, trusting exactly its certificate.</summary>
    private static Action<EmailOptions> Trusting(SmtpTestServer server, SmtpSecurity security, string? user = null, string? password = null) => o =>
    {
        o.Smtp.Security = security;
        o.Smtp.TrustedCertificatesPath = server.CertificateFile;
        o.Smtp.UserName = user;
        o.Smtp.Password = password;
    };

    private static EmailSendArgs Message(string subject) => new() { To = "ann@example.com", Subject = subject, Text = "hello" };
}
