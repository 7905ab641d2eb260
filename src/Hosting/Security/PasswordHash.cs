using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace JobPlatform.Hosting;

/// <summary>
/// Password hashes for the dashboard's users: PBKDF2 with HMAC-SHA512 (210,000 iterations by default, OWASP's
/// figure for it), a 16-byte random salt, written as <c>pbkdf2-sha512$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c>
/// (Base64). <c>jobctl dashboard hash-password</c> makes one.
/// </summary>
public static class PasswordHash
{
    /// <summary>Iterations of a new hash.</summary>
    public const int DefaultIterations = 210_000;

    /// <summary>Fewest iterations a stored hash may have.</summary>
    public const int MinIterations = 10_000;

    /// <summary>Shortest password a new hash is made for.</summary>
    public const int MinPasswordLength = 8;

    private const string Scheme = "pbkdf2-sha512";
    private const int SaltBytes = 16;
    private const int HashBytes = 64;

    /// <summary>Hashes <paramref name="password"/>.</summary>
    /// <exception cref="ArgumentException">The password is shorter than <see cref="MinPasswordLength"/>, or the iterations below <see cref="MinIterations"/>.</exception>
    public static string Create(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length < MinPasswordLength)
        {
            throw new ArgumentException($"The password is {password.Length} characters; use at least {MinPasswordLength}.", nameof(password));
        }

        if (iterations < MinIterations)
        {
            throw new ArgumentException($"{iterations} iterations are too few; use at least {MinIterations}.", nameof(iterations));
        }

        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, iterations);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Why <paramref name="stored"/> is not a hash this class can check, or null when it is one.</summary>
    public static string? Problem(string? stored)
    {
        if (string.IsNullOrWhiteSpace(stored))
        {
            return "is empty";
        }

        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme)
        {
            return $"is not a {Scheme} hash; make one with: jobctl dashboard hash-password";
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < MinIterations)
        {
            return $"has {parts[1]} iterations; at least {MinIterations} are required (jobctl dashboard hash-password uses {DefaultIterations})";
        }

        try
        {
            return Convert.FromBase64String(parts[2]).Length >= 8 && Convert.FromBase64String(parts[3]).Length == HashBytes
                ? null
                : "has a salt or hash of the wrong length; make a new one with: jobctl dashboard hash-password";
        }
        catch (FormatException)
        {
            return "has a salt or hash that is not Base64; make a new one with: jobctl dashboard hash-password";
        }
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="stored"/> (compared in constant time).
    /// A malformed hash matches nothing.</summary>
    public static bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (Problem(stored) is not null)
        {
            return false;
        }

        var parts = stored.Split('$');
        var iterations = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var expected = Convert.FromBase64String(parts[3]);
        return CryptographicOperations.FixedTimeEquals(Derive(password, Convert.FromBase64String(parts[2]), iterations), expected);
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
}
