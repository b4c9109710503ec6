namespace SweepCluster.Deploy.Tests;

public sealed class DockerfileTests
{
    private const string AspNetRuntime = "mcr.microsoft.com/dotnet/aspnet:10.0";
    private const string Sdk = "mcr.microsoft.com/dotnet/sdk:10.0";

    private static readonly string DockerfilePath = Path.Combine(Repo.Deploy, "Dockerfile");
    private readonly Dockerfile _dockerfile = Dockerfile.Load(DockerfilePath);

    [Fact]
    public void BuildsInOneStageAndRunsInAnother()
    {
        Assert.True(_dockerfile.Stages.Count >= 2, $"{_dockerfile.Stages.Count} FROM lines");
        Assert.Equal("silo", _dockerfile.Final.Name);
        Assert.All(_dockerfile.Stages.Where(s => s.Name is not null).GroupBy(s => s.Name), g => Assert.Single(g));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("cpu")]
    [InlineData("cuda")]
    public void FinalStageRunsOnTheAspNet10ImageForEveryTorchBackend(string? backend)
    {
        var buildArgs = backend is null ? null : new Dictionary<string, string> { ["TORCH_BACKEND"] = backend };

        Assert.Equal(AspNetRuntime, _dockerfile.BaseImageOf(_dockerfile.Final, buildArgs));
    }

    [Fact]
    public void TorchBackendDefaultsToCpuAndReachesTheSiloPublish()
    {
        Assert.Equal("cpu", _dockerfile.GlobalArgs["TORCH_BACKEND"]);
        var publish = Assert.Single(_dockerfile.Stages, s => s.All("RUN").Any(r => r.Arguments.Contains("src/Silo/Silo.csproj")));

        // A global ARG is only visible inside a stage that declares it again.
        Assert.Contains(publish.All("ARG"), a => a.Arguments == "TORCH_BACKEND");
        Assert.Contains(publish.All("RUN"), r => r.Arguments.Contains("-p:TorchBackend=${TORCH_BACKEND}"));
        Assert.Equal(Sdk, _dockerfile.BaseImageOf(publish));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("cuda")]
    public void TheSiloImagePreloadsTheJemallocItInstallsWithTheSettingsSweepUses(string backend)
    {
        var stages = StagesUpFromFinal(new Dictionary<string, string> { ["TORCH_BACKEND"] = backend });
        var env = stages.AsEnumerable().Reverse().SelectMany(s => s.Env()).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        var runs = stages.SelectMany(s => s.All("RUN")).Select(r => r.Arguments).ToList();

        var preload = env["LD_PRELOAD"];
        Assert.Contains(runs, r => r.Contains("apt-get install") && r.Contains("libjemalloc2") && r.Contains($"ln -s") && r.TrimEnd().EndsWith(preload, StringComparison.Ordinal));
        var sweepScript = File.ReadAllText(Path.Combine(Repo.Root, "sweep"));
        Assert.Contains($"JEMALLOC_CONF=\"{env["MALLOC_CONF"]}\"", sweepScript);
    }

    [Fact]
    public void FinalStageCopiesWhatTheSiloPublishWrote()
    {
        var publish = Assert.Single(_dockerfile.Stages, s => s.All("RUN").Any(r => r.Arguments.Contains("src/Silo/Silo.csproj")));
        var output = publish.All("RUN").Single(r => r.Arguments.Contains("src/Silo/Silo.csproj"))
            .Words.SkipWhile(w => w != "-o").Skip(1).First();

        Assert.Contains(_dockerfile.Final.Copies(), c => c.From == publish.Name && c.Sources.Single() == output);
        Assert.Contains(_dockerfile.Final.All("WORKDIR"), w => w.Arguments == "/app");
    }

    /// <summary>The final stage and the stages it is built FROM, final first.</summary>
    private List<DockerStage> StagesUpFromFinal(IReadOnlyDictionary<string, string> buildArgs)
    {
        var stages = new List<DockerStage> { _dockerfile.Final };
        while (_dockerfile.Stage(_dockerfile.Substitute(stages[^1].Base, buildArgs)) is { } parent && !stages.Contains(parent))
        {
            stages.Add(parent);
        }

        return stages;
    }

    [Fact]
    public void EveryCopySourceExistsInTheRepository()
    {
        var sources = ContextSources();

        Assert.NotEmpty(sources);
        Assert.All(sources, source => Assert.True(Repo.Exists(Repo.PathOf(source)), $"COPY {source}: not in the repository"));
    }

    [Fact]
    public void EveryCopySourceIsSentByTheDockerfileIgnoreFileAndBuildOutputIsNot()
    {
        var ignore = DockerIgnore.Load(DockerfilePath + ".dockerignore");

        foreach (var source in ContextSources())
        {
            Assert.False(ignore.Excludes(source), $"COPY {source}: left out of the build context by Dockerfile.dockerignore");
            var absolute = Repo.PathOf(source);
            if (Directory.Exists(absolute))
            {
                var files = Directory.EnumerateFiles(absolute, "*", SearchOption.AllDirectories).Select(Repo.Relative)
                    .Where(f => !f.Split('/').Any(part => part is "bin" or "obj"));
                Assert.All(files, f => Assert.False(ignore.Excludes(f), $"{f} is left out of the build context"));
            }
        }

        Assert.True(ignore.Excludes("src/Silo/bin/Release/net10.0/SweepCluster.Silo.dll"));
        Assert.True(ignore.Excludes("src/Training/obj/project.assets.json"));
        Assert.True(ignore.Excludes("README.md"));
        Assert.True(ignore.Excludes("runs/sentiment/results.csv"));
    }

    [Fact]
    public void ExposesTheSiloGatewayAndMetricsPortsItConfigures()
    {
        var env = _dockerfile.Final.Env();
        var exposed = _dockerfile.Final.All("EXPOSE").SelectMany(e => e.Words).Select(p => int.Parse(p.Split('/')[0])).ToHashSet();

        int[] configured = [int.Parse(env["Silo__SiloPort"]), int.Parse(env["Silo__GatewayPort"]), int.Parse(env["Silo__MetricsPort"])];

        Assert.Equal([11111, 30000, 8080], configured);
        Assert.Equal(configured.ToHashSet(), exposed);
    }

    [Fact]
    public void DefaultsToClusterModeWithMetricsOnEveryInterface()
    {
        var env = _dockerfile.Final.Env();

        Assert.Equal("redis", env["Cluster__Mode"]);
        Assert.Equal("0.0.0.0", env["Silo__MetricsAddress"]);
        // The aspnet image's default Kestrel port would otherwise be overridden with a warning at every start.
        Assert.Equal("", env["ASPNETCORE_HTTP_PORTS"]);
    }

    [Fact]
    public void RunsAsANonRootUser()
    {
        var user = Assert.Single(_dockerfile.Final.All("USER")).Arguments;

        Assert.DoesNotContain(user, new[] { "root", "0", "0:0" });
    }

    [Fact]
    public void EntrypointScriptIsCopiedAndExecsTheSilo()
    {
        var entrypoint = Assert.Single(_dockerfile.Final.All("ENTRYPOINT")).Arguments;
        Assert.Contains("/app/silo-entrypoint.sh", entrypoint);
        Assert.Contains(_dockerfile.Final.Copies(), c => c.From is null && c.Sources.Contains("deploy/silo-entrypoint.sh") && c.Destination is "./" or "/app/");

        var script = File.ReadAllText(Path.Combine(Repo.Deploy, "silo-entrypoint.sh"));

        // exec: the silo itself is PID 1 and receives SIGTERM, so it can checkpoint and hand its trials over.
        Assert.Contains("exec dotnet /app/SweepCluster.Silo.dll \"$@\"", script);
        Assert.Contains("POD_IP", script);
        Assert.Contains("export Cluster__AdvertisedIP", script);
        Assert.DoesNotContain('\r', script);
    }

    [Fact]
    public void HealthCheckAsksTheMetricsPortForHealth()
    {
        var check = Assert.Single(_dockerfile.Final.All("HEALTHCHECK")).Arguments;

        Assert.Contains("/dev/tcp/127.0.0.1/${Silo__MetricsPort}", check);
        Assert.Contains("GET /health", check);
    }

    [Fact]
    public void ClientTargetPublishesTheCli()
    {
        var client = _dockerfile.Stage("client");

        Assert.NotNull(client);
        var copy = Assert.Single(client.Copies(), c => c.From is not null);
        var build = _dockerfile.Stage(copy.From!);
        Assert.NotNull(build);
        Assert.Contains(build.All("RUN"), r => r.Arguments.Contains("src/Client/Client.csproj"));
        Assert.Contains("SweepCluster.Client.dll", Assert.Single(client.All("ENTRYPOINT")).Arguments);
        Assert.Single(client.All("USER"));
    }

    /// <summary>Every COPY source taken from the build context (not from another stage).</summary>
    private List<string> ContextSources() =>
        [.. _dockerfile.Stages.SelectMany(s => s.Copies()).Where(c => c.From is null).SelectMany(c => c.Sources)
            .Select(s => s.TrimEnd('/'))];
}
