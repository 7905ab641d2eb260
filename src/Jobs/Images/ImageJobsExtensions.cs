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
    /// <summary>Per-attempt limit of the image kinds: room for several widths of a large source, each bounded by
    /// <c>Images:ImageTimeout</c>.</summary>
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
