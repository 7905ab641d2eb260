using MailKit.Net.Smtp;
using MimeKit;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// MailKit's <see cref="SmtpClient"/>, all or nothing per message: MailKit would send DATA to the recipients that were
/// accepted; this client collects every refused RCPT TO and, once the server answered the last one, throws
/// <see cref="SmtpRecipientsRefusedException"/>, so a partly refused message reaches nobody and can be retried
/// without a duplicate. One client serves one message at a time (the pool guarantees it).
/// </summary>
internal sealed class JobSmtpClient : SmtpClient
{
    private readonly List<SmtpRefusal> _refused = [];
    private int _expected;
    private int _answered;

    /// <summary>When this client last finished a message or connected; read by the pool's idle check.</summary>
    public long LastUsed { get; set; }

    /// <summary>Sends <paramref name="message"/> to exactly <paramref name="recipients"/> (To, Cc and Bcc, no duplicates).</summary>
    /// <exception cref="SmtpRecipientsRefusedException">The server refused at least one recipient; nothing was sent.</exception>
    public async Task SendAllOrNothingAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken cancellationToken)
    {
        _refused.Clear();
        _expected = recipients.Count;
        _answered = 0;
        // MailKit's default format options, which keep the Bcc header out of the transmitted message.
        await SendAsync(message, sender, recipients, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) => Answered();

    /// <inheritdoc />
    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        _refused.Add(new SmtpRefusal(mailbox, response.StatusCode, response.Response));
        Answered();
    }

    // MailKit asks for DATA right after the last RCPT reply when any recipient was accepted, so the refusal must be
    // thrown from inside that last reply's callback.
    private void Answered()
    {
        if (++_answered == _expected && _refused.Count > 0)
        {
            throw new SmtpRecipientsRefusedException([.. _refused], _expected);
        }
    }
}
