using Orleans.Serialization;
using SweepCluster.Experiments;

namespace SweepCluster.Abstractions;

public static class SweepSerialization
{
    /// <summary>
    /// The experiment vocabulary (<see cref="TrialConfig"/>, <see cref="TaskOptions"/>, the enums) lives in a
    /// project without Orleans so the training core can use it; it crosses the wire as JSON.
    /// Silo and client must both call this.
    /// </summary>
    public static ISerializerBuilder AddSweepSerialization(this ISerializerBuilder builder) =>
        builder.AddJsonSerializer(isSupported: type => type.Namespace == typeof(TrialConfig).Namespace);
}
