using JobPlatform.Core;
using JobPlatform.Hosting;
using JobPlatform.Jobs.Images;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace JobPlatform.Jobs;

/// <summary>Registers the image kinds.</summary>
internal static class ImageJobsExtensions
{
    /// <summary>Per-attempt limit of the image kinds: reading the source plus the libvips work, which
    /// <c>Images:ImageTimeout</c> (at most 4 minutes) bounds for all widths together.</summary>
    public static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(5);

    public static IHostApplicationBuilder AddImageJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImageOptions>().BindConfiguration(ImageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<ImageProcessor>();
        var kind = new JobKindOptions { Timeout = JobTimeout };
        builder.Services.AddJobHandler<ImageThumbnailArgs, ImageThumbnailHandler>(kind);
        builder.Services.AddJobHandler<ImageTransformArgs, ImageTransformHandler>(kind);
        return builder;
    }
}
