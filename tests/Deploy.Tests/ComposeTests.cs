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
        Assert.Equal(["redis-server", "--appendonly", "yes"], _compose.Service("redis").Seq("command").Select(n => n.ToString()).Take(3));
    }

    [Fact]
    public void RedisRequiresThePasswordFromDotEnvAndEveryConnectionStringCarriesIt()
    {
        var command = _compose.Service("redis").Seq("command").Select(n => n.ToString()).ToList();
        var requirePass = command.IndexOf("--requirepass");
        var healthCheck = _compose.Service("redis").Seq("healthcheck", "test").Select(n => n.ToString()).ToList();

        Assert.True(requirePass > 0, "redis-server runs without --requirepass");
        // ${VAR:?message}: compose refuses to start without it, rather than run Redis with an empty password.
        Assert.StartsWith("${REDIS_PASSWORD:?", command[requirePass + 1]);
        Assert.Equal("redis:6379,password=${REDIS_PASSWORD}", _compose.Environment("silo")["Cluster__Redis"]);
        Assert.Equal("redis:6379,password=${REDIS_PASSWORD}", _compose.Environment("client")["SWEEP_CLUSTER"]);
        Assert.Equal("${REDIS_PASSWORD}", _compose.Environment("redis")["REDISCLI_AUTH"]);
        Assert.Contains(healthCheck, part => part.Contains("redis-cli ping", StringComparison.Ordinal) && part.Contains("PONG", StringComparison.Ordinal));
        Assert.Contains("REDIS_PASSWORD=", File.ReadAllLines(Path.Combine(Repo.Deploy, ".env.example")));
        Assert.Contains("/deploy/.env", File.ReadAllLines(Path.Combine(Repo.Root, ".gitignore")));
    }

    [Fact]
    public void OnlyPrometheusAndGrafanaArePublishedAndOnlyOnTheHostsLoopback()
    {
        var published = _compose.ServiceNames
            .SelectMany(s => _compose.Service(s).Seq("ports").Select(p => (Service: s, Port: p.ToString())))
            .ToList();

        Assert.Equal(["grafana", "prometheus"], published.Select(p => p.Service).Order(StringComparer.Ordinal));
        Assert.All(published, p => Assert.StartsWith("127.0.0.1:", p.Port));
    }

    [Fact]
    public void TheTlsOverrideMountsTheCertificatesWhereTheSilosAndTheClientLookForThem()
    {
        var tls = new ComposeFile(ComposeFile.TlsFilePath);
        var silo = tls.Environment("silo");
        var client = tls.Environment("client");

        Assert.Equal(["client", "silo"], tls.ServiceNames.Order(StringComparer.Ordinal));
        foreach (var (service, files) in new[]
        {
            ("silo", new[] { silo["Cluster__Tls__Certificate"], silo["Cluster__Tls__Key"], silo["Cluster__Tls__CaCertificate"] }),
            ("client", new[] { client["SWEEP_TLS_CERT"], client["SWEEP_TLS_KEY"], client["SWEEP_TLS_CA"] }),
        })
        {
            var mount = Assert.Single(tls.Volumes(service));
            Assert.True(mount.IsBind);
            Assert.Equal(Path.Combine(Repo.Deploy, "tls"), mount.Source);
            Assert.All(files, f => Assert.StartsWith(mount.Target + "/", f));
        }

        Assert.Equal(silo["Cluster__Tls__CaCertificate"], client["SWEEP_TLS_CA"]);
        Assert.Contains("/deploy/tls/", File.ReadAllLines(Path.Combine(Repo.Root, ".gitignore")));
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
