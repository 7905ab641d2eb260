using Microsoft.Extensions.Hosting;

namespace JobPlatform.Jobs;

/// <summary>Registers the image kinds.</summary>
internal static class ImageJobsExtensions
{
    public static IHostApplicationBuilder AddImageJobs(this IHostApplicationBuilder builder)
    {
        return builder;
    }
}
