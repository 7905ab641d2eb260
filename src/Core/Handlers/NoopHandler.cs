namespace JobPlatform.Core;

/// <summary>Handler of <c>platform.noop</c>: optionally sleeps, optionally fails.</summary>
internal sealed class NoopHandler : IJobHandler<NoopArgs>
{
    public async Task HandleAsync(NoopArgs args, JobContext context, CancellationToken cancellationToken)
    {
        if (args.SleepMs is > 0 and var ms)
        {
            await Task.Delay(ms, cancellationToken).ConfigureAwait(false);
        }

        if (args.Fail == true)
        {
            throw new InvalidOperationException($"platform.noop job {context.Id} was asked to fail (attempt {context.Attempt}).");
        }
    }
}
