using JobPlatform.Jobs.Blobs;
using JobPlatform.Jobs.Email;
using JobPlatform.Jobs.Resilience;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobPlatform.Jobs.Tests.Email;

/// <summary>Builds an <see cref="EmailSendHandler"/> with its own connection pool against a test SMTP server and a temporary blob store.</summary>
internal sealed class EmailTestKit : IAsyncDisposable
{
    private static readonly Lazy<NpgsqlDataSource> Unused = new(() => NpgsqlDataSource.Create("Host=127.0.0.1;Port=1"));

    public EmailTestKit(int smtpPort, DependencyOptions? smtp = null, Action<EmailOptions>? configure = null,
        NpgsqlDataSource? dataSource = null, string? schema = null)
    {
        BlobRoot = Directory.CreateTempSubdirectory("jobplatform-email-blobs-").FullName;
        Blobs = new FileSystemBlobStore(BlobRoot);
        Options = new EmailOptions { From = "Billing <billing@example.com>", Smtp = { Host = "127.0.0.1", Port = smtpPort } };
        configure?.Invoke(Options);
        Smtp = new Dependency(Dependencies.Smtp, smtp ?? Fast);
        Dependencies = new Dependencies([Smtp]);
        Pool = new SmtpConnectionPool(Options.Smtp, Smtp.Options.Timeout);
        Handler = new EmailSendHandler(Microsoft.Extensions.Options.Options.Create(Options), new EmailTemplateStore(Options.TemplatesPath), Blobs,
            Dependencies, new SharedRateLimiter(dataSource ?? Unused.Value, schema ?? "unused"), Pool);
    }

    /// <summary>Quick retries so tests of transient faults stay short.</summary>
    public static DependencyOptions Fast { get; } = new()
    {
        MaxRetryAttempts = 1,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        Timeout = TimeSpan.FromSeconds(15),
        MinimumThroughput = 100,
    };

    public string BlobRoot { get; }

    public FileSystemBlobStore Blobs { get; }

    public EmailOptions Options { get; }

    public Dependency Smtp { get; }

    public Dependencies Dependencies { get; }

    public SmtpConnectionPool Pool { get; }

    public EmailSendHandler Handler { get; }

    public async ValueTask DisposeAsync()
    {
        await Pool.DisposeAsync();
        Dependencies.Dispose();
        Directory.Delete(BlobRoot, recursive: true);
    }
}
