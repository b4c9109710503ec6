using AngleSharp.Html.Parser;

namespace SweepCluster.Client.Tests.Browser;

/// <summary>A page as headless Chromium left it: the DOM after scripts ran, the network requests it made (URLs, in
/// order, the page's own file and inline data not counted) and the path of its PNG screenshot.</summary>
public sealed record BrowserPage(string Dom, IReadOnlyList<string> Requests, string ScreenshotPath)
{
    /// <summary>How many elements named <paramref name="element"/> (svg, canvas, ...) the DOM holds, nested ones
    /// included; parsed as HTML, so text inside scripts and comments does not count.</summary>
    public int Count(string element)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(element);
        using var document = new HtmlParser().ParseDocument(Dom);
        return document.GetElementsByTagName(element).Length;
    }
}
