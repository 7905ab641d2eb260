using System.Globalization;
using JobPlatform.Core;
using JobPlatform.Jobs.Blobs;
using Microsoft.Extensions.Options;
using NetVips;

namespace JobPlatform.Jobs.Images;

/// <summary>
/// Reads a source blob within the limits, runs the libvips work on a dedicated thread and writes the outputs
/// (atomically, through the blob store). Bad input is discarded with a message naming the blob, the limit and
/// the actual value; nothing a source contains can take the worker down.
/// </summary>
internal sealed class ImageProcessor : IDisposable
{
    private readonly IBlobStore _blobs;
    private readonly ImageOptions _options;
    private readonly Lazy<VipsWorkQueue> _queue;
    private readonly SemaphoreSlim _slots;

    public ImageProcessor(IBlobStore blobs, IOptions<ImageOptions> options)
    {
        _blobs = blobs;
        _options = options.Value;
        _slots = new SemaphoreSlim(_options.EffectiveConcurrency);
        _queue = new Lazy<VipsWorkQueue>(() =>
        {
            VipsRuntime.EnsureStarted(_options.VipsThreads);
            return new VipsWorkQueue(_options.EffectiveConcurrency);
        });
    }

    /// <summary>Validates thumbnail args (starting libvips with <c>Images:VipsThreads</c> to learn its formats).</summary>
    public ThumbnailPlan Plan(ImageThumbnailArgs args)
    {
        VipsRuntime.EnsureStarted(_options.VipsThreads);
        return ImageArgsValidator.Plan(args, _options);
    }

    /// <summary>Validates transform args.</summary>
    public TransformPlan Plan(ImageTransformArgs args)
    {
        VipsRuntime.EnsureStarted(_options.VipsThreads);
        return ImageArgsValidator.Plan(args, _options);
    }

    public async Task<IReadOnlyList<ImageOutput>> ThumbnailAsync(ThumbnailPlan plan, CancellationToken cancellationToken)
    {
        // A slot is taken before the source is read: a queue running 100 image jobs holds at most
        // Images:MaxConcurrency sources (and their outputs) in memory; the others wait without buffers.
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var input = await ReadSourceAsync(plan.Source, cancellationToken).ConfigureAwait(false);
            var outputs = await RunAsync(plan.Source, token => VipsPipeline.Thumbnail(input, plan, _options.MaxInputPixels, _options.MaxOutputDimension, token), cancellationToken).ConfigureAwait(false);
            await WriteAsync(outputs, cancellationToken).ConfigureAwait(false);
            return outputs;
        }
        finally
        {
            _slots.Release();
        }
    }

    public async Task<ImageOutput> TransformAsync(TransformPlan plan, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var input = await ReadSourceAsync(plan.Source, cancellationToken).ConfigureAwait(false);
            var output = await RunAsync(plan.Source, token => VipsPipeline.Transform(input, plan, _options.MaxInputPixels, _options.MaxOutputDimension, token), cancellationToken).ConfigureAwait(false);
            await WriteAsync([output], cancellationToken).ConfigureAwait(false);
            return output;
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose()
    {
        _slots.Dispose();
        if (_queue.IsValueCreated)
        {
            _queue.Value.Dispose();
        }
    }

    /// <summary>The whole source in memory (libvips reads from a buffer), refused above <c>Images:MaxInputBytes</c>.
    /// A missing blob is an ordinary failure: it is retried, since an upload may still be on its way.</summary>
    private async Task<byte[]> ReadSourceAsync(string key, CancellationToken cancellationToken)
    {
        var limit = _options.MaxInputBytes;
        var info = await _blobs.GetInfoAsync(key, cancellationToken).ConfigureAwait(false) ?? throw new BlobNotFoundException(key);
        if (info.Length > limit)
        {
            throw TooBig(key, info.Length, limit);
        }

        if (info.Length == 0)
        {
            throw new DiscardJobException($"Image '{key}' is empty (0 bytes); upload the image again.");
        }

        return await _blobs.ReadExactlyAsync(info, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs libvips work with the per-image timeout. The timeout kills the evaluation (libvips stops at
    /// its next tile) and discards the job; the job's own token (job timeout, cancel, shutdown) cancels it.</summary>
    private async Task<T> RunAsync<T>(string source, Func<CancellationToken, T> work, CancellationToken cancellationToken)
    {
        using var image = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        image.CancelAfter(_options.ImageTimeout);
        try
        {
            return await _queue.Value.RunAsync(() => work(image.Token), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is VipsException or OperationCanceledException && image.IsCancellationRequested)
        {
            // Fired tokens mean libvips was killed (or never started): the job's own cancellation wins over the timeout.
            cancellationToken.ThrowIfCancellationRequested();
            throw new DiscardJobException(
                $"Image '{source}' took longer than {_options.ImageTimeout.ToString("c", CultureInfo.InvariantCulture)} (Images:ImageTimeout) and was stopped; " +
                "raise the limit for genuinely large images, or lower Images:MaxInputPixels to refuse them sooner.", e);
        }
        catch (VipsException e)
        {
            throw new DiscardJobException($"Image '{source}' could not be processed (corrupt, truncated or unsupported): {VipsRuntime.Describe(e)}", e);
        }
    }

    private async Task WriteAsync(IReadOnlyList<ImageOutput> outputs, CancellationToken cancellationToken)
    {
        foreach (var output in outputs)
        {
            await _blobs.WriteAsync(output.Destination, new MemoryStream(output.Bytes, writable: false), cancellationToken).ConfigureAwait(false);
        }
    }

    private static DiscardJobException TooBig(string key, long length, long limit) => new(
        $"Image '{key}' is {length:N0} bytes; the limit is {limit:N0} (Images:MaxInputBytes). Upload a smaller image or raise the limit.");
}
