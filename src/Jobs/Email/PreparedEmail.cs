using MimeKit;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// A validated message, ready to send: addresses parsed, template rendered, attachments loaded. Every send try
/// builds its own <see cref="MimeMessage"/> with <see cref="ToMimeMessage"/>, so a failed try leaves nothing behind
/// for the next.
/// </summary>
internal sealed record PreparedEmail(
    MailboxAddress From,
    IReadOnlyList<MailboxAddress> To,
    IReadOnlyList<MailboxAddress> Cc,
    IReadOnlyList<MailboxAddress> Bcc,
    IReadOnlyList<MailboxAddress> ReplyTo,
    string Subject,
    string? Text,
    string? Html,
    IReadOnlyList<PreparedAttachment> Attachments,
    string MessageId)
{
    /// <summary>Envelope recipients as given: To, Cc and Bcc.</summary>
    public int RecipientCount => To.Count + Cc.Count + Bcc.Count;

    /// <summary>The RCPT TO list: To, Cc and Bcc, each address once.</summary>
    public IReadOnlyList<MailboxAddress> EnvelopeRecipients() =>
        To.Concat(Cc).Concat(Bcc).DistinctBy(m => m.Address, StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>A new message; the caller disposes it. With text and HTML it is multipart/alternative (HTML last, the
    /// preferred part), with attachments multipart/mixed; Bcc is sent in the envelope only.</summary>
    public MimeMessage ToMimeMessage()
    {
        var body = new BodyBuilder { TextBody = Text, HtmlBody = Html };
        foreach (var a in Attachments)
        {
            body.Attachments.Add(a.FileName, a.Content, ContentType.Parse(a.ContentType));
        }

        var message = new MimeMessage
        {
            Subject = Subject,
            // Stable across attempts, so a receiver can drop the copy a crash-and-retry may send.
            MessageId = MessageId.Trim('<', '>'),
            Body = body.ToMessageBody(),
        };
        message.From.Add(From);
        message.To.AddRange(To);
        message.Cc.AddRange(Cc);
        message.Bcc.AddRange(Bcc);
        message.ReplyTo.AddRange(ReplyTo);
        return message;
    }
}
