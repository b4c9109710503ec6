using System.Runtime.CompilerServices;

namespace SweepCluster.Client.Output;

/// <summary>
/// Pages read one ahead: the next page is on its way while the caller writes this one, so the sweep's reading (curve
/// store, wire) and the client's writing overlap. At most two pages are held.
/// </summary>
internal static class ReadAhead
{
    /// <summary>Every item of the pages <paramref name="read"/>(offset, count) returns, until a page comes back short.</summary>
    public static async IAsyncEnumerable<T> PagesAsync<T>(
        Func<int, int, Task<IReadOnlyList<T>>> read, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = read(0, pageSize);
        for (var offset = 0; ; offset += pageSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await next;
            var more = page.Count >= pageSize;
            if (more)
            {
                next = read(offset + pageSize, pageSize);
            }

            foreach (var item in page)
            {
                yield return item;
            }

            if (!more)
            {
                yield break;
            }
        }
    }
}
