using System.Globalization;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>A numeric parameter's range for random search.</summary>
[GenerateSerializer, Immutable, Alias("sweep.Distribution")]
public sealed record Distribution([property: Id(0)] DistributionKind Kind, [property: Id(1)] double Low, [property: Id(2)] double High)
{
    public double Sample(Random random) => Kind switch
    {
        DistributionKind.LogUniform => Math.Exp(Math.Log(Low) + random.NextDouble() * (Math.Log(High) - Math.Log(Low))),
        DistributionKind.IntUniform => random.NextInt64((long)Low, (long)High + 1),
        _ => Low + random.NextDouble() * (High - Low),
    };

    public override string ToString() =>
        $"{Kind} [{Low.ToString(CultureInfo.InvariantCulture)}, {High.ToString(CultureInfo.InvariantCulture)}]";
}
