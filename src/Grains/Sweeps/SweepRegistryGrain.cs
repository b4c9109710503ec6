using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Sweeps;

public sealed class SweepRegistryGrain(
    [PersistentState("registry", "sweeps")] IPersistentState<List<string>> state) : Grain, ISweepRegistryGrain
{
    public async Task RegisterAsync(string sweepId)
    {
        if (!state.State.Contains(sweepId))
        {
            state.State.Add(sweepId);
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State]);
}
