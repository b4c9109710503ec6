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
    public void ShowsTheBuildComposeAndKubernetesCommands()
    {
        Assert.Contains("docker build -f deploy/Dockerfile -t sweepcluster-silo .", Readme);
        Assert.Contains("--build-arg TORCH_BACKEND=cuda", Readme);
        Assert.Contains("--target client", Readme);
        Assert.Contains("--scale silo=3", Readme);
        Assert.Contains("docker compose run --rm client run sweeps/sentiment.yaml --cluster redis:6379", Readme);
        Assert.Contains("kubectl apply -k deploy/k8s", Readme);
        Assert.Contains("kubectl apply -f deploy/k8s/silo-cuda.yaml", Readme);
        Assert.Contains("## Validated here, and not", Readme);
    }

    [Fact]
    public void EveryFileItListsExists()
    {
        string[] listed = ["Dockerfile", "Dockerfile.dockerignore", "silo-entrypoint.sh", "docker-compose.yml",
            "prometheus/prometheus.yml", "prometheus/prometheus-local.yml", "grafana/provisioning", "k8s"];

        Assert.All(listed, f =>
        {
            Assert.Contains($"| `{f}", Readme);
            Assert.True(Repo.Exists(Path.Combine(Repo.Deploy, f)), f);
        });
    }
}
