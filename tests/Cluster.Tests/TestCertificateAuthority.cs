using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// A throw-away certificate authority made in the test, and certificates it signs, written as PEM (and PFX) files
/// into a temporary directory the way an operator would hand them to silos and clients.
/// </summary>
internal sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 _authority;

    public TestCertificateAuthority(string name = "SweepCluster test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        _authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CertificatePath = Write($"{Slug(name)}.crt", _authority.ExportCertificatePem());
    }

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sweep-tls-").FullName;

    /// <summary>The CA's certificate (PEM), the trust anchor silos and clients are given.</summary>
    public string CertificatePath { get; }

    /// <summary>A member certificate signed by this CA, for silos and clients alike; returns its PEM certificate and key paths.</summary>
    public (string Certificate, string Key) Issue(string name, DateTimeOffset? notAfter = null)
    {
        using var certificate = Sign(name, notAfter ?? DateTimeOffset.UtcNow.AddDays(10));
        using var key = certificate.GetECDsaPrivateKey()!;
        return (Write($"{name}.crt", certificate.ExportCertificatePem()), Write($"{name}.key", key.ExportPkcs8PrivateKeyPem()));
    }

    /// <summary>The same as <see cref="Issue"/>, as one password-protected PFX file.</summary>
    public string IssuePfx(string name, string password)
    {
        using var certificate = Sign(name, DateTimeOffset.UtcNow.AddDays(10));
        var path = Path.Combine(Directory, $"{name}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    private X509Certificate2 Sign(string name, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication, ClientAuthentication], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        using var signed = request.Create(_authority, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return signed.CopyWithPrivateKey(key);
    }

    private string Write(string file, string pem)
    {
        var path = Path.Combine(Directory, file);
        File.WriteAllText(path, pem);
        return path;
    }

    private static string Slug(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-'));

    public void Dispose()
    {
        _authority.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
