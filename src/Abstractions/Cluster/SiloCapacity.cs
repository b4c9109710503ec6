namespace SweepCluster.Abstractions.Cluster;

/// <summary>
/// One silo's training capacity at one moment. <paramref name="Silo"/> is the silo's parsable Orleans address
/// (what placement needs), <paramref name="Name"/> what people read. <paramref name="MaxPack"/>: the most trials it trains
/// packed into one batched computation on one slot (1: it does not pack).
/// </summary>
[GenerateSerializer, Immutable, Alias("cluster.SiloCapacity")]
public sealed record SiloCapacity(
    [property: Id(0)] string Silo,
    [property: Id(1)] string Name,
    [property: Id(2)] int Slots,
    [property: Id(3)] int Busy,
    [property: Id(4)] bool Cuda,
    [property: Id(5)] bool Accepting,
    [property: Id(6)] int MaxPack = 1)
{
    public int Free => Accepting ? Math.Max(0, Slots - Busy) : 0;
}
