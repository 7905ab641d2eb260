using System.Text.Json.Serialization;

namespace JobPlatform.Jobs;

/// <summary>
/// One step of <c>image.transform</c>. <see cref="Op"/> picks it; the other fields are its parameters:
/// <list type="bullet">
/// <item><c>resize</c>: <see cref="Width"/>, optional <see cref="Height"/> and <see cref="Fit"/> (as in
/// <c>image.thumbnail</c>).</item>
/// <item><c>rotate</c>: <see cref="Angle"/> 90, 180 or 270 (clockwise).</item>
/// <item><c>autoRotate</c>: turn upright from the EXIF orientation and clear it.</item>
/// <item><c>flip</c>: <see cref="Direction"/> <c>horizontal</c> (mirror left–right) or <c>vertical</c>.</item>
/// <item><c>grayscale</c>: to one grey channel (alpha kept).</item>
/// <item><c>crop</c>: the region <see cref="Left"/>, <see cref="Top"/>, <see cref="Width"/> × <see cref="Height"/>,
/// which must lie inside the image.</item>
/// </list>
/// </summary>
public sealed record ImageOperation
{
    /// <summary>Names of the operations.</summary>
    public static IReadOnlyList<string> Names { get; } = ["resize", "rotate", "autoRotate", "flip", "grayscale", "crop"];

    /// <summary>The operation: one of <see cref="Names"/>.</summary>
    [JsonPropertyName("op")]
    public required string Op { get; init; }

    /// <summary>Width in pixels (<c>resize</c>, <c>crop</c>).</summary>
    [JsonPropertyName("width")]
    public int? Width { get; init; }

    /// <summary>Height in pixels (<c>resize</c>, <c>crop</c>).</summary>
    [JsonPropertyName("height")]
    public int? Height { get; init; }

    /// <summary><see cref="ImageFit.Inside"/> or <see cref="ImageFit.Cover"/> (<c>resize</c>).</summary>
    [JsonPropertyName("fit")]
    public string? Fit { get; init; }

    /// <summary>Clockwise degrees: 90, 180 or 270 (<c>rotate</c>).</summary>
    [JsonPropertyName("angle")]
    public int? Angle { get; init; }

    /// <summary><c>horizontal</c> or <c>vertical</c> (<c>flip</c>).</summary>
    [JsonPropertyName("direction")]
    public string? Direction { get; init; }

    /// <summary>Left edge of the region (<c>crop</c>).</summary>
    [JsonPropertyName("left")]
    public int? Left { get; init; }

    /// <summary>Top edge of the region (<c>crop</c>).</summary>
    [JsonPropertyName("top")]
    public int? Top { get; init; }
}
