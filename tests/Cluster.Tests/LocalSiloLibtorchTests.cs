using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// <c>sweep run</c>'s local silo inherits SWEEP_LIBTORCH. Where the silo refuses the folder, the run ends at once with
/// the silo's reason and exit code 2, rather than waiting out the local silo's start timeout (90 s).
/// </summary>
public sealed class LocalSiloLibtorchTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("sweep-local-libtorch-").FullName;

    [Fact]
    public async Task ARunWhoseLocalSiloRefusesItsLibtorchEndsAtOnceWithTheSilosReason()
    {
        // A libtorch of the right version, which this silo (built with TorchSharp-cpu, its own libtorch) refuses all the same.
        var ownLibtorch = Path.Combine(
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
        Assert.True(Directory.Exists(ownLibtorch), $"{ownLibtorch} is missing (TorchSharp-cpu's libtorch package)");
        var spec = Path.Combine(_work, "spec.yaml");
        await File.WriteAllTextAsync(spec, "name: byo\ntask: cumsum\nparameters:\n  hidden: 8\nepochs: 2\n");
        var clock = Stopwatch.StartNew();

        var (exitCode, output) = await Cli.RunAsync(
            ["run", spec, "--quiet", "--out", Path.Combine(_work, "out")],
            new Dictionary<string, string> { ["SWEEP_HOME"] = Path.Combine(_work, "home"), ["SWEEP_LIBTORCH"] = ownLibtorch },
            TimeSpan.FromSeconds(80));

        var said = Regex.Replace(output, @"\s+", " "); // the CLI wraps its messages at the console's width
        Assert.True(exitCode == 2, $"sweep run exited {exitCode}:\n{output}");
        Assert.Contains("the local silo stopped at start (exit code 2)", said);
        Assert.Contains("Silo:Libtorch (--libtorch, SWEEP_LIBTORCH): ", said);
        Assert.Contains("this build brings its own libtorch", said);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the run took {clock.Elapsed.TotalSeconds:F0} s to give up");
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
