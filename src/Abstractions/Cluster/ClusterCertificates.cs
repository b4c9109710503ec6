using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace SweepCluster.Abstractions.Cluster;

/// <summary>
/// A cluster member's certificate (with its private key) and the CA it trusts, for mutual TLS between silos and
/// between clients and gateways. Peers are trusted because the cluster's own CA signed their certificate, not by
/// name: silos are reached at addresses (pod IPs, container IPs) that no certificate could list, so the CA must be
/// private to the cluster.
/// </summary>
public sealed class ClusterCertificates
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "TLS server authentication");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "TLS client authentication");

    private ClusterCertificates(X509Certificate2 certificate, X509Certificate2 authority)
    {
        Certificate = certificate;
        Authority = authority;
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2 Authority { get; }

    /// <summary>
    /// Loads and checks the files: they exist and parse, the certificate has its private key, both are within their
    /// validity period, the CA signed the certificate, and the certificate may be used as a TLS client (and server,
    /// for a silo, which also accepts connections). <paramref name="settings"/> names each file's setting for errors.
    /// </summary>
    /// <exception cref="TlsSettingException">A file is missing or unusable; the message names its setting.</exception>
    public static ClusterCertificates Load(TlsFiles files, TlsFiles settings, bool server, TimeProvider? clock = null)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var authority = LoadAuthority(files.CaCertificate, settings.CaCertificate);
        CheckValidity(authority, now, settings.CaCertificate);
        var certificate = LoadCertificate(files, settings);
        CheckValidity(certificate, now, settings.Certificate);
        foreach (var usage in server ? [ServerAuthentication, ClientAuthentication] : new[] { ClientAuthentication })
        {
            if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SingleOrDefault() is { } usages
                && !usages.EnhancedKeyUsages.Cast<Oid>().Any(u => u.Value == usage.Value))
            {
                throw new TlsSettingException($"{settings.Certificate}: the certificate '{certificate.Subject}' may not be used for {usage.FriendlyName} ({usage.Value}), which a {(server ? "silo" : "client")} needs");
            }
        }

        var members = new ClusterCertificates(certificate, authority);
        if (!members.Trusts(certificate, presented: null, out var why))
        {
            throw new TlsSettingException($"{settings.Certificate}: the certificate '{certificate.Subject}' is not signed by the CA in {settings.CaCertificate} ('{authority.Subject}'): {why}");
        }

        return members;
    }

    /// <summary>
    /// Mutual TLS, the same for silos and clients: present this member's certificate, require one of every peer, and
    /// accept the peer when the cluster's CA signed it.
    /// </summary>
    public void ApplyTo(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (certificate, chain, _) => Trusts(certificate, chain);
    }

    /// <summary>Whether a peer's certificate chains to the cluster's CA (and is valid now); the peer's name is not checked (see the class).</summary>
    public bool Trusts(X509Certificate2 peer, X509Chain? presented) => Trusts(peer, presented, out _);

    private bool Trusts(X509Certificate2 peer, X509Chain? presented, out string why)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        // A private CA publishes no revocation lists; removing a member means issuing from a new CA.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            // Intermediates the peer sent, should the CA issue through one.
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var trusted = chain.Build(peer);
        why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
        return trusted;
    }

    private static X509Certificate2 LoadAuthority(string path, string setting)
    {
        RequireFile(path, setting);
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (CryptographicException e)
        {
            throw new TlsSettingException($"{setting}: '{path}' is not a certificate in PEM or DER form ({e.Message})");
        }
    }

    private static X509Certificate2 LoadCertificate(TlsFiles files, TlsFiles settings)
    {
        RequireFile(files.Certificate, settings.Certificate);
        if (files.Key is not null)
        {
            RequireFile(files.Key, settings.Key!);
        }

        X509Certificate2 certificate;
        try
        {
            if (IsPem(files.Certificate))
            {
                var key = files.Key ?? files.Certificate;
                if (!File.ReadAllText(key).Contains("PRIVATE KEY-----", StringComparison.Ordinal))
                {
                    throw new TlsSettingException(files.Key is null
                        ? $"{settings.Certificate}: '{files.Certificate}' holds no private key (give it in {settings.Key}, or use a PFX that includes it)"
                        : $"{settings.Key}: '{files.Key}' holds no PEM private key");
                }

                certificate = string.IsNullOrEmpty(files.Password)
                    ? X509Certificate2.CreateFromPemFile(files.Certificate, key)
                    : X509Certificate2.CreateFromEncryptedPemFile(files.Certificate, files.Password, key);
            }
            else
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(files.Certificate, files.Password);
            }
        }
        catch (CryptographicException e)
        {
            throw new TlsSettingException(
                $"{settings.Certificate}: '{files.Certificate}' could not be read as a PEM certificate with its private key (in the file or in " +
                $"{settings.Key}) or as a PFX (password in {settings.Password}): {e.Message}");
        }

        return certificate.HasPrivateKey
            ? certificate
            : throw new TlsSettingException($"{settings.Certificate}: '{files.Certificate}' holds no private key (give it in {settings.Key}, or use a PFX that includes it)");
    }

    private static void CheckValidity(X509Certificate2 certificate, DateTimeOffset now, string setting)
    {
        if (now > certificate.NotAfter.ToUniversalTime())
        {
            throw new TlsSettingException($"{setting}: the certificate '{certificate.Subject}' expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
        }

        if (now < certificate.NotBefore.ToUniversalTime())
        {
            throw new TlsSettingException($"{setting}: the certificate '{certificate.Subject}' is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
        }
    }

    private static void RequireFile(string path, string setting)
    {
        if (!File.Exists(path))
        {
            throw new TlsSettingException($"{setting}: '{path}' does not exist");
        }
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        var start = new char[4096];
        var read = reader.ReadBlock(start);
        return new string(start, 0, read).Contains("-----BEGIN ", StringComparison.Ordinal);
    }
}
