using System.Text;
using JobPlatform.Jobs.Images;

namespace JobPlatform.Jobs.Tests.Images;

/// <summary>Inputs meant to hurt the worker are discarded with a message naming the blob, the limit and the value.</summary>
public sealed class HostileImageTests() : ImageTestBase(new ImageOptions { MaxInputPixels = 4_000_000, MaxInputBytes = 2_000_000 })
{
    [Fact]
    public async Task A_text_file_named_jpg_is_discarded_as_not_an_image()
    {
        Put("in/fake.jpg", Encoding.UTF8.GetBytes("this is not a picture, just text\n"));

        var message = await DiscardedAsync(() => ThumbnailAsync(new ImageThumbnailArgs { Source = "in/fake.jpg", Destination = "out/fake.webp", Width = 100 }));

        Assert.Contains("Image 'in/fake.jpg' (33 bytes) is not an image libvips can read", message);
        Assert.False(File.Exists(PathOf("out/fake.webp")));
    }

    [Fact]
    public async Task A_truncated_jpeg_is_discarded_instead_of_yielding_a_half_grey_thumbnail()
    {
        PutJpeg("in/whole.jpg", 1200, 900);
        Put("in/truncated.jpg", TestImages.Truncated(PathOf("in/whole.jpg")));

        var thumbnail = await DiscardedAsync(() => ThumbnailAsync(new ImageThumbnailArgs { Source = "in/truncated.jpg", Destination = "out/t.webp", Width = 100 }));
        var transform = await DiscardedAsync(() => TransformAsync(new ImageTransformArgs { Source = "in/truncated.jpg", Destination = "out/t.png", Operations = [new() { Op = "grayscale" }] }));

        foreach (var message in new[] { thumbnail, transform })
        {
            Assert.Contains("Image 'in/truncated.jpg' could not be processed (corrupt, truncated or unsupported)", message);
            Assert.Contains("premature end of", message, StringComparison.OrdinalIgnoreCase);
        }

        Assert.False(File.Exists(PathOf("out/t.webp")));
        Assert.False(File.Exists(PathOf("out/t.png")));
    }

    [Fact]
    public async Task A_decompression_bomb_is_refused_from_its_header_naming_the_pixel_limit()
    {
        Directory.CreateDirectory(Path.Combine(Root, "in"));
        TestImages.Bomb(PathOf("in/bomb.png"), side: 3000);
        Assert.True(new FileInfo(PathOf("in/bomb.png")).Length < 100_000, "the bomb should be small on disk");

        var message = await DiscardedAsync(() => ThumbnailAsync(new ImageThumbnailArgs { Source = "in/bomb.png", Destination = "out/b.webp", Width = 100 }));

        Assert.Contains("Image 'in/bomb.png' is 3,000 × 3,000 = 9,000,000 pixels; the limit is 4,000,000 (Images:MaxInputPixels)", message);
    }

    [Fact]
    public async Task A_source_over_the_byte_limit_is_refused_before_it_is_read()
    {
        Put("in/big.jpg", new byte[2_000_001]);

        var message = await DiscardedAsync(() => ThumbnailAsync(new ImageThumbnailArgs { Source = "in/big.jpg", Destination = "out/b.webp", Width = 100 }));

        Assert.Contains("Image 'in/big.jpg' is 2,000,001 bytes; the limit is 2,000,000 (Images:MaxInputBytes)", message);
    }

    [Fact]
    public async Task A_missing_source_fails_the_attempt_so_it_is_retried_while_an_upload_may_still_come()
    {
        await Assert.ThrowsAsync<Blobs.BlobNotFoundException>(() => ThumbnailAsync(new ImageThumbnailArgs { Source = "in/later.jpg", Destination = "out/l.webp", Width = 100 }));
    }

    [Fact]
    public async Task An_svg_is_refused_by_the_loader_allow_list_although_this_libvips_can_render_svg()
    {
        // The loader is built in; only the block (VipsRuntime.AllowedLoaders) keeps untrusted SVG away from librsvg.
        Assert.NotEqual(IntPtr.Zero, NetVips.NetVips.TypeFromName("VipsForeignLoadSvgBuffer"));
        const string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"><rect width=\"64\" height=\"64\"/></svg>";
        Put("in/vector.jpg", Encoding.UTF8.GetBytes(svg));

        var message = await DiscardedAsync(() => ThumbnailAsync(new ImageThumbnailArgs { Source = "in/vector.jpg", Destination = "out/x.webp", Width = 32 }));

        Assert.Contains($"Image 'in/vector.jpg' ({svg.Length} bytes) is not an image libvips can read", message);
        Assert.Contains("supported sources: JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF", message);
        Assert.False(File.Exists(PathOf("out/x.webp")));
    }

    [Theory]
    [InlineData(".jpg", "jpegload")]
    [InlineData(".png", "pngload")]
    [InlineData(".webp", "webpload")]
    [InlineData(".gif", "gifload")]
    [InlineData(".tif", "tiffload")]
    [InlineData(".heif[compression=av1]", "heifload")]
    public async Task Every_supported_source_format_passes_the_loader_allow_list(string suffix, string loader)
    {
        using (var noise = NetVips.Image.Gaussnoise(300, 200))
        using (var bytes = noise.Cast(NetVips.Enums.BandFormat.Uchar))
        {
            Put("in/source", bytes.WriteToBuffer(suffix));
        }

        Assert.StartsWith(loader, TestImages.ReadHeader(PathOf("in/source")).Loader);

        await ThumbnailAsync(new ImageThumbnailArgs { Source = "in/source", Destination = "out/t.png", Width = 150 });

        Assert.Equal((150, 100), (Header("out/t.png").Width, Header("out/t.png").Height));
    }
}
