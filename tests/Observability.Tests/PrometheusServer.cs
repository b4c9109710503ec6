using System.Globalization;
using System.Net;
using System.Text.Json;
using SweepCluster.Cluster.Harness;

namespace SweepCluster.Observability.Tests;

/// <summary>
/// A real Prometheus (the <c>prometheus</c> binary on PATH; <c>./sweep test</c> installs Debian's) on a free
/// loopback port, scraping silos with the shipped local configuration. Disposing kills it and deletes its data.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly LoggedProcess _process;
    private readonly DirectoryInfo _directory;
    private readonly HttpClient _http;

    private PrometheusServer(LoggedProcess process, DirectoryInfo directory, int port)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public static string ShippedConfig { get; } = Path.Combine(RepositoryFiles.Root, "deploy", "prometheus", "prometheus-local.yml");

    /// <summary>Starts Prometheus scraping <paramref name="metricsPorts"/> every <paramref name="interval"/>, and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(IEnumerable<int> metricsPorts, string interval = "1s")
    {
        var directory = Directory.CreateTempSubdirectory("sweep-prometheus-");
        var config = Path.Combine(directory.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, PrometheusConfig.ForLocalSilos(ShippedConfig, metricsPorts, interval));

        var port = Ports.Free();
        LoggedProcess process;
        try
        {
            process = LoggedProcess.Start(
                "prometheus",
                [
                    $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory.FullName, "data")}",
                    $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                ],
                Path.Combine(directory.FullName, "prometheus.log"));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            directory.Delete(recursive: true);
            throw new InvalidOperationException("prometheus is not on PATH: install it (./sweep test does, Debian: apt-get install prometheus)", e);
        }

        var server = new PrometheusServer(process, directory, port);
        try
        {
            await server.WaitForReadyAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Waits until Prometheus scrapes <paramref name="count"/> targets and every one of them answered.</summary>
    public async Task WaitForTargetsUpAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var health = "";
        while (DateTime.UtcNow < deadline)
        {
            var targets = (await GetDataAsync("/api/v1/targets?state=active")).GetProperty("activeTargets").EnumerateArray()
                .Select(t => $"{t.GetProperty("scrapeUrl").GetString()}={t.GetProperty("health").GetString()} {t.GetProperty("lastError").GetString()}")
                .ToList();
            health = string.Join(", ", targets);
            if (targets.Count == count && targets.All(t => t.Contains("=up", StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Prometheus' targets were not all up within {timeout.TotalSeconds:F0} s: {health}\n{Log()}");
    }

    /// <summary>Waits until every target of <paramref name="job"/> has been scraped at least <paramref name="scrapes"/> times.</summary>
    public async Task WaitForScrapesAsync(string job, int scrapes, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var result = await QueryAsync($"min(count_over_time(up{{job=\"{job}\"}}[10m]))");
            if (result.Values.Count > 0 && result.Values.Min() >= scrapes)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Prometheus did not scrape every target {scrapes} times within {timeout.TotalSeconds:F0} s\n{Log()}");
    }

    /// <summary>An instant query (<c>/api/v1/query</c>), evaluated now.</summary>
    public async Task<PrometheusResult> QueryAsync(string expr)
    {
        using var response = await _http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(expr));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            return PrometheusResult.Failed($"{root.GetProperty("errorType").GetString()}: {root.GetProperty("error").GetString()}");
        }

        var data = root.GetProperty("data");
        var values = data.GetProperty("resultType").GetString() switch
        {
            "scalar" => [Sample(data.GetProperty("result"))],
            "vector" => data.GetProperty("result").EnumerateArray().Select(s => Sample(s.GetProperty("value"))).ToList(),
            "matrix" => data.GetProperty("result").EnumerateArray().SelectMany(s => s.GetProperty("values").EnumerateArray().Select(Sample)).ToList(),
            var other => throw new InvalidDataException($"unexpected result type {other} for {expr}"),
        };
        return new PrometheusResult(null, values);
    }

    /// <summary>An instant query's series with their labels (an instant vector; a failed query throws, naming the error).</summary>
    public async Task<IReadOnlyList<PrometheusSample>> SeriesAsync(string expr)
    {
        var data = await GetDataAsync("/api/v1/query?query=" + Uri.EscapeDataString(expr));
        return data.GetProperty("result").EnumerateArray()
            .Select(s => new PrometheusSample(
                s.GetProperty("metric").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!),
                Sample(s.GetProperty("value"))))
            .ToList();
    }

    /// <summary>A label's values, of the series <paramref name="match"/> selects if given (<c>/api/v1/label/&lt;name&gt;/values</c>).</summary>
    public async Task<IReadOnlyList<string>> LabelValuesAsync(string label, string? match)
    {
        var query = match is null ? "" : "?match[]=" + Uri.EscapeDataString(match);
        return (await GetDataAsync($"/api/v1/label/{Uri.EscapeDataString(label)}/values{query}"))
            .EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    public string Log() => "===== prometheus =====\n" + _process.Log();

    private async Task<JsonElement> GetDataAsync(string pathAndQuery)
    {
        using var response = await _http.GetAsync(pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        return response.IsSuccessStatusCode && json.RootElement.GetProperty("status").GetString() == "success"
            ? json.RootElement.GetProperty("data").Clone()
            : throw new InvalidOperationException($"GET {pathAndQuery}: {(int)response.StatusCode} {body}");
    }

    private async Task WaitForReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}\n{Log()}");
            }

            try
            {
                using var response = await _http.GetAsync("/-/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"prometheus was not ready within {timeout.TotalSeconds:F0} s\n{Log()}");
    }

    /// <summary>A sample's value: Prometheus writes it as a string (<c>"NaN"</c>, <c>"+Inf"</c> included).</summary>
    private static double Sample(JsonElement pair) =>
        pair[1].GetString() switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            var text => double.Parse(text!, CultureInfo.InvariantCulture),
        };


    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _http.Dispose();

        _directory.Delete(recursive: true);
    }
}
