using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using SweepCluster.Abstractions.Cluster;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client;
using SweepCluster.Client.Connection;
using SweepCluster.Cluster.Harness;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// Cluster mode with mutual TLS (README, "Cluster mode"): real redis-server and silo processes given a CA and
/// certificates made by the test. Members whose certificate the CA signed work together; anything else is refused
/// at the door, quickly and by name.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTlsTests : IDisposable
{
    private static readonly TimeSpan RefusalTimeout = TimeSpan.FromSeconds(60);

    private readonly TestCertificateAuthority _authority = new();

    [Fact]
    public async Task AClientWithoutTlsIsRefusedByATlsClusterWithAClearError()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 2, slotsPerSilo: 1, redisPassword: null, SiloTls("silo"));
        var clock = Stopwatch.StartNew();

        var refused = await Assert.ThrowsAsync<UserException>(
            () => SweepConnection.ConnectClusterAsync(cluster.Redis.Connection, CancellationToken.None).WaitAsync(RefusalTimeout));

        Assert.True(clock.Elapsed < RefusalTimeout, $"refused only after {clock.Elapsed.TotalSeconds:F0} s");
        Assert.Contains("SWEEP_TLS_CERT", refused.Message);
    }

    [Fact]
    public async Task SiloAndGatewayPortsAnswerOnlyInTlsWithACertificateTheClusterCaSigned()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 1, slotsPerSilo: 1, redisPassword: null, SiloTls("silo"));
        var silo = cluster.Silos[0];

        foreach (var port in new[] { silo.SiloPort, silo.GatewayPort })
        {
            var presented = await ServerCertificateAsync(port);
            Assert.Equal("CN=silo", presented.Subject);
            Assert.Equal("CN=SweepCluster test CA", presented.Issuer);
        }
    }

    [Fact]
    public async Task ASweepRunsOnBothSilosThroughTheCliOverMutualTls()
    {
        var pfx = _authority.IssuePfx("silo-pfx", "pfx-password");
        await using var cluster = await LocalCluster.StartAsync(silos: 1, slotsPerSilo: 1, redisPassword: "redis-password", SiloTls("silo-pem"));
        await cluster.AddSiloAsync(1, "--tls-cert", pfx, "--Cluster:Tls:Password=pfx-password", "--tls-ca", _authority.CertificatePath);
        var (certificate, key) = _authority.Issue("client");
        var spec = ClusterSweeps.Cumsum("tls", epochs: 300, merges: "[sum, concat]");
        var work = Directory.CreateTempSubdirectory("sweep-tls-run-").FullName;
        try
        {
            var specFile = Path.Combine(work, "spec.yaml");
            await File.WriteAllTextAsync(specFile, spec.ResolvedYaml);
            var run = await Cli.RunAsync(
                ["run", specFile, "--cluster", cluster.Redis.Connection, "--quiet", "--out", Path.Combine(work, "out")],
                new Dictionary<string, string> { [ClientTls.CertificateVariable] = certificate, [ClientTls.KeyVariable] = key, [ClientTls.CaVariable] = _authority.CertificatePath },
                TimeSpan.FromMinutes(4));

            Assert.True(run.ExitCode == 0, $"sweep run exited {run.ExitCode}:\n{run.Output}\n{cluster.Logs()}");
            ClusterSweeps.AssertResultsDirectory(Path.Combine(work, "out"), trials: 4, epochs: 300); // forward, backward, bidirectional sum and concat
            await using var connection = await SweepConnection.ConnectClusterAsync(
                cluster.Redis.Connection, CancellationToken.None, ClientTls.Load(new TlsFiles(certificate, key, null, _authority.CertificatePath)));
            var progress = (await connection.Grains.GetGrain<ISweepGrain>(spec.SweepId).GetProgressAsync())!;
            Assert.Equal(cluster.Silos.Select(s => s.Name).Order(), progress.Trials.Select(t => t.Silo!).Distinct().Order());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task TheCliWithoutTlsSettingsIsRefusedQuicklyAndToldWhatToSet()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 1, slotsPerSilo: 1, redisPassword: null, SiloTls("silo"));

        var list = await Cli.RunAsync(["list", "--cluster", cluster.Redis.Connection], null, RefusalTimeout);

        Assert.Equal(2, list.ExitCode);
        Assert.Contains("SWEEP_TLS_CERT", list.Output);
        Assert.DoesNotContain("   at ", list.Output);
    }

    [Fact]
    public async Task AClientOfAnotherCaIsRefused()
    {
        using var rogue = new TestCertificateAuthority("Another CA");
        await using var cluster = await LocalCluster.StartAsync(silos: 1, slotsPerSilo: 1, redisPassword: null, SiloTls("silo"));
        var (certificate, key) = rogue.Issue("intruder");
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<UserException>(() => SweepConnection.ConnectClusterAsync(
            cluster.Redis.Connection, CancellationToken.None, ClientTls.Load(new TlsFiles(certificate, key, null, rogue.CertificatePath))).WaitAsync(RefusalTimeout));

        Assert.True(clock.Elapsed < RefusalTimeout);
    }

    [Fact]
    public async Task TheGatewayHangsUpOnAClientCertificateTheClusterCaDidNotSign()
    {
        using var rogue = new TestCertificateAuthority("Another CA");
        await using var cluster = await LocalCluster.StartAsync(silos: 1, slotsPerSilo: 1, redisPassword: null, SiloTls("silo"));
        var gateway = cluster.Silos[0].GatewayPort;

        Assert.True(await StaysOpenAsync(gateway, _authority.Issue("member")), "the gateway closed a member's connection");
        Assert.False(await StaysOpenAsync(gateway, rogue.Issue("intruder")), "the gateway kept a connection with a foreign certificate");
        Assert.False(await StaysOpenAsync(gateway, client: null), "the gateway kept a connection without a client certificate");
    }

    [Theory]
    [InlineData("missing", "Cluster:Tls:Certificate (--tls-cert): '/nonexistent/silo.crt' does not exist")]
    [InlineData("no-key", "holds no private key")]
    [InlineData("expired", "expired on")]
    [InlineData("other-ca", "is not signed by the CA in Cluster:Tls:CaCertificate")]
    [InlineData("no-ca", "Cluster:Tls:Certificate (--tls-cert) and Cluster:Tls:CaCertificate (--tls-ca) go together")]
    public async Task ABadTlsSettingStopsTheSiloAtOnceNamingIt(string problem, string message)
    {
        using var other = new TestCertificateAuthority("Another CA");
        var (certificate, key) = _authority.Issue("silo");
        string[] arguments = problem switch
        {
            "missing" => ["--tls-cert", "/nonexistent/silo.crt", "--tls-key", key, "--tls-ca", _authority.CertificatePath],
            "no-key" => ["--tls-cert", certificate, "--tls-ca", _authority.CertificatePath],
            "expired" => [.. TlsArguments(_authority.Issue("old", notAfter: DateTimeOffset.UtcNow.AddHours(-1))), "--tls-ca", _authority.CertificatePath],
            "other-ca" => [.. TlsArguments(other.Issue("stranger")), "--tls-ca", _authority.CertificatePath],
            _ => TlsArguments((certificate, key)),
        };
        var refusal = await SiloRefusal.RunAsync(
            ["--cluster", "127.0.0.1:1", "--silo-port", $"{Ports.Free()}", "--gateway-port", $"{Ports.Free()}", .. arguments], RefusalTimeout);

        Assert.True(refusal.Exited, $"the silo kept running:\n{refusal.Log}");
        Assert.Equal(2, refusal.ExitCode);
        Assert.Contains(message, refusal.Log);
        Assert.DoesNotContain("   at ", refusal.Log);
    }

    [Fact]
    public void AClientsBadTlsFileIsNamedByItsVariable()
    {
        var refused = Assert.Throws<UserException>(() => ClientTls.Load(new TlsFiles("/nonexistent/client.crt", null, null, _authority.CertificatePath)));

        Assert.Equal("SWEEP_TLS_CERT: '/nonexistent/client.crt' does not exist", refused.Message);
    }

    private static string[] TlsArguments((string Certificate, string Key) files) => ["--tls-cert", files.Certificate, "--tls-key", files.Key];

    private string[] SiloTls(string name)
    {
        var (certificate, key) = _authority.Issue(name);
        return [$"--Cluster:Tls:Certificate={certificate}", $"--Cluster:Tls:Key={key}", $"--Cluster:Tls:CaCertificate={_authority.CertificatePath}"];
    }

    /// <summary>The certificate a port presents to a TLS handshake (it must speak TLS at all for there to be one).</summary>
    private static async Task<X509Certificate2> ServerCertificateAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        X509Certificate2? presented = null;
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            presented = certificate is null ? null : new X509Certificate2(certificate);
            return true;
        });
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "silo" }).WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or TimeoutException)
        {
            // Refused for want of a client certificate is fine here; no certificate at all means no TLS.
        }

        return presented ?? throw new Xunit.Sdk.XunitException($"port {port} did not present a TLS certificate");
    }

    /// <summary>
    /// Whether the gateway keeps a TLS connection open (waiting for the Orleans handshake) after the TLS handshake with
    /// <paramref name="client"/>'s certificate, or hangs up on it.
    /// </summary>
    private static async Task<bool> StaysOpenAsync(int port, (string Certificate, string Key)? client)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        using var certificate = client is { } files ? X509Certificate2.CreateFromPemFile(files.Certificate, files.Key) : null;
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "silo",
                ClientCertificates = certificate is null ? null : [certificate],
            }).WaitAsync(TimeSpan.FromSeconds(20));
            // TLS 1.3 finishes the client's side before the server has judged its certificate: the verdict comes as a read.
            var read = await tls.ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            return read > 0;
        }
        catch (TimeoutException)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    public void Dispose() => _authority.Dispose();
}
