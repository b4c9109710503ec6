using System.Globalization;
using SweepCluster.Training.Training;
using static TorchSharp.torch;

namespace SweepCluster.Training.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCollection
{
    public const string Name = "process-wide settings";
}

/// <summary>
/// The allocator ./sweep sets up (docs/performance.md), by its effect: a step that frees a big tensor and allocates it
/// again must not fault its pages in again. Alone in its collection, since page faults are counted per process.
/// </summary>
[Collection(ProcessWideCollection.Name)]
public sealed class NativeAllocatorTests
{
    [Fact]
    public void UnderTheAllocatorSweepSetsUpAFreedTensorsPagesAreReusedByTheNextStep()
    {
        // ./sweep exports the allocator it chose; run by hand (dotnet test), there is nothing of ours to check.
        if (Environment.GetEnvironmentVariable("SWEEP_ALLOCATOR") is not { } chosen)
        {
            return;
        }

        Assert.Equal(chosen, NativeAllocator.Current);
        if (chosen == "system")
        {
            return; // not Linux, or SWEEP_ALLOCATOR=system asked for the allocator as shipped
        }

        // A 16 MiB tensor is 4096 pages; glibc as shipped maps them afresh every step.
        var faults = FaultsPerStep();
        Assert.True(faults < 100, $"{faults} page faults per step under {chosen}");
    }

    private static double FaultsPerStep()
    {
        const int steps = 20;
        using (var warm = ones(4, 1024, 1024))
        {
        }

        var before = MinorFaults();
        for (var i = 0; i < steps; i++)
        {
            using var step = ones(4, 1024, 1024); // written, so every page is touched
        }

        return (MinorFaults() - before) / (double)steps;
    }

    private static long MinorFaults()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7], CultureInfo.InvariantCulture);
    }
}
