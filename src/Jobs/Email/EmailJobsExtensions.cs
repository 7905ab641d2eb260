using JobPlatform.Core;
using JobPlatform.Hosting;
using JobPlatform.Jobs.Email;
using JobPlatform.Jobs.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobPlatform.Jobs;

/// <summary>Registers the email kinds.</summary>
internal static class EmailJobsExtensions
{
    /// <summary>Least per-attempt limit of <c>email.send</c>; raised to cover longer SMTP settings (see <see cref="AddEmailJobs"/>).</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Room besides the SMTP call: the longest rate-limit wait (<c>Email:RateLimit:MaxWait</c> is at most a
    /// minute), composing the message and reading attachments.</summary>
    private static readonly TimeSpan BesidesSmtp = TimeSpan.FromSeconds(90);

    public static IHostApplicationBuilder AddEmailJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        var smtp = builder.AddDependency(Dependencies.Smtp, new DependencyOptions { Timeout = TimeSpan.FromSeconds(30) });
        builder.Services.TryAddSingleton(sp => new EmailTemplateStore(sp.GetRequiredService<IOptions<EmailOptions>>().Value.TemplatesPath));
        builder.Services.TryAddSingleton(sp => new SharedRateLimiter(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<JobClientOptions>>().Value.Schema));
        // One pool per worker process, closed (QUIT) when the host stops; the SMTP timeout bounds each command and the
        // wait for a free connection.
        builder.Services.TryAddSingleton(sp => new SmtpConnectionPool(sp.GetRequiredService<IOptions<EmailOptions>>().Value.Smtp, smtp.Timeout,
            sp.GetService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<SmtpConnectionPool>()));
        // The attempt must outlast the whole SMTP pipeline and the wait for a connection: a job timeout mid-send spends
        // the attempt and may resend.
        builder.Services.AddJobHandler<EmailSendArgs, EmailSendHandler>(new JobKindOptions
        {
            Timeout = JobPlatformJobsExtensions.AttemptTimeout(SendTimeout, smtp, BesidesSmtp + smtp.Timeout),
        });
        return builder;
    }
}
