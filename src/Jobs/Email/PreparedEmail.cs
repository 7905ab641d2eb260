using System.Net.Mail;
using System.Net.Mime;
using System.Text;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// A validated message, ready to send: addresses parsed, template rendered, attachments loaded. Every send try
/// builds its own <see cref="MailMessage"/> with <see cref="ToMailMessage"/>, because a sent message's
/// attachment streams are consumed.
/// </summary>
internal sealed record PreparedEmail(
    MailAddress From,
    IReadOnlyList<MailAddress> To,
    IReadOnlyList<MailAddress> Cc,
    IReadOnlyList<MailAddress> Bcc,
    IReadOnlyList<MailAddress> ReplyTo,
    string Subject,
    string? Text,
    string? Html,
    IReadOnlyList<PreparedAttachment> Attachments,
    string MessageId)
{
    /// <summary>Envelope recipients: To, Cc and Bcc.</summary>
    public int RecipientCount => To.Count + Cc.Count + Bcc.Count;

    /// <summary>A new message; the caller disposes it.</summary>
    public MailMessage ToMailMessage()
    {
        var message = new MailMessage
        {
            From = From,
            Subject = Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
        };
        try
        {
            AddAll(message.To, To);
            AddAll(message.CC, Cc);
            AddAll(message.Bcc, Bcc);
            AddAll(message.ReplyToList, ReplyTo);
            // Stable across attempts, so a receiver can drop the copy a crash-and-retry may send.
            message.Headers["Message-ID"] = MessageId;
            if (Text is not null && Html is not null)
            {
                // multipart/alternative: plain text first, HTML last (the preferred part, RFC 2046).
                message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(Text, Encoding.UTF8, MediaTypeNames.Text.Plain));
                message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(Html, Encoding.UTF8, MediaTypeNames.Text.Html));
            }
            else
            {
                message.Body = Text ?? Html;
                message.IsBodyHtml = Text is null;
            }

            foreach (var a in Attachments)
            {
                var attachment = new Attachment(new MemoryStream(a.Content, writable: false), a.FileName, a.ContentType);
                attachment.ContentDisposition!.FileName = a.FileName;
                attachment.NameEncoding = Encoding.UTF8;
                message.Attachments.Add(attachment);
            }

            return message;
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    private static void AddAll(MailAddressCollection target, IEnumerable<MailAddress> addresses)
    {
        foreach (var address in addresses)
        {
            target.Add(address);
        }
    }
}
