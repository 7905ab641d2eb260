namespace JobPlatform.Dashboard.Actions;

/// <summary>What an operator's action did, in words for the operator.</summary>
/// <param name="Done">Whether anything changed; when nothing did, the dashboard shows the message as a refusal.</param>
/// <param name="Message">What happened, or why nothing did.</param>
public sealed record ActionOutcome(bool Done, string Message)
{
    /// <summary>A refusal: nothing changed.</summary>
    public static ActionOutcome Refused(string message) => new(false, message);
}
