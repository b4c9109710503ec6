namespace SweepCluster.Storage.Tests;

/// <summary>A fresh directory for one test, deleted after it.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("storage-test-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
