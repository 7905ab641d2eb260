using System.Diagnostics;
using OpenTelemetry;

namespace JobPlatform.Hosting;

/// <summary>
/// Cuts HTTP client spans' <c>url.full</c> down to scheme, host and port before they are exported: a Slack
/// webhook carries its secret in the path, and other services put keys in the query. Runs before the exporter,
/// which is added after it.
/// </summary>
internal sealed class UrlRedactionProcessor : BaseProcessor<Activity>
{
    public const string UrlTag = "url.full";

    public override void OnEnd(Activity data)
    {
        if (data.GetTagItem(UrlTag) is string url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            data.SetTag(UrlTag, uri.GetLeftPart(UriPartial.Authority) + "/");
        }
    }
}
