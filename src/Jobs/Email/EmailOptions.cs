namespace JobPlatform.Jobs.Email;

/// <summary>
/// Settings of <c>email.send</c> (section <c>Email</c>): the sender, the SMTP server, a shared rate limit and an
/// optional templates directory. The SMTP call's timeout and retries are those of the <c>smtp</c> dependency
/// (<c>Jobs:Resilience:smtp:*</c>).
/// </summary>
public sealed class EmailOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Email";

    /// <summary>Default sender.</summary>
    public const string DefaultFrom = "JobPlatform <noreply@localhost>";

    /// <summary>Default limit on the total size of one message's attachments: 20 MiB.</summary>
    public const long DefaultMaxAttachmentBytes = 20 * 1024 * 1024;

    /// <summary>The sender (<c>Email:From</c>), e.g. <c>Billing &lt;billing@example.com&gt;</c>; also the envelope sender.</summary>
    public string From { get; set; } = DefaultFrom;

    /// <summary>
    /// A directory of templates (<c>Email:TemplatesPath</c>) that override or add to the built-in ones: files
    /// <c>&lt;name&gt;.subject.txt</c>, <c>&lt;name&gt;.text.txt</c> and <c>&lt;name&gt;.html</c>, each replacing
    /// that part only. Unset: built-in templates only.
    /// </summary>
    public string? TemplatesPath { get; set; }

    /// <summary>Largest total size of one message's attachments, in bytes (<c>Email:MaxAttachmentBytes</c>).</summary>
    public long MaxAttachmentBytes { get; set; } = DefaultMaxAttachmentBytes;

    /// <summary>The SMTP server (<c>Email:Smtp:*</c>).</summary>
    public EmailSmtpOptions Smtp { get; set; } = new();

    /// <summary>The provider's rate limit, shared by all workers (<c>Email:RateLimit:*</c>).</summary>
    public EmailRateLimitOptions RateLimit { get; set; } = new();
}
