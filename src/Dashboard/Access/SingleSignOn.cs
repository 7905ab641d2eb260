using System.Security.Claims;
using System.Text.Json;
using JobPlatform.Dashboard.Actions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace JobPlatform.Dashboard.Access;

/// <summary>
/// OpenID Connect sign-in (authorization code flow with PKCE, the answer in the query string so the cookies can
/// stay SameSite=Lax). The dashboard role comes from <see cref="OpenIdConnectSettings.RoleClaim"/> of the ID
/// token; a user with none of the configured values signs in without a role and is shown the access-denied page.
/// </summary>
internal static class SingleSignOn
{
    public static void Add(AuthenticationBuilder authentication, OpenIdConnectSettings settings)
    {
        authentication.AddOpenIdConnect(SignInEndpoints.SsoScheme, o =>
        {
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.SaveTokens = false;
            o.RequireHttpsMetadata = !settings.AllowHttpAuthority;
            o.SignInScheme = SignInEndpoints.CookieScheme;
            o.CallbackPath = "/signin-oidc";
            o.MapInboundClaims = false;
            // The answer comes back as a top-level GET, so the handler's own cookies can be Lax and, like the session's,
            // Secure only over HTTPS (its defaults, SameSite=None and always Secure, fail on a plain-http dashboard).
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Scope.Clear();
            o.Scope.Add("openid");
            o.Scope.Add("profile");
            o.TokenValidationParameters.NameClaimType = "name";
            o.Events.OnTokenValidated = async context =>
            {
                var identity = (ClaimsIdentity)context.Principal!.Identity!;
                var values = identity.FindAll(settings.RoleClaim).SelectMany(Values).ToList();
                var name = identity.FindFirst("preferred_username")?.Value ?? identity.FindFirst("name")?.Value
                    ?? identity.FindFirst("email")?.Value ?? identity.FindFirst("sub")?.Value ?? "unknown";
                // Only the configured claim gives a role: a provider's own role or name claims are not copied.
                var signedIn = new ClaimsIdentity(identity.Claims.Where(c => c.Type is not (ClaimTypes.Name or ClaimTypes.Role)),
                    identity.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
                signedIn.AddClaim(new Claim(ClaimTypes.Name, name));
                var role = settings.RoleFor(values);
                if (role is { } r)
                {
                    signedIn.AddClaim(new Claim(ClaimTypes.Role, r.Name()));
                }

                context.Principal = new ClaimsPrincipal(signedIn);
                var services = context.HttpContext.RequestServices;
                var address = context.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SingleSignOn))
                    .LogInformation("User {User} signed in through single sign-on from {Address} with role {Role}", name, address, role?.Name() ?? "none");
                await services.GetRequiredService<OperatorActions>().RecordSessionAsync(new Operator(name, role, address), "sign-in", context.HttpContext.RequestAborted);
            };
            o.Events.OnRemoteFailure = context =>
            {
                context.HandleResponse();
                context.Response.Redirect("/login?failed=1");
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SingleSignOn))
                    .LogWarning("Single sign-on failed: {Error}", context.Failure?.Message);
                return Task.CompletedTask;
            };
        });
    }

    /// <summary>A role claim's values: providers send one claim per value, or one claim holding a JSON array.</summary>
    private static IEnumerable<string> Values(Claim claim)
    {
        if (claim.Value.StartsWith('['))
        {
            try
            {
                return JsonSerializer.Deserialize<string[]>(claim.Value) ?? [];
            }
            catch (JsonException)
            {
            }
        }

        return [claim.Value];
    }
}
