namespace SweepCluster.Training.Tests.Sentiment;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public string FullPath { get; } = Directory.CreateTempSubdirectory("sweep-sentiment-").FullName;

    public void Dispose() => Directory.Delete(FullPath, recursive: true);
}
