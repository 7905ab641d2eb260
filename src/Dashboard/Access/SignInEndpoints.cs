using System.Security.Claims;
using JobPlatform.Dashboard.Actions;
using JobPlatform.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Dashboard.Access;

/// <summary>
/// <c>/login</c> (the form, and its POST with <c>username</c> and <c>password</c>), <c>/logout</c> (POST),
/// <c>/login/sso</c> (to the identity provider, when configured) and the sign-in page's stylesheet. Every POST
/// carries an antiforgery token; failed sign-ins are throttled per user name and per client address.
/// </summary>
internal static class SignInEndpoints
{
    /// <summary>The sign-in cookie's scheme.</summary>
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>The single sign-on scheme.</summary>
    public const string SsoScheme = "oidc";

    private static readonly Lazy<string> DecoyHash = new(() => PasswordHash.Create("decoy password, never a user's"));

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext http, string? returnUrl, string? denied, string? failed) =>
            Page(http, ReturnUrl.Safe(returnUrl),
                denied is not null ? DeniedMessage(http) : failed is not null ? "Single sign-on failed; the dashboard's log says why." : null,
                StatusCodes.Status200OK));
        app.MapPost("/login", (Delegate)SignInAsync);
        app.MapPost("/logout", (Delegate)SignOutAsync);
        app.MapGet("/login/sso", (HttpContext http, string? returnUrl) =>
            http.RequestServices.GetRequiredService<DashboardSettings>().OpenIdConnect.Enabled
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = ReturnUrl.Safe(returnUrl) }, [SsoScheme])
                : Results.NotFound());
        app.MapGet("/login.css", () => Results.Stream(
            typeof(SignInEndpoints).Assembly.GetManifestResourceStream("JobPlatform.Dashboard.Content.login.css")!, "text/css; charset=utf-8"));
    }

    private static async Task<IResult> SignInAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var settings = services.GetRequiredService<DashboardSettings>();
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var returnUrl = ReturnUrl.Safe(form["returnUrl"]);
        if (!await services.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            return Page(http, returnUrl, "The sign-in form had expired; please try again.", StatusCodes.Status400BadRequest);
        }

        var name = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var throttle = services.GetRequiredService<LoginThrottle>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInEndpoints));
        if (throttle.RetryAfter(name, address) is { } wait)
        {
            logger.LogWarning("Sign-in refused for user {User} from {Address}: too many failures", name, address);
            var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page(http, returnUrl,
                $"Too many failed sign-ins for this user or from this address; try again in {minutes} minute{(minutes == 1 ? "" : "s")}.",
                StatusCodes.Status429TooManyRequests);
        }

        var user = settings.Users.FirstOrDefault(u => string.Equals(u.Key, name, StringComparison.OrdinalIgnoreCase));
        // An unknown name costs the same hash as a known one, so timing does not tell which names exist.
        bool valid;
        if (user.Value is { PasswordHash: { } hash })
        {
            valid = PasswordHash.Verify(password, hash);
        }
        else
        {
            PasswordHash.Verify(password, DecoyHash.Value);
            valid = false;
        }

        if (!valid || !DashboardRoles.TryParse(user.Value?.Role, out var role))
        {
            throttle.Failed(name, address);
            logger.LogWarning("Failed sign-in for user {User} from {Address}", name, address);
            return Page(http, returnUrl, "The user name or password is wrong.", StatusCodes.Status401Unauthorized);
        }

        throttle.Succeeded(name);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Key), new Claim(ClaimTypes.Role, role.Name()), new Claim(ClaimTypes.AuthenticationMethod, "password")],
            CookieScheme, ClaimTypes.Name, ClaimTypes.Role);
        var principal = new ClaimsPrincipal(identity);
        await http.SignInAsync(CookieScheme, principal);
        logger.LogInformation("User {User} ({Role}) signed in from {Address}", user.Key, role.Name(), address);
        await services.GetRequiredService<OperatorActions>().RecordSessionAsync(new Operator(user.Key, role, address), "sign-in", http.RequestAborted);
        return Results.LocalRedirect(returnUrl);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http)
    {
        var services = http.RequestServices;
        if (!await services.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            return Results.Text("The sign-out request had no valid antiforgery token; reload the page and try again.", "text/plain", statusCode: StatusCodes.Status400BadRequest);
        }

        if (http.User.Identity?.IsAuthenticated == true)
        {
            await services.GetRequiredService<OperatorActions>().RecordSessionAsync(Operator.Of(http), "sign-out", http.RequestAborted);
        }

        await http.SignOutAsync(CookieScheme);
        return Results.Redirect("/login");
    }

    private static string DeniedMessage(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true
            ? $"Signed in as {http.User.Identity.Name}, who has no dashboard role; ask an admin for one of: {DashboardRoles.Names}."
            : "Your account has no dashboard role.";

    private static IResult Page(HttpContext http, string returnUrl, string? error, int status)
    {
        var services = http.RequestServices;
        var settings = services.GetRequiredService<DashboardSettings>();
        if (!settings.HasSignIn)
        {
            return Results.LocalRedirect(returnUrl);
        }

        var token = services.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken ?? "";
        var html = LoginPage.Render(settings.Title, token, returnUrl, error, settings.Users.Count > 0,
            settings.OpenIdConnect.Enabled ? settings.OpenIdConnect.ButtonText : null,
            http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name : null);
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
