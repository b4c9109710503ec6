using System.ComponentModel.DataAnnotations;

namespace SweepCluster.Grains.Hosting;

/// <summary>How a silo finds the others and where shared state lives (configuration section <c>Cluster</c>).</summary>
public sealed class ClusterModeOptions : IValidatableObject
{
    public const string Section = "Cluster";

    /// <summary>Null: <see cref="ClusterMode.Redis"/> when <see cref="Redis"/> is set, else <see cref="ClusterMode.Local"/>.</summary>
    public ClusterMode? Mode { get; set; }

    /// <summary>A StackExchange.Redis connection string: <c>host:port[,password=...][,ssl=true]</c>.</summary>
    public string? Redis { get; set; }

    /// <summary>Names the cluster in Redis, so several clusters can share one Redis.</summary>
    [Required, RegularExpression("^[A-Za-z0-9_.-]+$")]
    public string Id { get; set; } = "sweepcluster";

    /// <summary>The address other silos and clients reach this silo at (default: <c>POD_IP</c>, else this host's first address).</summary>
    public string? AdvertisedIP { get; set; }

    /// <summary>Where trials checkpoint in redis mode; a directory must be shared by every silo (<c>Silo:CheckpointDirectory</c>).</summary>
    public CheckpointStoreKind Checkpoints { get; set; } = CheckpointStoreKind.Redis;

    public ClusterMode ModeOrDefault => Mode ?? (string.IsNullOrWhiteSpace(Redis) ? ClusterMode.Local : ClusterMode.Redis);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ModeOrDefault == ClusterMode.Redis && string.IsNullOrWhiteSpace(Redis))
        {
            yield return new ValidationResult("Cluster:Mode is redis but Cluster:Redis (--cluster, the Redis connection string) is not set", [nameof(Redis)]);
        }
    }
}

public enum ClusterMode
{
    /// <summary>One silo on this machine: localhost clustering, state in memory.</summary>
    Local,

    /// <summary>Any number of silos: Redis membership, grain state, reminders and (by default) checkpoints.</summary>
    Redis,
}

public enum CheckpointStoreKind
{
    Redis,
    Directory,
}
