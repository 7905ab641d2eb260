using Microsoft.AspNetCore.Http;

namespace JobPlatform.Dashboard.Actions;

/// <summary>
/// The outcome of an action, carried to the page the dashboard reloads after it (its scripts reload on success
/// and show nothing themselves): a short-lived cookie that the dashboard's script shows once, as text, and clears.
/// </summary>
internal static class Notice
{
    public const string CookieName = "jp_notice";
    private const int MaxLength = 1500;

    public static void Set(HttpContext context, string message)
    {
        var text = message.Length <= MaxLength ? message : message[..MaxLength] + "…";
        context.Response.Cookies.Append(CookieName, text, new CookieOptions
        {
            Path = DashboardSettings.PathBase,
            MaxAge = TimeSpan.FromMinutes(1),
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            HttpOnly = false,
        });
    }
}
