using JobPlatform.Core;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// The worker's connections to the SMTP server: at most <see cref="EmailSmtpOptions.PoolSize"/>, each connected and
/// authenticated once and reused across jobs. A job rents a slot (<see cref="RentAsync"/>) and sends through it; the
/// connection it gets is idle, NOOP-checked and never in the middle of another message. A connection that failed in
/// any way is discarded, never returned; idle ones are closed with QUIT after <see cref="EmailSmtpOptions.IdleTimeout"/>.
/// </summary>
internal sealed class SmtpConnectionPool : IAsyncDisposable
{
    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(5);

    private readonly EmailSmtpOptions _options;
    private readonly SmtpCertificateTrust? _trust;
    private readonly int _ioTimeoutMs;
    private readonly TimeSpan _slotWait;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    // Most recently used last, so reuse takes the warmest connection and the sweeper finds the coldest first.
    private readonly List<JobSmtpClient> _idle = [];
    private readonly ITimer _sweeper;
    private int _opened;
    private bool _disposed;

    /// <summary>A pool for <paramref name="options"/>' server.</summary>
    /// <param name="options">The server, security, credentials and pool settings.</param>
    /// <param name="ioTimeout">Socket timeout of each SMTP command, and the longest wait for a free connection.</param>
    /// <param name="time">Clock of the idle timeout.</param>
    /// <param name="logger">Where connects and discards are logged (never the password).</param>
    public SmtpConnectionPool(EmailSmtpOptions options, TimeSpan ioTimeout, TimeProvider? time = null, ILogger? logger = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PoolSize, 1);
        _trust = options.TrustedCertificatesPath is { Length: > 0 } path ? SmtpCertificateTrust.Load(path) : null;
        _ioTimeoutMs = (int)Math.Clamp(ioTimeout.TotalMilliseconds, 1, int.MaxValue);
        _slotWait = ioTimeout;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _slots = new SemaphoreSlim(options.PoolSize, options.PoolSize);
        var sweep = TimeSpan.FromTicks(Math.Clamp(options.IdleTimeout.Ticks / 2, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(15).Ticks));
        _sweeper = _time.CreateTimer(_ => _ = CloseIdleAsync(stale: true), null, sweep, sweep);
    }

    /// <summary>Connections opened since the pool started (connected and, with credentials, authenticated).</summary>
    public int Opened => Volatile.Read(ref _opened);

    /// <summary>Connections open and waiting for a job now.</summary>
    public int IdleCount
    {
        get
        {
            lock (_idle)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>Takes one of the pool's slots for a message; dispose the lease when the message is done. Retries of the
    /// same message keep the slot.</summary>
    /// <exception cref="SnoozeJobException">Every connection stayed busy for the SMTP timeout: the job waits without spending its attempt.</exception>
    public async Task<SmtpConnectionLease> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!await _slots.WaitAsync(_slotWait, cancellationToken).ConfigureAwait(false))
        {
            var delay = TimeSpan.FromMilliseconds(1000 + Random.Shared.Next(0, 2000));
            throw new SnoozeJobException(delay,
                $"All {_options.PoolSize} SMTP connection(s) of this worker to {_options.Host}:{_options.Port} stayed busy for {_slotWait.TotalSeconds:0.#} s; " +
                $"snoozed for {delay.TotalSeconds:0.#} s. Raise {EmailOptions.SectionName}:Smtp:PoolSize if the server allows more connections.");
        }

        return new SmtpConnectionLease(this);
    }

    /// <summary>An idle connection that answers NOOP, or a new one.</summary>
    internal async Task<JobSmtpClient> TakeAsync(CancellationToken cancellationToken)
    {
        while (TryPopIdle() is { } client)
        {
            try
            {
                await client.NoOpAsync(cancellationToken).ConfigureAwait(false);
                return client;
            }
            catch (Exception e)
            {
                // The server may have dropped it (its own idle timeout, a restart): try the next one or connect.
                Discard(client, e);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return await ConnectAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives back a connection that just finished a message successfully.</summary>
    internal void Return(JobSmtpClient client)
    {
        client.LastUsed = _time.GetTimestamp();
        lock (_idle)
        {
            if (!_disposed && client.IsConnected)
            {
                _idle.Add(client);
                return;
            }
        }

        client.Dispose();
    }

    /// <summary>Drops a connection whose state is unknown after <paramref name="failure"/>; no QUIT, just closed.</summary>
    internal void Discard(JobSmtpClient client, Exception failure)
    {
        _logger.LogDebug("Discarded an SMTP connection to {Server} after {Failure}", Server, failure.GetType().Name);
        client.Dispose();
    }

    /// <summary>Frees the slot of a lease.</summary>
    internal void Release() => _slots.Release();

    /// <summary>Closes every idle connection with QUIT; connections in use close when their lease ends.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_idle)
        {
            _disposed = true;
        }

        await _sweeper.DisposeAsync().ConfigureAwait(false);
        await CloseIdleAsync(stale: false).ConfigureAwait(false);
    }

    private string Server => $"{_options.Host}:{_options.Port}";

    private JobSmtpClient? TryPopIdle()
    {
        lock (_idle)
        {
            while (_idle.Count > 0)
            {
                var client = _idle[^1];
                _idle.RemoveAt(_idle.Count - 1);
                if (client.IsConnected && _time.GetElapsedTime(client.LastUsed) < _options.IdleTimeout)
                {
                    return client;
                }

                client.Dispose();
            }

            return null;
        }
    }

    private async Task<JobSmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new JobSmtpClient { Timeout = _ioTimeoutMs, CheckCertificateRevocation = _options.CheckCertificateRevocation };
        if (_trust is not null)
        {
            client.ServerCertificateValidationCallback = _trust.Validate;
        }

        try
        {
            await client.ConnectAsync(_options.Host, _options.Port, SocketOptions(_options.Security), cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(_options.UserName))
            {
                await client.AuthenticateAsync(_options.UserName, _options.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }

        Interlocked.Increment(ref _opened);
        _logger.LogDebug("Opened an SMTP connection to {Server} ({Security}, TLS {Secure})", Server, _options.Security, client.IsSecure);
        return client;
    }

    private static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.Auto => SecureSocketOptions.Auto,
        _ => throw new ArgumentOutOfRangeException(nameof(security), security, "Unknown SMTP security mode."),
    };

    private async Task CloseIdleAsync(bool stale)
    {
        List<JobSmtpClient> closing = [];
        lock (_idle)
        {
            while (_idle.Count > 0 && (!stale || _time.GetElapsedTime(_idle[0].LastUsed) >= _options.IdleTimeout))
            {
                closing.Add(_idle[0]);
                _idle.RemoveAt(0);
            }
        }

        foreach (var client in closing)
        {
            try
            {
                using var quit = new CancellationTokenSource(QuitTimeout);
                await client.DisconnectAsync(quit: true, quit.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // The connection is going away either way; a failed QUIT only means the server left first.
                _logger.LogDebug("QUIT to {Server} failed: {Failure}", Server, e.GetType().Name);
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}
