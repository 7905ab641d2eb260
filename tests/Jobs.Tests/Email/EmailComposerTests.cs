using JobPlatform.Core;
using JobPlatform.Jobs.Blobs;
using JobPlatform.Jobs.Email;

namespace JobPlatform.Jobs.Tests.Email;

/// <summary>Bad args are refused before anything is sent, with a message naming the field.</summary>
public sealed class EmailComposerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("jobplatform-email-compose-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<string, EmailSendArgs, string> BadArgs => new()
    {
        { "no recipient", new EmailSendArgs { To = " ", Subject = "s", Text = "t" }, "has no recipient" },
        { "bad to", new EmailSendArgs { To = "not an address", Subject = "s", Text = "t" }, "\"to\" 'not an address'" },
        { "bad cc", new EmailSendArgs { To = "a@example.com", Cc = "a@example.com, @@", Subject = "s", Text = "t" }, "\"cc\"" },
        { "bad reply-to", new EmailSendArgs { To = "a@example.com", ReplyTo = "nope", Subject = "s", Text = "t" }, "\"replyTo\"" },
        { "no body", new EmailSendArgs { To = "a@example.com", Subject = "s" }, "has no body" },
        { "no subject", new EmailSendArgs { To = "a@example.com", Text = "t" }, "has no subject" },
        { "subject line break", new EmailSendArgs { To = "a@example.com", Subject = "a\r\nBcc: x@evil.example", Text = "t" }, "line break in its subject" },
        { "unknown template", new EmailSendArgs { To = "a@example.com", Template = "welcome" }, "template 'welcome', which does not exist; known templates: receipt, report-ready" },
        { "bad template name", new EmailSendArgs { To = "a@example.com", Template = "../etc/passwd" }, "invalid \"template\"" },
        { "missing model keys", new EmailSendArgs { To = "a@example.com", Template = "receipt", Model = new Dictionary<string, string> { ["customer"] = "Ann" } }, "model key(s) period, amount, invoice are missing from \"model\" (given: customer)" },
        { "template and body", new EmailSendArgs { To = "a@example.com", Template = "receipt", Text = "t" }, "both a template ('receipt') and a \"text\"/\"html\" body" },
        { "model without template", new EmailSendArgs { To = "a@example.com", Subject = "s", Text = "t", Model = new Dictionary<string, string> { ["x"] = "y" } }, "\"model\" but no \"template\"" },
        { "bad blob key", new EmailSendArgs { To = "a@example.com", Subject = "s", Text = "t", Attachments = [new EmailAttachment("../secret")] }, "invalid attachments[0].blob" },
        { "missing blob", new EmailSendArgs { To = "a@example.com", Subject = "s", Text = "t", Attachments = [new EmailAttachment("reports/none.pdf")] }, "blob 'reports/none.pdf' (attachments[0].blob), which does not exist" },
        { "bad content type", new EmailSendArgs { To = "a@example.com", Subject = "s", Text = "t", Attachments = [new EmailAttachment("in/a.txt", ContentType: "not a type")] }, "attachments[0].contentType 'not a type'" },
        { "too many recipients", new EmailSendArgs { To = string.Join(",", Enumerable.Range(0, 101).Select(i => $"u{i}@example.com")), Subject = "s", Text = "t" }, "has 101 recipients" },
    };

    [Theory]
    [MemberData(nameof(BadArgs))]
    public async Task Bad_args_are_discarded_naming_the_problem(string name, EmailSendArgs args, string expected)
    {
        Assert.NotNull(name);
        var blobs = new FileSystemBlobStore(_root);
        await blobs.WriteAsync("in/a.txt", new MemoryStream([1, 2, 3]));
        var composer = new EmailComposer(new EmailOptions(), new EmailTemplateStore(null), blobs);

        var e = await Assert.ThrowsAsync<DiscardJobException>(() => composer.ComposeAsync(args, Guid.CreateVersion7(), CancellationToken.None));
        Assert.Contains(expected, e.Message);
        Assert.EndsWith("Retrying cannot help; enqueue the job again with corrected args.", e.Message);
    }

    [Fact]
    public async Task Attachments_over_the_size_limit_are_refused_naming_the_key()
    {
        var blobs = new FileSystemBlobStore(_root);
        await blobs.WriteAsync("in/big.bin", new MemoryStream(new byte[2048]));
        var composer = new EmailComposer(new EmailOptions { MaxAttachmentBytes = 1024 }, new EmailTemplateStore(null), blobs);
        var e = await Assert.ThrowsAsync<DiscardJobException>(() => composer.ComposeAsync(
            new EmailSendArgs { To = "a@example.com", Subject = "s", Text = "t", Attachments = [new EmailAttachment("in/big.bin")] },
            Guid.CreateVersion7(), CancellationToken.None));
        Assert.Contains("the limit is 1024 bytes (Email:MaxAttachmentBytes)", e.Message);
    }

    [Fact]
    public async Task Subject_from_args_overrides_the_template_subject_and_message_id_comes_from_the_job()
    {
        var composer = new EmailComposer(new EmailOptions(), new EmailTemplateStore(null), new FileSystemBlobStore(_root));
        var id = Guid.CreateVersion7();
        var email = await composer.ComposeAsync(new EmailSendArgs
        {
            To = "a@example.com",
            Subject = "Custom",
            Template = EmailTemplates.ReportReady,
            Model = new Dictionary<string, string> { ["title"] = "T", ["link"] = "https://x.example" },
        }, id, CancellationToken.None);
        Assert.Equal("Custom", email.Subject);
        Assert.Equal($"<{id}@jobplatform>", email.MessageId);
        Assert.NotNull(email.Text);
        Assert.NotNull(email.Html);
    }
}
