using System.Diagnostics;

namespace SweepCluster.Bench;

/// <summary>
/// The C allocator a benchmark's child process runs under. <c>./sweep</c> exports its own choice, so a child gets
/// exactly the allocator its configuration names and nothing inherited.
/// </summary>
internal static class ChildAllocator
{
    public const string Jemalloc = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";

    /// <summary>Freed pages kept rather than returned to the kernel, as ./sweep sets it up.</summary>
    public const string JemallocNoDecay = "dirty_decay_ms:-1,muzzy_decay_ms:-1";

    /// <summary>What ./sweep sets where jemalloc is missing: one arena (per-thread arenas drop whole heaps when freed), no mmap per block, no trimming.</summary>
    public const string GlibcTuned = "glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967295";

    public static void Use(ProcessStartInfo start, string? preload = null, string? mallocConf = null, string? glibcTunables = null)
    {
        foreach (var (name, value) in new[] { ("LD_PRELOAD", preload), ("MALLOC_CONF", mallocConf), ("GLIBC_TUNABLES", glibcTunables) })
        {
            start.Environment.Remove(name);
            if (value is not null)
            {
                start.Environment[name] = value;
            }
        }
    }
}
