using Microsoft.Extensions.Hosting;

namespace JobPlatform.Jobs;

/// <summary>Registers the billing kinds.</summary>
internal static class BillingJobsExtensions
{
    public static IHostApplicationBuilder AddBillingJobs(this IHostApplicationBuilder builder)
    {
        return builder;
    }
}
