using System.Text;
using JobPlatform.Core;
using JobPlatform.Jobs.Resilience;

namespace JobPlatform.Jobs.Tests.Email;

/// <summary>The handler against a real SMTP server (aiosmtpd), one server per test.</summary>
public sealed class EmailSendHandlerTests
{
    [Fact]
    public async Task Full_message_arrives_with_headers_both_bodies_and_the_attachment()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 fake report\n%%EOF\n");
        await kit.Blobs.WriteAsync("reports/2026-11/statement-42.pdf", new MemoryStream(pdf));
        var jobId = Guid.CreateVersion7();

        await kit.Handler.SendAsync(new EmailSendArgs
        {
            To = "Ann <ann@example.com>, bo@example.com",
            Cc = "carl@example.com",
            Bcc = "hidden@example.com",
            ReplyTo = "support@example.com",
            Subject = "Grüße: your statement",
            Text = "Plain body ✓",
            Html = "<p>HTML <b>body</b> ✓</p>",
            Attachments = [new EmailAttachment("reports/2026-11/statement-42.pdf")],
        }, jobId, CancellationToken.None);

        var mail = Assert.Single(await server.WaitForAsync(1));
        Assert.Equal("Billing <billing@example.com>", mail.Header("From"));
        Assert.Equal("Ann <ann@example.com>, bo@example.com", mail.Header("To"));
        Assert.Equal("carl@example.com", mail.Header("Cc"));
        Assert.Equal("support@example.com", mail.Header("Reply-To"));
        Assert.Equal("Grüße: your statement", mail.Message.Subject);
        Assert.Equal($"<{jobId}@jobplatform>", Assert.Single(mail.Message.Headers, h => h.Id == MimeKit.HeaderId.MessageId).Value.Trim());
        // Bcc is an envelope recipient only: it got the message, and no header names it.
        Assert.False(mail.HasHeader("Bcc"));
        Assert.DoesNotContain(mail.Message.Headers, h => h.Field != "X-RcptTo" && h.Value.Contains("hidden@", StringComparison.Ordinal));
        Assert.Equal(["ann@example.com", "bo@example.com", "carl@example.com", "hidden@example.com"], mail.RcptTo);
        Assert.Equal("multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf)", mail.Structure);
        Assert.Equal("Plain body ✓", mail.Text.TrimEnd());
        Assert.Equal("<p>HTML <b>body</b> ✓</p>", mail.Html.TrimEnd());
        var attachment = Assert.IsType<MimeKit.MimePart>(Assert.Single(mail.Message.Attachments));
        Assert.Equal(("statement-42.pdf", "application/pdf"), (attachment.FileName, attachment.ContentType.MimeType));
        Assert.Equal(pdf, ReceivedEmail.Bytes(attachment));
    }

    [Fact]
    public async Task Text_only_message_is_a_single_plain_part()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port);
        await kit.Handler.SendAsync(new EmailSendArgs { To = "ann@example.com", Subject = "Hi", Text = "Just text" }, Guid.CreateVersion7(), CancellationToken.None);

        var mail = Assert.Single(await server.WaitForAsync(1));
        Assert.Equal("text/plain", mail.Structure);
        Assert.Equal("Just text", mail.Text.TrimEnd());
    }

    [Fact]
    public async Task Receipt_template_is_rendered_with_values_escaped_in_html_only()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port);
        await kit.Handler.SendAsync(new EmailSendArgs
        {
            To = "ann@example.com",
            Template = EmailTemplates.Receipt,
            Model = new Dictionary<string, string>
            {
                ["customer"] = "Ann <script>alert(1)</script> & Co",
                ["invoice"] = "INV-2026-0042",
                ["amount"] = "€12.50",
                ["period"] = "November 2026",
            },
        }, Guid.CreateVersion7(), CancellationToken.None);

        var mail = Assert.Single(await server.WaitForAsync(1));
        Assert.Equal("Your receipt for November 2026: €12.50", mail.Header("Subject"));
        var text = mail.Text;
        Assert.Contains("Hello Ann <script>alert(1)</script> & Co,", text);
        Assert.Contains("INV-2026-0042", text);
        var html = mail.Html;
        Assert.Contains("Hello Ann &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co,", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("<td>€12.50</td>", html);
    }

    [Fact]
    public async Task Report_ready_template_with_pdf_attachment()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port);
        await kit.Blobs.WriteAsync("reports/r-7.pdf", new MemoryStream([0x25, 0x50, 0x44, 0x46, 0x00, 0xFF]));
        await kit.Handler.SendAsync(new EmailSendArgs
        {
            To = "ann@example.com",
            Template = EmailTemplates.ReportReady,
            Model = new Dictionary<string, string> { ["title"] = "Sales Q4", ["link"] = "https://reports.example.com/r-7?x=1&y=2" },
            Attachments = [new EmailAttachment("reports/r-7.pdf", "Sales Q4.pdf")],
        }, Guid.CreateVersion7(), CancellationToken.None);

        var mail = Assert.Single(await server.WaitForAsync(1));
        Assert.Equal("Your report is ready: Sales Q4", mail.Header("Subject"));
        Assert.Contains("https://reports.example.com/r-7?x=1&y=2", mail.Text);
        Assert.Contains("href=\"https://reports.example.com/r-7?x=1&amp;y=2\"", mail.Html);
        var attachment = Assert.IsType<MimeKit.MimePart>(Assert.Single(mail.Message.Attachments));
        Assert.Equal(("Sales Q4.pdf", "application/pdf"), (attachment.FileName, attachment.ContentType.MimeType));
        Assert.Equal(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x00, 0xFF }, ReceivedEmail.Bytes(attachment));
    }

    [Fact]
    public async Task Unknown_mailbox_550_discards_with_the_server_reply()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port);
        var e = await Assert.ThrowsAsync<DiscardJobException>(() => kit.Handler.SendAsync(
            new EmailSendArgs { To = "reject550@example.com", Subject = "Hi", Text = "x" }, Guid.CreateVersion7(), CancellationToken.None));

        Assert.Contains("reject550@example.com", e.Message);
        Assert.Contains("550", e.Message);
        Assert.Contains("User unknown", e.Message);
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task Temporary_refusal_451_of_one_recipient_sends_to_nobody_and_is_transient()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port);
        var e = await Assert.ThrowsAsync<TransientDependencyException>(() => kit.Handler.SendAsync(
            new EmailSendArgs { To = "ann@example.com, defer451@example.com", Subject = "Hi", Text = "x" }, Guid.CreateVersion7(), CancellationToken.None));

        Assert.Contains("refused 1 of 2 recipient(s) before DATA, so nobody received the message", e.Message);
        Assert.Contains("defer451@example.com: 451", e.Message);
        Assert.Contains("try again later", e.Message);
        // Refused before DATA: not even the accepted recipient got it, so the retry cannot duplicate.
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task Every_recipient_refused_with_one_temporary_refusal_is_transient()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port);
        var e = await Assert.ThrowsAsync<TransientDependencyException>(() => kit.Handler.SendAsync(
            new EmailSendArgs { To = "reject550@example.com, busy450@example.com", Subject = "Hi", Text = "x" }, Guid.CreateVersion7(), CancellationToken.None));

        Assert.Contains("refused 2 of 2 recipient(s)", e.Message);
        Assert.Contains("reject550@example.com: 550", e.Message);
        Assert.Contains("busy450@example.com: 450", e.Message);
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task Partly_refused_message_reaches_nobody_and_is_permanent_when_every_refusal_is()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port);
        var e = await Assert.ThrowsAsync<DiscardJobException>(() => kit.Handler.SendAsync(
            new EmailSendArgs { To = "ann@example.com, bo@example.com", Cc = "reject550@example.com", Subject = "Hi", Text = "x" },
            Guid.CreateVersion7(), CancellationToken.None));

        Assert.Contains("refused 1 of 3 recipient(s) before DATA, so nobody received the message", e.Message);
        Assert.Contains("reject550@example.com: 550 5.1.1", e.Message);
        Assert.DoesNotContain("ann@example.com", e.Message);
        Assert.Contains("Retrying cannot help", e.Message);

        // The connection that saw the refusal is discarded: the next message goes over a fresh one, whole.
        await kit.Handler.SendAsync(new EmailSendArgs { To = "ann@example.com", Subject = "Next", Text = "y" }, Guid.CreateVersion7(), CancellationToken.None);
        var mail = Assert.Single(await server.WaitForAsync(1));
        Assert.Equal("Next", mail.Message.Subject);
        Assert.Equal(["ann@example.com"], mail.RcptTo);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task Partly_refused_message_with_a_temporary_refusal_reaches_nobody_and_is_transient()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port);
        var e = await Assert.ThrowsAsync<TransientDependencyException>(() => kit.Handler.SendAsync(
            new EmailSendArgs { To = "ann@example.com, busy450@example.com", Cc = "reject550@example.com", Subject = "Hi", Text = "x" },
            Guid.CreateVersion7(), CancellationToken.None));

        Assert.Contains("refused 2 of 3 recipient(s) before DATA", e.Message);
        Assert.Contains("busy450@example.com: 450", e.Message);
        Assert.Contains("reject550@example.com: 550", e.Message);
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task Plain_connection_to_a_server_that_requires_starttls_is_transient_and_names_the_setting()
    {
        await using var server = await SmtpTestServer.StartAsync(SmtpTestTls.StartTls);
        await using var kit = new EmailTestKit(server.Port);
        var e = await Assert.ThrowsAsync<TransientDependencyException>(() => kit.Handler.SendAsync(
            new EmailSendArgs { To = "ann@example.com", Subject = "Hi", Text = "x" }, Guid.CreateVersion7(), CancellationToken.None));

        Assert.Contains("530", e.Message);
        Assert.Contains("Email:Smtp:Security", e.Message);
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task Connection_refused_is_transient()
    {
        var port = TestSupport.ChildProcess.FreePort(); // nothing listens there
        await using var kit = new EmailTestKit(port);
        var e = await Assert.ThrowsAsync<TransientDependencyException>(() => kit.Handler.SendAsync(
            new EmailSendArgs { To = "ann@example.com", Subject = "Hi", Text = "x" }, Guid.CreateVersion7(), CancellationToken.None));

        Assert.Contains($"127.0.0.1:{port}", e.Message);
    }

    [Fact]
    public async Task Open_breaker_snoozes_without_calling_the_server()
    {
        var port = TestSupport.ChildProcess.FreePort();
        await using var kit = new EmailTestKit(port, new DependencyOptions
        {
            MaxRetryAttempts = 1,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MinimumThroughput = 2,
            BreakDuration = TimeSpan.FromSeconds(30),
        });
        var args = new EmailSendArgs { To = "ann@example.com", Subject = "Hi", Text = "x" };
        await Assert.ThrowsAsync<TransientDependencyException>(() => kit.Handler.SendAsync(args, Guid.CreateVersion7(), CancellationToken.None));
        Assert.Equal(Polly.CircuitBreaker.CircuitState.Open, kit.Smtp.State);

        var snooze = await Assert.ThrowsAsync<SnoozeJobException>(() => kit.Handler.SendAsync(args, Guid.CreateVersion7(), CancellationToken.None));
        Assert.InRange(snooze.Delay.TotalSeconds, 25, 32);
        Assert.Contains("smtp circuit breaker is open", snooze.Message);
    }

    [Fact]
    public async Task Open_breaker_snoozes_before_a_rate_limit_token_is_spent_or_an_attachment_read()
    {
        await using var db = await TestSupport.TestDatabase.CreateAsync();
        await Schema.JobsModuleMigration.CreateMigrator(db.DataSource, db.Schema).MigrateAsync();
        var port = TestSupport.ChildProcess.FreePort();
        await using var kit = new EmailTestKit(port, new DependencyOptions { MaxRetryAttempts = 0, MinimumThroughput = 2, BreakDuration = TimeSpan.FromSeconds(30) },
            o => o.RateLimit.PerSecond = 100, db.DataSource, db.Schema);
        var args = new EmailSendArgs { To = "ann@example.com", Subject = "Hi", Text = "x" };
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<TransientDependencyException>(() => kit.Handler.SendAsync(args, Guid.CreateVersion7(), CancellationToken.None));
        }

        Assert.Equal(Polly.CircuitBreaker.CircuitState.Open, kit.Smtp.State);
        var tokens = await db.ScalarAsync<long>("SELECT granted_total FROM {schema}.jobs_rate_limits");

        // The attachment does not exist: reading it would discard the job. It is never read while the breaker is open.
        var withAttachment = args with { Attachments = [new EmailAttachment("missing/report.pdf")] };
        var snooze = await Assert.ThrowsAsync<SnoozeJobException>(() => kit.Handler.SendAsync(withAttachment, Guid.CreateVersion7(), CancellationToken.None));

        Assert.Contains("smtp circuit breaker is open", snooze.Message);
        Assert.Equal(2, tokens);
        Assert.Equal(tokens, await db.ScalarAsync<long>("SELECT granted_total FROM {schema}.jobs_rate_limits"));
    }
}
