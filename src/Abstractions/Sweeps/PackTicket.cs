namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// A trial is started as one of <paramref name="Size"/> members of pack <paramref name="PackId"/>, trained together on one
/// slot of <paramref name="Silo"/> (its parsable address) as one batched computation.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.PackTicket")]
public sealed record PackTicket([property: Id(0)] string PackId, [property: Id(1)] int Size, [property: Id(2)] string Silo);
