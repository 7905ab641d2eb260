using System.Net.Mail;
using JobPlatform.Core;
using JobPlatform.Jobs.Resilience;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// Sorts an <see cref="SmtpException"/> into transient (<see cref="TransientDependencyException"/>: retried in
/// process, counted by the breaker, then the attempt fails and the engine retries with backoff) or permanent
/// (<see cref="DiscardJobException"/> with the server's reply). The rules:
/// <list type="bullet">
/// <item>4xx replies (421 closing, 450/451/452 try later): transient.</item>
/// <item>530, 534, 535, 538 (STARTTLS or authentication required or failed): transient, though no retry fixes
/// them: it is the worker's configuration that is wrong, not the message, so the breaker opens and the jobs wait
/// (snoozed) for the fix instead of being discarded.</item>
/// <item>Other 5xx replies (550 unknown mailbox, 552 too big, 554 rejected): permanent.</item>
/// <item>No reply at all (connection refused or reset, DNS, TLS handshake): transient.</item>
/// <item>Recipients refused one by one: when none accepted the message, nothing was sent, so any transient
/// refusal makes the whole failure transient (the permanent ones fail again on the retry and end the job then);
/// when some accepted it, the message is already delivered to them and a retry would send it again, so the job is
/// discarded with every refusal listed.</item>
/// </list>
/// </summary>
internal static class SmtpFailures
{
    /// <summary>The exception to throw for <paramref name="failure"/> while sending <paramref name="message"/> to <paramref name="server"/>.</summary>
    public static Exception Classify(SmtpException failure, PreparedEmail message, string server)
    {
        if (failure is SmtpFailedRecipientException recipient)
        {
            return ClassifyRecipients(recipient, message, server);
        }

        var code = (int)failure.StatusCode;
        if (IsTransient(code))
        {
            var hint = code is 530 or 534 or 535 or 538
                ? $" Check {EmailOptions.SectionName}:Smtp:EnableSsl, :UserName and :Password; jobs wait while the breaker is open."
                : string.Empty;
            return new TransientDependencyException($"SMTP server {server} failed transiently: {Describe(failure)}{hint}", failure);
        }

        return new DiscardJobException(
            $"SMTP server {server} refused the message permanently: {Describe(failure)} Retrying cannot help.", failure);
    }

    /// <summary>True for replies that may pass: 4xx, the configuration faults above, and failures without a reply.</summary>
    internal static bool IsTransient(int code) =>
        code is >= 400 and < 500 or 530 or 534 or 535 or 538 || code is < 200 or >= 600;

    private static Exception ClassifyRecipients(SmtpFailedRecipientException failure, PreparedEmail message, string server)
    {
        IReadOnlyList<SmtpFailedRecipientException> refused = failure is SmtpFailedRecipientsException { InnerExceptions.Length: > 0 } many
            ? many.InnerExceptions
            : [failure];
        // FailedRecipient comes in angle brackets (the RCPT TO form); show the bare address.
        var list = string.Join("; ", refused.Select(r => $"{r.FailedRecipient?.Trim('<', '>')}: {Describe(r)}"));
        var accepted = message.RecipientCount - refused.Count;
        if (accepted <= 0)
        {
            return refused.Any(r => IsTransient((int)r.StatusCode))
                ? new TransientDependencyException($"SMTP server {server} accepted no recipient; at least one refusal is temporary, so the message will be retried: {list}", failure)
                : new DiscardJobException($"SMTP server {server} refused every recipient permanently: {list} Retrying cannot help.", failure);
        }

        return new DiscardJobException(
            $"SMTP server {server} delivered the message to {accepted} of {message.RecipientCount} recipients and refused {refused.Count}: {list} " +
            "Not retried, as a retry would send it again to those who got it; enqueue a new email for the refused recipients if needed.", failure);
    }

    /// <summary>The reply (or the socket error) and its numeric code, e.g. <c>550 Mailbox unavailable. The server response was: …</c>.</summary>
    private static string Describe(SmtpException e)
    {
        var code = (int)e.StatusCode;
        var text = e.InnerException is { } inner && e.StatusCode == SmtpStatusCode.GeneralFailure
            ? $"{e.Message} {inner.Message}"
            : e.Message;
        return (code is >= 200 and < 600 ? $"{code} " : string.Empty) + text.Trim();
    }
}
