using System.ComponentModel.DataAnnotations;

namespace SweepCluster.Silo.Hosting;

/// <summary>How this silo joins and listens (configuration section <c>Silo</c>; training settings live beside them).</summary>
public sealed class SiloOptions
{
    public const string Section = "Silo";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>HTTP port for /health (and /metrics); 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int HttpPort { get; set; }

    /// <summary>Stop after this long with nothing training (0: never). The client's auto-started local silo uses it.</summary>
    [Range(0, int.MaxValue)]
    public int IdleShutdownSeconds { get; set; }

    /// <summary>When set, the silo writes its process id and ports here once it accepts clients, and deletes it on exit.</summary>
    public string? StateFile { get; set; }
}
