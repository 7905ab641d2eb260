using MailKit.Net.Smtp;
using MimeKit;

namespace JobPlatform.Jobs.Email;

/// <summary>The server refused one or more RCPT TO; thrown before DATA, so nobody received the message.</summary>
internal sealed class SmtpRecipientsRefusedException(IReadOnlyList<SmtpRefusal> refusals, int recipients)
    : Exception($"The SMTP server refused {refusals.Count} of {recipients} recipient(s) before DATA; nothing was sent.")
{
    /// <summary>Every refused recipient with the server's reply, in RCPT order.</summary>
    public IReadOnlyList<SmtpRefusal> Refusals { get; } = refusals;

    /// <summary>The envelope recipients of the message.</summary>
    public int Recipients { get; } = recipients;
}

/// <summary>One refused recipient and the server's reply.</summary>
internal sealed record SmtpRefusal(MailboxAddress Mailbox, SmtpStatusCode StatusCode, string Response);
