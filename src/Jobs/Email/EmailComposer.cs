using JobPlatform.Core;
using JobPlatform.Jobs.Blobs;
using MimeKit;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// Turns <see cref="EmailSendArgs"/> into a <see cref="PreparedEmail"/> before anything is sent: parses every
/// address, renders the template, loads the attachments. Input that can never be sent (no recipient, a bad
/// address, no body, an unknown template, a missing model key, a missing blob) throws
/// <see cref="DiscardJobException"/> naming the field, since retrying cannot help.
/// </summary>
internal sealed class EmailComposer(EmailOptions options, EmailTemplateStore templates, IBlobStore blobs)
{
    /// <summary>Most envelope recipients (To + Cc + Bcc) of one message; RFC 5321 servers must accept 100.</summary>
    public const int MaxRecipients = 100;

    /// <summary>Strict RFC 5322 parsing: every address needs a domain, so typos fail here and not at the server.</summary>
    internal static readonly ParserOptions StrictAddresses = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
        AllowUnquotedCommasInAddresses = false,
    };

    private readonly MailboxAddress _from = MailboxAddress.Parse(StrictAddresses, options.From);

    /// <summary>The stable Message-ID of job <paramref name="jobId"/>: <c>&lt;jobid@jobplatform&gt;</c>.</summary>
    public static string MessageIdFor(Guid jobId) => $"<{jobId:D}@jobplatform>";

    /// <summary>Validates and prepares the message of job <paramref name="jobId"/>, attachments included.</summary>
    /// <exception cref="DiscardJobException">The args can never be sent; the message says which field and why.</exception>
    public async Task<PreparedEmail> ComposeAsync(EmailSendArgs args, Guid jobId, CancellationToken cancellationToken) =>
        await AttachAsync(Compose(args, jobId), args.Attachments, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads <paramref name="attachments"/> from the blob store into <paramref name="email"/> (the costly part of
    /// composing, left until the message is about to be sent).</summary>
    /// <exception cref="DiscardJobException">An attachment is missing, badly named or over the size limit.</exception>
    public async Task<PreparedEmail> AttachAsync(PreparedEmail email, IReadOnlyList<EmailAttachment>? attachments, CancellationToken cancellationToken) =>
        attachments is null or { Count: 0 } ? email : email with { Attachments = await AttachmentsAsync(attachments, cancellationToken).ConfigureAwait(false) };

    /// <summary>Validates and prepares the message of job <paramref name="jobId"/> without its attachments (see
    /// <see cref="AttachAsync"/>): addresses, template, subject and bodies.</summary>
    /// <exception cref="DiscardJobException">The args can never be sent; the message says which field and why.</exception>
    public PreparedEmail Compose(EmailSendArgs args, Guid jobId)
    {
        ArgumentNullException.ThrowIfNull(args);
        var to = Addresses("to", args.To);
        var cc = Addresses("cc", args.Cc);
        var bcc = Addresses("bcc", args.Bcc);
        var replyTo = Addresses("replyTo", args.ReplyTo);
        if (to.Count + cc.Count + bcc.Count == 0)
        {
            throw Discard("has no recipient; set \"to\" to at least one address, e.g. \"ann@example.com\".");
        }

        if (to.Count + cc.Count + bcc.Count > MaxRecipients)
        {
            throw Discard($"has {to.Count + cc.Count + bcc.Count} recipients in to, cc and bcc; the limit is {MaxRecipients}. Split the message into several jobs.");
        }

        var (subject, text, html) = args.Template is null ? Literal(args) : Rendered(args);
        if (string.IsNullOrWhiteSpace(subject))
        {
            throw Discard("has no subject; set \"subject\" (or use a template that has one).");
        }

        if (subject.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw Discard("has a line break in its subject; a subject is one line (check the \"subject\" or the template's model values).");
        }

        if (string.IsNullOrEmpty(text) && string.IsNullOrEmpty(html))
        {
            throw Discard("has no body; set \"text\" and/or \"html\", or a \"template\".");
        }

        return new PreparedEmail(_from, to, cc, bcc, replyTo, subject, NullIfEmpty(text), NullIfEmpty(html), [], MessageIdFor(jobId));
    }

    private static (string? Subject, string? Text, string? Html) Literal(EmailSendArgs args)
    {
        if (args.Model is { Count: > 0 })
        {
            throw Discard("has a \"model\" but no \"template\"; set \"template\" (e.g. \"receipt\") or drop the model.");
        }

        return (args.Subject, args.Text, args.Html);
    }

    private (string? Subject, string? Text, string? Html) Rendered(EmailSendArgs args)
    {
        if (args.Text is not null || args.Html is not null)
        {
            throw Discard($"has both a template ('{args.Template}') and a \"text\"/\"html\" body; give one or the other.");
        }

        EmailTemplate? template;
        try
        {
            template = templates.Find(args.Template!);
        }
        catch (ArgumentException e)
        {
            throw Discard($"has an invalid \"template\": {e.Message}");
        }

        if (template is null)
        {
            throw Discard($"names template '{args.Template}', which does not exist; known templates: {string.Join(", ", templates.Names())}" +
                $" (add '{args.Template}.subject.txt', '.text.txt' and/or '.html' to the directory {EmailOptions.SectionName}:TemplatesPath).");
        }

        var missing = new List<string>();
        string? Render(string? part, bool isHtml)
        {
            if (part is null)
            {
                return null;
            }

            var (rendered, lacking) = PlaceholderRenderer.Render(part, args.Model, isHtml);
            missing.AddRange(lacking.Where(n => !missing.Contains(n, StringComparer.Ordinal)));
            return rendered;
        }

        var subject = args.Subject ?? Render(template.Subject, isHtml: false);
        var text = Render(template.Text, isHtml: false);
        var html = Render(template.Html, isHtml: true);
        if (missing.Count > 0)
        {
            var given = args.Model is { Count: > 0 } m ? string.Join(", ", m.Keys.Order(StringComparer.Ordinal)) : "none";
            throw Discard($"uses template '{template.Name}', whose model key(s) {string.Join(", ", missing)} are missing from \"model\" (given: {given}).");
        }

        return (subject, text, html);
    }

    private async Task<IReadOnlyList<PreparedAttachment>> AttachmentsAsync(IReadOnlyList<EmailAttachment> attachments, CancellationToken cancellationToken)
    {
        var prepared = new List<PreparedAttachment>(attachments.Count);
        long total = 0;
        for (var i = 0; i < attachments.Count; i++)
        {
            var a = attachments[i] ?? throw Discard($"has a null entry at attachments[{i}].");
            var field = $"attachments[{i}].blob";
            try
            {
                BlobKey.Validate(a.Blob, field);
            }
            catch (ArgumentException e)
            {
                throw Discard($"has an invalid {field}: {e.Message}");
            }

            var fileName = string.IsNullOrWhiteSpace(a.FileName) ? a.Blob[(a.Blob.LastIndexOf('/') + 1)..] : a.FileName;
            if (fileName.Any(char.IsControl))
            {
                throw Discard($"has a control character in attachments[{i}].fileName; use a plain file name such as 'report.pdf'.");
            }

            var contentType = a.ContentType ?? MimeTypes.GetMimeType(fileName);
            if (!ContentType.TryParse(contentType, out _))
            {
                throw Discard($"has attachments[{i}].contentType '{contentType}', which is not a MIME type such as 'application/pdf'.");
            }

            var info = await blobs.GetInfoAsync(a.Blob, cancellationToken).ConfigureAwait(false)
                ?? throw Discard($"attaches blob '{a.Blob}' ({field}), which does not exist in the blob store (Blobs:Root); write it before enqueueing the email.");
            total += info.Length;
            if (total > options.MaxAttachmentBytes)
            {
                throw Discard($"has attachments of {total} bytes or more; the limit is {options.MaxAttachmentBytes} bytes ({EmailOptions.SectionName}:MaxAttachmentBytes). Send a link instead.");
            }

            byte[] content;
            try
            {
                // Exactly the length checked against the limit above, even if the blob is replaced meanwhile.
                content = await blobs.ReadExactlyAsync(info, cancellationToken).ConfigureAwait(false);
            }
            catch (BlobNotFoundException e)
            {
                throw Discard($"attaches blob '{a.Blob}' ({field}), which was deleted while the email was prepared: {e.Message}");
            }

            prepared.Add(new PreparedAttachment(fileName, contentType, content));
        }

        return prepared;
    }

    private static List<MailboxAddress> Addresses(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        InternetAddressList list;
        try
        {
            list = InternetAddressList.Parse(StrictAddresses, value);
        }
        catch (ParseException e)
        {
            throw Discard($"has \"{field}\" '{value}', which is not a comma-separated list of email addresses ({e.Message}); e.g. \"ann@example.com, Bo <bo@example.com>\".");
        }

        // A group ("Team: a@x.com, b@x.com;") stands for its members.
        return [.. list.Mailboxes];
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static DiscardJobException Discard(string problem) =>
        new($"email.send: the message {problem} Retrying cannot help; enqueue the job again with corrected args.");
}
