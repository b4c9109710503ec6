namespace SweepCluster.Grains.Tests;

[CollectionDefinition(Name)]
public sealed class FaultyStoreEngineCollection : ICollectionFixture<FaultyStoreEngineFixture>
{
    public const string Name = "engine over a faulty checkpoint store";
}
