using JobPlatform.Jobs.Images;

namespace JobPlatform.Jobs.Tests.Images;

public sealed class ImageThumbnailTests : ImageTestBase
{
    [Fact]
    public async Task A_jpeg_becomes_a_webp_of_the_asked_width_with_its_aspect_ratio()
    {
        PutJpeg("in/cat.jpg", 1600, 1200);

        await ThumbnailAsync(new ImageThumbnailArgs { Source = "in/cat.jpg", Destination = "out/cat-320.webp", Width = 320 });

        var header = Header("out/cat-320.webp");
        Assert.Equal((320, 240), (header.Width, header.Height));
        Assert.StartsWith("webpload", header.Loader);
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, "out"), "*.tmp"));
    }

    [Fact]
    public async Task Several_widths_in_one_job_each_get_an_output_named_by_the_pattern()
    {
        PutJpeg("in/cat.jpg", 1600, 1200);

        await ThumbnailAsync(new ImageThumbnailArgs { Source = "in/cat.jpg", Destination = "out/cat-{width}.png", Widths = [160, 320, 640] });

        foreach (var (w, h) in new[] { (160, 120), (320, 240), (640, 480) })
        {
            var header = Header($"out/cat-{w}.png");
            Assert.Equal((w, h), (header.Width, header.Height));
            Assert.StartsWith("pngload", header.Loader);
        }
    }

    [Fact]
    public async Task Cover_fills_the_box_exactly_and_inside_fits_within_it()
    {
        PutJpeg("in/portrait.jpg", 600, 1200);

        await ThumbnailAsync(new ImageThumbnailArgs { Source = "in/portrait.jpg", Destination = "out/square.jpg", Width = 200, Height = 200, Fit = "cover" });
        await ThumbnailAsync(new ImageThumbnailArgs { Source = "in/portrait.jpg", Destination = "out/inside.jpg", Width = 200, Height = 200 });
        await ThumbnailAsync(new ImageThumbnailArgs { Source = "in/portrait.jpg", Destination = "out/wide.jpg", Width = 200 });

        Assert.Equal((200, 200), (Header("out/square.jpg").Width, Header("out/square.jpg").Height));
        Assert.Equal((100, 200), (Header("out/inside.jpg").Width, Header("out/inside.jpg").Height));
        Assert.Equal((200, 400), (Header("out/wide.jpg").Width, Header("out/wide.jpg").Height));
        Assert.StartsWith("jpegload", Header("out/square.jpg").Loader);
    }

    [Fact]
    public async Task A_sliver_is_never_enlarged_past_the_output_limit()
    {
        // 100 × 20,000 pixels asked at 4096 wide would be 4096 × 819,200 (3.4 gigapixels) if the width were exact.
        Directory.CreateDirectory(Path.Combine(Root, "in"));
        TestImages.BlackPng(PathOf("in/sliver.png"), 100, 20_000);

        await ThumbnailAsync(new ImageThumbnailArgs { Source = "in/sliver.png", Destination = "out/sliver.png", Width = 4096 });
        await TransformAsync(new ImageTransformArgs
        {
            Source = "in/sliver.png", Destination = "out/sliver-t.png", Operations = [new ImageOperation { Op = "resize", Width = 4096 }],
        });

        foreach (var key in new[] { "out/sliver.png", "out/sliver-t.png" })
        {
            var header = Header(key);
            Assert.True(header.Width <= 8192 && header.Height <= 8192, $"{key} is {header.Width} × {header.Height}; Images:MaxOutputDimension is 8192");
        }
    }

    [Fact]
    public async Task A_missing_destination_is_discarded_not_retried()
    {
        PutJpeg("in/cat.jpg", 800, 600);

        var error = await DiscardedAsync(() => ThumbnailAsync(new ImageThumbnailArgs { Source = "in/cat.jpg", Destination = null!, Widths = [160, 320] }));

        Assert.Contains("'destination' is required", error);
    }

    [Fact]
    public async Task Format_overrides_the_extension_and_quality_changes_the_size()
    {
        PutJpeg("in/cat.jpg", 800, 600);

        await ThumbnailAsync(new ImageThumbnailArgs { Source = "in/cat.jpg", Destination = "out/low.bin", Width = 400, Format = "jpeg", Quality = 10 });
        await ThumbnailAsync(new ImageThumbnailArgs { Source = "in/cat.jpg", Destination = "out/high.bin", Width = 400, Format = "jpeg", Quality = 95 });

        Assert.StartsWith("jpegload", Header("out/low.bin").Loader);
        Assert.True(new FileInfo(PathOf("out/low.bin")).Length < new FileInfo(PathOf("out/high.bin")).Length / 2,
            "quality 10 should be far smaller than quality 95");
    }

    [Fact]
    public async Task Avif_is_written_when_libvips_can_or_refused_naming_the_available_formats()
    {
        PutJpeg("in/cat.jpg", 400, 300);
        var args = new ImageThumbnailArgs { Source = "in/cat.jpg", Destination = "out/cat.avif", Width = 200 };

        if (VipsRuntime.AvailableFormats.Contains(ImageFormats.Avif))
        {
            await ThumbnailAsync(args);
            var header = Header("out/cat.avif");
            Assert.Equal((200, 150), (header.Width, header.Height));
            Assert.StartsWith("heifload", header.Loader);
        }
        else
        {
            var message = await DiscardedAsync(() => ThumbnailAsync(args));
            Assert.Contains("available: jpeg, webp, png", message);
        }
    }

    [Fact]
    public async Task Metadata_is_stripped_by_default_and_kept_on_request_and_exif_orientation_is_applied()
    {
        Put("in/sideways.jpg", TestImages.JpegWithOrientation(400, 200, orientation: 6));
        Assert.True(Header("in/sideways.jpg").HasExif);

        await ThumbnailAsync(new ImageThumbnailArgs { Source = "in/sideways.jpg", Destination = "out/stripped.jpg", Width = 100 });
        await ThumbnailAsync(new ImageThumbnailArgs { Source = "in/sideways.jpg", Destination = "out/kept.jpg", Width = 100, StripMetadata = false });

        var stripped = Header("out/stripped.jpg");
        Assert.False(stripped.HasExif);
        Assert.Equal((100, 200), (stripped.Width, stripped.Height)); // upright: the 400 × 200 source stands on its side
        Assert.True(Header("out/kept.jpg").HasExif);
    }

    [Theory]
    [InlineData("{\"width\":320,\"widths\":[160]}", "either 'width' or 'widths'")]
    [InlineData("{}", "give 'width'")]
    [InlineData("{\"widths\":[160,320]}", "needs a '{width}' placeholder")]
    [InlineData("{\"width\":320,\"fit\":\"cover\"}", "needs a 'height'")]
    [InlineData("{\"width\":320,\"fit\":\"stretch\"}", "'fit' 'stretch' is unknown")]
    [InlineData("{\"width\":100000}", "Images:MaxOutputDimension")]
    [InlineData("{\"width\":320,\"quality\":101}", "use 1–100")]
    [InlineData("{\"width\":320,\"format\":\"bmp\"}", "'format' 'bmp' is unknown")]
    public async Task Bad_args_are_discarded_naming_the_field(string json, string expected)
    {
        PutJpeg("in/cat.jpg", 64, 48);
        var parsed = System.Text.Json.JsonSerializer.Deserialize<ImageThumbnailArgs>(
            json.Insert(1, "\"source\":\"in/cat.jpg\",\"destination\":\"out/cat.webp\"" + (json == "{}" ? "" : ",")),
            Core.JobClientOptions.DefaultSerializerOptions)!;

        var message = await DiscardedAsync(() => ThumbnailAsync(parsed));

        Assert.Contains(expected, message);
    }

    [Fact]
    public async Task A_destination_outside_the_store_or_with_an_unknown_extension_is_discarded()
    {
        PutJpeg("in/cat.jpg", 64, 48);

        Assert.Contains("'..' segment", await DiscardedAsync(() => ThumbnailAsync(new ImageThumbnailArgs { Source = "in/cat.jpg", Destination = "../escape.jpg", Width = 32 })));
        Assert.Contains("extension '.gifx'", await DiscardedAsync(() => ThumbnailAsync(new ImageThumbnailArgs { Source = "in/cat.jpg", Destination = "out/cat.gifx", Width = 32 })));
    }
}
