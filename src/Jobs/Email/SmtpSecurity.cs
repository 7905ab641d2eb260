namespace JobPlatform.Jobs.Email;

/// <summary>How <c>email.send</c> secures its SMTP connection (<c>Email:Smtp:Security</c>).</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP, no TLS: only for a relay on the same machine or network (the default, port 25).</summary>
    None,

    /// <summary>Connect in plain text, then upgrade with STARTTLS; fails when the server does not offer it (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte, "implicit TLS" or SMTPS (port 465).</summary>
    SslOnConnect,

    /// <summary>Implicit TLS on port 465, otherwise STARTTLS when the server offers it and plain text when it does not.
    /// Opportunistic: a man in the middle can strip the STARTTLS offer, so prefer <see cref="StartTls"/> across networks.</summary>
    Auto,
}
