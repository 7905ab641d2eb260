using System.ComponentModel.DataAnnotations;

namespace JobPlatform.Jobs.Images;

/// <summary>Settings of the image kinds (section <c>Images</c>): limits that keep hostile input harmless, and
/// how much libvips work runs at once.</summary>
public sealed class ImageOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Images";

    /// <summary>Default <see cref="MaxInputBytes"/>: 50 MiB.</summary>
    public const long DefaultMaxInputBytes = 50L * 1024 * 1024;

    /// <summary>Default <see cref="MaxInputPixels"/>: 100 megapixels (e.g. 12 000 × 8 000).</summary>
    public const long DefaultMaxInputPixels = 100_000_000;

    /// <summary>Default <see cref="MaxOutputDimension"/>.</summary>
    public const int DefaultMaxOutputDimension = 8192;

    /// <summary>Default <see cref="MaxWidths"/>.</summary>
    public const int DefaultMaxWidths = 16;

    /// <summary>Default <see cref="ImageTimeout"/>.</summary>
    public static readonly TimeSpan DefaultImageTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Largest source blob read, in bytes (<c>Images:MaxInputBytes</c>); larger ones are discarded.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Images:MaxInputBytes must be a positive number of bytes, e.g. 52428800 (50 MiB).")]
    public long MaxInputBytes { get; set; } = DefaultMaxInputBytes;

    /// <summary>Largest source in pixels, width × height from the header before any decoding
    /// (<c>Images:MaxInputPixels</c>); the defence against decompression bombs.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Images:MaxInputPixels must be a positive number of pixels, e.g. 100000000.")]
    public long MaxInputPixels { get; set; } = DefaultMaxInputPixels;

    /// <summary>Largest width or height asked of an output (<c>Images:MaxOutputDimension</c>), so args cannot
    /// ask for a gigapixel upscale.</summary>
    [Range(1, 100_000, ErrorMessage = "Images:MaxOutputDimension must be 1 to 100000 (pixels).")]
    public int MaxOutputDimension { get; set; } = DefaultMaxOutputDimension;

    /// <summary>Most widths in one <c>image.thumbnail</c> job (<c>Images:MaxWidths</c>).</summary>
    [Range(1, 1000, ErrorMessage = "Images:MaxWidths must be 1 to 1000.")]
    public int MaxWidths { get; set; } = DefaultMaxWidths;

    /// <summary>Time allowed to one job's libvips work, all its widths together (<c>Images:ImageTimeout</c>). When it
    /// passes, libvips is told to stop (its kill flag, <c>Image.SetKill</c>) and the job is discarded. At most 4 minutes, so it
    /// always fires before the kinds' 5-minute attempt timeout (which would retry the image instead).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:04:00", ErrorMessage = "Images:ImageTimeout must be between 00:00:00.001 and 00:04:00 (under the 5-minute attempt timeout of the image kinds), e.g. 00:01:00.")]
    public TimeSpan ImageTimeout { get; set; } = DefaultImageTimeout;

    /// <summary>Images processed at once by this worker (<c>Images:MaxConcurrency</c>), each on a dedicated
    /// thread; 0 = the number of CPUs.</summary>
    [Range(0, 256, ErrorMessage = "Images:MaxConcurrency must be 0 (one per CPU) to 256.")]
    public int MaxConcurrency { get; set; }

    /// <summary>libvips' own threads per image (<c>Images:VipsThreads</c>); 0 = libvips' default (the number of
    /// CPUs). 1 suits many small images in parallel; more helps single large ones.</summary>
    [Range(0, 256, ErrorMessage = "Images:VipsThreads must be 0 (libvips' default) to 256.")]
    public int VipsThreads { get; set; } = 1;

    /// <summary>The effective concurrency.</summary>
    internal int EffectiveConcurrency => MaxConcurrency > 0 ? MaxConcurrency : Environment.ProcessorCount;
}
