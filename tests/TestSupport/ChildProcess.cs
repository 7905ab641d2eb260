using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace JobPlatform.TestSupport;

/// <summary>A real process of ours (worker, scheduler or jobctl) with its output captured for assertions and diagnostics.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ChildProcess Start(string dll, IEnumerable<string> args, IDictionary<string, string> env)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        return new ChildProcess(Process.Start(info)!);
    }

    /// <summary>Runs jobctl to completion and returns its exit code and output.</summary>
    public static async Task<(int Exit, string Output)> RunJobctlAsync(string connectionString, string schema, params string[] args)
    {
        using var p = Start(ProductPaths.JobctlDll, [.. args, "--database", connectionString, "--schema", schema], new Dictionary<string, string>());
        var exit = await p.WaitForExitAsync(TimeSpan.FromMinutes(2));
        return (exit, p.Output);
    }

    /// <summary>Waits until the host's /health/ready answers 200.</summary>
    public async Task WaitReadyAsync(int port, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Process {_process.Id} exited with {_process.ExitCode} before it was ready. Output:\n{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy to answer within the request's 2 s (a loaded machine); the deadline decides.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Process on port {port} not ready within {timeout}. Output:\n{Tail()}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void KillHard() => _process.Kill(entireProcessTree: true);

    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"SIGTERM to {_process.Id} failed (kill exited {kill.ExitCode}).");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Process {_process.Id} did not exit within {timeout}. Output:\n{Tail()}");
        }

        _process.WaitForExit(); // flush redirected output
        return _process.ExitCode;
    }

    public string Tail(int chars = 4000)
    {
        var output = Output;
        return output.Length <= chars ? output : output[^chars..];
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
