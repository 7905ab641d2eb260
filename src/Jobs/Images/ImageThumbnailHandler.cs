using JobPlatform.Core;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Jobs.Images;

/// <summary>Runs <c>image.thumbnail</c>: one read of the source, one output per width.</summary>
internal sealed class ImageThumbnailHandler(ImageProcessor processor, ILogger<ImageThumbnailHandler> logger) : IJobHandler<ImageThumbnailArgs>
{
    public async Task HandleAsync(ImageThumbnailArgs args, JobContext context, CancellationToken cancellationToken)
    {
        var plan = processor.Plan(args);
        var outputs = await processor.ThumbnailAsync(plan, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Thumbnailed {Source} into {Outputs}", plan.Source,
            string.Join(", ", outputs.Select(o => $"{o.Destination} ({o.Width}×{o.Height}, {o.Bytes.Length} bytes)")));
    }
}
