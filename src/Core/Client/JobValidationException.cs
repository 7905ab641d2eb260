namespace JobPlatform.Core;

/// <summary>
/// Input that cannot become a job (bad queue name, args too large, priority out of range…). The message
/// names the input, the limit and the fix. Nothing was written when this is thrown.
/// </summary>
public sealed class JobValidationException : ArgumentException
{
    /// <summary>Creates the exception with a message that says what to change.</summary>
    public JobValidationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public JobValidationException(string message, Exception inner) : base(message, inner)
    {
    }
}
