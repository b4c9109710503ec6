using SweepCluster.Abstractions.Cluster;
using SweepCluster.Grains.Hosting;

namespace SweepCluster.Silo.Hosting;

/// <summary>Mutual TLS between silos and between clients and this silo's gateway, when <c>Cluster:Tls</c> is configured.</summary>
public static class SiloTlsExtensions
{
    /// <summary>
    /// In cluster mode with <c>Cluster:Tls:Certificate</c> set: TLS on both ports, a certificate the cluster's CA signed
    /// required of every peer, silo or client. The files are checked now, so a bad one stops the silo at start (exit 2).
    /// A local silo listens on loopback only and is left as it is.
    /// </summary>
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, IConfiguration configuration, ClusterModeOptions cluster)
    {
        var options = configuration.GetSection(ClusterTlsOptions.Section).Get<ClusterTlsOptions>() ?? new ClusterTlsOptions();
        if (cluster.ModeOrDefault != ClusterMode.Redis || options.Files() is not { } files)
        {
            return silo;
        }

        ClusterCertificates certificates;
        try
        {
            certificates = ClusterCertificates.Load(files, ClusterTlsOptions.SettingNames, server: true);
        }
        catch (TlsSettingException e)
        {
            throw new SiloConfigurationException(e.Message);
        }

        return silo.UseTls(certificates.ApplyTo);
    }
}
