using System.Text.RegularExpressions;

namespace JobPlatform.Cli;

/// <summary>Tidies exception messages for one-line output.</summary>
internal static partial class Messages
{
    /// <summary>The message without .NET's " (Parameter 'x')" suffix and without a trailing period.</summary>
    public static string Of(Exception e) => WithoutParameter(e.Message).TrimEnd('.');

    /// <summary>Removes .NET's " (Parameter 'x')" suffix, which means nothing to a CLI user.</summary>
    public static string WithoutParameter(string message) => ParameterSuffix().Replace(message, "");

    /// <summary>Joins lines so that an error stays on one line.</summary>
    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    [GeneratedRegex(@" \(Parameter '[^']*'\)$")]
    private static partial Regex ParameterSuffix();
}
