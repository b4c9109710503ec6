using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deploy.Tests;

public sealed class KubernetesTests
{
    private static readonly string[] SiloNames = ["sweepcluster-silo", "sweepcluster-silo-cuda"];

    public static TheoryData<string> SiloDeployments() => [.. SiloNames];

    [Fact]
    public void EveryObjectHasApiVersionKindNameAndTheNamespace()
    {
        var namespaceName = Assert.Single(KubernetesManifests.OfKind("Namespace")).Str("metadata", "name");

        Assert.True(KubernetesManifests.All.Count >= 7, $"{KubernetesManifests.All.Count} objects");
        Assert.All(KubernetesManifests.All, o =>
        {
            Assert.False(string.IsNullOrEmpty(o.Object.Str("apiVersion")), $"{o.File}: no apiVersion");
            Assert.False(string.IsNullOrEmpty(o.Object.Str("kind")), $"{o.File}: no kind");
            Assert.False(string.IsNullOrEmpty(o.Object.Str("metadata", "name")), $"{o.File}: no metadata.name");
            if (o.Object.Str("kind") != "Namespace")
            {
                Assert.Equal(namespaceName, o.Object.Str("metadata", "namespace"));
            }
        });
    }

    [Theory]
    [MemberData(nameof(SiloDeployments))]
    public void SiloTakesPodIpNameAndNamespaceFromTheDownwardApi(string deployment)
    {
        var env = KubernetesManifests.Env(KubernetesManifests.Container(KubernetesManifests.Deployment(deployment)));

        Assert.Equal("status.podIP", env["POD_IP"].Str("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.name", env["POD_NAME"].Str("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"].Str("valueFrom", "fieldRef", "fieldPath"));
    }

    [Theory]
    [MemberData(nameof(SiloDeployments))]
    public void SiloCarriesTheOrleansLabelsAndItsClusterIdFollowsThem(string deployment)
    {
        var silo = KubernetesManifests.Deployment(deployment);
        var labels = KubernetesManifests.PodLabels(silo);
        var env = KubernetesManifests.Env(KubernetesManifests.Container(silo));

        Assert.False(string.IsNullOrEmpty(labels.GetValueOrDefault("orleans/serviceId")));
        Assert.False(string.IsNullOrEmpty(labels.GetValueOrDefault("orleans/clusterId")));
        Assert.Equal("metadata.labels['orleans/clusterId']", env["Cluster__Id"].Str("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.labels['orleans/clusterId']", env["ORLEANS_CLUSTER_ID"].Str("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.labels['orleans/serviceId']", env["ORLEANS_SERVICE_ID"].Str("valueFrom", "fieldRef", "fieldPath"));
    }

    [Theory]
    [MemberData(nameof(SiloDeployments))]
    public void SiloListensWhereItsEnvironmentSaysAndJoinsThroughRedis(string deployment)
    {
        var container = KubernetesManifests.Container(KubernetesManifests.Deployment(deployment));
        var env = KubernetesManifests.Env(container);
        var ports = KubernetesManifests.Ports(container);

        Assert.Equal(new Dictionary<string, int> { ["silo"] = 11111, ["gateway"] = 30000, ["metrics"] = 8080 }, ports);
        Assert.Equal(ports["silo"].ToString(), env["Silo__SiloPort"].Str("value"));
        Assert.Equal(ports["gateway"].ToString(), env["Silo__GatewayPort"].Str("value"));
        Assert.Equal(ports["metrics"].ToString(), env["Silo__MetricsPort"].Str("value"));
        Assert.Equal("0.0.0.0", env["Silo__MetricsAddress"].Str("value"));
        Assert.Equal("redis", env["Cluster__Mode"].Str("value"));
        Assert.Equal("sweepcluster-redis", env["Cluster__Redis"].Str("valueFrom", "secretKeyRef", "name"));
        Assert.Equal("connection", env["Cluster__Redis"].Str("valueFrom", "secretKeyRef", "key"));
    }

    [Theory]
    [MemberData(nameof(SiloDeployments))]
    public void PrometheusAnnotationsAndProbesUseTheMetricsPort(string deployment)
    {
        var silo = KubernetesManifests.Deployment(deployment);
        var container = KubernetesManifests.Container(silo);
        var annotations = silo.Map("spec", "template", "metadata", "annotations").Scalars();
        var metricsPort = KubernetesManifests.Ports(container)["metrics"];

        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);
        Assert.Equal(metricsPort, int.Parse(annotations["prometheus.io/port"]));
        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            Assert.Equal("/health", container.Str(probe, "httpGet", "path"));
            Assert.Equal(metricsPort, KubernetesManifests.ResolvePort(container, container.Str(probe, "httpGet", "port")!));
        }
    }

    [Theory]
    [MemberData(nameof(SiloDeployments))]
    public void SiloHasAGenerousGracePeriodAndCpuRequestsAndLimits(string deployment)
    {
        var silo = KubernetesManifests.Deployment(deployment);
        var resources = KubernetesManifests.Container(silo).Map("resources");

        Assert.True(int.Parse(silo.Str("spec", "template", "spec", "terminationGracePeriodSeconds")!) >= 60);
        Assert.Equal("90", silo.Str("spec", "template", "spec", "terminationGracePeriodSeconds"));
        Assert.NotNull(resources.Str("requests", "cpu"));
        Assert.NotNull(resources.Str("limits", "cpu"));
        Assert.Equal("true", silo.Str("spec", "template", "spec", "securityContext", "runAsNonRoot"));
    }

    [Fact]
    public void CudaSiloAsksForAGpuNodeAndRunsTheCudaImageWithTheSameSettings()
    {
        var cuda = KubernetesManifests.Deployment("sweepcluster-silo-cuda");
        var container = KubernetesManifests.Container(cuda);
        var cpuEnv = KubernetesManifests.Env(KubernetesManifests.Container(KubernetesManifests.Deployment("sweepcluster-silo")));
        var cudaEnv = KubernetesManifests.Env(container);

        Assert.Equal("1", container.Str("resources", "limits", "nvidia.com/gpu"));
        Assert.EndsWith(":cuda", container.Str("image"));
        Assert.NotEmpty(cuda.Map("spec", "template", "spec", "nodeSelector").Children);
        Assert.Contains(cuda.Seq("spec", "template", "spec", "tolerations"), t => t.Str("key") == "nvidia.com/gpu");
        Assert.Equal(cpuEnv.Keys.Order(StringComparer.Ordinal), cudaEnv.Keys.Order(StringComparer.Ordinal));
        Assert.All(cpuEnv, e => Assert.Equal(e.Value, cudaEnv[e.Key]));
    }

    [Fact]
    public void EveryDeploymentSelectsItsOwnPods()
    {
        Assert.All(KubernetesManifests.OfKind("Deployment"), d =>
        {
            var labels = KubernetesManifests.PodLabels(d);
            var selector = d.Map("spec", "selector", "matchLabels").Scalars();
            Assert.NotEmpty(selector);
            Assert.All(selector, s => Assert.Equal(s.Value, labels.GetValueOrDefault(s.Key)));
        });
    }

    [Fact]
    public void EveryServiceSelectsSomeDeploymentsPodsAndTargetsTheirPorts()
    {
        var services = KubernetesManifests.OfKind("Service").ToList();

        Assert.NotEmpty(services);
        Assert.All(services, service =>
        {
            var selector = service.Map("spec", "selector").Scalars();
            var selected = KubernetesManifests.OfKind("Deployment")
                .Where(d => selector.All(s => KubernetesManifests.PodLabels(d).GetValueOrDefault(s.Key) == s.Value))
                .ToList();
            Assert.True(selected.Count > 0, $"Service {service.Str("metadata", "name")} selects no Deployment's pods");
            foreach (var port in service.Seq("spec", "ports"))
            {
                var target = port.Str("targetPort") ?? port.Str("port")!;
                Assert.All(selected, d => KubernetesManifests.ResolvePort(KubernetesManifests.Container(d), target));
            }
        });
    }

    [Fact]
    public void SiloServiceCoversGatewayAndMetricsOfEverySilo()
    {
        var service = Assert.Single(KubernetesManifests.OfKind("Service"), s => s.Str("metadata", "name") == "sweepcluster-silo");
        var ports = service.Seq("spec", "ports").ToDictionary(p => p.Str("name")!, p => p.Str("port"));
        var selector = service.Map("spec", "selector").Scalars();

        Assert.Equal("30000", ports["gateway"]);
        Assert.Equal("8080", ports["metrics"]);
        Assert.All(SiloNames, name =>
            Assert.All(selector, s => Assert.Equal(s.Value, KubernetesManifests.PodLabels(KubernetesManifests.Deployment(name)).GetValueOrDefault(s.Key))));
    }

    [Fact]
    public void EverySecretReferenceIsDefinedOrDocumentedByTheExample()
    {
        var references = KubernetesManifests.OfKind("Deployment")
            .SelectMany(d => d.Seq("spec", "template", "spec", "containers"))
            .SelectMany(c => c.Seq("env"))
            .Select(e => e.At("valueFrom", "secretKeyRef"))
            .OfType<YamlMappingNode>()
            .Select(r => (Name: r.Str("name")!, Key: r.Str("key")!))
            .Distinct()
            .ToList();
        var secrets = KubernetesManifests.All.Where(o => o.Object.Str("kind") == "Secret").ToList();

        Assert.NotEmpty(references);
        Assert.All(references, r =>
        {
            var secret = Assert.Single(secrets, s => s.Object.Str("metadata", "name") == r.Name).Object;
            var keys = (secret.At("stringData") as YamlMappingNode)?.Keys().Concat((secret.At("data") as YamlMappingNode)?.Keys() ?? []);
            Assert.Contains(r.Key, keys ?? []);
        });
        Assert.Contains(secrets, s => s.File == "redis-secret.example.yaml");
    }

    [Fact]
    public void KustomizationListsTheBaseResourcesAndNeitherTheExampleSecretNorTheCudaVariant()
    {
        var kustomization = Yaml.Load(Path.Combine(KubernetesManifests.Folder, "kustomization.yaml"));
        var resources = kustomization.Seq("resources").Select(n => n.ToString()).ToList();

        Assert.All(resources, r => Assert.True(File.Exists(Path.Combine(KubernetesManifests.Folder, r)), $"{r} does not exist"));
        Assert.Equal(["namespace.yaml", "redis.yaml", "silo-gateway-service.yaml", "silo.yaml"], resources.Order(StringComparer.Ordinal));
        Assert.Equal(Assert.Single(KubernetesManifests.OfKind("Namespace")).Str("metadata", "name"), kustomization.Str("namespace"));
    }

    [Fact]
    public void DevelopmentRedisRequiresTheSecretsPasswordAndTheSilosConnectionCarriesIt()
    {
        var secret = Assert.Single(KubernetesManifests.OfKind("Secret"));
        var redis = KubernetesManifests.Container(KubernetesManifests.Deployment("redis"));
        var args = redis.Seq("args").Select(n => n.ToString()).ToList();
        var requirePass = args.IndexOf("--requirepass");
        var probe = string.Join(" ", redis.Seq("readinessProbe", "exec", "command").Select(n => n.ToString()));

        Assert.True(requirePass >= 0, "the development Redis runs without --requirepass");
        Assert.Equal("$(REDISCLI_AUTH)", args[requirePass + 1]);
        var password = KubernetesManifests.Env(redis)["REDISCLI_AUTH"].Map("valueFrom", "secretKeyRef");
        Assert.Equal(secret.Str("metadata", "name"), password.Str("name"));
        Assert.Equal("password", password.Str("key"));
        Assert.Contains($"password={secret.Str("stringData", "password")}", secret.Str("stringData", "connection")!.Split(','));
        Assert.Contains("redis-cli ping", probe);
        Assert.Contains("PONG", probe);
    }

    [Fact]
    public void TheTlsOverlayMountsTheTlsSecretWhereTheSilosSettingsPoint()
    {
        var folder = Path.Combine(Repo.Deploy, "k8s-tls");
        var kustomization = Yaml.Load(Path.Combine(folder, "kustomization.yaml"));
        var patchFile = Assert.Single(kustomization.Seq("patches")).Str("path")!;
        var patch = Yaml.Load(Path.Combine(folder, patchFile));
        var container = KubernetesManifests.Container(patch);
        var env = KubernetesManifests.Env(container);
        var mount = Assert.Single(container.Seq("volumeMounts"));
        var volume = Assert.Single(patch.Seq("spec", "template", "spec", "volumes"));

        Assert.Equal(["../k8s"], kustomization.Seq("resources").Select(n => n.ToString()));
        Assert.Equal("Deployment", patch.Str("kind"));
        Assert.Equal(KubernetesManifests.Container(KubernetesManifests.Deployment(patch.Str("metadata", "name")!)).Str("name"), container.Str("name"));
        Assert.Equal("true", mount.Str("readOnly"));
        Assert.Equal(mount.Str("name"), volume.Str("name"));
        Assert.Equal("sweepcluster-tls", volume.Str("secret", "secretName"));
        var directory = mount.Str("mountPath");
        Assert.Equal($"{directory}/tls.crt", env["Cluster__Tls__Certificate"].Str("value"));
        Assert.Equal($"{directory}/tls.key", env["Cluster__Tls__Key"].Str("value"));
        Assert.Equal($"{directory}/ca.crt", env["Cluster__Tls__CaCertificate"].Str("value"));
    }

    [Fact]
    public void DevelopmentRedisIsWhatTheExampleSecretPointsAt()
    {
        var connection = Assert.Single(KubernetesManifests.OfKind("Secret")).Str("stringData", "connection")!;
        var redis = Assert.Single(KubernetesManifests.OfKind("Service"), s => s.Str("metadata", "name") == "redis");
        var endpoint = connection.Split(',')[0].Split(':');

        Assert.Equal(redis.Str("metadata", "name"), endpoint[0]);
        Assert.Equal(Assert.Single(redis.Seq("spec", "ports")).Str("port"), endpoint[1]);
        Assert.Contains("--appendonly", KubernetesManifests.Container(KubernetesManifests.Deployment("redis")).Seq("args").Select(n => n.ToString()));
    }
}
