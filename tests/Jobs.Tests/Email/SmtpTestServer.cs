using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using JobPlatform.TestSupport;

namespace JobPlatform.Jobs.Tests.Email;

/// <summary>
/// A real SMTP server for one test: Debian's aiosmtpd on its own port, storing messages in its own Maildir. Its
/// handler accepts every recipient except those whose local part starts with <c>reject550</c> (refused with 550)
/// <c>busy450</c> (450) or <c>defer451</c> (451). System.Net.Mail collects 450, 452 and 550-553 per recipient
/// and sends to the others, but aborts the whole transaction on any other RCPT reply such as 451. Received messages are parsed with Python's standard <c>email</c> module.
/// </summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";

    private const string HandlerSource = """
        from aiosmtpd.handlers import Mailbox

        class TestMailbox(Mailbox):
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                local = address.split('@')[0].lower()
                if local.startswith('reject550'):
                    return '550 5.1.1 <%s>: Recipient address rejected: User unknown' % address
                if local.startswith('busy450'):
                    return '450 4.2.1 <%s>: Mailbox busy, try again later' % address
                if local.startswith('defer451'):
                    return '451 4.3.0 <%s>: Temporary failure, try again later' % address
                envelope.rcpt_tos.append(address)
                return '250 OK'
        """;

    private const string ParserSource = """
        import base64, json, os, sys
        from email import policy
        from email.parser import BytesParser

        def structure(part):
            if part.is_multipart():
                return part.get_content_type() + '(' + ','.join(structure(p) for p in part.iter_parts()) + ')'
            return part.get_content_type()

        out = []
        new = os.path.join(sys.argv[1], 'new')
        for name in sorted(os.listdir(new), key=lambda n: os.path.getmtime(os.path.join(new, n))):
            with open(os.path.join(new, name), 'rb') as f:
                msg = BytesParser(policy=policy.default).parse(f)
            parts = []
            for part in msg.walk():
                if part.is_multipart():
                    continue
                content = part.get_content()
                parts.append({
                    'contentType': part.get_content_type(),
                    'fileName': part.get_filename(),
                    'isAttachment': part.is_attachment(),
                    'text': content if isinstance(content, str) else None,
                    'base64': base64.b64encode(content).decode() if isinstance(content, bytes) else None,
                })
            out.append({'headers': [[k, str(v)] for k, v in msg.items()], 'structure': structure(msg), 'parts': parts})
        print(json.dumps(out))
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

    /// <summary>The self-signed certificate (PEM) of a server started with STARTTLS, for the client's SSL_CERT_FILE.</summary>
    public string CertificateFile => Path.Combine(_root, "cert.pem");

    /// <summary>Starts a server and waits (bounded) until it accepts connections. With <paramref name="startTls"/>, it
    /// offers STARTTLS with a fresh self-signed certificate for 127.0.0.1 and refuses mail without it (530).</summary>
    public static async Task<SmtpTestServer> StartAsync(bool startTls = false)
    {
        var root = Directory.CreateTempSubdirectory("jobplatform-smtp-").FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "jobs_test_smtp.py"), HandlerSource);
        await File.WriteAllTextAsync(Path.Combine(root, "parse_maildir.py"), ParserSource);
        string[] tls = [];
        if (startTls)
        {
            await MakeCertificateAsync(root);
            tls = ["--tlscert", Path.Combine(root, "cert.pem"), "--tlskey", Path.Combine(root, "key.pem")];
        }

        var port = ChildProcess.FreePort();
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args = ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "jobs_test_smtp.TestMailbox", .. tls, Path.Combine(root, "maildir")];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PYTHONPATH"] = root;
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

    /// <summary>Every message received so far, oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> ReadAllAsync()
    {
        if (!Directory.Exists(Path.Combine(MailDir, "new")))
        {
            return [];
        }

        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(_root, "parse_maildir.py"));
        info.ArgumentList.Add(MailDir);
        using var parser = Process.Start(info)!;
        var stdout = parser.StandardOutput.ReadToEndAsync();
        var stderr = parser.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await parser.WaitForExitAsync(timeout.Token);
        if (parser.ExitCode != 0)
        {
            throw new InvalidOperationException($"Parsing the Maildir failed ({parser.ExitCode}): {await stderr}");
        }

        return JsonSerializer.Deserialize<List<ReceivedEmail>>(await stdout, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
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

    private static async Task MakeCertificateAsync(string root)
    {
        var info = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", Path.Combine(root, "key.pem"), "-out", Path.Combine(root, "cert.pem") })
        {
            info.ArgumentList.Add(arg);
        }

        using var openssl = Process.Start(info)!;
        var stderr = openssl.StandardError.ReadToEndAsync();
        _ = openssl.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await openssl.WaitForExitAsync(timeout.Token);
        if (openssl.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl could not make a test certificate ({openssl.ExitCode}): {await stderr}");
        }
    }

    private async Task WaitListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited with {_process.ExitCode} before listening on {Port}:\n{Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException e)
            {
                throw new TimeoutException($"aiosmtpd did not listen on 127.0.0.1:{Port} within {timeout} ({e.Message}):\n{Output}");
            }
        }
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
