namespace JobPlatform.Jobs.Images;

/// <summary>Owns one reference to a <c>VipsImage*</c> and drops it on dispose.</summary>
internal sealed class VipsImage : IDisposable
{
    private nint _handle;

    public VipsImage(nint handle) => _handle = handle != 0 ? handle : throw new ArgumentException("A null VipsImage.", nameof(handle));

    public nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(VipsImage));

    public int Width => VipsNative.ImageGetWidth(Handle);

    public int Height => VipsNative.ImageGetHeight(Handle);

    public int Bands => VipsNative.ImageGetBands(Handle);

    /// <summary>The loader that read the image, such as <c>jpegload_buffer</c>; null for computed images.</summary>
    public string? Loader => GetString("vips-loader");

    /// <summary>The EXIF orientation (1–8), or 1 when there is none.</summary>
    public int Orientation =>
        VipsNative.ImageGetTypeof(Handle, "orientation") != 0 && VipsNative.ImageGetInt(Handle, "orientation", out var value) == 0 ? value : 1;

    public string? GetString(string name)
    {
        if (VipsNative.ImageGetTypeof(Handle, name) == 0 || VipsNative.ImageGetString(Handle, name, out var value) != 0)
        {
            return null;
        }

        return System.Runtime.InteropServices.Marshal.PtrToStringUTF8(value);
    }

    /// <summary>Wraps the output of a libvips call: the image on success, else a <see cref="VipsException"/>.</summary>
    public static VipsImage From(int result, nint output, string operation) =>
        result == 0 && output != 0 ? new VipsImage(output) : throw VipsException.FromLastError(operation);

    public void Dispose()
    {
        var handle = Interlocked.Exchange(ref _handle, 0);
        if (handle != 0)
        {
            VipsNative.ObjectUnref(handle);
        }
    }
}
