using System.CommandLine;
using SweepCluster.Client.Commands;

namespace SweepCluster.Client.Tests;

public sealed class RunCommandTests
{
    [Fact]
    public async Task RunTrainsEveryTrialAndWritesResultsCurvesAndPlot()
    {
        var directory = Directory.CreateTempSubdirectory("sweep-run-");
        try
        {
            var spec = Path.Combine(directory.FullName, "spec.yaml");
            await File.WriteAllTextAsync(spec, """
                name: tiny
                task: cumsum
                parameters:
                  direction: [forward, bidirectional]
                  merge_mode: [sum, mul]
                repeats: 2
                epochs: 30
                checkpoint_every: 10
                """);
            var output = Path.Combine(directory.FullName, "out");

            var exitCode = await Invoke("run", spec, "--out", output, "--set", "epochs=20");

            Assert.Equal(0, exitCode);
            var results = await File.ReadAllLinesAsync(Path.Combine(output, "results.csv"));
            Assert.Equal(1 + 6, results.Length);
            Assert.All(results.Skip(1), row => Assert.Contains(",completed,20,", row));
            var curves = await File.ReadAllLinesAsync(Path.Combine(output, "curves.csv"));
            Assert.Equal(1 + 6 * 20, curves.Length);
            var png = await File.ReadAllBytesAsync(Path.Combine(output, "loss.png"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ABadSpecStopsBeforeTrainingWithExitCode2()
    {
        var directory = Directory.CreateTempSubdirectory("sweep-run-");
        try
        {
            var spec = Path.Combine(directory.FullName, "spec.yaml");
            await File.WriteAllTextAsync(spec, "task: cumsum\nparameters: { merge_mode: [avg] }\n");
            var output = Path.Combine(directory.FullName, "out");

            Assert.Equal(2, await Invoke("run", spec, "--out", output));
            Assert.False(Directory.Exists(output));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static Task<int> Invoke(params string[] args) => new RootCommand { RunCommand.Create() }.Parse(args).InvokeAsync();
}
