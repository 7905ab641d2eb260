namespace JobPlatform.Jobs.Email;

/// <summary>The SMTP server of <c>email.send</c> (section <c>Email:Smtp</c>) and the worker's pool of connections to
/// it. Defaults suit a local relay.</summary>
public sealed class EmailSmtpOptions
{
    /// <summary>Default host.</summary>
    public const string DefaultHost = "localhost";

    /// <summary>Default port (plain SMTP; use 587 with <see cref="SmtpSecurity.StartTls"/> or 465 with
    /// <see cref="SmtpSecurity.SslOnConnect"/> for a submission server).</summary>
    public const int DefaultPort = 25;

    /// <summary>Default number of connections one worker keeps to the server.</summary>
    public const int DefaultPoolSize = 2;

    /// <summary>Most connections one worker may keep to the server.</summary>
    public const int MaxPoolSize = 32;

    /// <summary>Default time an unused connection stays open.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Host name or address (<c>Email:Smtp:Host</c>); also the name the server's certificate must carry.</summary>
    public string Host { get; set; } = DefaultHost;

    /// <summary>Port (<c>Email:Smtp:Port</c>).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Transport security (<c>Email:Smtp:Security</c>): <c>None</c> (default), <c>StartTls</c>,
    /// <c>SslOnConnect</c> or <c>Auto</c>.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.None;

    /// <summary>
    /// A PEM file of certificates to trust for this server besides the system's roots
    /// (<c>Email:Smtp:TrustedCertificatesPath</c>): the CA of a test or company server, or a self-signed server
    /// certificate itself. The host name must still match. Unset: the system's roots only. There is no setting that
    /// accepts every certificate.
    /// </summary>
    public string? TrustedCertificatesPath { get; set; }

    /// <summary>Check that the server's certificate is not revoked, online (<c>Email:Smtp:CheckCertificateRevocation</c>,
    /// default on). Turn it off only where the worker cannot reach the CA's revocation servers; certificates trusted
    /// through <see cref="TrustedCertificatesPath"/> are never checked for revocation.</summary>
    public bool CheckCertificateRevocation { get; set; } = true;

    /// <summary>User for SMTP AUTH (<c>Email:Smtp:UserName</c>); unset for none.</summary>
    public string? UserName { get; set; }

    /// <summary>Password for SMTP AUTH (<c>Email:Smtp:Password</c>); never logged. Set it from the environment
    /// (<c>Email__Smtp__Password</c>) or a secret store, not in a committed file.</summary>
    public string? Password { get; set; }

    /// <summary>Connections one worker keeps to the server (<c>Email:Smtp:PoolSize</c>, 1 to <see cref="MaxPoolSize"/>):
    /// at most this many messages are in flight at once; more wait for a free connection.</summary>
    public int PoolSize { get; set; } = DefaultPoolSize;

    /// <summary>An unused connection is closed (QUIT) after this long (<c>Email:Smtp:IdleTimeout</c>).</summary>
    public TimeSpan IdleTimeout { get; set; } = DefaultIdleTimeout;

    /// <summary>Replaced by <see cref="Security"/> (<c>Email:Smtp:EnableSsl</c>): <c>true</c> fails the start with a
    /// message naming <c>Email:Smtp:Security</c>, so an old setting cannot silently turn into plain text.</summary>
    public bool? EnableSsl { get; set; }

    /// <summary>Never prints the password.</summary>
    public override string ToString() =>
        $"{Host}:{Port} ({Security}, {(UserName is null ? "no auth" : "user " + UserName)}, pool {PoolSize})";
}
