namespace SweepCluster.Deploy.Tests;

public sealed class YamlFilesTests
{
    public static TheoryData<string> DeployYamlFiles() => [.. YamlFiles()];

    [Theory]
    [MemberData(nameof(DeployYamlFiles))]
    public void EveryYamlFileUnderDeployParsesIntoMappings(string file)
    {
        var documents = Yaml.LoadAll(Repo.PathOf(file));

        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.NotEmpty(d.Children));
    }

    [Fact]
    public void TheDeploymentFilesAreAllThere()
    {
        string[] expected =
        [
            "deploy/docker-compose.yml",
            "deploy/prometheus/prometheus.yml",
            "deploy/prometheus/prometheus-local.yml",
            "deploy/grafana/provisioning/datasources/prometheus.yml",
            "deploy/grafana/provisioning/dashboards/sweepcluster.yml",
            "deploy/k8s/namespace.yaml",
            "deploy/k8s/redis.yaml",
            "deploy/k8s/redis-secret.example.yaml",
            "deploy/k8s/silo.yaml",
            "deploy/k8s/silo-cuda.yaml",
            "deploy/k8s/silo-gateway-service.yaml",
            "deploy/k8s/kustomization.yaml",
        ];

        var present = YamlFiles().ToHashSet();

        Assert.All(expected, file => Assert.Contains(file, present));
    }

    private static IEnumerable<string> YamlFiles() =>
        Directory.EnumerateFiles(Repo.Deploy, "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".yml", StringComparison.Ordinal) || p.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(Repo.Relative)
            .Order(StringComparer.Ordinal);
}
