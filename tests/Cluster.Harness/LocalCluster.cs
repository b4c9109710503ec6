using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Connection;

namespace SweepCluster.Cluster.Harness;

/// <summary>
/// A whole cluster on this machine: one redis-server and any number of silo processes, each a real process on
/// loopback. Disposing stops every process it started and deletes their files (logs are kept on failure by
/// the caller copying <see cref="LogDirectory"/>, which is printed by tests that fail).
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];

    private LocalCluster(RedisServer redis)
    {
        Redis = redis;
    }

    public RedisServer Redis { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public string LogDirectory { get; } = Directory.CreateTempSubdirectory("sweep-cluster-logs-").FullName;

    public static async Task<LocalCluster> StartAsync(int silos, int slotsPerSilo = 1, string? redisPassword = null, params string[] settings)
    {
        var cluster = new LocalCluster(await RedisServer.StartAsync(redisPassword));
        try
        {
            for (var i = 0; i < silos; i++)
            {
                await cluster.AddSiloAsync(slotsPerSilo, settings);
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public async Task<SiloProcess> AddSiloAsync(int slots = 1, params string[] settings)
    {
        var silo = await SiloProcess.StartAsync(Redis.Connection, slots, LogDirectory, settings);
        lock (_silos)
        {
            _silos.Add(silo);
        }

        return silo;
    }

    /// <summary>Starts a silo again on a dead one's ports, as when its machine comes back (the new one replaces the old in the membership).</summary>
    public async Task<SiloProcess> RestartSiloAsync(SiloProcess dead, int slots = 1, params string[] settings)
    {
        var silo = await SiloProcess.StartAsync(Redis.Connection, slots, LogDirectory, (dead.SiloPort, dead.GatewayPort, dead.MetricsPort), settings);
        lock (_silos)
        {
            _silos.Add(silo);
        }

        return silo;
    }

    /// <summary>A silo started with no port flags, as a user starts one (<see cref="SiloProcess.StartWithoutPortFlagsAsync"/>).</summary>
    public async Task<SiloProcess> AddSiloWithoutPortFlagsAsync(int slots = 1, params string[] settings)
    {
        var silo = await SiloProcess.StartWithoutPortFlagsAsync(Redis.Connection, slots, LogDirectory, settings);
        lock (_silos)
        {
            _silos.Add(silo);
        }

        return silo;
    }

    public Task<SweepConnection> ConnectAsync(CancellationToken cancellationToken = default) =>
        SweepConnection.ConnectClusterAsync(Redis.Connection, cancellationToken);

    /// <summary>Every silo's log, for a failing test's message.</summary>
    public string Logs() => string.Join("\n", _silos.Select(s => $"===== {s.Name} =====\n{s.Log()}"));

    /// <summary>
    /// Polls the sweep until <paramref name="done"/> holds. Calls that fail while the cluster recovers from a
    /// dead silo (timeouts, unavailable silos) are retried, as the CLI does.
    /// </summary>
    public async Task<SweepProgress> WaitForAsync(ISweepGrain sweep, Func<SweepProgress, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        SweepProgress? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await sweep.GetProgressAsync().WaitAsync(TimeSpan.FromSeconds(10));
                if (last is not null && done(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                // the sweep's silo is being declared dead; ask again
            }

            await Task.Delay(100);
        }

        var state = last is null ? "no progress" : string.Join(", ", last.Trials.Select(t => $"{t.Trial.Id}={t.Status}/{t.Epochs}@{t.Silo}"));
        throw new TimeoutException($"sweep {sweep.GetPrimaryKeyString()} did not get there in {timeout.TotalSeconds:F0} s: {state}\n{Logs()}");
    }

    public Task<SweepProgress> WaitForFinishAsync(ISweepGrain sweep, TimeSpan timeout) => WaitForAsync(sweep, p => p.IsFinished, timeout);

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await Redis.DisposeAsync();
        Directory.Delete(LogDirectory, recursive: true);
    }
}
