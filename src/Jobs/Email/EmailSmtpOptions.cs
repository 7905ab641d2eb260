namespace JobPlatform.Jobs.Email;

/// <summary>The SMTP server of <c>email.send</c> (section <c>Email:Smtp</c>). Defaults suit a local relay.</summary>
public sealed class EmailSmtpOptions
{
    /// <summary>Default host.</summary>
    public const string DefaultHost = "localhost";

    /// <summary>Default port (plain SMTP; use 587 with <see cref="EnableSsl"/> for a submission server).</summary>
    public const int DefaultPort = 25;

    /// <summary>Host name or address (<c>Email:Smtp:Host</c>).</summary>
    public string Host { get; set; } = DefaultHost;

    /// <summary>Port (<c>Email:Smtp:Port</c>).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>User for SMTP AUTH (<c>Email:Smtp:UserName</c>); unset for none.</summary>
    public string? UserName { get; set; }

    /// <summary>Password for SMTP AUTH (<c>Email:Smtp:Password</c>); never logged. Set it from the environment
    /// (<c>Email__Smtp__Password</c>) or a secret store, not in a committed file.</summary>
    public string? Password { get; set; }

    /// <summary>Upgrade the connection with STARTTLS (<c>Email:Smtp:EnableSsl</c>); implicit TLS (port 465) is not
    /// supported by System.Net.Mail.</summary>
    public bool EnableSsl { get; set; }

    /// <summary>Never prints the password.</summary>
    public override string ToString() =>
        $"{Host}:{Port} (STARTTLS {(EnableSsl ? "on" : "off")}, {(UserName is null ? "no auth" : "user " + UserName)})";
}
