using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using JobPlatform.TestSupport;
using MimeKit;

namespace JobPlatform.Jobs.Tests.Email;

/// <summary>
/// A real SMTP server for one test: Debian's aiosmtpd on its own port, storing messages in its own Maildir. Its
/// handler accepts every recipient except those whose local part starts with <c>reject550</c> (refused with 550),
/// <c>busy450</c> (450) or <c>defer451</c> (451); <c>dropconn</c> makes it drop the connection without a reply. It can
/// offer STARTTLS (and then require it) or speak implicit TLS, with a fresh self-signed certificate for 127.0.0.1,
/// require a login, and close idle connections itself. It logs every connection it accepts and closes, so tests can
/// count them. Received messages are parsed with MimeKit.
/// </summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";

    private const string ServerSource = """
        import asyncio, json, ssl, sys
        from aiosmtpd.handlers import Mailbox
        from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

        cfg = json.load(open(sys.argv[1]))
        events = open(cfg['events'], 'a', buffering=1)

        class TestMailbox(Mailbox):
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                local = address.split('@')[0].lower()
                if local.startswith('reject550'):
                    return '550 5.1.1 <%s>: Recipient address rejected: User unknown' % address
                if local.startswith('busy450'):
                    return '450 4.2.1 <%s>: Mailbox busy, try again later' % address
                if local.startswith('defer451'):
                    return '451 4.3.0 <%s>: Temporary failure, try again later' % address
                if local.startswith('dropconn'):
                    server.transport.abort()
                    return '421 4.4.2 gone'
                envelope.rcpt_tos.append(address)
                return '250 OK'

        class CountingSMTP(SMTP):
            def connection_made(self, transport):
                first = self.transport is None
                super().connection_made(transport)
                if first:
                    events.write('connect\n')
            def connection_lost(self, error):
                if not getattr(self, '_counted_close', False):
                    self._counted_close = True
                    events.write('close\n')
                super().connection_lost(error)

        def context(cert, key):
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(cert, key)
            return ctx

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == cfg['user'] and auth_data.password.decode() == cfg['password']
            return AuthResult(success=ok, handled=False)

        async def main():
            loop = asyncio.get_running_loop()
            handler = TestMailbox(cfg['maildir'])
            starttls = context(cfg['cert'], cfg['key']) if cfg['tls'] == 'StartTls' else None
            implicit = context(cfg['cert'], cfg['key']) if cfg['tls'] == 'Implicit' else None
            auth = cfg.get('user') is not None
            def factory():
                return CountingSMTP(handler, hostname='smtp.test', loop=loop, timeout=cfg['idleTimeout'],
                    tls_context=starttls, require_starttls=starttls is not None,
                    authenticator=authenticator if auth else None, auth_required=auth,
                    auth_require_tls=implicit is None)
            server = await loop.create_server(factory, '127.0.0.1', cfg['port'], ssl=implicit)
            print('listening', flush=True)
            await server.serve_forever()

        asyncio.run(main())
        """;

    private readonly string _root;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SmtpTestServer(string root, int port, Process process)
    {
        _root = root;
        Port = port;
        _process = process;
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The Maildir (created by the handler, so it must not exist beforehand).</summary>
    public string MailDir => Path.Combine(_root, "maildir");

    /// <summary>The self-signed certificate (PEM) of a server started with TLS, for the client's trusted certificates.</summary>
    public string CertificateFile => Path.Combine(_root, "cert.pem");

    /// <summary>Connections the server accepted so far (a STARTTLS upgrade is the same connection).</summary>
    public int Connections => Events("connect");

    /// <summary>Connections closed so far, by either side.</summary>
    public int Closed => Events("close");

    /// <summary>Starts a server and waits (bounded) until it accepts connections.</summary>
    /// <param name="tls">STARTTLS (offered and required: mail without it gets 530) or implicit TLS, each with a fresh
    /// self-signed certificate for 127.0.0.1 (<see cref="CertificateFile"/>).</param>
    /// <param name="user">With <paramref name="password"/>: the only login accepted, and mail needs it.</param>
    /// <param name="password">The password of <paramref name="user"/>.</param>
    /// <param name="idleTimeoutSeconds">The server closes a connection idle this long.</param>
    public static async Task<SmtpTestServer> StartAsync(SmtpTestTls tls = SmtpTestTls.None, string? user = null, string? password = null, double idleTimeoutSeconds = 300)
    {
        var root = Directory.CreateTempSubdirectory("jobplatform-smtp-").FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "jobs_test_smtp.py"), ServerSource);
        if (tls != SmtpTestTls.None)
        {
            WriteSelfSignedCertificate(Path.Combine(root, "cert.pem"), Path.Combine(root, "key.pem"));
        }

        var port = ChildProcess.FreePort();
        var config = Path.Combine(root, "config.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["port"] = port,
            ["maildir"] = Path.Combine(root, "maildir"),
            ["events"] = Path.Combine(root, "events.log"),
            ["tls"] = tls.ToString(),
            ["cert"] = Path.Combine(root, "cert.pem"),
            ["key"] = Path.Combine(root, "key.pem"),
            ["user"] = user,
            ["password"] = password,
            ["idleTimeout"] = idleTimeoutSeconds,
        }));
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(root, "jobs_test_smtp.py"));
        info.ArgumentList.Add(config);
        var process = Process.Start(info)!;
        var server = new SmtpTestServer(root, port, process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitListeningAsync(TimeSpan.FromSeconds(20));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Writes a throwaway self-signed certificate for 127.0.0.1 and localhost, valid for a day, as PEM.</summary>
    public static void WriteSelfSignedCertificate(string certFile, string? keyFile = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=jobplatform-test-smtp", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        if (keyFile is not null)
        {
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        }
    }

    /// <summary>Every message received so far, oldest first.</summary>
    public Task<IReadOnlyList<ReceivedEmail>> ReadAllAsync()
    {
        var dir = Path.Combine(MailDir, "new");
        IReadOnlyList<ReceivedEmail> mails = Directory.Exists(dir)
            ? new DirectoryInfo(dir).GetFiles().OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => new ReceivedEmail(MimeMessage.Load(f.FullName))).ToList()
            : [];
        return Task.FromResult(mails);
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> messages arrived and returns them all.</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> WaitForAsync(int count, int seconds = 20)
    {
        await TestDatabase.WaitUntilAsync(
            () => Task.FromResult(Directory.Exists(Path.Combine(MailDir, "new")) && Directory.GetFiles(Path.Combine(MailDir, "new")).Length >= count),
            TimeSpan.FromSeconds(seconds), $"{count} message(s) in {MailDir}/new; server output:\n{Output}");
        return await ReadAllAsync();
    }

    /// <summary>Messages stored so far, without parsing.</summary>
    public int Count => Directory.Exists(Path.Combine(MailDir, "new")) ? Directory.GetFiles(Path.Combine(MailDir, "new")).Length : 0;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    // Waits for the server's own word rather than probing the port, so the connection count starts at zero.
    private async Task WaitListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains("listening", StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited with {_process.ExitCode} before listening on {Port}:\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"aiosmtpd did not listen on 127.0.0.1:{Port} within {timeout}:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    private int Events(string kind)
    {
        var file = Path.Combine(_root, "events.log");
        return File.Exists(file) ? File.ReadAllLines(file).Count(l => l == kind) : 0;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}

/// <summary>The TLS a <see cref="SmtpTestServer"/> speaks.</summary>
public enum SmtpTestTls
{
    None,
    StartTls,
    Implicit,
}
