using System.Net.Sockets;
using JobPlatform.Core;
using JobPlatform.Jobs.Resilience;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// Sorts a MailKit failure into transient (<see cref="TransientDependencyException"/>: retried in process, counted
/// by the breaker, then the attempt fails and the engine retries with backoff) or permanent
/// (<see cref="DiscardJobException"/> with the server's reply). The rules:
/// <list type="bullet">
/// <item>4xx replies (421 closing, 450/451/452 try later): transient.</item>
/// <item>530, 534, 535, 538 (STARTTLS or authentication required or failed), a refused login, a certificate the
/// worker does not trust, a server without STARTTLS or AUTH when the settings need them: transient, though no retry
/// fixes them: it is the worker's configuration that is wrong, not the message, so the breaker opens and the jobs
/// wait (snoozed) for the fix instead of being discarded.</item>
/// <item>Other 5xx replies (550 unknown mailbox, 552 too big, 554 rejected): permanent.</item>
/// <item>No reply at all (connection refused or reset, DNS, TLS handshake, a dropped connection): transient.</item>
/// <item>Recipients refused before DATA (<see cref="SmtpRecipientsRefusedException"/>): nobody got the message, so
/// any transient refusal makes the whole failure transient (the permanent ones fail again on the retry and end the
/// job then); only permanent refusals discard it, listing each.</item>
/// </list>
/// </summary>
internal static class SmtpFailures
{
    private const string S = EmailOptions.SectionName;

    /// <summary>The exception to throw for <paramref name="failure"/> while sending to <paramref name="server"/>, or null
    /// when it is not an SMTP failure (a bug, a cancellation) and should pass through unchanged.</summary>
    public static Exception? Classify(Exception failure, string server) => failure switch
    {
        SmtpRecipientsRefusedException refused => ClassifyRecipients(refused, server),
        SmtpCommandException command => ByCode((int)command.StatusCode, $"{(int)command.StatusCode} {command.Message.Trim()}", failure, server),
        // MailKit raises this for a 530 reply to MAIL FROM or RCPT TO.
        ServiceNotAuthenticatedException => Configuration($"530 {failure.Message.Trim()}", failure, server),
        AuthenticationException => Configuration($"login as {S}:Smtp:UserName was refused: {failure.Message.Trim()}", failure, server),
        SslHandshakeException => Configuration($"the TLS handshake failed: {failure.Message.Trim()}" +
            $" To trust a test or company CA, set {S}:Smtp:TrustedCertificatesPath to its PEM file.", failure, server),
        // ConnectAsync with StartTls on a server without STARTTLS; AuthenticateAsync on a server without AUTH.
        NotSupportedException => Configuration(failure.Message.Trim(), failure, server),
        SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or TimeoutException =>
            new TransientDependencyException($"SMTP server {server} failed transiently: {failure.Message.Trim()}", failure),
        _ => null,
    };

    /// <summary>True for replies that may pass: 4xx, the configuration faults above, and failures without a reply.</summary>
    internal static bool IsTransient(int code) =>
        code is >= 400 and < 500 or 530 or 534 or 535 or 538 || code is < 200 or >= 600;

    private static Exception ByCode(int code, string reply, Exception failure, string server)
    {
        if (code is 530 or 534 or 535 or 538)
        {
            return Configuration(reply, failure, server);
        }

        return IsTransient(code)
            ? new TransientDependencyException($"SMTP server {server} failed transiently: {reply}", failure)
            : new DiscardJobException($"SMTP server {server} refused the message permanently: {reply} Retrying cannot help.", failure);
    }

    private static TransientDependencyException Configuration(string problem, Exception failure, string server) =>
        new($"SMTP server {server} failed transiently: {problem} Check {S}:Smtp:Security, :UserName and :Password; jobs wait while the breaker is open.", failure);

    private static Exception ClassifyRecipients(SmtpRecipientsRefusedException failure, string server)
    {
        var list = string.Join("; ", failure.Refusals.Select(r => $"{r.Mailbox.Address}: {(int)r.StatusCode} {r.Response.Trim()}"));
        var what = $"SMTP server {server} refused {failure.Refusals.Count} of {failure.Recipients} recipient(s) before DATA, so nobody received the message";
        return failure.Refusals.Any(r => IsTransient((int)r.StatusCode))
            ? new TransientDependencyException($"{what}; at least one refusal is temporary, so the message will be retried: {list}", failure)
            : new DiscardJobException($"{what}: {list} Retrying cannot help; enqueue it again without the refused address(es).", failure);
    }
}
