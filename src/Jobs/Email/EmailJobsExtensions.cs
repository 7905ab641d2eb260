using Microsoft.Extensions.Hosting;

namespace JobPlatform.Jobs;

/// <summary>Registers the email kinds.</summary>
internal static class EmailJobsExtensions
{
    public static IHostApplicationBuilder AddEmailJobs(this IHostApplicationBuilder builder)
    {
        return builder;
    }
}
