using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// Trusts the certificates of <c>Email:Smtp:TrustedCertificatesPath</c> as roots for the SMTP server, besides the
/// system's. A certificate the system already accepts passes; otherwise the chain must end at one of the given
/// certificates and the host name must still match. Nothing here accepts an arbitrary certificate.
/// </summary>
internal sealed class SmtpCertificateTrust
{
    private readonly X509Certificate2Collection _roots;

    private SmtpCertificateTrust(X509Certificate2Collection roots) => _roots = roots;

    /// <summary>Reads the PEM file at <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The file is missing, unreadable or holds no certificate; the message names the key.</exception>
    public static SmtpCertificateTrust Load(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ArgumentException(
                $"{EmailOptions.SectionName}:Smtp:TrustedCertificatesPath is '{path}', which cannot be read as PEM certificates ({e.Message}); " +
                "point it at a file of '-----BEGIN CERTIFICATE-----' blocks or unset it.", e);
        }

        if (roots.Count == 0)
        {
            throw new ArgumentException(
                $"{EmailOptions.SectionName}:Smtp:TrustedCertificatesPath is '{path}', which holds no '-----BEGIN CERTIFICATE-----' block; " +
                "add the server's CA (or its self-signed certificate) or unset the key.");
        }

        return new SmtpCertificateTrust(roots);
    }

    /// <summary>The TLS validation callback of the SMTP client.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // A wrong host name or no certificate at all is never forgiven; only an unknown issuer is re-checked.
        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_roots);
        // Test and company CAs rarely publish revocation lists; trust here is the explicit choice of this file.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf);
    }
}
