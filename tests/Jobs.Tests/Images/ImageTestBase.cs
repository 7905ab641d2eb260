using JobPlatform.Core;
using JobPlatform.Jobs.Blobs;
using JobPlatform.Jobs.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobPlatform.Jobs.Tests.Images;

/// <summary>A blob store in a temp folder of its own and the image handlers over it, with real libvips.</summary>
public abstract class ImageTestBase : IDisposable
{
    private readonly ImageProcessor _processor;

    protected ImageTestBase(ImageOptions? options = null)
    {
        Root = Directory.CreateTempSubdirectory("jobplatform-images-").FullName;
        Blobs = new FileSystemBlobStore(Root);
        _processor = new ImageProcessor(Blobs, Microsoft.Extensions.Options.Options.Create(options ?? new ImageOptions()));
    }

    protected string Root { get; }

    protected FileSystemBlobStore Blobs { get; }

    protected string PathOf(string key) => Blobs.GetPath(key);

    /// <summary>Runs image.thumbnail as the worker would (the handler never reads the context).</summary>
    protected Task ThumbnailAsync(ImageThumbnailArgs args, CancellationToken cancellationToken = default) =>
        new ImageThumbnailHandler(_processor, NullLogger<ImageThumbnailHandler>.Instance).HandleAsync(args, null!, cancellationToken);

    protected Task TransformAsync(ImageTransformArgs args, CancellationToken cancellationToken = default) =>
        new ImageTransformHandler(_processor, NullLogger<ImageTransformHandler>.Instance).HandleAsync(args, null!, cancellationToken);

    protected async Task<string> DiscardedAsync(Func<Task> run)
    {
        var e = await Assert.ThrowsAsync<DiscardJobException>(run);
        return e.Message;
    }

    protected string Put(string key, byte[] bytes)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return key;
    }

    protected string PutJpeg(string key, int width, int height)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        TestImages.Jpeg(path, width, height);
        return key;
    }

    protected TestImages.Header Header(string key) => TestImages.ReadHeader(PathOf(key));

    public void Dispose()
    {
        _processor.Dispose();
        Directory.Delete(Root, recursive: true);
        GC.SuppressFinalize(this);
    }
}
