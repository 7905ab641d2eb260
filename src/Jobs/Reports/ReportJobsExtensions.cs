using Microsoft.Extensions.Hosting;

namespace JobPlatform.Jobs;

/// <summary>Registers the report kinds.</summary>
internal static class ReportJobsExtensions
{
    public static IHostApplicationBuilder AddReportJobs(this IHostApplicationBuilder builder)
    {
        return builder;
    }
}
