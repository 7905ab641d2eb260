using System.Runtime.InteropServices;
using JobPlatform.Core;

namespace JobPlatform.Jobs.Images;

/// <summary>
/// The blocking libvips work of the image kinds, run on a <see cref="VipsWorkQueue"/> thread. The source stays
/// pinned for the whole call (libvips reads it lazily, without copying) and every image is released before the
/// pin ends; the operation cache is off (<see cref="VipsRuntime"/>), so nothing outlives the call.
/// </summary>
internal static unsafe class VipsPipeline
{
    /// <summary>Load options: fail on the first decode error, so a truncated file fails instead of yielding grey.</summary>
    private const string FailOnError = "fail_on=error";

    public static IReadOnlyList<ImageOutput> Thumbnail(byte[] input, ThumbnailPlan plan, long maxPixels, int maxDimension, CancellationToken cancellationToken)
    {
        var outputs = new List<ImageOutput>(plan.Outputs.Count);
        fixed (byte* data = input)
        {
            CheckHeader(data, input.Length, plan.Source, maxPixels).Dispose();
            foreach (var (width, destination) in plan.Outputs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Without a height, libvips would fit a width × width square; the output limit as the box height makes
                // the width exact for any sane aspect ratio, while a sliver (100 × 100,000) cannot be enlarged to
                // gigapixels: it is fitted under the limit instead.
                var result = VipsNative.ThumbnailBuffer(data, (nuint)input.Length, out var handle, width,
                    "height", plan.Height ?? maxDimension,
                    "crop", plan.Cover ? VipsNative.InterestingCentre : VipsNative.InterestingNone,
                    "option_string", FailOnError, VipsNative.Null);
                using var image = VipsImage.From(result, handle, "thumbnail");
                outputs.Add(new ImageOutput(destination, image.Width, image.Height, Encode(image, plan.SaveSuffix, cancellationToken)));
            }
        }

        return outputs;
    }

    public static ImageOutput Transform(byte[] input, TransformPlan plan, long maxPixels, int maxDimension, CancellationToken cancellationToken)
    {
        fixed (byte* data = input)
        {
            var image = CheckHeader(data, input.Length, plan.Source, maxPixels);
            try
            {
                for (var i = 0; i < plan.Operations.Count; i++)
                {
                    var next = Apply(image, plan.Operations[i], i, maxDimension);
                    image.Dispose();
                    image = next;
                }

                return new ImageOutput(plan.Destination, image.Width, image.Height, Encode(image, plan.SaveSuffix, cancellationToken));
            }
            finally
            {
                image.Dispose();
            }
        }
    }

    /// <summary>Opens the source reading only its header, and refuses it above the pixel limit before a single
    /// pixel is decoded (a 30 000 × 30 000 PNG of one colour is a few hundred KB on disk).</summary>
    private static VipsImage CheckHeader(byte* data, int length, string source, long maxPixels)
    {
        var handle = VipsNative.ImageNewFromBuffer(data, (nuint)length, FailOnError, VipsNative.Null);
        if (handle == 0)
        {
            var error = VipsException.FromLastError("load");
            throw new DiscardJobException(
                $"Image '{source}' ({length:N0} bytes) is not an image libvips can read ({error.Detail}); " +
                "supported sources: JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF.", error);
        }

        var image = new VipsImage(handle);
        var pixels = (long)image.Width * image.Height;
        if (pixels > maxPixels)
        {
            var (w, h) = (image.Width, image.Height);
            image.Dispose();
            throw new DiscardJobException(
                $"Image '{source}' is {w:N0} × {h:N0} = {pixels:N0} pixels; the limit is {maxPixels:N0} (Images:MaxInputPixels). " +
                "It was refused from its header, before decoding; shrink it before upload or raise the limit.");
        }

        return image;
    }

    private static VipsImage Apply(VipsImage image, ImageOperation op, int index, int maxDimension)
    {
        nint output;
        int result;
        switch (op.Op)
        {
            case "resize":
                result = VipsNative.ThumbnailImage(image.Handle, out output, op.Width!.Value,
                    "height", op.Height ?? maxDimension,
                    "crop", op.Fit == ImageFit.Cover ? VipsNative.InterestingCentre : VipsNative.InterestingNone,
                    // Steps are explicit: resizing must not turn the image upright behind the caller's back (autoRotate does).
                    "no_rotate", 1, VipsNative.Null);
                break;
            case "rotate":
                result = VipsNative.Rot(image.Handle, out output, op.Angle switch
                {
                    90 => VipsNative.AngleD90,
                    180 => VipsNative.AngleD180,
                    _ => VipsNative.AngleD270,
                }, VipsNative.Null);
                break;
            case "autoRotate":
                result = VipsNative.AutoRot(image.Handle, out output, VipsNative.Null);
                break;
            case "flip":
                result = VipsNative.Flip(image.Handle, out output,
                    op.Direction == "vertical" ? VipsNative.DirectionVertical : VipsNative.DirectionHorizontal, VipsNative.Null);
                break;
            case "grayscale":
                result = VipsNative.Colourspace(image.Handle, out output, VipsNative.InterpretationBw, VipsNative.Null);
                break;
            case "crop":
                var (left, top, width, height) = (op.Left!.Value, op.Top!.Value, op.Width!.Value, op.Height!.Value);
                if ((long)left + width > image.Width || (long)top + height > image.Height)
                {
                    throw new DiscardJobException(
                        $"Invalid image args: operations[{index}] 'crop' {width} × {height} at ({left}, {top}) does not fit inside the " +
                        $"{image.Width} × {image.Height} image it is applied to.");
                }

                result = VipsNative.ExtractArea(image.Handle, out output, left, top, width, height, VipsNative.Null);
                break;
            default:
                throw new InvalidOperationException($"Unvalidated operation '{op.Op}'.");
        }

        return VipsImage.From(result, output, $"operations[{index}] {op.Op}");
    }

    /// <summary>Encodes; this is where the pipeline actually runs (decode, resize, encode stream tile by tile).
    /// Cancellation sets libvips' kill flag, which stops the evaluation at its next tile.</summary>
    private static byte[] Encode(VipsImage image, string suffix, CancellationToken cancellationToken)
    {
        int result;
        nint buffer;
        nuint size;
        using (cancellationToken.Register(static state => VipsNative.ImageSetKill((nint)state!, 1), image.Handle))
        {
            result = VipsNative.ImageWriteToBuffer(image.Handle, suffix, out buffer, out size, VipsNative.Null);
        }

        if (result != 0)
        {
            throw VipsException.FromLastError("save " + suffix);
        }

        try
        {
            var bytes = new byte[checked((int)size)];
            Marshal.Copy(buffer, bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            VipsNative.Free(buffer);
        }
    }
}
