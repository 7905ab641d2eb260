using JobPlatform.Core;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Jobs.Images;

/// <summary>Runs <c>image.transform</c>: the operations in order, one output.</summary>
internal sealed class ImageTransformHandler(ImageProcessor processor, ILogger<ImageTransformHandler> logger) : IJobHandler<ImageTransformArgs>
{
    public async Task HandleAsync(ImageTransformArgs args, JobContext context, CancellationToken cancellationToken)
    {
        var plan = processor.Plan(args);
        var output = await processor.TransformAsync(plan, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Transformed {Source} with {Operations} into {Destination} ({Width}×{Height}, {Bytes} bytes)",
            plan.Source, string.Join(" → ", plan.Operations.Select(o => o.Op)), output.Destination, output.Width, output.Height, output.Bytes.Length);
    }
}
