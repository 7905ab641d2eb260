using JobPlatform.Jobs.Images;

namespace JobPlatform.Jobs.Tests.Images;

/// <summary>The per-image timeout stops libvips mid-decode (vips_image_set_kill) and discards the job.</summary>
public sealed class ImageTimeoutTests() : ImageTestBase(new ImageOptions { MaxInputPixels = 1_000_000_000, ImageTimeout = TimeSpan.FromMilliseconds(300) })
{
    [Fact]
    public async Task An_image_over_the_time_limit_is_stopped_and_discarded_naming_the_limit()
    {
        Directory.CreateDirectory(Path.Combine(Root, "in"));
        TestImages.Bomb(PathOf("in/slow.png"), side: 30_000);

        var e = await Assert.ThrowsAsync<Core.DiscardJobException>(() =>
            ThumbnailAsync(new ImageThumbnailArgs { Source = "in/slow.png", Destination = "out/s.webp", Width = 100 }));

        Assert.Contains("Image 'in/slow.png' took longer than 00:00:00.3000000 (Images:ImageTimeout) and was stopped", e.Message);
        Assert.False(File.Exists(PathOf("out/s.webp")));
    }
}
