using System.CommandLine;

namespace JobPlatform.Cli.Commands;

/// <summary>Options and arguments several commands share, created per command.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json(string description) => new("--json") { Description = description };

    /// <summary>A job id argument: a UUID, checked at parse time so a typo is a usage error.</summary>
    public static Argument<Guid> JobId() => new("id")
    {
        Description = "The job id (a UUID, as printed by enqueue and list)",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Guid.TryParse(text, out var id))
            {
                return id;
            }

            result.AddError($"'{text}' is not a job id: expected a UUID such as 019a4c3e-5b7d-7f10-8c2e-4d6a1b9e0f3c");
            return Guid.Empty;
        },
    };

    /// <summary>A required <c>--queue</c>.</summary>
    public static Option<string> RequiredQueue(string description) => new("--queue")
    {
        Description = description,
        HelpName = "name",
        Required = true,
    };
}
