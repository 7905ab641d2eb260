using NetVips;

namespace JobPlatform.Jobs.Images;

/// <summary>
/// libvips (through NetVips, from the NetVips.Native package), configured once per process before any image is
/// read: every loader is blocked except the allow-listed source formats (no SVG, PDF, ImageMagick, matrix or raw
/// loaders on untrusted input), the operation cache is off (it would keep decoded images alive between jobs), and
/// libvips' warnings are dropped (a lying header otherwise logs thousands of lines).
/// </summary>
internal static class VipsRuntime
{
    /// <summary>The loader classes left unblocked; their subclasses (buffer, source, file variants) follow them.</summary>
    internal static readonly string[] AllowedLoaders =
    [
        "VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp", "VipsForeignLoadNsgif",
        "VipsForeignLoadTiff", "VipsForeignLoadHeif",
    ];

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

    /// <summary>The libvips version, such as 8.18.7.</summary>
    public static string Version
    {
        get
        {
            EnsureStarted(0);
            return s_version!;
        }
    }

    /// <summary>Configures libvips (once) with <paramref name="threads"/> threads per image (0 = libvips' default).</summary>
    /// <exception cref="InvalidOperationException">libvips failed to load or start, or lacks an allow-listed loader.</exception>
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
                    NetVips.NetVips.Concurrency = threads;
                    s_threads = threads;
                }

                return;
            }

            // NetVips starts libvips when its assembly loads and keeps the failure instead of throwing.
            if (!ModuleInitializer.VipsInitialized)
            {
                throw new InvalidOperationException(
                    "libvips could not be started; it comes with the NetVips.Native.linux-x64 package, so check that " +
                    "runtimes/linux-x64/native/libvips.so.42 was deployed next to the worker.", ModuleInitializer.Exception);
            }

            Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning, static (_, _, _) => { });
            NetVips.NetVips.BlockUntrusted = true;
            Operation.Block("VipsForeignLoad", true);
            foreach (var loader in AllowedLoaders)
            {
                // Block() silently ignores unknown names: a renamed class would otherwise block a format unnoticed.
                if (NetVips.NetVips.TypeFromName(loader) == IntPtr.Zero)
                {
                    throw new InvalidOperationException($"libvips {CurrentVersion()} has no loader class {loader}; update VipsRuntime.AllowedLoaders.");
                }

                Operation.Block(loader, false);
            }

            Cache.Max = 0;
            if (threads > 0)
            {
                NetVips.NetVips.Concurrency = threads;
                s_threads = threads;
            }

            s_version = CurrentVersion();
            s_formats = ImageFormats.All.Where(CanWrite).ToArray();
        }
    }

    /// <summary>The save suffix (with options) libvips picks a writer from, e.g. <c>.webp[Q=80,keep=none]</c>.</summary>
    public static string SaveSuffix(string format, int? quality, bool strip)
    {
        var options = new List<string>();
        if (quality is { } q && format != ImageFormats.Png)
        {
            options.Add(FormattableString.Invariant($"Q={q}"));
        }

        if (strip)
        {
            options.Add("keep=none");
        }

        // AV1 compression makes the HEIF writer write AVIF.
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

    /// <summary>libvips' error text on one line: each line names the failing loader or operation. The error buffer
    /// is process-wide, so under concurrency it may also hold a neighbour's message.</summary>
    public static string Describe(VipsException e) =>
        string.Join("; ", e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct());

    private static string CurrentVersion() =>
        $"{NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}";

    /// <summary>Whether a 16 × 16 image can be written in <paramref name="format"/>: a build may list a writer
    /// whose encoder is missing (HEIF without AV1), so only a real save tells.</summary>
    private static bool CanWrite(string format)
    {
        try
        {
            using var black = Image.Black(16, 16);
            black.WriteToBuffer(SaveSuffix(format, null, true));
            return true;
        }
        catch (VipsException)
        {
            return false;
        }
    }
}
