namespace SweepCluster.Abstractions.Cluster;

/// <summary>
/// Where a cluster member's TLS identity lives: its certificate (PEM, its key beside it in <paramref name="Certificate"/>
/// or in <paramref name="Key"/>; or a PFX), the password of an encrypted key or PFX, and the certificate of the CA that
/// signs every member's certificate. The same record, filled with setting names, says where each path came from.
/// </summary>
public sealed record TlsFiles(string Certificate, string? Key, string? Password, string CaCertificate);
