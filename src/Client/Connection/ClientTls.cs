using SweepCluster.Abstractions.Cluster;

namespace SweepCluster.Client.Connection;

/// <summary>
/// The client's side of a cluster that runs mutual TLS (silos started with <c>--tls-cert</c>/<c>--tls-ca</c>): its own
/// certificate, signed by the cluster's CA, and that CA, named by environment variables as the Redis is by
/// <c>SWEEP_CLUSTER</c>. Both unset: no TLS.
/// </summary>
public static class ClientTls
{
    public const string CertificateVariable = "SWEEP_TLS_CERT";
    public const string KeyVariable = "SWEEP_TLS_KEY";
    public const string PasswordVariable = "SWEEP_TLS_PASSWORD";
    public const string CaVariable = "SWEEP_TLS_CA";

    private static readonly TlsFiles VariableNames = new(CertificateVariable, KeyVariable, PasswordVariable, CaVariable);

    /// <summary>The certificates the environment names, or null when it names none.</summary>
    /// <exception cref="UserException">A variable is missing or names an unusable file.</exception>
    public static ClusterCertificates? FromEnvironment()
    {
        var (certificate, authority) = (Variable(CertificateVariable), Variable(CaVariable));
        if (certificate is null && authority is null)
        {
            return null;
        }

        if (certificate is null || authority is null)
        {
            throw new UserException($"{CertificateVariable} and {CaVariable} go together: TLS needs this client's certificate and the CA that signs the silos'");
        }

        return Load(new TlsFiles(certificate, Variable(KeyVariable), Variable(PasswordVariable), authority));
    }

    /// <exception cref="UserException">A file is unusable; the message names its variable.</exception>
    public static ClusterCertificates Load(TlsFiles files)
    {
        try
        {
            return ClusterCertificates.Load(files, VariableNames, server: false);
        }
        catch (TlsSettingException e)
        {
            throw new UserException(e.Message);
        }
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
