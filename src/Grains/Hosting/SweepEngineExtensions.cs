using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using StackExchange.Redis;
using SweepCluster.Abstractions;
using SweepCluster.Grains.Cluster;
using SweepCluster.Grains.Observability;
using SweepCluster.Grains.Trials;
using SweepCluster.Storage;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Hosting;

public static class SweepEngineExtensions
{
    /// <summary>
    /// The sweep engine on a silo: training slots, trial placement, and where state lives. Redis mode keeps
    /// membership, grain state, reminders, curves, sweep ledgers and (by default) checkpoints in Redis, so any silo can
    /// die without taking a trial's progress with it. Local mode keeps membership and reminders in this process, and
    /// grain state, curves and ledgers as files under <see cref="TrainingOptions.StoreDirectory"/> (in memory without
    /// one), so a local sweep outlives its silo.
    /// </summary>
    /// <summary>Grain locations a silo caches: several times the trials that train at once on a large cluster.</summary>
    public const int DirectoryCacheSize = 10_000;

    public static ISiloBuilder AddSweepEngine(this ISiloBuilder silo)
    {
        var cluster = silo.Configuration.GetSection(ClusterModeOptions.Section).Get<ClusterModeOptions>() ?? new ClusterModeOptions();
        silo.Services.AddOptions<ClusterModeOptions>()
            .BindConfiguration(ClusterModeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Grain state as plain System.Text.Json: the default (Newtonsoft with type names and references) brought a
        // sweep back from Redis with one trial's config in another trial's place.
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.Services.Configure<SystemTextJsonGrainStorageSerializerOptions>(
            o => o.JsonSerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals); // a diverged curve ends in NaN

        // Orleans caches where each grain lives, up to a million by default; a sweep activates each of its trials' grains
        // once, so that cache grew by ~300 bytes per trial ever run. The grains a silo calls at once are far fewer.
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = DirectoryCacheSize);

        // Redis mode may swap this for Redis; a directory must then be one every silo shares.
        Func<IServiceProvider, ICheckpointStore> checkpoints = sp =>
            new DirectoryCheckpointStore(sp.GetRequiredService<IOptions<TrainingOptions>>().Value.CheckpointDirectory);
        if (cluster.ModeOrDefault == ClusterMode.Redis && !string.IsNullOrWhiteSpace(cluster.Redis))
        {
            var redis = RedisOptions(cluster.Redis);
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.Id, cluster.Id));
            silo.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
            foreach (var storage in new[] { "sweeps", "trials" })
            {
                silo.AddRedisGrainStorage(storage, o => o.ConfigurationOptions = redis.Clone());
            }

            silo.UseRedisReminderService(o => o.ConfigurationOptions = redis.Clone());
            silo.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis.Clone()));
            silo.Services.TryAddSingleton<ICurveStore>(sp => new RedisCurveStore(sp.GetRequiredService<IConnectionMultiplexer>(), cluster.Id));
            silo.Services.TryAddSingleton<ISweepStore>(sp => new RedisSweepStore(sp.GetRequiredService<IConnectionMultiplexer>(), cluster.Id));
            if (cluster.Checkpoints == CheckpointStoreKind.Redis)
            {
                checkpoints = sp => new RedisCheckpointStore(sp.GetRequiredService<IConnectionMultiplexer>(), cluster.Id);
            }
        }
        else
        {
            silo.UseInMemoryReminderService();
            var store = silo.Configuration.GetSection(TrainingOptions.Section).Get<TrainingOptions>()?.StoreDirectory;
            if (string.IsNullOrWhiteSpace(store))
            {
                silo.AddMemoryGrainStorage("sweeps").AddMemoryGrainStorage("trials");
                silo.Services.TryAddSingleton<ICurveStore, MemoryCurveStore>();
                silo.Services.TryAddSingleton<ISweepStore, MemorySweepStore>();
            }
            else
            {
                var state = Path.Combine(store, "state");
                silo.AddFileGrainStorage("sweeps", state).AddFileGrainStorage("trials", state);
                silo.Services.TryAddSingleton<ICurveStore>(_ => new FileCurveStore(store));
                silo.Services.TryAddSingleton<ISweepStore>(_ => new FileSweepStore(store));
            }

            // Local reminders live in this process: a sweep whose silo stopped is brought back by the next one.
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LocalSweepResumer>();
        }

        silo.Services.AddSingleton<SweepMetrics>();
        silo.Services.AddSingleton<ICheckpointStore>(sp => new TimedCheckpointStore(
            new ResilientCheckpointStore(checkpoints(sp), sp.GetRequiredService<ILogger<ResilientCheckpointStore>>()),
            sp.GetRequiredService<SweepMetrics>()));

        silo.Services.AddSerializer(serializer => serializer.AddSweepSerialization());
        silo.Services.AddOptions<TrainingOptions>()
            .BindConfiguration(TrainingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        silo.Services.TryAddSingleton<ITrialTrainer, TorchTrialTrainer>();
        silo.Services.AddSingleton<TrainingWorker>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<TrainingWorker>());
        silo.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        return silo;
    }

    /// <summary>
    /// The connection string as StackExchange.Redis reads it (password, ssl, ...), set to keep retrying in the
    /// background rather than fail for good when Redis restarts.
    /// </summary>
    public static ConfigurationOptions RedisOptions(string connection)
    {
        var options = ConfigurationOptions.Parse(connection);
        options.AbortOnConnectFail = false;
        return options;
    }
}
