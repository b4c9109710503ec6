using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>Start trials <paramref name="Indices"/> as one pack on the ticket's silo (one slot).</summary>
public sealed record StartPack(IReadOnlyList<int> Indices, PackTicket Ticket) : DispatchAction;
