using System.Text.Json.Serialization;
using JobPlatform.Core;

namespace JobPlatform.Jobs;

/// <summary>
/// Args of <c>image.transform</c>: read <see cref="Source"/>, apply <see cref="Operations"/> in order and write
/// the result to <see cref="Destination"/> (format conversion is the destination's extension or
/// <see cref="Format"/>). Example: <c>{"source": "in/scan.jpg", "destination": "out/scan.png", "operations":
/// [{"op": "autoRotate"}, {"op": "crop", "left": 10, "top": 10, "width": 400, "height": 300}, {"op": "grayscale"}]}</c>.
/// </summary>
public sealed record ImageTransformArgs : IJobArgs
{
    /// <inheritdoc />
    public static string Kind => "image.transform";

    /// <summary>Blob key of the input image.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>Blob key of the output; the format comes from its extension unless <see cref="Format"/> is set.</summary>
    [JsonPropertyName("destination")]
    public required string Destination { get; init; }

    /// <summary>The steps, applied in order; may be empty (a pure format conversion).</summary>
    [JsonPropertyName("operations")]
    public IReadOnlyList<ImageOperation>? Operations { get; init; }

    /// <summary>One of <see cref="ImageFormats"/>; when unset, taken from the destination's extension.</summary>
    [JsonPropertyName("format")]
    public string? Format { get; init; }

    /// <summary>Quality of lossy formats, 1–100; libvips' default when unset. Ignored for PNG.</summary>
    [JsonPropertyName("quality")]
    public int? Quality { get; init; }

    /// <summary>Drop EXIF, XMP, IPTC and ICC metadata from the output (default true).</summary>
    [JsonPropertyName("stripMetadata")]
    public bool StripMetadata { get; init; } = true;
}
