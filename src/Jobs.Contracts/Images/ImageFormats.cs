namespace JobPlatform.Jobs;

/// <summary>The output formats of the image kinds. Which of them a worker can write depends on its libvips build
/// (AVIF needs libheif with an AV1 encoder); a job asking for an absent one is discarded with the list of the
/// formats that are available.</summary>
public static class ImageFormats
{
    /// <summary>JPEG (<c>.jpg</c>, <c>.jpeg</c>); lossy, no transparency.</summary>
    public const string Jpeg = "jpeg";

    /// <summary>WebP (<c>.webp</c>); lossy.</summary>
    public const string Webp = "webp";

    /// <summary>PNG (<c>.png</c>); lossless, <c>quality</c> is ignored.</summary>
    public const string Png = "png";

    /// <summary>AVIF (<c>.avif</c>); lossy, when the libvips build can encode it.</summary>
    public const string Avif = "avif";

    /// <summary>Every format the image kinds know, whether or not this machine's libvips can write it.</summary>
    public static IReadOnlyList<string> All { get; } = [Jpeg, Webp, Png, Avif];
}
