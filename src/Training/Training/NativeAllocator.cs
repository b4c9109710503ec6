namespace SweepCluster.Training.Training;

/// <summary>
/// Which C allocator serves libtorch's tensor buffers. It decides much of a training step's time: glibc as shipped
/// gives big freed blocks back to the OS (its per-thread arenas drop whole heaps), so a step that frees and allocates
/// the same tensors again pays a page fault per 4 KiB touched. <c>./sweep</c> and the container image preload
/// jemalloc with page decay off, or tune glibc through <c>GLIBC_TUNABLES</c> where jemalloc is missing
/// (docs/performance.md). Both must be in the environment before the process starts, so this only reports.
/// </summary>
public static class NativeAllocator
{
    /// <summary><c>jemalloc</c> when preloaded, <c>glibc</c> or <c>glibc (tuned)</c> on glibc Linux, else <c>system</c>.</summary>
    public static string Current { get; } = Detect();

    private static string Detect()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/maps"))
        {
            return "system";
        }

        var maps = File.ReadAllText("/proc/self/maps");
        if (maps.Contains("libjemalloc", StringComparison.Ordinal))
        {
            return "jemalloc";
        }

        if (!maps.Contains("/libc.so.6", StringComparison.Ordinal))
        {
            return "system";
        }

        return Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is { } tunables && tunables.Contains("glibc.malloc.arena_max=1", StringComparison.Ordinal)
            ? "glibc (tuned)"
            : "glibc";
    }
}
