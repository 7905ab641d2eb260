namespace JobPlatform.Core;

/// <summary>Thrown by a handler when retrying cannot help (a permanent error such as an unknown mailbox):
/// the job is discarded at once with this message as its error. Operators can still retry it.</summary>
public sealed class DiscardJobException : Exception
{
    /// <summary>Discards the job with <paramref name="message"/> as its error.</summary>
    public DiscardJobException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
