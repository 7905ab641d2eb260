namespace JobPlatform.Core;

/// <summary>Runs jobs of one kind. Throw to fail the attempt (it is retried with backoff), throw
/// <see cref="SnoozeJobException"/> to try again later without spending the attempt, or
/// <see cref="DiscardJobException"/> when retrying cannot help.</summary>
/// <typeparam name="TArgs">The args record of the kind.</typeparam>
public interface IJobHandler<in TArgs> where TArgs : IJobArgs
{
    /// <summary>Runs one attempt. Honour <paramref name="cancellationToken"/>: it fires on timeout, on
    /// cancellation of the job, and at the end of a graceful shutdown.</summary>
    Task HandleAsync(TArgs args, JobContext context, CancellationToken cancellationToken);
}
