using MimeKit;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// One slot of the <see cref="SmtpConnectionPool"/>, held for one message across its in-process retries. Each
/// <see cref="SendAsync"/> takes a checked connection; on success it goes back to the pool, on any failure
/// (refusal, protocol error, timeout, cancellation) it is discarded, so the next try and the next job start clean.
/// </summary>
internal sealed class SmtpConnectionLease : IDisposable
{
    private SmtpConnectionPool? _pool;

    internal SmtpConnectionLease(SmtpConnectionPool pool) => _pool = pool;

    /// <summary>Sends <paramref name="message"/> to <paramref name="recipients"/>, all or nothing.</summary>
    /// <exception cref="SmtpRecipientsRefusedException">A recipient was refused; nothing was sent.</exception>
    public async Task SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken cancellationToken)
    {
        var pool = _pool ?? throw new ObjectDisposedException(nameof(SmtpConnectionLease));
        var client = await pool.TakeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await client.SendAllOrNothingAsync(message, sender, recipients, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            pool.Discard(client, e);
            throw;
        }

        pool.Return(client);
    }

    /// <summary>Frees the slot.</summary>
    public void Dispose()
    {
        var pool = Interlocked.Exchange(ref _pool, null);
        pool?.Release();
    }
}
