namespace JobPlatform.Core;

/// <summary>
/// Arguments of one kind of job: a record serialized to JSON. <see cref="Kind"/> is the stable name stored
/// with each job (for example <c>"email.send"</c>); it must never change once jobs of it exist, so renaming
/// the CLR type cannot orphan queued jobs.
/// </summary>
public interface IJobArgs
{
    /// <summary>The stable kind name: 1-128 characters of a-z, 0-9, '.', '_', '-' and ':'.</summary>
    static abstract string Kind { get; }
}
