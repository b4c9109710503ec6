namespace SweepCluster.Storage.Tests;

public sealed class CounterState
{
    public int Count { get; set; }
}
