using SweepCluster.Abstractions.Cluster;

namespace SweepCluster.Silo.Hosting;

/// <summary>
/// Mutual TLS on the silo-to-silo and gateway ports in cluster mode (configuration section <c>Cluster:Tls</c>); off
/// while <see cref="Certificate"/> is unset. Every silo and client presents a certificate the CA signed.
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string Section = "Cluster:Tls";

    /// <summary>Names of the settings, for errors: the configuration key, and the <c>sweep silo</c> flag where there is one.</summary>
    public static readonly TlsFiles SettingNames = new(
        $"{Section}:Certificate (--tls-cert)", $"{Section}:Key (--tls-key)", $"{Section}:Password", $"{Section}:CaCertificate (--tls-ca)");

    /// <summary>This silo's certificate: a PEM file (its key in the same file or in <see cref="Key"/>) or a PFX.</summary>
    public string? Certificate { get; set; }

    /// <summary>The PEM private key of <see cref="Certificate"/>, when not in the same file.</summary>
    public string? Key { get; set; }

    /// <summary>The password of an encrypted PEM key or of a PFX.</summary>
    public string? Password { get; set; }

    /// <summary>The certificate of the CA that signs every silo's and client's certificate (PEM or DER).</summary>
    public string? CaCertificate { get; set; }

    /// <summary>The files, when TLS is on; null when off.</summary>
    /// <exception cref="SiloConfigurationException">Only one of the certificate and the CA is set.</exception>
    public TlsFiles? Files()
    {
        if (string.IsNullOrWhiteSpace(Certificate) && string.IsNullOrWhiteSpace(CaCertificate))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(Certificate) || string.IsNullOrWhiteSpace(CaCertificate))
        {
            throw new SiloConfigurationException(
                $"{SettingNames.Certificate} and {SettingNames.CaCertificate} go together: TLS needs this silo's certificate and the CA that signs its peers'");
        }

        return new TlsFiles(Certificate, string.IsNullOrWhiteSpace(Key) ? null : Key, Password, CaCertificate);
    }
}
