using System.Text.Json.Serialization;

namespace JobPlatform.Jobs;

/// <summary>What both image kinds take: where the image comes from and goes to, and how the output is encoded.</summary>
public abstract record ImageArgs
{
    /// <summary>Blob key of the input image (JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF).</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>Blob key of the output; the format comes from its extension unless <see cref="Format"/> is set. For
    /// <c>image.thumbnail</c>, <c>{width}</c> is replaced by each width (required when there are several).</summary>
    [JsonPropertyName("destination")]
    public required string Destination { get; init; }

    /// <summary>One of <see cref="ImageFormats"/>; when unset, taken from the destination's extension.</summary>
    [JsonPropertyName("format")]
    public string? Format { get; init; }

    /// <summary>Quality of lossy formats, 1–100; libvips' default for the format when unset (75 for JPEG and WebP,
    /// 50 for AVIF). Ignored for PNG.</summary>
    [JsonPropertyName("quality")]
    public int? Quality { get; init; }

    /// <summary>Drop EXIF, XMP, IPTC and ICC metadata from the output (default true: smaller files, no GPS
    /// position leaked).</summary>
    [JsonPropertyName("stripMetadata")]
    public bool StripMetadata { get; init; } = true;
}
