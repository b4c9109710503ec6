namespace SweepCluster.Storage.Tests;

/// <summary>A grain whose state is kept by the file grain storage.</summary>
public sealed class CounterGrain([PersistentState("counter", CounterGrain.Storage)] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    public const string Storage = "files";

    public async Task<int> IncrementAsync()
    {
        state.State.Count++;
        await state.WriteStateAsync();
        return state.State.Count;
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Count);
}
