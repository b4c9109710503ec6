namespace SweepCluster.Deploy.Tests;

public sealed class ComposeTests
{
    private readonly ComposeFile _compose = new();

    [Fact]
    public void DefinesRedisSilosPrometheusGrafanaAndTheClient()
    {
        Assert.Equal(
            ["client", "grafana", "prometheus", "redis", "silo"],
            _compose.ServiceNames.Order(StringComparer.Ordinal));
        Assert.StartsWith("redis:7", _compose.Service("redis").Str("image"));
        Assert.Equal(["redis-server", "--appendonly", "yes"], _compose.Service("redis").Seq("command").Select(n => n.ToString()));
    }

    [Fact]
    public void SilosJoinTheClusterThroughTheRedisService()
    {
        var env = _compose.Environment("silo");

        Assert.Equal("redis", env["Cluster__Mode"]);
        var endpoint = env["Cluster__Redis"].Split(',')[0].Split(':');
        Assert.Contains(endpoint[0], _compose.ServiceNames);
        Assert.Equal("redis", endpoint[0]);
        Assert.Equal("6379", endpoint[1]);
        Assert.Equal("0.0.0.0", env["Silo__MetricsAddress"]);
    }

    [Fact]
    public void SilosPublishNoFixedHostPortsOrNamesSoTheyScale()
    {
        var silo = _compose.Service("silo");

        Assert.Null(silo.At("ports"));
        Assert.Null(silo.At("container_name"));
        Assert.Null(silo.At("hostname"));
    }

    [Fact]
    public void SilosGetTimeToHandTheirTrialsOverOnStop()
    {
        var grace = _compose.Service("silo").Str("stop_grace_period");

        Assert.NotNull(grace);
        Assert.EndsWith("s", grace);
        Assert.True(int.Parse(grace[..^1]) >= 60, $"stop_grace_period {grace}");
    }

    [Fact]
    public void EveryRelativeBindMountSourceExistsInTheRepository()
    {
        var binds = _compose.ServiceNames.SelectMany(s => _compose.Volumes(s).Where(v => v.IsBind).Select(v => (Service: s, v.Source))).ToList();

        Assert.NotEmpty(binds);
        Assert.All(binds, b => Assert.True(Repo.Exists(b.Source), $"{b.Service}: {b.Source} does not exist"));
        Assert.All(binds, b => Assert.StartsWith(Repo.Root, b.Source));
    }

    [Theory]
    [InlineData("silo", "silo")]
    [InlineData("client", "client")]
    public void BuildsUseTheDockerfileAndOneOfItsStages(string service, string target)
    {
        var build = _compose.Service(service).Map("build");
        var context = ComposeFile.ResolvePath(build.Str("context")!);
        var dockerfilePath = Path.GetFullPath(Path.Combine(context, build.Str("dockerfile")!));

        Assert.Equal(Repo.Root.TrimEnd(Path.DirectorySeparatorChar), context.TrimEnd(Path.DirectorySeparatorChar));
        Assert.Equal(Path.Combine(Repo.Deploy, "Dockerfile"), dockerfilePath);
        Assert.Equal(target, build.Str("target"));
        Assert.NotNull(Dockerfile.Load(dockerfilePath).Stage(target));
        Assert.Equal("linux/amd64", _compose.Service(service).Str("platform"));
    }

    [Fact]
    public void ClientRunsOnDemandInsideTheNetworkWithTheRepositoryMounted()
    {
        var client = _compose.Service("client");

        Assert.Equal(["cli"], client.Seq("profiles").Select(n => n.ToString()));
        Assert.Equal("/work", client.Str("working_dir"));
        Assert.Equal(Repo.Root.TrimEnd(Path.DirectorySeparatorChar), _compose.BindSourceFor("client", "/work").TrimEnd(Path.DirectorySeparatorChar));
        Assert.True(Directory.Exists(Path.Combine(Repo.Root, "sweeps")));
        Assert.Equal(_compose.Environment("silo")["Cluster__Redis"], _compose.Environment("client")["SWEEP_CLUSTER"]);
    }

    [Fact]
    public void PrometheusScrapesEverySiloOnItsMetricsPort()
    {
        var prometheus = _compose.Service("prometheus");
        var configFlag = prometheus.Seq("command").Select(n => n.ToString()).Single(a => a.StartsWith("--config.file=", StringComparison.Ordinal));
        var configPath = _compose.BindSourceFor("prometheus", configFlag["--config.file=".Length..]);
        var job = Assert.Single(Yaml.Load(configPath).Seq("scrape_configs"), j => j.Str("job_name") == "sweepcluster");
        var discovery = Assert.Single(job.Seq("dns_sd_configs"));

        Assert.Equal(Path.Combine(Repo.Deploy, "prometheus", "prometheus.yml"), configPath);
        Assert.Equal(["silo"], discovery.Seq("names").Select(n => n.ToString()));
        Assert.Equal("A", discovery.Str("type"));
        Assert.Equal(_compose.Environment("silo")["Silo__MetricsPort"], discovery.Str("port"));
        Assert.Equal("/metrics", job.Str("metrics_path"));
    }
}
