using SweepCluster.Abstractions.Cluster;
using SweepCluster.Experiments;

namespace SweepCluster.Engine;

/// <summary>
/// The cluster's training slots as one dispatch pass sees them: asked once per pass, then kept up to date as the
/// pass places trials. Picks the silo with the most free slots that has what the trial needs, so an idle silo
/// gets work before a busy one and CUDA trials only go where CUDA is.
/// </summary>
public sealed class SlotBoard
{
    private readonly List<SiloCapacity> _silos;
    private readonly Dictionary<string, int> _free;

    public SlotBoard(IEnumerable<SiloCapacity> silos)
    {
        _silos = [.. silos.OrderBy(s => s.Silo, StringComparer.Ordinal)];
        _free = _silos.ToDictionary(s => s.Silo, s => s.Free);
    }

    public IReadOnlyList<SiloCapacity> Silos => _silos;

    public bool AnyFree => _free.Values.Any(free => free > 0);

    /// <summary>Free slots over all silos.</summary>
    public int FreeSlots => _free.Values.Sum();

    /// <summary>No silo of the cluster could ever run a trial on <paramref name="device"/> (as opposed to: all busy now).</summary>
    public bool IsUnschedulable(DeviceKind device) => _silos.Count > 0 && !_silos.Any(s => Supports(s, device));

    /// <summary>The silo to start a trial on now, or null when every silo that could run it is busy.</summary>
    public string? Pick(DeviceKind device) => _silos
        .Where(s => Supports(s, device) && _free[s.Silo] > 0)
        .OrderByDescending(s => _free[s.Silo])
        .ThenByDescending(s => s.Slots)
        .Select(s => s.Silo)
        .FirstOrDefault();

    /// <summary>
    /// The silo to start a pack of at least <paramref name="members"/> trials on <paramref name="device"/> now (any device:
    /// null), or null when none can.
    /// </summary>
    public string? PickForPack(int members, DeviceKind? device) => _silos
        .Where(s => s.MaxPack >= members && _free[s.Silo] > 0 && (device is null || Supports(s, device.Value)))
        .OrderByDescending(s => _free[s.Silo])
        .ThenByDescending(s => s.Slots)
        .Select(s => s.Silo)
        .FirstOrDefault();

    public int MaxPack(string silo) => _silos.First(s => s.Silo == silo).MaxPack;

    public void Took(string silo)
    {
        if (_free.TryGetValue(silo, out var free))
        {
            _free[silo] = Math.Max(0, free - 1);
        }
    }

    /// <summary>The silo said it had no room after all (another sweep was faster): skip it for the rest of the pass.</summary>
    public void Full(string silo) => _free[silo] = 0;

    /// <summary>Why <see cref="IsUnschedulable"/> holds, in words for the user.</summary>
    public string Explain(DeviceKind device) =>
        $"needs a {Names.Of(device)} silo, and none of the cluster's {_silos.Count} silo(s) has {Names.Of(device).ToUpperInvariant()} " +
        $"({string.Join(", ", _silos.Select(s => s.Name + (s.Cuda ? " (cuda)" : " (cpu only)")))})";

    private static bool Supports(SiloCapacity silo, DeviceKind device) => device switch
    {
        DeviceKind.Cuda => silo.Cuda,
        _ => true,
    };
}
