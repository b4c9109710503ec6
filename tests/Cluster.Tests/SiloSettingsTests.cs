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
}
