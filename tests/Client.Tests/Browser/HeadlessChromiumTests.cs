using System.Net;
using System.Net.Sockets;
using SkiaSharp;

namespace SweepCluster.Client.Tests.Browser;

/// <summary>The harness itself can fail: scripts run before the DOM is read, requests come from the browser's net log,
/// and the screenshot is a PNG of what the page drew.</summary>
public sealed class HeadlessChromiumTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sweep-chromium-test-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task ElementsAScriptAddsAfterLoadAreCountedAndTextInsideScriptsIsNot()
    {
        // Five svg elements on load and two more from a timer: none is in the HTML, and "<svg>" in the script's text
        // is not an element.
        var page = await LoadAsync("""
            <!doctype html><html><body><p>charts below</p>
            <script>
              // not an element: <svg></svg>
              const add = () => document.body.appendChild(document.createElementNS("http://www.w3.org/2000/svg", "svg"));
              addEventListener("load", () => {
                for (let i = 0; i < 5; i++) add();
                setTimeout(() => { add(); add(); }, 2000);
              });
            </script></body></html>
            """);
        Assert.Equal(7, page.Count("svg"));
        Assert.Equal(0, page.Count("canvas"));
    }

    [Fact]
    public async Task ExternalScriptsImagesAndFetchesAreRecordedAsRequests()
    {
        var script = $"http://127.0.0.1:{ClosedPort()}/plotly.js";
        const string Image = "https://cdn.example.invalid/logo.png";
        // Built by the script so that the URL appears nowhere in the HTML.
        const string Fetched = "https://api.example.invalid/data.json";
        var page = await LoadAsync($$"""
            <!doctype html><html><head><script src="{{script}}"></script></head>
            <body><img src="{{Image}}"><script>fetch("https://api." + "example.invalid/data.json").catch(() => {});</script></body></html>
            """);
        Assert.Contains(script, page.Requests);
        Assert.Contains(Image, page.Requests);
        Assert.Contains(Fetched, page.Requests);
        Assert.Equal(3, page.Requests.Count);
    }

    [Fact]
    public async Task ASelfContainedPageMakesNoRequests()
    {
        // Inline script and style, an image from a data: URL, a blob: URL: everything the page needs is in the file.
        var page = await LoadAsync("""
            <!doctype html><html><head><style>div { width: 10px; height: 10px; background: teal; }</style></head>
            <body><div></div>
            <img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==">
            <script>
              const url = URL.createObjectURL(new Blob(["<svg xmlns='http://www.w3.org/2000/svg'/>"], { type: "image/svg+xml" }));
              const img = document.createElement("img"); img.src = url; document.body.appendChild(img);
            </script></body></html>
            """);
        Assert.Empty(page.Requests);
        Assert.Equal(2, page.Count("img"));
    }

    [Fact]
    public async Task TheScreenshotIsAPngOfTheWindowShowingWhatThePageDrew()
    {
        // A script paints an orange block over the top-left of a white page.
        var page = await LoadAsync("""
            <!doctype html><html><body style="margin: 0; background: #ffffff">
            <script>
              const block = document.createElement("div");
              block.style.cssText = "width: 800px; height: 900px; background: #ff8000";
              document.body.appendChild(block);
            </script></body></html>
            """);
        var bytes = await File.ReadAllBytesAsync(page.ScreenshotPath);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
        using var image = SKBitmap.Decode(bytes);
        Assert.Equal(HeadlessChromium.WindowWidth, image.Width);
        Assert.Equal(HeadlessChromium.WindowHeight, image.Height);
        Assert.Equal(new SKColor(0xff, 0x80, 0x00), image.GetPixel(400, 450));
        Assert.Equal(new SKColor(0xff, 0xff, 0xff), image.GetPixel(1200, 1600));
    }

    [Fact]
    public async Task AMissingPageIsRefusedNamingItsPath()
    {
        var missing = Path.Combine(_directory.FullName, "no-such-report.html");
        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => HeadlessChromium.LoadAsync(missing, Path.Combine(_directory.FullName, "shot.png")));
        Assert.Contains(missing, error.Message);
    }

    private async Task<BrowserPage> LoadAsync(string html)
    {
        var path = Path.Combine(_directory.FullName, $"page-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(path, html);
        return await HeadlessChromium.LoadAsync(path, Path.ChangeExtension(path, ".png"));
    }

    // A loopback port nothing listens on: requests to it fail at once, but they are still made.
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
