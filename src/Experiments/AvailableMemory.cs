using System.Globalization;

namespace SweepCluster.Experiments;

/// <summary>How much memory this process can still take: the kernel's MemAvailable, capped by the GC's limit (a container's).</summary>
public static class AvailableMemory
{
    public static long Bytes()
    {
        var limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return MemAvailable() is { } available ? Math.Min(available, limit) : limit;
    }

    private static long? MemAvailable()
    {
        try
        {
            // "MemAvailable:   23456789 kB"
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts is [_, var kilobytes, "kB"] && long.TryParse(kilobytes, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value * 1024
                : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
