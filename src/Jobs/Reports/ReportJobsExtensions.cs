using JobPlatform.Hosting;
using JobPlatform.Jobs.Reports;
using JobPlatform.Jobs.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace JobPlatform.Jobs;

/// <summary>Registers the report kinds.</summary>
internal static class ReportJobsExtensions
{
    /// <summary>Default settings of the <c>chromium</c> dependency: a print takes well under a second on a warm
    /// browser, so a minute means it hangs; one quick in-process retry, on a relaunched browser if it died.</summary>
    internal static DependencyOptions ChromiumDefaults => new()
    {
        Timeout = TimeSpan.FromSeconds(60),
        MaxRetryAttempts = 1,
        RetryDelay = TimeSpan.FromMilliseconds(500),
    };

    public static IHostApplicationBuilder AddReportJobs(this IHostApplicationBuilder builder)
    {
        var chromium = builder.AddDependency(Dependencies.Chromium, ChromiumDefaults);
        builder.Services.AddReportServices();
        builder.Services.AddJobHandler<ReportGenerateArgs, ReportGenerateHandler>(new Core.JobKindOptions
        {
            // Rendering, the data queries and waiting for a free page come on top of the print itself.
            Timeout = JobPlatformJobsExtensions.AttemptTimeout(ReportGenerateHandler.Timeout, chromium, TimeSpan.FromMinutes(2)),
        });
        return builder;
    }

    /// <summary>Everything <c>report.generate</c> needs besides the handler registration, the data source, the client,
    /// the blob store and the dependencies (which the worker and <see cref="JobPlatformJobsExtensions"/> provide).</summary>
    internal static IServiceCollection AddReportServices(this IServiceCollection services)
    {
        services.AddOptions<ReportOptions>().BindConfiguration(ReportOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // One browser and one renderer per worker; the container disposes them (closing Chromium) when the host
        // is disposed, after the engine has drained, so a report still running at shutdown keeps its browser.
        services.TryAddSingleton<ChromiumBrowser>();
        services.TryAddSingleton<ReportHtmlRenderer>();
        services.TryAddSingleton<ReportPrinter>();
        services.TryAddSingleton<IStatementDataSource, PostgresStatementDataSource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReport, OperationsReport>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReport, StatementReport>());
        return services;
    }
}
