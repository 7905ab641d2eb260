using System.Runtime.InteropServices;

namespace JobPlatform.Jobs.Images;

/// <summary>
/// P/Invoke declarations of the libvips 8.14 C API (Debian <c>libvips42</c>). libvips' optional arguments are
/// C varargs: each variadic function is declared with the exact list of extra arguments we pass, ending in a NULL
/// terminator. On linux-x64 (System V ABI) varargs of pointer or int size travel in the same registers as fixed
/// arguments, so this is sound as long as no double is passed in the variadic part (we pass none).
/// </summary>
internal static unsafe partial class VipsNative
{
    private const string Vips = "libvips.so.42";
    private const string GObject = "libgobject-2.0.so.0";
    private const string GLib = "libglib-2.0.so.0";
    private const string LibC = "libc";

    /// <summary>The "no more options" terminator of a variadic call.</summary>
    public static readonly nint Null = 0;

    // VipsInteresting, VipsSize, VipsAngle, VipsDirection, VipsInterpretation values from the 8.14 headers.
    public const int InterestingNone = 0;
    public const int InterestingCentre = 1;
    public const int AngleD90 = 1;
    public const int AngleD180 = 2;
    public const int AngleD270 = 3;
    public const int DirectionHorizontal = 0;
    public const int DirectionVertical = 1;
    public const int InterpretationBw = 1;

    [LibraryImport(LibC, EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport(Vips, EntryPoint = "vips_init", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Init(string argv0);

    [LibraryImport(Vips, EntryPoint = "vips_version")]
    public static partial int Version(int flag);

    [LibraryImport(Vips, EntryPoint = "vips_block_untrusted_set")]
    public static partial void BlockUntrustedSet(int state);

    [LibraryImport(Vips, EntryPoint = "vips_cache_set_max")]
    public static partial void CacheSetMax(int max);

    [LibraryImport(Vips, EntryPoint = "vips_concurrency_set")]
    public static partial void ConcurrencySet(int concurrency);

    /// <summary>Returns the accumulated error text (a copy the caller frees with g_free) and clears it.</summary>
    [LibraryImport(Vips, EntryPoint = "vips_error_buffer_copy")]
    public static partial nint ErrorBufferCopy();

    [LibraryImport(Vips, EntryPoint = "vips_image_new_from_buffer", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ImageNewFromBuffer(byte* buffer, nuint length, string optionString, nint terminator);

    /// <summary>The same with the buffer as an address (a pinned GCHandle's), for callers without unsafe code.</summary>
    [LibraryImport(Vips, EntryPoint = "vips_image_new_from_buffer", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ImageNewFromBuffer(nint buffer, nuint length, string optionString, nint terminator);

    [LibraryImport(Vips, EntryPoint = "vips_image_write_to_buffer", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ImageWriteToBuffer(nint image, string suffix, out nint buffer, out nuint size, nint terminator);

    [LibraryImport(Vips, EntryPoint = "vips_image_get_width")]
    public static partial int ImageGetWidth(nint image);

    [LibraryImport(Vips, EntryPoint = "vips_image_get_height")]
    public static partial int ImageGetHeight(nint image);

    [LibraryImport(Vips, EntryPoint = "vips_image_get_bands")]
    public static partial int ImageGetBands(nint image);

    [LibraryImport(Vips, EntryPoint = "vips_image_get_typeof", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ImageGetTypeof(nint image, string name);

    [LibraryImport(Vips, EntryPoint = "vips_image_get_int", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ImageGetInt(nint image, string name, out int value);

    [LibraryImport(Vips, EntryPoint = "vips_image_set_int", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void ImageSetInt(nint image, string name, int value);

    /// <summary>Gets a string field; the result belongs to the image (do not free).</summary>
    [LibraryImport(Vips, EntryPoint = "vips_image_get_string", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ImageGetString(nint image, string name, out nint value);

    /// <summary>Asks a running evaluation of the image to stop at its next tile; safe from another thread.</summary>
    [LibraryImport(Vips, EntryPoint = "vips_image_set_kill")]
    public static partial void ImageSetKill(nint image, int kill);

    [LibraryImport(Vips, EntryPoint = "vips_black")]
    public static partial int Black(out nint output, int width, int height, nint terminator);

    [LibraryImport(Vips, EntryPoint = "vips_thumbnail_buffer", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ThumbnailBuffer(byte* buffer, nuint length, out nint output, int width,
        string heightName, int height, string cropName, int crop, string optionName, string options, nint terminator);

    [LibraryImport(Vips, EntryPoint = "vips_thumbnail_image", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ThumbnailImage(nint input, out nint output, int width,
        string heightName, int height, string cropName, int crop, string noRotateName, int noRotate, nint terminator);

    [LibraryImport(Vips, EntryPoint = "vips_rot")]
    public static partial int Rot(nint input, out nint output, int angle, nint terminator);

    [LibraryImport(Vips, EntryPoint = "vips_autorot")]
    public static partial int AutoRot(nint input, out nint output, nint terminator);

    [LibraryImport(Vips, EntryPoint = "vips_flip")]
    public static partial int Flip(nint input, out nint output, int direction, nint terminator);

    [LibraryImport(Vips, EntryPoint = "vips_colourspace")]
    public static partial int Colourspace(nint input, out nint output, int space, nint terminator);

    [LibraryImport(Vips, EntryPoint = "vips_extract_area")]
    public static partial int ExtractArea(nint input, out nint output, int left, int top, int width, int height, nint terminator);

    [LibraryImport(GObject, EntryPoint = "g_object_unref")]
    public static partial void ObjectUnref(nint obj);

    [LibraryImport(GLib, EntryPoint = "g_free")]
    public static partial void Free(nint memory);
}
