namespace SweepCluster.Storage.Tests;

public sealed class CheckpointExpiryTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public void OnlyCheckpointsAndLeftoverTemporariesOlderThanTheAgeAreDeleted()
    {
        var now = DateTime.UtcNow;
        var old = now - TimeSpan.FromDays(8);
        var files = new Dictionary<string, DateTime>
        {
            ["old.ckpt"] = old,
            ["old.ckpt.123.abc.tmp"] = old,
            ["recent.ckpt"] = now - TimeSpan.FromDays(6),
            ["old.txt"] = old,
        };
        foreach (var (name, written) in files)
        {
            File.WriteAllText(Path.Combine(_directory.Path, name), name);
            File.SetLastWriteTimeUtc(Path.Combine(_directory.Path, name), written);
        }

        Directory.CreateDirectory(Path.Combine(_directory.Path, "nested.ckpt"));
        Directory.SetLastWriteTimeUtc(Path.Combine(_directory.Path, "nested.ckpt"), old);

        Assert.Equal(2, CheckpointExpiry.DeleteExpired(_directory.Path));

        Assert.Equal(["nested.ckpt", "old.txt", "recent.ckpt"], Directory.GetFileSystemEntries(_directory.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void AShorterAgeDeletesNewerCheckpoints()
    {
        var path = Path.Combine(_directory.Path, "t.ckpt");
        File.WriteAllText(path, "");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - TimeSpan.FromHours(2));

        Assert.Equal(0, CheckpointExpiry.DeleteExpired(_directory.Path, TimeSpan.FromHours(3)));
        Assert.Equal(1, CheckpointExpiry.DeleteExpired(_directory.Path, TimeSpan.FromHours(1)));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void AMissingDirectoryHasNothingToExpire() =>
        Assert.Equal(0, CheckpointExpiry.DeleteExpired(Path.Combine(_directory.Path, "absent")));

    public void Dispose() => _directory.Dispose();
}
