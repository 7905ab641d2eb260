namespace JobPlatform.Jobs.Images;

/// <summary>
/// libvips, started once per process. Hardening happens before <c>vips_init</c>: <c>VIPS_BLOCK_UNTRUSTED=1</c>
/// (no ImageMagick, JPEG 2000 or JPEG XL loaders on untrusted input), <c>VIPS_WARNING=0</c> (a lying header
/// otherwise prints thousands of warning lines), and the operation cache is off: it would keep decoded images
/// alive between jobs, and buffer arguments are our pinned arrays.
/// </summary>
internal static class VipsRuntime
{
    private static readonly Lock Gate = new();
    private static IReadOnlyList<string>? s_formats;
    private static string? s_version;
    private static int s_threads;

    /// <summary>The formats this libvips can write, in <see cref="ImageFormats.All"/> order. Starts libvips.</summary>
    public static IReadOnlyList<string> AvailableFormats
    {
        get
        {
            EnsureStarted(0);
            return s_formats!;
        }
    }

    /// <summary>The libvips version, such as 8.14.1.</summary>
    public static string Version
    {
        get
        {
            EnsureStarted(0);
            return s_version!;
        }
    }

    /// <summary>Starts libvips (once) with <paramref name="threads"/> threads per image (0 = libvips' default).</summary>
    /// <exception cref="InvalidOperationException">libvips is missing or failed to start.</exception>
    public static void EnsureStarted(int threads)
    {
        if (s_formats is not null && (threads <= 0 || threads == s_threads))
        {
            return;
        }

        lock (Gate)
        {
            if (s_formats is not null)
            {
                // Started earlier (e.g. by a probe of the formats) without a thread count: apply it now.
                if (threads > 0 && threads != s_threads)
                {
                    VipsNative.ConcurrencySet(threads);
                    s_threads = threads;
                }

                return;
            }

            try
            {
                // Environment.SetEnvironmentVariable changes only .NET's copy; libvips reads the C environment.
                VipsNative.SetEnv("VIPS_BLOCK_UNTRUSTED", "1", 1);
                VipsNative.SetEnv("VIPS_WARNING", "0", 1);
                if (VipsNative.Init("jobplatform-worker") != 0)
                {
                    throw VipsException.FromLastError("vips_init");
                }
            }
            catch (DllNotFoundException e)
            {
                throw new InvalidOperationException(
                    "libvips.so.42 could not be loaded; install libvips 8.14 or later (Debian: apt-get install libvips42).", e);
            }

            VipsNative.BlockUntrustedSet(1);
            VipsNative.CacheSetMax(0);
            if (threads > 0)
            {
                VipsNative.ConcurrencySet(threads);
                s_threads = threads;
            }

            s_version = $"{VipsNative.Version(0)}.{VipsNative.Version(1)}.{VipsNative.Version(2)}";
            s_formats = ImageFormats.All.Where(CanWrite).ToArray();
        }
    }

    /// <summary>The save suffix (with options) libvips picks a writer from, e.g. <c>.webp[Q=80,strip]</c>.</summary>
    public static string SaveSuffix(string format, int? quality, bool strip)
    {
        var options = new List<string>();
        if (quality is { } q && format != ImageFormats.Png)
        {
            options.Add(FormattableString.Invariant($"Q={q}"));
        }

        if (strip)
        {
            options.Add("strip");
        }

        // 8.14 registers the HEIF buffer writer under .heif/.heic only; AV1 compression makes it AVIF.
        var (suffix, fixedOptions) = format switch
        {
            ImageFormats.Jpeg => (".jpg", null),
            ImageFormats.Webp => (".webp", null),
            ImageFormats.Png => (".png", null),
            ImageFormats.Avif => (".heif", "compression=av1"),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format."),
        };
        if (fixedOptions is not null)
        {
            options.Insert(0, fixedOptions);
        }

        return options.Count == 0 ? suffix : $"{suffix}[{string.Join(',', options)}]";
    }

    /// <summary>Whether a 16 × 16 image can be written in <paramref name="format"/>: a build may list a writer
    /// whose encoder is missing (HEIF without AV1), so only a real save tells.</summary>
    private static bool CanWrite(string format)
    {
        if (VipsNative.Black(out var black, 16, 16, VipsNative.Null) != 0)
        {
            VipsException.FromLastError("vips_black");
            return false;
        }

        using var image = new VipsImage(black);
        if (VipsNative.ImageWriteToBuffer(image.Handle, SaveSuffix(format, null, true), out var buffer, out _, VipsNative.Null) != 0)
        {
            VipsException.FromLastError("probe " + format);
            return false;
        }

        VipsNative.Free(buffer);
        return true;
    }
}
