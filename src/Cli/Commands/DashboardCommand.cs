using System.CommandLine;
using JobPlatform.Hosting;

namespace JobPlatform.Cli.Commands;

/// <summary><c>jobctl dashboard hash-password</c>: the hash a dashboard user's <c>Dashboard:Users:&lt;name&gt;:PasswordHash</c> holds.</summary>
internal sealed class DashboardCommand : Command
{
    public DashboardCommand(CliContext context)
        : base("dashboard", "Help set up the operators' dashboard (src/Dashboard)")
    {
        Subcommands.Add(new HashPassword(context));
    }

    private sealed class HashPassword : Command
    {
        public HashPassword(CliContext context)
            : base("hash-password", "Read a password on standard input (its first line) and print its hash for Dashboard:Users:<name>:PasswordHash")
        {
            SetAction(_ =>
            {
                var password = context.In.ReadLine();
                if (string.IsNullOrEmpty(password))
                {
                    throw new CliUsageException(
                        "no password on standard input; pipe it in, e.g.: printf '%s\\n' \"$PASSWORD\" | jobctl dashboard hash-password");
                }

                if (password.Length < PasswordHash.MinPasswordLength)
                {
                    throw new CliUsageException(
                        $"the password is {password.Length} characters; use at least {PasswordHash.MinPasswordLength}");
                }

                context.Out.WriteLine(PasswordHash.Create(password));
                return ExitCodes.Ok;
            });
        }
    }
}
