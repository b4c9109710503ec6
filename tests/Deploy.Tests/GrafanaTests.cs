namespace SweepCluster.Deploy.Tests;

public sealed class GrafanaTests
{
    private static readonly string Provisioning = Path.Combine(Repo.Deploy, "grafana", "provisioning");
    private readonly ComposeFile _compose = new();

    [Fact]
    public void ComposeMountsTheProvisioningFolderWhereGrafanaReadsIt()
    {
        Assert.Equal(Provisioning, _compose.BindSourceFor("grafana", "/etc/grafana/provisioning"));
    }

    [Fact]
    public void DatasourceIsTheDefaultPrometheusOfTheComposeFile()
    {
        var datasource = Assert.Single(Yaml.Load(Path.Combine(Provisioning, "datasources", "prometheus.yml")).Seq("datasources"));
        var url = new Uri(datasource.Str("url")!);

        Assert.Equal("prometheus", datasource.Str("type"));
        Assert.Equal("prometheus", datasource.Str("uid"));
        Assert.Equal("true", datasource.Str("isDefault"));
        Assert.Contains(url.Host, _compose.ServiceNames);
        Assert.Equal("prometheus", url.Host);
        Assert.Equal(9090, url.Port);
    }

    [Fact]
    public void DashboardProviderReadsTheFolderComposeMountsTheDashboardsInto()
    {
        var provider = Assert.Single(Yaml.Load(Path.Combine(Provisioning, "dashboards", "sweepcluster.yml")).Seq("providers"));
        var path = provider.Str("options", "path")!;

        Assert.Equal("file", provider.Str("type"));
        Assert.Equal(Path.Combine(Repo.Root, "dashboards"), _compose.BindSourceFor("grafana", path));
    }
}
