using JobPlatform.Core;
using JobPlatform.Jobs.Blobs;
using JobPlatform.Jobs.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// Runs <c>email.send</c>: validates and prepares the message (bad input discards the job at once), takes a token
/// from the shared rate limit (snoozing when none comes soon), reads the attachments, takes a connection slot of the
/// worker's <see cref="SmtpConnectionPool"/>, then sends with MailKit through the <c>smtp</c> dependency (retry, breaker,
/// timeout). A recipient refused before DATA fails the whole message, so nobody gets a copy a retry would repeat.
/// SMTP cannot be exactly-once: a crash after the server accepted the message and before the job is marked completed
/// sends it again on the retry; the Message-ID <c>&lt;jobid@jobplatform&gt;</c> is the same every time, so receivers
/// can drop the copy.
/// </summary>
internal sealed class EmailSendHandler : IJobHandler<EmailSendArgs>
{
    private readonly EmailOptions _options;
    private readonly EmailComposer _composer;
    private readonly Dependency _smtp;
    private readonly SharedRateLimiter? _rateLimiter;
    private readonly SmtpConnectionPool _pool;
    private readonly ILogger _logger;
    private readonly string _server;

    public EmailSendHandler(IOptions<EmailOptions> options, EmailTemplateStore templates, IBlobStore blobs, Dependencies dependencies,
        SharedRateLimiter rateLimiter, SmtpConnectionPool pool, ILogger<EmailSendHandler>? logger = null)
    {
        _options = options.Value;
        _composer = new EmailComposer(_options, templates, blobs);
        _smtp = dependencies[Dependencies.Smtp];
        _rateLimiter = _options.RateLimit.PerSecond > 0 ? rateLimiter : null;
        _pool = pool;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _server = $"{_options.Smtp.Host}:{_options.Smtp.Port}";
    }

    /// <summary>The shared bucket of this SMTP server.</summary>
    internal string Bucket => _options.RateLimit.Bucket ?? $"smtp:{_server}";

    public Task HandleAsync(EmailSendArgs args, JobContext context, CancellationToken cancellationToken) =>
        SendAsync(args, context.Id, cancellationToken);

    /// <summary>One attempt for job <paramref name="jobId"/> (what <see cref="HandleAsync"/> does, callable without a <see cref="JobContext"/>).</summary>
    internal async Task SendAsync(EmailSendArgs args, Guid jobId, CancellationToken cancellationToken)
    {
        // Cheapest first, so a snooze (open breaker, rate limit) repeats as little as possible: bad args discard before
        // anything is spent, an open breaker snoozes before a token is taken, attachments are read last.
        var email = _composer.Compose(args, jobId);
        _smtp.SnoozeIfOpen();
        if (_rateLimiter is not null)
        {
            var limit = _options.RateLimit;
            await _rateLimiter.TakeOrSnoozeAsync(Bucket, limit.PerSecond, limit.EffectiveBurst, limit.MaxWait, cancellationToken).ConfigureAwait(false);
        }

        email = await _composer.AttachAsync(email, args.Attachments, cancellationToken).ConfigureAwait(false);
        var recipients = email.EnvelopeRecipients();
        using (var lease = await _pool.RentAsync(cancellationToken).ConfigureAwait(false))
        {
            await _smtp.ExecuteAsync(ct => SendOnceAsync(email, recipients, lease, ct), cancellationToken).ConfigureAwait(false);
        }

        _logger.LogInformation("Sent email {MessageId} to {Recipients} recipient(s) through {Server}", email.MessageId, email.RecipientCount, _server);
    }

    private async ValueTask SendOnceAsync(PreparedEmail email, IReadOnlyList<MailboxAddress> recipients, SmtpConnectionLease lease, CancellationToken cancellationToken)
    {
        using var message = email.ToMimeMessage();
        try
        {
            await lease.SendAsync(message, email.From, recipients, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SmtpFailures.Classify(e, _server) is { } classified)
        {
            throw classified;
        }
    }
}
