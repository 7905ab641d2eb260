namespace JobPlatform.Jobs.Tests.Images;

public sealed class ImageTransformTests : ImageTestBase
{
    private static ImageOperation Op(string op) => new() { Op = op };

    [Fact]
    public async Task Rotate_turns_clockwise_and_swaps_width_and_height()
    {
        PutJpeg("in/wide.jpg", 400, 200);

        await TransformAsync(new ImageTransformArgs { Source = "in/wide.jpg", Destination = "out/90.png", Operations = [Op("rotate") with { Angle = 90 }] });
        await TransformAsync(new ImageTransformArgs { Source = "in/wide.jpg", Destination = "out/180.png", Operations = [Op("rotate") with { Angle = 180 }] });

        Assert.Equal((200, 400), (Header("out/90.png").Width, Header("out/90.png").Height));
        Assert.Equal((400, 200), (Header("out/180.png").Width, Header("out/180.png").Height));
    }

    [Fact]
    public async Task AutoRotate_applies_the_exif_orientation_and_clears_it()
    {
        Put("in/sideways.jpg", TestImages.JpegWithOrientation(400, 200, orientation: 6));

        await TransformAsync(new ImageTransformArgs
        {
            Source = "in/sideways.jpg", Destination = "out/upright.jpg", StripMetadata = false, Operations = [Op("autoRotate")],
        });

        var header = Header("out/upright.jpg");
        Assert.Equal((200, 400), (header.Width, header.Height));
        Assert.Equal(1, header.Orientation);
    }

    [Fact]
    public async Task Resize_does_not_turn_the_image_upright_by_itself_autoRotate_is_an_explicit_step()
    {
        Put("in/sideways.jpg", TestImages.JpegWithOrientation(400, 200, orientation: 6));

        await TransformAsync(new ImageTransformArgs { Source = "in/sideways.jpg", Destination = "out/as-is.png", Operations = [Op("resize") with { Width = 200 }] });
        await TransformAsync(new ImageTransformArgs { Source = "in/sideways.jpg", Destination = "out/upright.png", Operations = [Op("autoRotate"), Op("resize") with { Width = 100 }] });

        Assert.Equal((200, 100), (Header("out/as-is.png").Width, Header("out/as-is.png").Height));
        Assert.Equal((100, 200), (Header("out/upright.png").Width, Header("out/upright.png").Height));
    }

    [Fact]
    public async Task A_chain_of_crop_grayscale_flip_and_resize_runs_in_order_and_converts_the_format()
    {
        PutJpeg("in/photo.jpg", 800, 600);

        await TransformAsync(new ImageTransformArgs
        {
            Source = "in/photo.jpg",
            Destination = "out/photo.png",
            Operations =
            [
                Op("crop") with { Left = 100, Top = 50, Width = 400, Height = 300 },
                Op("grayscale"),
                Op("flip") with { Direction = "horizontal" },
                Op("resize") with { Width = 200 },
            ],
        });

        var header = Header("out/photo.png");
        Assert.Equal((200, 150, 1), (header.Width, header.Height, header.Bands));
        Assert.StartsWith("pngload", header.Loader);
    }

    [Fact]
    public async Task Flip_mirrors_the_pixels()
    {
        // Left half black, right half white: after a horizontal flip the left half is white.
        using (var black = NetVips.Image.Black(10, 10))
        using (var white = black + 255)
        using (var halves = black.Join(white, NetVips.Enums.Direction.Horizontal))
        using (var bytes = halves.Cast(NetVips.Enums.BandFormat.Uchar))
        {
            Directory.CreateDirectory(Path.Combine(Root, "in"));
            bytes.Pngsave(PathOf("in/halves.png"));
        }

        await TransformAsync(new ImageTransformArgs { Source = "in/halves.png", Destination = "out/flipped.png", Operations = [Op("flip") with { Direction = "horizontal" }] });
        await TransformAsync(new ImageTransformArgs { Source = "out/flipped.png", Destination = "out/left.png", Operations = [Op("crop") with { Left = 0, Top = 0, Width = 10, Height = 10 }] });

        using var left = NetVips.Image.NewFromFile(PathOf("out/left.png"));
        Assert.Equal(255.0, left.Avg());
    }

    [Fact]
    public async Task A_crop_outside_the_image_is_discarded_naming_both_sizes()
    {
        PutJpeg("in/small.jpg", 100, 80);

        var message = await DiscardedAsync(() => TransformAsync(new ImageTransformArgs
        {
            Source = "in/small.jpg", Destination = "out/x.png", Operations = [Op("crop") with { Left = 50, Top = 0, Width = 100, Height = 10 }],
        }));

        Assert.Contains("operations[0] 'crop' 100 × 10 at (50, 0) does not fit inside the 100 × 80 image", message);
    }

    [Theory]
    [InlineData("{\"op\":\"rotate\",\"angle\":45}", "'angle' 90, 180 or 270")]
    [InlineData("{\"op\":\"flip\"}", "'direction' 'horizontal' or 'vertical'")]
    [InlineData("{\"op\":\"blur\"}", "'op' 'blur' is unknown; use one of resize, rotate, autoRotate, flip, grayscale, crop")]
    [InlineData("{\"op\":\"resize\"}", "'resize' needs a 'width'")]
    [InlineData("{\"op\":\"crop\",\"width\":10}", "'crop' needs 'left'")]
    public async Task Bad_operations_are_discarded_naming_the_step(string op, string expected)
    {
        PutJpeg("in/cat.jpg", 64, 48);
        var parsed = System.Text.Json.JsonSerializer.Deserialize<ImageTransformArgs>(
            $"{{\"source\":\"in/cat.jpg\",\"destination\":\"out/cat.png\",\"operations\":[{{\"op\":\"grayscale\"}},{op}]}}",
            Core.JobClientOptions.DefaultSerializerOptions)!;

        var message = await DiscardedAsync(() => TransformAsync(parsed));

        Assert.Contains("operations[1]", message);
        Assert.Contains(expected, message);
    }
}
