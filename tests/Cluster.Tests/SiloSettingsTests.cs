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
        var log = Path.GetTempFileName();
        try
        {
            await using var silo = LoggedProcess.Start(
                "dotnet", [RepositoryFiles.SiloDll, "--silo-port", $"{Ports.Free()}", "--gateway-port", $"{Ports.Free()}", .. arguments], log);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!silo.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.True(silo.HasExited, $"the silo kept running:\n{silo.Log()}");
            await Task.Delay(200); // the last lines of output
            Assert.Equal(2, silo.ExitCode);
            Assert.Contains(named, silo.Log());
        }
        finally
        {
            File.Delete(log);
        }
    }
}
