using JobPlatform.Core;

namespace JobPlatform.Cli.Enqueueing;

/// <summary>
/// Enqueues <c>count</c> copies of one job with <see cref="JobClient.EnqueueManyAsync(IEnumerable{JobInsert}, CancellationToken)"/>,
/// one transaction per chunk, so memory stays flat for millions of jobs.
/// </summary>
internal static class ChunkedEnqueuer
{
    /// <summary>Default chunk: large enough for binary COPY to dominate, small enough to keep transactions short.</summary>
    public const int DefaultChunkSize = 10_000;

    /// <summary>
    /// Enqueues the copies; returns the ids when <paramref name="collectIds"/>, else an empty list.
    /// <paramref name="onChunk"/>, when given, is called with the running total after each committed chunk.
    /// </summary>
    /// <exception cref="JobValidationException">The job is not valid; nothing was written (the first chunk validates it).</exception>
    /// <remarks>A failure after the first chunk leaves the committed chunks in place; <paramref name="onChunk"/> has seen them.</remarks>
    public static async Task<List<Guid>> EnqueueAsync(JobClient client, JobInsert insert, long count, int chunkSize,
        bool collectIds, Action<long>? onChunk, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        long done = 0;
        while (done < count)
        {
            var size = (int)Math.Min(chunkSize, count - done);
            IReadOnlyList<JobInsertResult> results;
            try
            {
                results = await client.EnqueueManyAsync(Enumerable.Repeat(insert, size), cancellationToken).ConfigureAwait(false);
            }
            catch (JobValidationException e) when (e.InnerException is JobValidationException item)
            {
                // Every copy is identical, so "item 0 of the batch" adds nothing: report the item's own message.
                throw new JobValidationException(item.Message, e);
            }

            if (collectIds)
            {
                ids.AddRange(results.Select(r => r.Id));
            }

            done += size;
            onChunk?.Invoke(done);
        }

        return ids;
    }
}
