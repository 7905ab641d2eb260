using System.Text.Json.Serialization;
using JobPlatform.Core;

namespace JobPlatform.Jobs;

/// <summary>
/// Args of <c>image.thumbnail</c>: read <see cref="ImageArgs.Source"/> from the blob store, shrink it to one or more widths
/// and write each to <see cref="ImageArgs.Destination"/>. The image is turned upright from its EXIF orientation first.
/// Example: <c>{"source": "in/cat.jpg", "destination": "out/cat-{width}.webp", "widths": [160, 320, 640]}</c>.
/// </summary>
public sealed record ImageThumbnailArgs : ImageArgs, IJobArgs
{
    /// <inheritdoc />
    public static string Kind => "image.thumbnail";

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
}
