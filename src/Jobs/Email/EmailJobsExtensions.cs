using JobPlatform.Core;
using JobPlatform.Hosting;
using JobPlatform.Jobs.Email;
using JobPlatform.Jobs.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobPlatform.Jobs;

/// <summary>Registers the email kinds.</summary>
internal static class EmailJobsExtensions
{
    /// <summary>Per-attempt limit of <c>email.send</c>: room for the SMTP call's retries and a rate-limit wait.</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromMinutes(2);

    public static IHostApplicationBuilder AddEmailJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        builder.AddDependency(Dependencies.Smtp, new DependencyOptions { Timeout = TimeSpan.FromSeconds(30) });
        builder.Services.TryAddSingleton(sp => new EmailTemplateStore(sp.GetRequiredService<IOptions<EmailOptions>>().Value.TemplatesPath));
        builder.Services.TryAddSingleton(sp => new SharedRateLimiter(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<JobClientOptions>>().Value.Schema));
        builder.Services.AddJobHandler<EmailSendArgs, EmailSendHandler>(new JobKindOptions { Timeout = SendTimeout });
        return builder;
    }
}
