using JobPlatform.Core;
using NetVips;

namespace JobPlatform.Jobs.Images;

/// <summary>
/// The blocking libvips work of the image kinds, run on a <see cref="VipsWorkQueue"/> thread. Every image is
/// disposed before the call returns and the operation cache is off (<see cref="VipsRuntime"/>), so nothing
/// outlives the call.
/// </summary>
internal static class VipsPipeline
{
    /// <summary>Load options of thumbnail: fail on the first decode error.</summary>
    private const string FailOnError = "fail_on=error";

    public static IReadOnlyList<ImageOutput> Thumbnail(byte[] input, ThumbnailPlan plan, long maxPixels, int maxDimension, CancellationToken cancellationToken)
    {
        var outputs = new List<ImageOutput>(plan.Outputs.Count);
        // The header check's image is not read further: each width decodes anew with shrink-on-load.
        CheckHeader(input, plan.Source, maxPixels, Enums.Access.Sequential).Dispose();
        foreach (var (width, destination) in plan.Outputs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Without a height, libvips would fit a width × width square; the output limit as the box height makes
            // the width exact for any sane aspect ratio, while a sliver (100 × 100,000) cannot be enlarged to
            // gigapixels: it is fitted under the limit instead. Fail on the first decode error, so a truncated
            // file fails instead of yielding grey: as a load option, since thumbnail's own failOn argument does not
            // reach the loader (HostileImageTests proves the option string does).
            using var image = Image.ThumbnailBuffer(input, width, FailOnError, height: plan.Height ?? maxDimension,
                crop: plan.Cover ? Enums.Interesting.Centre : Enums.Interesting.None);
            outputs.Add(new ImageOutput(destination, image.Width, image.Height, Encode(image, plan.SaveSuffix, cancellationToken)));
        }

        return outputs;
    }

    public static ImageOutput Transform(byte[] input, TransformPlan plan, long maxPixels, int maxDimension, CancellationToken cancellationToken)
    {
        // Random access: rotate and flip read the source out of order, which a sequential load refuses.
        var image = CheckHeader(input, plan.Source, maxPixels, Enums.Access.Random);
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

    /// <summary>Opens the source reading only its header, and refuses it above the pixel limit before a single
    /// pixel is decoded (a 30 000 × 30 000 PNG of one colour is a few hundred KB on disk). Only the first page of a
    /// multi-page source is ever decoded, so its width × height is what decoding costs.</summary>
    private static Image CheckHeader(byte[] input, string source, long maxPixels, Enums.Access access)
    {
        Image image;
        try
        {
            image = Image.NewFromBuffer(input, access: access, failOn: Enums.FailOn.Error);
        }
        catch (VipsException e)
        {
            throw new DiscardJobException(
                $"Image '{source}' ({input.Length:N0} bytes) is not an image libvips can read ({VipsRuntime.Describe(e)}); " +
                "supported sources: JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF.", e);
        }

        var (width, height) = (image.Width, image.Height);
        var pixels = (long)width * height;
        if (pixels > maxPixels)
        {
            image.Dispose();
            throw new DiscardJobException(
                $"Image '{source}' is {width:N0} × {height:N0} = {pixels:N0} pixels; the limit is {maxPixels:N0} (Images:MaxInputPixels). " +
                "It was refused from its header, before decoding; shrink it before upload or raise the limit.");
        }

        return image;
    }

    private static Image Apply(Image image, ImageOperation op, int index, int maxDimension)
    {
        switch (op.Op)
        {
            case "resize":
                // Steps are explicit: resizing must not turn the image upright behind the caller's back (autoRotate does).
                return image.ThumbnailImage(op.Width!.Value, height: op.Height ?? maxDimension,
                    crop: op.Fit == ImageFit.Cover ? Enums.Interesting.Centre : Enums.Interesting.None, noRotate: true);
            case "rotate":
                return image.Rot(op.Angle switch
                {
                    90 => Enums.Angle.D90,
                    180 => Enums.Angle.D180,
                    _ => Enums.Angle.D270,
                });
            case "autoRotate":
                return image.Autorot();
            case "flip":
                return image.Flip(op.Direction == "vertical" ? Enums.Direction.Vertical : Enums.Direction.Horizontal);
            case "grayscale":
                return image.Colourspace(Enums.Interpretation.Bw);
            case "crop":
                var (left, top, width, height) = (op.Left!.Value, op.Top!.Value, op.Width!.Value, op.Height!.Value);
                if ((long)left + width > image.Width || (long)top + height > image.Height)
                {
                    throw new DiscardJobException(
                        $"Invalid image args: operations[{index}] 'crop' {width} × {height} at ({left}, {top}) does not fit inside the " +
                        $"{image.Width} × {image.Height} image it is applied to.");
                }

                return image.ExtractArea(left, top, width, height);
            default:
                throw new InvalidOperationException($"Unvalidated operation '{op.Op}'.");
        }
    }

    /// <summary>Encodes; this is where the pipeline actually runs (decode, resize, encode stream tile by tile).
    /// Cancellation sets libvips' kill flag on the image, which stops the evaluation at its next tile.</summary>
    private static byte[] Encode(Image image, string suffix, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(static state => ((Image)state!).SetKill(true), image))
        {
            return image.WriteToBuffer(suffix);
        }
    }
}
