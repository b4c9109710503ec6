using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text;

namespace SweepCluster.Deploy.Tests;

/// <summary>
/// The <c>./sweep</c> entry point, run for real. Its set-up checks read <c>ldconfig -p</c> under
/// <c>set -o pipefail</c>; a reader that stops early makes ldconfig die of SIGPIPE once its list outgrows a pipe
/// buffer, and <c>set -e</c> then ends the command silently with exit 141.
/// </summary>
public sealed class SweepScriptTests : IDisposable
{
    private const int Runs = 60;
    private const int PaddingLibraries = 20_000;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FirstRunTimeout = TimeSpan.FromMinutes(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("sweep-script-").FullName;

    /// <summary>
    /// <c>./sweep list --help</c> takes the path every CLI command takes through the script (set-up checks, build check,
    /// allocator choice: ldconfig's list is read twice) and answers without a silo (<c>list</c> itself starts one).
    /// </summary>
    [Fact]
    public async Task ListGivesItsAnswerEveryTimeWhenTheLibraryListIsHuge()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // ldconfig and its SIGPIPE are Linux's; elsewhere ./sweep skips the library checks.
        }

        var realList = await LibraryListAsync();
        var environment = ShimEnvironment(realList);
        string[] command = ["list", "--help"];

        // Builds the client when this checkout has no build yet; only the runs after it are under test.
        await RunSweepAsync(command, environment, FirstRunTimeout);

        var failures = new List<string>();
        for (var run = 1; run <= Runs; run++)
        {
            var (exitCode, output) = await RunSweepAsync(command, environment, RunTimeout);
            if (exitCode != 0 || !output.Contains("Usage:", StringComparison.Ordinal) || !output.Contains("list", StringComparison.Ordinal))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"run {run}: exit {exitCode}, output: '{output.Trim()}'"));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {Runs} runs of ./sweep list --help went wrong:\n{string.Join('\n', failures)}");
        Assert.False(File.Exists(Path.Combine(_directory, "home", "local-silo.json")), "./sweep list --help started a local silo");
    }

    /// <summary>
    /// <c>dotnet --version</c> costs every command a tenth of a second: ./sweep asks it only before a build (and in
    /// <c>setup</c>), where an SDK older than .NET 10 still gets its clear error.
    /// </summary>
    [Fact]
    public async Task OnlyABuildOrTheSetUpChecksAskTheSdkItsVersion()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the shim below is a shell script
        }

        var home = new Dictionary<string, string> { ["SWEEP_HOME"] = Path.Combine(_directory, "home") };
        await RunSweepAsync(["list", "--help"], home, FirstRunTimeout); // builds the client when this checkout has none yet
        var asked = Path.Combine(_directory, "asked");
        var environment = new Dictionary<string, string>(home) { ["PATH"] = $"{DotnetShim(asked)}:{Environment.GetEnvironmentVariable("PATH")}" };

        var (exitCode, output) = await RunSweepAsync(["list", "--help"], environment, RunTimeout);

        Assert.True(exitCode == 0 && output.Contains("Usage:", StringComparison.Ordinal), $"exit {exitCode}: {output}");
        Assert.False(File.Exists(asked), "./sweep list --help of an up-to-date build ran dotnet --version");

        (exitCode, _) = await RunSweepAsync(["setup"], environment, RunTimeout);

        Assert.True(File.Exists(asked), "./sweep setup did not check the SDK's version");
        Assert.Equal(0, exitCode);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A <c>dotnet</c> first on PATH that notes each <c>--version</c> in <paramref name="asked"/> and hands every call to the real one.</summary>
    [SupportedOSPlatform("linux")]
    private string DotnetShim(string asked)
    {
        var real = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("no dotnet on PATH");
        var bin = Directory.CreateDirectory(Path.Combine(_directory, "dotnet-shim")).FullName;
        var shim = Path.Combine(bin, "dotnet");
        File.WriteAllText(shim, $"#!/bin/sh\n[ \"$1\" = --version ] && echo asked >>'{asked}'\nexec '{real}' \"$@\"\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }

    /// <summary>This machine's own <c>ldconfig -p</c>, so that ./sweep finds the libraries it finds without the shim.</summary>
    private static async Task<string> LibraryListAsync()
    {
        var ldconfig = new[] { "/usr/sbin/ldconfig", "/sbin/ldconfig" }.FirstOrDefault(File.Exists) ?? "ldconfig";
        var (exitCode, output) = await RunAsync(new ProcessStartInfo(ldconfig, ["-p"]), TimeSpan.FromMinutes(1), stdoutOnly: true);
        Assert.True(exitCode == 0, $"{ldconfig} -p exited {exitCode}");
        return output;
    }

    /// <summary>
    /// An <c>ldconfig</c> first on PATH that lists this machine's libraries between 20,000 made-up ones (a
    /// workstation's list is that long), and a fresh SWEEP_HOME, so no silo of the user's is found or started.
    /// </summary>
    [SupportedOSPlatform("linux")]
    private Dictionary<string, string> ShimEnvironment(string realList)
    {
        var lines = realList.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var list = new StringBuilder();
        list.Append(CultureInfo.InvariantCulture, $"{lines.Length - 1 + PaddingLibraries} libs found in cache `/etc/ld.so.cache'\n");
        AppendPadding(list, 0, PaddingLibraries / 2);
        foreach (var line in lines.Skip(1))
        {
            list.Append(line).Append('\n');
        }

        AppendPadding(list, PaddingLibraries / 2, PaddingLibraries);
        var listPath = Path.Combine(_directory, "ldconfig-p.txt");
        File.WriteAllText(listPath, list.ToString());

        var bin = Directory.CreateDirectory(Path.Combine(_directory, "bin")).FullName;
        var shim = Path.Combine(bin, "ldconfig");
        File.WriteAllText(shim, $"#!/bin/sh\nexec cat '{listPath}'\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        return new Dictionary<string, string>
        {
            ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
            ["SWEEP_HOME"] = Path.Combine(_directory, "home"),
            // With jemalloc missing from this machine's list, glibc: ./sweep must not try to apt-get it here.
            ["SWEEP_ALLOCATOR"] = realList.Contains("libjemalloc.so.2 ", StringComparison.Ordinal) ? "" : "glibc",
        };
    }

    private static void AppendPadding(StringBuilder list, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            list.Append(CultureInfo.InvariantCulture, $"\tlibpadding{i}.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libpadding{i}.so.1\n");
        }
    }

    private static Task<(int ExitCode, string Output)> RunSweepAsync(string[] arguments, Dictionary<string, string> environment, TimeSpan timeout)
    {
        // .NET ignores SIGPIPE and its children inherit that; a user's shell leaves it at its default (death).
        var start = new ProcessStartInfo("env", ["--default-signal=PIPE", Path.Combine(Repo.Root, "sweep"), .. arguments])
        {
            WorkingDirectory = Repo.Root,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return RunAsync(start, timeout, stdoutOnly: false);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start, TimeSpan timeout, bool stdoutOnly)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{start.FileName} {string.Join(' ', start.ArgumentList)} still ran after {timeout}");
        }

        return (process.ExitCode, stdoutOnly ? await stdout : await stdout + await stderr);
    }
}
