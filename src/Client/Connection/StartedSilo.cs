namespace SweepCluster.Client.Connection;

/// <summary>
/// A local silo to connect to on <paramref name="GatewayPort"/>: <paramref name="Up"/> ends when it accepts connections
/// (at once for one that was running), or throws why it never will.
/// </summary>
public sealed record StartedSilo(int GatewayPort, Task Up);
