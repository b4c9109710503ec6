using System.ComponentModel.DataAnnotations;

namespace SweepCluster.Silo.Hosting;

/// <summary>How this silo listens and stops (configuration section <c>Silo</c>; training settings live beside them).</summary>
public sealed class SiloOptions
{
    public const string Section = "Silo";

    public const int DefaultSiloPort = 11111;

    public const int DefaultGatewayPort = 30000;

    /// <summary>The environment variable that names <see cref="Libtorch"/> where the setting is unset (the client's local silo inherits it).</summary>
    public const string LibtorchVariable = "SWEEP_LIBTORCH";

    /// <summary>How messages name <see cref="Libtorch"/>.</summary>
    public const string LibtorchSetting = "Silo:Libtorch (--libtorch, SWEEP_LIBTORCH)";

    /// <summary>Port other silos reach this one on. Unset: 11111, or in cluster mode a free one while another silo holds it.</summary>
    [Range(1, 65535)]
    public int? SiloPort { get; set; }

    /// <summary>Port clients connect to. Unset: 30000, or in cluster mode a free one while another silo holds it.</summary>
    [Range(1, 65535)]
    public int? GatewayPort { get; set; }

    /// <summary>HTTP port for /metrics and /health; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int MetricsPort { get; set; }

    /// <summary>The address /metrics and /health listen on: loopback unless a scraper elsewhere must reach them (containers: 0.0.0.0).</summary>
    [Required]
    public string MetricsAddress { get; set; } = "127.0.0.1";

    /// <summary>Serve Prometheus metrics on /metrics (off only to measure what they cost).</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>Serve the Orleans Dashboard at /dashboard on the metrics port, to loopback clients only (off by default).</summary>
    public bool Dashboard { get; set; }

    /// <summary>Stop after this long with nothing training (0: never). The client's auto-started local silo uses it.</summary>
    [Range(0, int.MaxValue)]
    public int IdleShutdownSeconds { get; set; }

    /// <summary>Time a stopping silo gives its running trials to finish their epoch and checkpoint before cancelling them.</summary>
    [Range(1, 3600)]
    public int ShutdownSeconds { get; set; } = 60;

    /// <summary>
    /// The folder of the libtorch to train with, in a silo built with <c>-p:TorchBackend=system</c> (a PyTorch install's
    /// <c>torch/lib</c>, an unpacked libtorch's <c>lib</c>); checked at start (docs/gpu.md). Unset: <c>SWEEP_LIBTORCH</c>.
    /// </summary>
    public string? Libtorch { get; set; }

    /// <summary>When set, the silo writes its process id and ports here once it accepts clients, and deletes it on exit.</summary>
    public string? StateFile { get; set; }
}
