namespace SweepCluster.Abstractions.Cluster;

/// <summary>A TLS file the member cannot use; the message names the setting it came from and what is wrong.</summary>
public sealed class TlsSettingException(string message) : Exception(message);
