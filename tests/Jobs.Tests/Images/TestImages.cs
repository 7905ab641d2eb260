using JobPlatform.Jobs.Images;
using NetVips;

namespace JobPlatform.Jobs.Tests.Images;

/// <summary>Real images made at test time with libvips in process (the worker's own build, from NetVips.Native), and
/// headers read back the same way.</summary>
public static class TestImages
{
    /// <summary>A noisy colour JPEG (noise makes realistic file sizes and decode work).</summary>
    public static void Jpeg(string path, int width, int height)
    {
        VipsRuntime.EnsureStarted(0);
        using var noise = Image.Gaussnoise(width, height);
        using var rgb = noise.Bandjoin(noise, noise);
        using var bytes = rgb.Cast(Enums.BandFormat.Uchar);
        bytes.Jpegsave(Path.GetFullPath(path), q: 85);
    }

    /// <summary>A black PNG of <paramref name="width"/> × <paramref name="height"/>: one colour compresses to
    /// almost nothing, whatever the size.</summary>
    public static void BlackPng(string path, int width, int height)
    {
        VipsRuntime.EnsureStarted(0);
        using var black = Image.Black(width, height);
        black.Pngsave(Path.GetFullPath(path));
    }

    /// <summary>A JPEG whose EXIF says "rotate 90° clockwise to view" (orientation 6).</summary>
    internal static byte[] JpegWithOrientation(int width, int height, int orientation)
    {
        VipsRuntime.EnsureStarted(0);
        using var black = Image.Black(width, height);
        using var tagged = black.Mutate(m => m.Set(GValue.GIntType, "orientation", orientation));
        return tagged.JpegsaveBuffer();
    }

    /// <summary>Reads an encoded image's header: size, bands, the loader that recognised it, whether it carries EXIF.</summary>
    public static Header ReadHeader(byte[] bytes)
    {
        VipsRuntime.EnsureStarted(0);
        using var image = Image.NewFromBuffer(bytes);
        var orientation = image.Contains("orientation") ? (int)image.Get("orientation") : 1;
        return new Header(image.Width, image.Height, image.Bands, image.Contains("vips-loader") ? (string)image.Get("vips-loader") : "",
            image.Contains("exif-data"), orientation);
    }

    /// <summary>A decompression bomb: a one-colour PNG of <paramref name="side"/>² pixels, under 1 MB on disk.</summary>
    public static void Bomb(string path, int side = 30_000) => BlackPng(path, side, side);

    /// <summary>The first <paramref name="fraction"/> of a valid JPEG: the header is intact, the scan data ends early.</summary>
    public static byte[] Truncated(string jpegPath, double fraction = 0.5)
    {
        var bytes = File.ReadAllBytes(jpegPath);
        return bytes[..(int)(bytes.Length * fraction)];
    }

    public static Header ReadHeader(string path) => ReadHeader(File.ReadAllBytes(path));

    public sealed record Header(int Width, int Height, int Bands, string Loader, bool HasExif, int Orientation);
}
