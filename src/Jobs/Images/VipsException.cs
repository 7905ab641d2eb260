using System.Runtime.InteropServices;

namespace JobPlatform.Jobs.Images;

/// <summary>A libvips call failed; the message is libvips' own error text.</summary>
internal sealed class VipsException(string operation, string detail) : Exception($"{operation}: {detail}")
{
    /// <summary>libvips' error text alone.</summary>
    public string Detail { get; } = detail;

    /// <summary>Whether libvips stopped because the evaluation was killed (our timeout).</summary>
    public bool Killed => Detail.Contains("killed", StringComparison.OrdinalIgnoreCase);

    /// <summary>Takes (and clears) libvips' error buffer. The buffer is process-wide, so under concurrency it may
    /// also hold a neighbour's message; each line names the failing loader or operation.</summary>
    public static VipsException FromLastError(string operation)
    {
        var text = VipsNative.ErrorBufferCopy();
        string detail;
        try
        {
            detail = text == 0 ? "" : (Marshal.PtrToStringUTF8(text) ?? "");
        }
        finally
        {
            if (text != 0)
            {
                VipsNative.Free(text);
            }
        }

        detail = string.Join("; ", detail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct());
        return new VipsException(operation, detail.Length == 0 ? "libvips gave no error text" : detail);
    }
}
