using System.Net;

namespace JobPlatform.Dashboard.Tests.SingleSignOn;

/// <summary>
/// An HTTP client that keeps cookies as a browser does for a site on a loopback address: such a site is a secure
/// context (Chromium and Firefox both treat http://127.0.0.1 and http://localhost as potentially trustworthy), so
/// cookies marked Secure are stored and sent over plain http there. <see cref="CookieContainer"/> alone never
/// sends a Secure cookie to an http:// address, unlike those browsers, and would lose the OpenID Connect
/// handler's correlation and nonce cookies (which are Secure by default; headless Chromium signs in to this
/// dashboard over http://127.0.0.1 with them, as this client does). Redirects are not followed.
/// </summary>
internal sealed class LoopbackBrowser : DelegatingHandler
{
    private readonly CookieContainer cookies = new();

    private LoopbackBrowser()
        : base(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
    {
    }

    public static HttpClient NewClient(string baseUrl) => new(new LoopbackBrowser()) { BaseAddress = new Uri(baseUrl) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var site = AsSecureContext(request.RequestUri!);
        var header = cookies.GetCookieHeader(site);
        if (header.Length > 0)
        {
            request.Headers.Add("Cookie", header);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                cookies.SetCookies(site, setCookie);
            }
        }

        return response;
    }

    private static Uri AsSecureContext(Uri uri)
    {
        if (!uri.IsLoopback)
        {
            throw new InvalidOperationException($"{uri} is not a loopback address; this client is for sites on this machine only.");
        }

        return new UriBuilder(uri) { Scheme = Uri.UriSchemeHttps }.Uri;
    }
}
