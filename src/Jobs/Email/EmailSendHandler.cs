using System.Net;
using System.Net.Mail;
using JobPlatform.Core;
using JobPlatform.Jobs.Blobs;
using JobPlatform.Jobs.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// Runs <c>email.send</c>: validates and prepares the message (bad input discards the job at once), takes a token
/// from the shared rate limit (snoozing when none comes soon), reads the attachments, then sends through the <c>smtp</c> dependency
/// (retry, breaker, timeout). SMTP cannot be exactly-once: a crash after the server accepted the message and
/// before the job is marked completed sends it again on the retry; the Message-ID <c>&lt;jobid@jobplatform&gt;</c>
/// is the same every time, so receivers can drop the copy.
/// </summary>
internal sealed class EmailSendHandler : IJobHandler<EmailSendArgs>
{
    private readonly EmailOptions _options;
    private readonly EmailComposer _composer;
    private readonly Dependency _smtp;
    private readonly SharedRateLimiter? _rateLimiter;
    private readonly ILogger _logger;
    private readonly string _server;

    public EmailSendHandler(IOptions<EmailOptions> options, EmailTemplateStore templates, IBlobStore blobs, Dependencies dependencies,
        SharedRateLimiter rateLimiter, ILogger<EmailSendHandler>? logger = null)
    {
        _options = options.Value;
        _composer = new EmailComposer(_options, templates, blobs);
        _smtp = dependencies[Dependencies.Smtp];
        _rateLimiter = _options.RateLimit.PerSecond > 0 ? rateLimiter : null;
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
        await _smtp.ExecuteAsync(ct => SendOnceAsync(email, ct), cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Sent email {MessageId} to {Recipients} recipient(s) through {Server}", email.MessageId, email.RecipientCount, _server);
    }

    private async ValueTask SendOnceAsync(PreparedEmail email, CancellationToken cancellationToken)
    {
        using var message = email.ToMailMessage();
        using var client = new SmtpClient(_options.Smtp.Host, _options.Smtp.Port)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            EnableSsl = _options.Smtp.EnableSsl,
            // The pipeline's timeout (Jobs:Resilience:smtp:Timeout) cancels the call; this only bounds the socket.
            Timeout = (int)Math.Clamp(_smtp.Options.Timeout.TotalMilliseconds, 1, int.MaxValue),
            UseDefaultCredentials = false,
        };
        if (!string.IsNullOrEmpty(_options.Smtp.UserName))
        {
            client.Credentials = new NetworkCredential(_options.Smtp.UserName, _options.Smtp.Password);
        }

        try
        {
            await client.SendMailAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpException e)
        {
            throw SmtpFailures.Classify(e, email, _server);
        }
    }
}
