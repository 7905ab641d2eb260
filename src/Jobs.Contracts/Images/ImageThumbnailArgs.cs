using System.Text.Json.Serialization;
using JobPlatform.Core;

namespace JobPlatform.Jobs;

/// <summary>
/// Args of <c>image.thumbnail</c>: read <see cref="Source"/> from the blob store, shrink it to one or more widths
/// and write each to <see cref="Destination"/>. The image is turned upright from its EXIF orientation first.
/// Example: <c>{"source": "in/cat.jpg", "destination": "out/cat-{width}.webp", "widths": [160, 320, 640]}</c>.
/// </summary>
public sealed record ImageThumbnailArgs : IJobArgs
{
    /// <inheritdoc />
    public static string Kind => "image.thumbnail";

    /// <summary>Blob key of the input image (JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF).</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>Blob key of the output. <c>{width}</c> is replaced by each width; it is required when there are
    /// several widths. The format comes from its extension unless <see cref="Format"/> is set.</summary>
    [JsonPropertyName("destination")]
    public required string Destination { get; init; }

    /// <summary>The output width in pixels; give this or <see cref="Widths"/>.</summary>
    [JsonPropertyName("width")]
    public int? Width { get; init; }

    /// <summary>Several output widths from one read of the source, one output each.</summary>
    [JsonPropertyName("widths")]
    public IReadOnlyList<int>? Widths { get; init; }

    /// <summary>The box height: with <see cref="ImageFit.Inside"/> the image also fits under it, with
    /// <see cref="ImageFit.Cover"/> the output is exactly width × height.</summary>
    [JsonPropertyName("height")]
    public int? Height { get; init; }

    /// <summary><see cref="ImageFit.Inside"/> (default) or <see cref="ImageFit.Cover"/>.</summary>
    [JsonPropertyName("fit")]
    public string? Fit { get; init; }

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
