namespace JobPlatform.Core;

/// <summary>
/// Collects what is wrong with a settings object, one message per problem in one form: the full configuration
/// key, what it is, and what it must be. Every options class of the platform validates through it.
/// </summary>
internal sealed class SettingsCheck(string section, List<string>? errors = null)
{
    private readonly List<string> _errors = errors ?? [];

    /// <summary>The messages so far.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>The same list, for the settings under <paramref name="subsection"/>.</summary>
    public SettingsCheck Under(string subsection) => new($"{section}:{subsection}", _errors);

    /// <summary>Records a problem with <paramref name="key"/> (relative to the section; empty for the section itself).</summary>
    public void Fail(string key, string problem) =>
        _errors.Add(key.Length == 0 ? problem : $"{section}:{key} {problem}");

    public void Positive(string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            Fail(key, $"is {value}; it must be positive.");
        }
    }

    public void NotNegative(string key, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            Fail(key, $"is {value}; it must not be negative.");
        }
    }

    public void InRange(string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            Fail(key, $"is {value}; use {min} to {max}.");
        }
    }

    public void InRange(string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            Fail(key, $"is {value}; use {min} to {max}.");
        }
    }
}
