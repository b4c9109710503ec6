using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Cluster.Harness;
using Xunit.Abstractions;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// Two silos on one machine, started as a user tries the cluster on a laptop: <c>sweep silo --cluster R</c> twice,
/// no port flags. Each must get ports of its own and both must stay in the cluster and train.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloPortsTests(ITestOutputHelper output)
{
    /// <summary>Long past the few seconds in which a silo that claimed another's address had it declared dead.</summary>
    private static readonly TimeSpan StayAlive = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoSilosStartedWithoutPortFlagsOnOneHostBothStayInTheClusterAndTrain(bool atTheSameInstant)
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 0);
        if (atTheSameInstant)
        {
            await Task.WhenAll(cluster.AddSiloWithoutPortFlagsAsync(), cluster.AddSiloWithoutPortFlagsAsync());
        }
        else
        {
            await cluster.AddSiloWithoutPortFlagsAsync();
            await cluster.AddSiloWithoutPortFlagsAsync();
        }

        var (first, second) = (cluster.Silos[0], cluster.Silos[1]);
        output.WriteLine($"silos on {first.SiloPort}/{first.GatewayPort}/{first.MetricsPort} and {second.SiloPort}/{second.GatewayPort}/{second.MetricsPort}");
        await using var connection = await cluster.ConnectAsync();
        var management = connection.Grains.GetGrain<IManagementGrain>(0);
        var stayUntil = DateTime.UtcNow + StayAlive;
        while (DateTime.UtcNow < stayUntil)
        {
            Assert.False(first.HasExited || second.HasExited, $"a silo exited:\n{cluster.Logs()}");
            await Task.Delay(500);
        }

        var active = (await management.GetHosts(onlyActive: true)).Keys.Select(s => $"{s.Endpoint.Address}:{s.Endpoint.Port}").ToList();
        Assert.True(
            active.Count == 2 && active.Contains(first.Name) && active.Contains(second.Name),
            $"active silos: {string.Join(", ", active)}; expected {first.Name} and {second.Name}\n{cluster.Logs()}");

        Assert.Equal(4, new[] { first.SiloPort, first.GatewayPort, second.SiloPort, second.GatewayPort }.Distinct().Count());
        Assert.NotEqual(first.MetricsPort, second.MetricsPort);
        foreach (var silo in new[] { first, second })
        {
            // The ports were picked, so the silo must say which (a user opens them in a firewall, or reads them here).
            Assert.Contains($"silo-to-silo at 127.0.0.1:{silo.SiloPort}, clients on port {silo.GatewayPort}", silo.Log());
        }

        var spec = ClusterSweeps.Cumsum("two-on-one-host", epochs: 1500, merges: "[sum]");
        var sweep = connection.Grains.GetGrain<ISweepGrain>(spec.SweepId);
        await sweep.SubmitAsync(spec.Spec, spec.ResolvedYaml);
        var finished = await cluster.WaitForFinishAsync(sweep, TimeSpan.FromMinutes(4));

        Assert.All(finished.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.Contains(finished.Trials, t => t.Silo == first.Name);
        Assert.Contains(finished.Trials, t => t.Silo == second.Name);
        Assert.False(first.HasExited || second.HasExited, $"a silo exited:\n{cluster.Logs()}");
        Assert.DoesNotContain("I have been told I am dead", cluster.Logs());
    }

    [Theory]
    [InlineData("--silo-port", "Silo:SiloPort (--silo-port)")]
    [InlineData("--gateway-port", "Silo:GatewayPort (--gateway-port)")]
    [InlineData("--metrics-port", "Silo:MetricsPort (--metrics-port)")]
    public async Task ASiloAskedForAPortAnotherSiloHoldsIsRefusedByNameAndTheOtherKeepsRunning(string flag, string setting)
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 0);
        var running = await cluster.AddSiloWithoutPortFlagsAsync();
        var port = flag switch { "--silo-port" => running.SiloPort, "--gateway-port" => running.GatewayPort, _ => running.MetricsPort };
        var refusal = await SiloRefusal.RunAsync(
            ["--cluster", cluster.Redis.Connection, "--advertise", "127.0.0.1", flag, $"{port}"], TimeSpan.FromSeconds(60),
            Path.Combine(cluster.LogDirectory, "refused.log"));

        Assert.True(refusal.Exited, $"a silo given {flag} {port}, which another silo holds, kept running:\n{refusal.Log}\n{cluster.Logs()}");
        Assert.Equal(2, refusal.ExitCode);
        Assert.Contains($"{setting}: port {port} is in use", refusal.Log);
        Assert.DoesNotContain("   at ", refusal.Log);

        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.False(running.HasExited, $"the silo that held the port exited:\n{cluster.Logs()}");
    }
}
