using System.Diagnostics;
using JobPlatform.Jobs.Images;

namespace JobPlatform.Jobs.Tests.Images;

/// <summary>Real images made at test time with the vips CLI, and headers read back with libvips in process.</summary>
public static class TestImages
{
    /// <summary>Runs <c>vips</c> with <paramref name="args"/>; fails the test with vips' output when it fails.</summary>
    public static void Vips(params string[] args)
    {
        var info = new ProcessStartInfo("vips") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException($"vips {string.Join(' ', args)} did not finish within 2 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"vips {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        }
    }

    /// <summary>A noisy colour JPEG (noise makes realistic file sizes and decode work).</summary>
    public static void Jpeg(string path, int width, int height)
    {
        var dir = Directory.CreateTempSubdirectory("jobplatform-img-").FullName;
        try
        {
            var r = Path.Combine(dir, "r.v");
            var rgb = Path.Combine(dir, "rgb.v");
            Vips("gaussnoise", r, width.ToString(), height.ToString());
            Vips("bandjoin", $"{r} {r} {r}", rgb);
            Vips("cast", rgb, Path.GetFullPath(path) + "[Q=85]", "uchar");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A JPEG whose EXIF says "rotate 90° clockwise to view" (orientation 6), written through libvips in
    /// process (the CLI cannot set the tag).</summary>
    internal static byte[] JpegWithOrientation(int width, int height, int orientation)
    {
        VipsRuntime.EnsureStarted(0);
        Assert.Equal(0, VipsNative.Black(out var black, width, height, VipsNative.Null));
        using var image = new VipsImage(black);
        VipsNative.ImageSetInt(image.Handle, "orientation", orientation);
        Assert.Equal(0, VipsNative.ImageWriteToBuffer(image.Handle, ".jpg", out var buffer, out var size, VipsNative.Null));
        var bytes = new byte[(int)size];
        System.Runtime.InteropServices.Marshal.Copy(buffer, bytes, 0, bytes.Length);
        VipsNative.Free(buffer);
        return bytes;
    }

    /// <summary>Reads an encoded image's header: size, bands, the loader that recognised it, whether it carries EXIF.</summary>
    public static Header ReadHeader(byte[] bytes)
    {
        VipsRuntime.EnsureStarted(0);
        var pin = System.Runtime.InteropServices.GCHandle.Alloc(bytes, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            var handle = VipsNative.ImageNewFromBuffer(System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(bytes, 0), (nuint)bytes.Length, "", VipsNative.Null);
            if (handle == 0)
            {
                throw VipsException.FromLastError("test header read");
            }

            using var image = new VipsImage(handle);
            return new Header(image.Width, image.Height, image.Bands, image.Loader ?? "",
                VipsNative.ImageGetTypeof(image.Handle, "exif-data") != 0, image.Orientation);
        }
        finally
        {
            pin.Free();
        }
    }

    /// <summary>A decompression bomb: a one-colour PNG of <paramref name="side"/>² pixels, under 1 MB on disk.</summary>
    public static void Bomb(string path, int side = 30_000) => Vips("black", Path.GetFullPath(path), side.ToString(), side.ToString());

    /// <summary>The first <paramref name="fraction"/> of a valid JPEG: the header is intact, the scan data ends early.</summary>
    public static byte[] Truncated(string jpegPath, double fraction = 0.5)
    {
        var bytes = File.ReadAllBytes(jpegPath);
        return bytes[..(int)(bytes.Length * fraction)];
    }

    public static Header ReadHeader(string path) => ReadHeader(File.ReadAllBytes(path));

    public sealed record Header(int Width, int Height, int Bands, string Loader, bool HasExif, int Orientation);
}
