using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Engine.Tests;

internal static class Specs
{
    public static SweepSpec Of(
        int epochs, EarlyStopping? stopping = null, SweepBudget? budget = null, StopTarget? stopWhen = null, bool pack = true, int packSize = 16) =>
        new(
            "spec", TaskKind.Cumsum, TaskOptions.Default,
            SweepGrid.Empty,
            Repeats: 1, epochs, BatchSize: null, DeviceKind.Cpu, Seed: 0, CheckpointEvery: 10,
            EarlyStopping: stopping, Budget: budget, StopWhen: stopWhen, Pack: pack, PackSize: packSize);
}
