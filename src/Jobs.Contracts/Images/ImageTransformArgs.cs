using System.Text.Json.Serialization;
using JobPlatform.Core;

namespace JobPlatform.Jobs;

/// <summary>
/// Args of <c>image.transform</c>: read <see cref="ImageArgs.Source"/>, apply <see cref="Operations"/> in order and write
/// the result to <see cref="ImageArgs.Destination"/> (format conversion is the destination's extension or
/// <see cref="ImageArgs.Format"/>). Example: <c>{"source": "in/scan.jpg", "destination": "out/scan.png", "operations":
/// [{"op": "autoRotate"}, {"op": "crop", "left": 10, "top": 10, "width": 400, "height": 300}, {"op": "grayscale"}]}</c>.
/// </summary>
public sealed record ImageTransformArgs : ImageArgs, IJobArgs
{
    /// <inheritdoc />
    public static string Kind => "image.transform";

    /// <summary>The steps, applied in order; may be empty (a pure format conversion).</summary>
    [JsonPropertyName("operations")]
    public IReadOnlyList<ImageOperation>? Operations { get; init; }
}
