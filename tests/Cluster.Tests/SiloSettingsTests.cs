using SweepCluster.Cluster.Harness;

namespace SweepCluster.Cluster.Tests;

/// <summary>A silo started with a bad setting stops at once, exit code 2, naming the setting.</summary>
public sealed class SiloSettingsTests
{
    [Theory]
    [InlineData("TrainingSlots", "--slots", "0")]
    [InlineData("Cluster:AdvertisedIP (--advertise)", "--cluster", "127.0.0.1:1", "--advertise", "not-an-ip")]
    [InlineData("Cluster:Redis (--cluster", "--Cluster:Mode=redis")]
    [InlineData("unknown option(s) --slot", "--slot", "3")]
    public async Task ABadSettingIsRefusedByName(string named, params string[] arguments)
    {
        var refusal = await SiloRefusal.RunAsync(
            ["--silo-port", $"{Ports.Free()}", "--gateway-port", $"{Ports.Free()}", .. arguments], TimeSpan.FromSeconds(60));

        Assert.True(refusal.Exited, $"the silo kept running:\n{refusal.Log}");
        Assert.Equal(2, refusal.ExitCode);
        Assert.Contains(named, refusal.Log);
    }

    /// <summary>
    /// Debian's python3-torch is libtorch 1.13; TorchSharp 0.107.0 runs on 2.10. And a silo built with TorchSharp-cpu
    /// (this one) brings its own libtorch, so it refuses one named through SWEEP_LIBTORCH too, even the right version.
    /// </summary>
    [Theory]
    [InlineData("--libtorch", "/usr/lib/python3/dist-packages/torch/lib", "holds libtorch 1.13.0a0 (from /usr/lib/python3/dist-packages/torch/version.py); TorchSharp 0.107.0 needs libtorch 2.10")]
    [InlineData("SWEEP_LIBTORCH", "TorchSharp-cpu", "this build brings its own libtorch")]
    public async Task AnUnusableLibtorchIsRefusedSayingWhatWasFound(string how, string folder, string said)
    {
        if (folder == "TorchSharp-cpu")
        {
            folder = Path.Combine(
                Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
                "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
        }

        Assert.True(Directory.Exists(folder), $"{folder} is missing (Debian's python3-torch; TorchSharp-cpu's libtorch package)");
        var ports = new[] { "--silo-port", $"{Ports.Free()}", "--gateway-port", $"{Ports.Free()}" };
        var refusal = how.StartsWith('-')
            ? await SiloRefusal.RunAsync([.. ports, how, folder], TimeSpan.FromSeconds(60))
            : await SiloRefusal.RunAsync(ports, TimeSpan.FromSeconds(60), environment: new Dictionary<string, string> { [how] = folder });

        Assert.True(refusal.Exited, $"the silo kept running:\n{refusal.Log}");
        Assert.Equal(2, refusal.ExitCode);
        Assert.Contains("sweep silo: invalid setting: Silo:Libtorch (--libtorch, SWEEP_LIBTORCH): ", refusal.Log);
        Assert.Contains($"'{folder}'", refusal.Log);
        Assert.Contains(said, refusal.Log);
    }
}
