using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Dashboard.Tests.SingleSignOn;

/// <summary>Who the provider signs in: the subject, the display name, the values of the <c>roles</c> claim (sent as
/// a JSON array) and any other claims for the ID token.</summary>
internal sealed record SsoUser(string Subject, string Name, params string[] Roles)
{
    public Dictionary<string, object> OtherClaims { get; init; } = [];
}

/// <summary>
/// A small but real OpenID Connect provider on Kestrel at 127.0.0.1: discovery, JWKS, the authorization endpoint
/// (authorization code flow with PKCE S256; no login page, it signs in <see cref="NextUser"/> at once) and the
/// token endpoint (client_secret_post, the code verifier checked; an RS256 ID token). Whatever it refuses is
/// answered 400 and kept in <see cref="Refusals"/>, so a test can say why a sign-in failed.
/// </summary>
internal sealed class FakeIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "jobplatform-dashboard";
    public const string ClientSecret = "dashboard-client-secret";
    private const string KeyId = "test-key-1";

    private readonly RSA key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> codes = new();
    private readonly ConcurrentQueue<string> refusals = new();
    private WebApplication? app;
    private int tokensIssued;

    private FakeIdentityProvider()
    {
    }

    /// <summary>The issuer, also the authority the dashboard is configured with (http://127.0.0.1:port).</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>The redirect URI registered for <see cref="ClientId"/>; any other is refused.</summary>
    public string? RegisteredRedirectUri { get; set; }

    /// <summary>The user the next authorization request signs in.</summary>
    public SsoUser NextUser { get; set; } = new("nobody", "Nobody");

    /// <summary>The query of every authorization request, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> AuthorizationRequests { get; } = new();

    /// <summary>How many codes were exchanged for tokens.</summary>
    public int TokensIssued => Volatile.Read(ref tokensIssued);

    /// <summary>Why requests were refused, in order.</summary>
    public IReadOnlyCollection<string> Refusals => refusals;

    public static async Task<FakeIdentityProvider> StartAsync()
    {
        var idp = new FakeIdentityProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", idp.Discovery);
        app.MapGet("/jwks", idp.Jwks);
        app.MapGet("/authorize", idp.Authorize);
        app.MapPost("/token", idp.TokenAsync);
        await app.StartAsync();
        idp.Issuer = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        idp.app = app;
        return idp;
    }

    private IResult Discovery() => Results.Json(new Dictionary<string, object>
    {
        ["issuer"] = Issuer,
        ["authorization_endpoint"] = Issuer + "/authorize",
        ["token_endpoint"] = Issuer + "/token",
        ["jwks_uri"] = Issuer + "/jwks",
        ["response_types_supported"] = new[] { "code" },
        ["response_modes_supported"] = new[] { "query" },
        ["grant_types_supported"] = new[] { "authorization_code" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        ["code_challenge_methods_supported"] = new[] { "S256" },
        ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post" },
        ["scopes_supported"] = new[] { "openid", "profile" },
        ["claims_supported"] = new[] { "sub", "name", "roles" },
    });

    private IResult Jwks()
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return Results.Json(new
        {
            keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = KeyId, n = Base64Url(p.Modulus!), e = Base64Url(p.Exponent!) } },
        });
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query.ToDictionary(p => p.Key, p => p.Value.ToString());
        AuthorizationRequests.Enqueue(q);
        string Get(string name) => q.TryGetValue(name, out var v) ? v : "";

        // Until the redirect URI is known to be the client's, errors are shown here, never sent there.
        if (Get("client_id") != ClientId)
        {
            return Refuse($"authorize: unknown client_id '{Get("client_id")}'");
        }

        if (RegisteredRedirectUri is null || Get("redirect_uri") != RegisteredRedirectUri)
        {
            return Refuse($"authorize: redirect_uri '{Get("redirect_uri")}' is not the registered '{RegisteredRedirectUri}'");
        }

        if (Get("response_type") != "code")
        {
            return Refuse($"authorize: response_type '{Get("response_type")}' is not 'code'");
        }

        if (!Get("scope").Split(' ').Contains("openid"))
        {
            return Refuse($"authorize: scope '{Get("scope")}' lacks openid");
        }

        if (Get("code_challenge_method") != "S256" || Get("code_challenge").Length != 43)
        {
            return Refuse($"authorize: PKCE S256 is required (code_challenge_method '{Get("code_challenge_method")}', code_challenge '{Get("code_challenge")}')");
        }

        if (Get("response_mode") is not ("" or "query"))
        {
            return Refuse($"authorize: response_mode '{Get("response_mode")}' is not supported");
        }

        var code = Base64Url(RandomNumberGenerator.GetBytes(32));
        codes[code] = new Grant(Get("redirect_uri"), Get("nonce"), Get("code_challenge"), NextUser, DateTimeOffset.UtcNow.AddMinutes(1));
        var callback = new Dictionary<string, string?> { ["code"] = code };
        if (q.TryGetValue("state", out var state))
        {
            callback["state"] = state;
        }

        return Results.Redirect(QueryHelpers.AddQueryString(Get("redirect_uri"), callback));
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return Refuse("token: not a form POST", "invalid_request");
        }

        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code")
        {
            return Refuse($"token: grant_type '{form["grant_type"]}'", "unsupported_grant_type");
        }

        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Refuse($"token: wrong client credentials (client_id '{form["client_id"]}', client_secret {(form.ContainsKey("client_secret") ? "wrong" : "missing")})", "invalid_client");
        }

        // One use only: the code is gone whether or not what follows holds.
        if (!codes.TryRemove(form["code"].ToString(), out var grant) || grant.Expires < DateTimeOffset.UtcNow)
        {
            return Refuse("token: unknown, used or expired code", "invalid_grant");
        }

        if (form["redirect_uri"] != grant.RedirectUri)
        {
            return Refuse($"token: redirect_uri '{form["redirect_uri"]}' differs from the authorization request's", "invalid_grant");
        }

        var verifier = form["code_verifier"].ToString();
        if (verifier.Length is < 43 or > 128 || Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.CodeChallenge)
        {
            return Refuse("token: code_verifier does not match the code_challenge", "invalid_grant");
        }

        var accessToken = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>(grant.User.OtherClaims)
        {
            ["iss"] = Issuer,
            ["aud"] = ClientId,
            ["sub"] = grant.User.Subject,
            ["name"] = grant.User.Name,
            ["roles"] = grant.User.Roles,
            ["iat"] = now,
            ["exp"] = now + 300,
            ["at_hash"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]),
        };
        if (grant.Nonce.Length > 0)
        {
            claims["nonce"] = grant.Nonce;
        }

        Interlocked.Increment(ref tokensIssued);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return Results.Json(new { access_token = accessToken, token_type = "Bearer", expires_in = 300, id_token = Sign(claims) });
    }

    /// <summary>A compact JWS: base64url(header).base64url(payload).base64url(RS256 signature).</summary>
    private string Sign(Dictionary<string, object> claims)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", kid = KeyId }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + Base64Url(signature);
    }

    private IResult Refuse(string why, string error = "invalid_request")
    {
        refusals.Enqueue(why);
        return Results.Json(new { error, error_description = why }, statusCode: StatusCodes.Status400BadRequest);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        key.Dispose();
    }

    private sealed record Grant(string RedirectUri, string Nonce, string CodeChallenge, SsoUser User, DateTimeOffset Expires);
}
