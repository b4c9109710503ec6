namespace SweepCluster.Storage.Tests;

/// <summary>The in-memory store (unit tests, a silo given no store directory) keeps the same promises as the durable ones.</summary>
public sealed class MemorySweepStoreTests : SweepStoreTests
{
    private readonly MemorySweepStore _store = new();

    protected override ISweepStore Store => _store;
}
