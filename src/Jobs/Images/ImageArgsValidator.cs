using System.Globalization;
using JobPlatform.Core;
using JobPlatform.Jobs.Blobs;

namespace JobPlatform.Jobs.Images;

/// <summary>Turns args into plans, or discards the job with a message naming the bad field: args that are wrong
/// now are wrong on every retry.</summary>
internal static class ImageArgsValidator
{
    public static ThumbnailPlan Plan(ImageThumbnailArgs args, ImageOptions options)
    {
        var source = Key(args.Source, "source");
        var widths = (args.Width, args.Widths) switch
        {
            (null, null or { Count: 0 }) => throw Bad("give 'width' (e.g. 320) or 'widths' (e.g. [160, 320, 640])."),
            ({ } w, null or { Count: 0 }) => [w],
            (null, { } many) => many.ToList(),
            _ => throw Bad("give either 'width' or 'widths', not both."),
        };
        if (widths.Count > options.MaxWidths)
        {
            throw Bad($"'widths' has {widths.Count} entries; the limit is {options.MaxWidths} (Images:MaxWidths).");
        }

        if (widths.Distinct().Count() != widths.Count)
        {
            throw Bad($"'widths' repeats a width: [{string.Join(", ", widths)}].");
        }

        foreach (var w in widths)
        {
            Dimension(w, "width", options);
        }

        if (args.Height is { } h)
        {
            Dimension(h, "height", options);
        }

        var cover = Fit(args.Fit, "fit");
        if (cover && args.Height is null)
        {
            throw Bad("'fit': 'cover' needs a 'height' (the output is exactly width × height).");
        }

        if (string.IsNullOrEmpty(args.Destination))
        {
            throw Bad("'destination' is required: the blob key of the output, e.g. 'out/cat-{width}.webp'.");
        }

        if (widths.Count > 1 && !args.Destination.Contains("{width}", StringComparison.Ordinal))
        {
            throw Bad($"'destination' '{args.Destination}' needs a '{{width}}' placeholder when there are several widths, e.g. 'out/cat-{{width}}.webp'.");
        }

        var outputs = widths.Select(w => (w, Key(args.Destination.Replace("{width}", w.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), "destination"))).ToList();
        var suffix = VipsRuntime.SaveSuffix(Format(args.Format, outputs[0].Item2), Quality(args.Quality), args.StripMetadata);
        return new ThumbnailPlan(source, outputs, args.Height, cover, suffix);
    }

    public static TransformPlan Plan(ImageTransformArgs args, ImageOptions options)
    {
        var source = Key(args.Source, "source");
        var destination = Key(args.Destination, "destination");
        var operations = args.Operations ?? [];
        for (var i = 0; i < operations.Count; i++)
        {
            Check(operations[i], $"operations[{i}]", options);
        }

        return new TransformPlan(source, destination, operations, VipsRuntime.SaveSuffix(Format(args.Format, destination), Quality(args.Quality), args.StripMetadata));
    }

    /// <summary>The output format: <paramref name="format"/>, else the destination's extension; it must be one
    /// this libvips can write.</summary>
    public static string Format(string? format, string destination)
    {
        var chosen = format?.ToLowerInvariant() ?? Path.GetExtension(destination).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => ImageFormats.Jpeg,
            ".webp" => ImageFormats.Webp,
            ".png" => ImageFormats.Png,
            ".avif" => ImageFormats.Avif,
            var other => throw Bad($"cannot tell the format from the extension '{other}' of '{destination}'; use .jpg, .webp, .png or .avif, or set 'format'."),
        };
        if (chosen == "jpg")
        {
            chosen = ImageFormats.Jpeg;
        }

        if (!ImageFormats.All.Contains(chosen))
        {
            throw Bad($"'format' '{format}' is unknown; use one of {string.Join(", ", ImageFormats.All)}.");
        }

        var available = VipsRuntime.AvailableFormats;
        if (!available.Contains(chosen))
        {
            throw Bad($"format '{chosen}' cannot be written by this worker's libvips {VipsRuntime.Version}; available: {string.Join(", ", available)}.");
        }

        return chosen;
    }

    private static void Check(ImageOperation op, string where, ImageOptions options)
    {
        switch (op.Op)
        {
            case "resize":
                Dimension(op.Width ?? throw Bad($"{where} 'resize' needs a 'width'."), $"{where}.width", options);
                if (op.Height is { } h)
                {
                    Dimension(h, $"{where}.height", options);
                }

                if (Fit(op.Fit, $"{where}.fit") && op.Height is null)
                {
                    throw Bad($"{where} 'resize' with 'fit': 'cover' needs a 'height'.");
                }

                break;
            case "rotate":
                if (op.Angle is not (90 or 180 or 270))
                {
                    throw Bad($"{where} 'rotate' needs 'angle' 90, 180 or 270 (clockwise); got {op.Angle?.ToString(CultureInfo.InvariantCulture) ?? "none"}.");
                }

                break;
            case "flip":
                if (op.Direction is not ("horizontal" or "vertical"))
                {
                    throw Bad($"{where} 'flip' needs 'direction' 'horizontal' or 'vertical'; got '{op.Direction}'.");
                }

                break;
            case "crop":
                if (op.Left is not >= 0 || op.Top is not >= 0 || op.Width is not > 0 || op.Height is not > 0)
                {
                    throw Bad($"{where} 'crop' needs 'left' ≥ 0, 'top' ≥ 0, 'width' > 0 and 'height' > 0.");
                }

                break;
            case "autoRotate" or "grayscale":
                break;
            default:
                throw Bad($"{where} 'op' '{op.Op}' is unknown; use one of {string.Join(", ", ImageOperation.Names)}.");
        }
    }

    private static bool Fit(string? fit, string name) => fit switch
    {
        null or ImageFit.Inside => false,
        ImageFit.Cover => true,
        _ => throw Bad($"'{name}' '{fit}' is unknown; use '{ImageFit.Inside}' or '{ImageFit.Cover}'."),
    };

    private static int? Quality(int? quality) =>
        quality is null or (>= 1 and <= 100) ? quality : throw Bad($"'quality' {quality} is out of range; use 1–100.");

    private static void Dimension(int value, string name, ImageOptions options)
    {
        if (value < 1 || value > options.MaxOutputDimension)
        {
            throw Bad($"'{name}' {value} is out of range; use 1–{options.MaxOutputDimension} (Images:MaxOutputDimension).");
        }
    }

    private static string Key(string key, string name)
    {
        try
        {
            return BlobKey.Validate(key, $"'{name}'");
        }
        catch (ArgumentException e)
        {
            throw Bad(e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private static DiscardJobException Bad(string problem) => new($"Invalid image args: {problem}");
}
