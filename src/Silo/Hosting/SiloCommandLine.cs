using System.CommandLine;

namespace SweepCluster.Silo.Hosting;

/// <summary>
/// <c>sweep silo [--cluster REDIS] [--slots N] [--metrics-port N] [--libtorch DIR] [--tls-cert FILE --tls-ca FILE] ...</c>: the few settings people type, turned
/// into configuration keys. Any other setting passes through as <c>--Section:Key=value</c>; an unknown flag is an
/// error, not silently ignored.
/// </summary>
public static class SiloCommandLine
{
    public static RootCommand Create(Func<string[], int> runHost)
    {
        var cluster = new Option<string?>("--cluster")
        {
            Description = "Join the cluster kept in this Redis (StackExchange.Redis connection string, e.g. redis:6379,password=...,ssl=true). Default: a local single silo",
        };
        var clusterId = new Option<string?>("--cluster-id") { Description = "Name of the cluster within Redis (default: sweepcluster)" };
        var slots = new Option<int?>("--slots") { Description = "Trials trained at once on this silo (default: cores / threads per trial)" };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "HTTP port of /metrics and /health (default: a free one)" };
        var siloPort = new Option<int?>("--silo-port") { Description = "Port other silos reach this one on (default 11111, or a free one while another silo here has it)" };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Port clients connect to (default 30000, or a free one while another silo here has it)" };
        var advertise = new Option<string?>("--advertise") { Description = "IP address other silos and clients reach this silo at (default: POD_IP, else this host's address)" };
        var tlsCertificate = new Option<string?>("--tls-cert")
        {
            Description = "Cluster mode over mutual TLS: this silo's certificate, PEM (with its key, or see --tls-key) or PFX (password: --Cluster:Tls:Password=...)",
        };
        var libtorch = new Option<string?>("--libtorch")
        {
            Description = "Train with the libtorch in this folder (a PyTorch install's torch/lib); needs a silo built with -p:TorchBackend=system (default: SWEEP_LIBTORCH)",
        };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The PEM private key of --tls-cert, when it is in a file of its own" };
        var tlsAuthority = new Option<string?>("--tls-ca") { Description = "The CA certificate that signs every silo's and client's certificate (with --tls-cert)" };
        var command = new RootCommand(
            "A SweepCluster silo: trains the trials placed on it. Other settings: --Section:Key=value (see README, 'Configuration')")
        {
            cluster, clusterId, slots, metricsPort, siloPort, gatewayPort, advertise, libtorch, tlsCertificate, tlsKey, tlsAuthority,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(result =>
        {
            var unknown = result.UnmatchedTokens.Where(t => t.StartsWith('-') && !t.Contains(':')).ToList();
            if (unknown.Count > 0)
            {
                Console.Error.WriteLine($"sweep silo: unknown option(s) {string.Join(", ", unknown)} (see --help; settings go as --Section:Key=value)");
                return 2;
            }

            var settings = new List<string>();
            void Set<T>(Option<T> option, string key)
            {
                if (result.GetValue(option) is { } value)
                {
                    settings.Add($"--{key}={value}");
                }
            }

            Set(cluster, "Cluster:Redis");
            Set(clusterId, "Cluster:Id");
            Set(slots, "Silo:TrainingSlots");
            Set(metricsPort, "Silo:MetricsPort");
            Set(siloPort, "Silo:SiloPort");
            Set(gatewayPort, "Silo:GatewayPort");
            Set(advertise, "Cluster:AdvertisedIP");
            Set(libtorch, "Silo:Libtorch");
            Set(tlsCertificate, "Cluster:Tls:Certificate");
            Set(tlsKey, "Cluster:Tls:Key");
            Set(tlsAuthority, "Cluster:Tls:CaCertificate");
            return runHost([.. result.UnmatchedTokens, .. settings]);
        });
        return command;
    }
}
