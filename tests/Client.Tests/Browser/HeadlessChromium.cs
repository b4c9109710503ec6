using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace SweepCluster.Client.Tests.Browser;

/// <summary>
/// Opens a local HTML file in the real headless Chromium (Debian's <c>chromium</c>; <c>./sweep test</c> installs it):
/// the DOM after scripts ran, a PNG screenshot, and every network request the page made, from Chromium's own net log.
/// </summary>
public static class HeadlessChromium
{
    public const string Binary = "chromium";
    public const int WindowWidth = 1400;
    public const int WindowHeight = 1800;

    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(60);

    // Virtual time runs only while the page is idle, so timers and deferred rendering finish within this budget
    // however slow the machine is; loading itself is waited for before it starts counting.
    private const int VirtualTimeBudgetMs = 10_000;

    // Schemes served inside the browser: the page's own file, inline data, and Chromium's internals.
    private static readonly string[] LocalSchemes = ["file", "data", "about", "blob", "chrome", "chrome-extension", "chrome-untrusted"];

    public static async Task<BrowserPage> LoadAsync(string htmlPath, string screenshotPath, CancellationToken ct = default)
    {
        var page = new FileInfo(htmlPath);
        if (!page.Exists)
        {
            throw new FileNotFoundException($"no page to open in {Binary}: {page.FullName} does not exist", page.FullName);
        }

        var url = new Uri(page.FullName).AbsoluteUri;
        var screenshot = Path.GetFullPath(screenshotPath);
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot); // a screenshot left by an earlier run must not pass for this one
        var profile = Directory.CreateTempSubdirectory("sweep-chromium-");
        try
        {
            var netLog = Path.Combine(profile.FullName, "netlog.json");
            var (exitCode, dom, stderr) = await RunAsync(
            [
                "--headless",
                // The page is our own file, and the sandbox cannot start as root or without user namespaces (containers).
                "--no-sandbox",
                $"--user-data-dir={Path.Combine(profile.FullName, "profile")}",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--hide-scrollbars",
                $"--window-size={WindowWidth},{WindowHeight}",
                $"--virtual-time-budget={VirtualTimeBudgetMs}",
                $"--log-net-log={netLog}",
                "--dump-dom",
                $"--screenshot={screenshot}",
                url,
            ], ct);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"{Binary} exited with code {exitCode} opening {url}: {Tail(stderr)}");
            }

            if (string.IsNullOrWhiteSpace(dom))
            {
                throw new InvalidOperationException($"{Binary} printed no DOM for {url}: {Tail(stderr)}");
            }

            if (!File.Exists(screenshot))
            {
                throw new InvalidOperationException($"{Binary} wrote no screenshot to {screenshot} for {url}: {Tail(stderr)}");
            }

            return new BrowserPage(dom, PageRequests(netLog), screenshot);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{Binary} did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"{Binary} could not be started ({e.Message}): install Debian's chromium package (./sweep test installs it when missing)", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(TimeLimit);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                // /usr/bin/chromium is a shell script that starts the browser and its helper processes: end them all.
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                ct.ThrowIfCancellationRequested();
                throw new TimeoutException($"{Binary} did not finish within {TimeLimit.TotalSeconds:0} s: {Tail(await stderr)}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>
    /// The URLs of the requests the page made, read from Chromium's net log (--log-net-log, JSON): every URL request
    /// started on the page's behalf, redirects included. Requests the browser makes for itself (update checks, the
    /// clock, account probes) carry no initiator and are keyed to another top-level site, so they are left out.
    /// </summary>
    private static List<string> PageRequests(string netLogPath)
    {
        JsonDocument log;
        try
        {
            using var stream = File.OpenRead(netLogPath);
            log = JsonDocument.Parse(stream);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new InvalidOperationException($"{Binary}'s net log {netLogPath} could not be read: {e.Message}", e);
        }

        using (log)
        {
            var constants = log.RootElement.GetProperty("constants");
            var startJob = constants.GetProperty("logEventTypes").GetProperty("URL_REQUEST_START_JOB").GetInt32();
            var begin = constants.GetProperty("logEventPhase").GetProperty("PHASE_BEGIN").GetInt32();
            var requests = new List<string>();
            foreach (var entry in log.RootElement.GetProperty("events").EnumerateArray())
            {
                if (entry.GetProperty("type").GetInt32() != startJob || entry.GetProperty("phase").GetInt32() != begin ||
                    !entry.TryGetProperty("params", out var request) || !request.TryGetProperty("url", out var url))
                {
                    continue;
                }

                if (IsForPage(request) && !IsLocal(url.GetString()!))
                {
                    requests.Add(url.GetString()!);
                }
            }

            return requests;
        }
    }

    // A request a document made has its origin as initiator ("null" for a file:// page); the browser's own have none
    // ("not an origin"). The network isolation key starts with the top-level site, file:// for anything under the page.
    private static bool IsForPage(JsonElement request) =>
        (request.TryGetProperty("initiator", out var initiator) && initiator.GetString() != "not an origin") ||
        (request.TryGetProperty("network_isolation_key", out var key) && key.GetString()!.StartsWith("file://", StringComparison.Ordinal));

    private static bool IsLocal(string url)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && LocalSchemes.Contains(url[..colon], StringComparer.OrdinalIgnoreCase);
    }

    private static string Tail(string stderr)
    {
        const int Length = 2000;
        var text = stderr.Trim();
        return text.Length == 0 ? "(nothing on stderr)" : text.Length <= Length ? text : "..." + text[^Length..];
    }
}
