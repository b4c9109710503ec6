namespace SweepCluster.Deploy.Tests;

public sealed class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repo.Deploy, "README.md"));

    [Fact]
    public void DocumentsEveryEnvironmentVariableTheDeploymentsSet()
    {
        var dockerfile = Dockerfile.Load(Path.Combine(Repo.Deploy, "Dockerfile"));
        var compose = new ComposeFile();
        var keys = dockerfile.Stages.Where(s => s.Name is not "client").SelectMany(s => s.Env().Keys)
            .Concat(compose.Environment("silo").Keys)
            .Concat(KubernetesManifests.OfKind("Deployment")
                .Where(d => d.Str("metadata", "name")!.StartsWith("sweepcluster-silo", StringComparison.Ordinal))
                .SelectMany(d => KubernetesManifests.Env(KubernetesManifests.Container(d)).Keys))
            .Distinct()
            .ToList();

        Assert.True(keys.Count >= 15, $"{keys.Count} keys");
        Assert.All(keys, key => Assert.Contains($"`{key}`", Readme));
    }

    [Fact]
    public void DocumentsEveryTlsSettingTheDeploymentsSet()
    {
        var keys = new[] { "silo", "client" }.SelectMany(s => new ComposeFile(ComposeFile.TlsFilePath).Environment(s).Keys)
            .Concat(KubernetesManifests.Env(KubernetesManifests.Container(Yaml.Load(Path.Combine(Repo.Deploy, "k8s-tls", "silo-tls.yaml")))).Keys)
            .Distinct()
            .ToList();

        Assert.Equal(6, keys.Count);
        Assert.All(keys, key => Assert.Contains($"`{key}`", Readme));
        Assert.Contains("## TLS", Readme);
    }

    [Fact]
    public void DocumentsEveryPortAndWhetherItMayBeExposed()
    {
        var ports = KubernetesManifests.OfKind("Deployment")
            .SelectMany(d => KubernetesManifests.Ports(KubernetesManifests.Container(d)).Values)
            .Concat(new ComposeFile().ServiceNames.SelectMany(s => new ComposeFile().Service(s).Seq("ports")).Select(p => int.Parse(p.ToString().Split(':')[^1])))
            .Distinct()
            .ToList();
        var section = Readme[Readme.IndexOf("## Ports", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];

        Assert.Equal([3000, 6379, 8080, 9090, 11111, 30000], ports.Order());
        Assert.All(ports, port => Assert.Contains($"| {port}", section));
        Assert.Contains("never public", section);
    }

    [Fact]
    public void ShowsTheBuildComposeAndKubernetesCommands()
    {
        Assert.Contains("docker build -f deploy/Dockerfile -t sweepcluster-silo .", Readme);
        Assert.Contains("--build-arg TORCH_BACKEND=cuda", Readme);
        Assert.Contains("--target client", Readme);
        Assert.Contains("--scale silo=3", Readme);
        Assert.Contains("docker compose run --rm client run sweeps/sentiment.yaml", Readme);
        Assert.Contains("kubectl apply -k deploy/k8s-tls", Readme);
        Assert.Contains("-f docker-compose.tls.yml", Readme);
        Assert.Contains("kubectl apply -k deploy/k8s", Readme);
        Assert.Contains("kubectl apply -f deploy/k8s/silo-cuda.yaml", Readme);
        Assert.Contains("## Validated here, and not", Readme);
    }

    [Fact]
    public void EveryFileItListsExists()
    {
        string[] listed = ["Dockerfile", "Dockerfile.dockerignore", "silo-entrypoint.sh", "docker-compose.yml",
            "prometheus/prometheus.yml", "prometheus/prometheus-local.yml", "grafana/provisioning", "k8s",
            "docker-compose.tls.yml", ".env.example", "k8s-tls"];

        Assert.All(listed, f =>
        {
            Assert.Contains($"| `{f}", Readme);
            Assert.True(Repo.Exists(Path.Combine(Repo.Deploy, f)), f);
        });
    }
}
