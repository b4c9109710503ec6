using System.Net;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Engine.Tests;

/// <summary>Planned trials, reports and silo addresses for ledger tests, without expanding a spec.</summary>
internal static class Trials
{
    public static readonly string SiloA = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1).ToParsableString();
    public static readonly string SiloB = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 2).ToParsableString();

    public static IReadOnlyList<PlannedTrial> Plan(int count, int epochs = 20, int variants = 0, DeviceKind device = DeviceKind.Cpu) =>
        [
            .. Enumerable.Range(0, count).Select(i => new PlannedTrial(
                $"t{i}", $"v{(variants == 0 ? i : i % variants)}", new TrialConfig { Epochs = epochs, Device = device, Seed = i, Hidden = 8 + i % 3 },
                new Dictionary<string, string>())),
        ];

    public static TrialLedger Ledger(int count, int epochs = 20, IReadOnlyList<int>? judged = null) => new(Plan(count, epochs), judged ?? []);

    /// <summary>Epochs <paramref name="from"/>..<paramref name="to"/> of trial t<paramref name="index"/>, loss falling as 1/epoch from <paramref name="scale"/>.</summary>
    public static IReadOnlyList<EpochReport> Epochs(int index, int from, int to, double scale = 1) =>
        [.. Enumerable.Range(from, to - from + 1).Select(e => new EpochReport($"t{index}", e, scale / e, 1 - scale / e / 2, 0.5))];

    /// <summary>Sends a report through both phases, as the grain does (minus the curve store); returns the ack.</summary>
    public static ReportAck Report(this TrialLedger ledger, int index, IReadOnlyList<EpochReport> epochs, TrialEnd? end = null)
    {
        var intake = ledger.Accept(index, new TrialReport($"t{index}", epochs, end));
        if (intake.Gap)
        {
            return ledger.Ack(index);
        }

        ledger.Apply(index, intake.NewEpochs, end);
        return ledger.Ack(index, end);
    }
}
