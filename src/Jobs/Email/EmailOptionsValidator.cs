using MimeKit;
using Microsoft.Extensions.Options;

namespace JobPlatform.Jobs.Email;

/// <summary>Checks <see cref="EmailOptions"/> at start; each failure names its key and a valid example.</summary>
internal sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var problems = Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    internal static IEnumerable<string> Problems(EmailOptions o)
    {
        const string s = EmailOptions.SectionName;
        if (!MailboxAddress.TryParse(EmailComposer.StrictAddresses, o.From, out _))
        {
            yield return $"{s}:From is '{o.From}'; it must be an email address such as 'Billing <billing@example.com>'.";
        }

        if (o.TemplatesPath is { Length: > 0 } path && !Directory.Exists(path))
        {
            yield return $"{s}:TemplatesPath is '{path}', which is not a directory; create it or unset the key to use the built-in templates only.";
        }

        if (o.MaxAttachmentBytes <= 0)
        {
            yield return $"{s}:MaxAttachmentBytes is {o.MaxAttachmentBytes}; it must be positive, e.g. {EmailOptions.DefaultMaxAttachmentBytes}.";
        }

        if (string.IsNullOrWhiteSpace(o.Smtp.Host))
        {
            yield return $"{s}:Smtp:Host is empty; set the SMTP server's host name, e.g. 'localhost'.";
        }

        if (o.Smtp.Port is < 1 or > 65535)
        {
            yield return $"{s}:Smtp:Port is {o.Smtp.Port}; it must be 1 to 65535, e.g. 25 or 587.";
        }

        if (string.IsNullOrEmpty(o.Smtp.UserName) != string.IsNullOrEmpty(o.Smtp.Password))
        {
            // Never echo the password itself.
            yield return $"{s}:Smtp:UserName and {s}:Smtp:Password must be set together (or both left unset for no authentication).";
        }

        if (!Enum.IsDefined(o.Smtp.Security))
        {
            yield return $"{s}:Smtp:Security is {o.Smtp.Security}; it must be None, StartTls, SslOnConnect or Auto.";
        }

        if (o.Smtp.EnableSsl == true)
        {
            yield return $"{s}:Smtp:EnableSsl is no longer read; set {s}:Smtp:Security to StartTls (what EnableSsl=true meant) or SslOnConnect (implicit TLS, port 465), and remove EnableSsl.";
        }

        if (o.Smtp.TrustedCertificatesPath is { Length: > 0 } trusted && TrustProblem(trusted) is { } problem)
        {
            yield return problem;
        }

        if (o.Smtp.PoolSize is < 1 or > EmailSmtpOptions.MaxPoolSize)
        {
            yield return $"{s}:Smtp:PoolSize is {o.Smtp.PoolSize}; it must be 1 to {EmailSmtpOptions.MaxPoolSize}, e.g. {EmailSmtpOptions.DefaultPoolSize}.";
        }

        if (o.Smtp.IdleTimeout <= TimeSpan.Zero)
        {
            yield return $"{s}:Smtp:IdleTimeout is {o.Smtp.IdleTimeout}; it must be positive, e.g. 00:00:30.";
        }

        var rate = o.RateLimit;
        if (double.IsNaN(rate.PerSecond) || rate.PerSecond < 0)
        {
            yield return $"{s}:RateLimit:PerSecond is {rate.PerSecond}; it must be 0 (unlimited) or more, e.g. 10.";
        }

        if (rate.Burst is { } burst && (double.IsNaN(burst) || burst < 1))
        {
            yield return $"{s}:RateLimit:Burst is {burst}; it must be at least 1, or unset for one second's worth.";
        }

        if (rate.MaxWait < TimeSpan.Zero || rate.MaxWait > TimeSpan.FromMinutes(1))
        {
            yield return $"{s}:RateLimit:MaxWait is {rate.MaxWait}; it must be 00:00:00 to 00:01:00, e.g. 00:00:01.";
        }
    }

    private static string? TrustProblem(string path)
    {
        if (!File.Exists(path))
        {
            return $"{EmailOptions.SectionName}:Smtp:TrustedCertificatesPath is '{path}', which is not a file; point it at a PEM file of the CA or certificate to trust, or unset it.";
        }

        try
        {
            _ = SmtpCertificateTrust.Load(path);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
