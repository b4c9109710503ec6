namespace SweepCluster.Deploy.Tests;

public sealed class PrometheusTests
{
    [Fact]
    public void LocalTemplateScrapesStaticLoopbackTargetsInTheSweepclusterJob()
    {
        var config = Yaml.Load(Path.Combine(Repo.Deploy, "prometheus", "prometheus-local.yml"));
        var job = Assert.Single(config.Seq("scrape_configs"));
        var targets = Assert.Single(job.Seq("static_configs")).Seq("targets").Select(n => n.ToString()).ToList();

        Assert.Equal("sweepcluster", job.Str("job_name"));
        Assert.Equal("/metrics", job.Str("metrics_path"));
        Assert.NotEmpty(targets);
        Assert.All(targets, t =>
        {
            var (host, port) = (t.Split(':')[0], t.Split(':')[1]);
            Assert.Equal("127.0.0.1", host);
            Assert.InRange(int.Parse(port), 1, 65535);
        });
    }

    [Theory]
    [InlineData("prometheus.yml")]
    [InlineData("prometheus-local.yml")]
    public void ScrapesEveryFiveSeconds(string file)
    {
        Assert.Equal("5s", Yaml.Load(Path.Combine(Repo.Deploy, "prometheus", file)).Str("global", "scrape_interval"));
    }
}
