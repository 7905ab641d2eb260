using System.Net;
using System.Text;

namespace JobPlatform.Dashboard.Access;

/// <summary>The sign-in page's HTML: a user name and password form (fields <c>username</c> and <c>password</c>)
/// and, with single sign-on configured, a link to the identity provider.</summary>
internal static class LoginPage
{
    /// <summary>The page; <paramref name="signedInAs"/> is a user already signed in without a dashboard role, who is
    /// offered to sign out (to switch accounts).</summary>
    public static string Render(string title, string antiforgeryToken, string returnUrl, string? error, bool passwords, string? ssoButton, string? signedInAs = null)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"robots\" content=\"none\"><title>Sign in – ").Append(E(title)).Append("</title>")
            .Append("<link rel=\"stylesheet\" href=\"/login.css\"></head><body><main>")
            .Append("<h1>").Append(E(title)).Append("</h1><p class=\"lead\">Sign in to the jobs dashboard.</p>");
        if (passwords)
        {
            html.Append("<form method=\"post\" action=\"/login\">")
                .Append("<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"").Append(E(antiforgeryToken)).Append("\">")
                .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(E(returnUrl)).Append("\">")
                .Append("<label for=\"username\">User name</label><input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>")
                .Append("<label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>");
            if (error is not null)
            {
                html.Append("<p class=\"error\" role=\"alert\">").Append(E(error)).Append("</p>");
            }

            html.Append("<button type=\"submit\">Sign in</button></form>");
        }
        else if (error is not null)
        {
            html.Append("<p class=\"error\" role=\"alert\">").Append(E(error)).Append("</p>");
        }

        if (ssoButton is not null)
        {
            html.Append("<a class=\"sso\" href=\"/login/sso?returnUrl=").Append(E(Uri.EscapeDataString(returnUrl))).Append("\">")
                .Append(E(ssoButton)).Append("</a>");
        }

        if (signedInAs is not null)
        {
            html.Append("<form method=\"post\" action=\"/logout\">")
                .Append("<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"").Append(E(antiforgeryToken)).Append("\">")
                .Append("<button type=\"submit\">Sign out ").Append(E(signedInAs)).Append("</button></form>");
        }

        return html.Append("</main></body></html>").ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
