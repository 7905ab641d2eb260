using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Jobs.Reports;

/// <summary>Renders a report's Razor component to an HTML string, outside any web request. A renderer per render:
/// an <see cref="HtmlRenderer"/> keeps every root component it rendered (with its data) until it is disposed.</summary>
internal sealed class ReportHtmlRenderer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    public async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(services, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters)).ConfigureAwait(false);
            return "<!DOCTYPE html>\n" + output.ToHtmlString();
        }).ConfigureAwait(false);
    }
}
