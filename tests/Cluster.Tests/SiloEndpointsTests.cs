using System.Net;
using System.Net.Sockets;
using SweepCluster.Cluster.Harness;

namespace SweepCluster.Cluster.Tests;

/// <summary>What a silo serves over HTTP: /health and /metrics always, the Orleans Dashboard only when asked and only to loopback.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloEndpointsTests
{
    [Fact]
    public async Task TheOrleansDashboardIsOffByDefaultAndOnlyServedToLoopbackWhenOn()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 1);
        var withDashboard = await cluster.AddSiloAsync(1, "--Silo:Dashboard=true", "--Silo:MetricsAddress=0.0.0.0");
        using var http = new HttpClient();
        var plain = cluster.Silos[0].MetricsPort;

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{plain}/health")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{plain}/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{withDashboard.MetricsPort}/dashboard/")).StatusCode);

        // The same silo reached over a non-loopback address of this machine: metrics yes, dashboard no.
        var external = Dns.GetHostAddresses(Dns.GetHostName())
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (external is not null)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://{external}:{withDashboard.MetricsPort}/metrics")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://{external}:{withDashboard.MetricsPort}/dashboard/")).StatusCode);
        }
    }
}
