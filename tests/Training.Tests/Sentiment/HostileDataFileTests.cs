using System.Diagnostics;
using SweepCluster.Experiments;
using SweepCluster.Training.Tasks.Sentiment;

namespace SweepCluster.Training.Tests.Sentiment;

/// <summary>
/// Data files named in a spec are untrusted: a small file must not make the silo allocate gigabytes, and a FIFO or
/// a device must not hold a training slot forever. Each fails at once with "unreadable: ..." naming the file.
/// </summary>
public sealed class HostileDataFileTests : IDisposable
{
    // Far below what each hostile file would expand to (1.2 GB to 2 GB), far above what reading it legitimately takes.
    private const long AllocationBound = 64L << 20;
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(10);

    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ReviewsSharingOneListThroughTheMemoAreNotMaterialisedOverAndOver()
    {
        // 200 KB on disk; 3,000 copies of a 100,000-word list would be 1.2 GB of ints.
        var path = HostileNpz.Write(_folder.FullPath, "memo.npz", xTrain: HostileNpz.MemoAmplifiedNpy(words: 100_000, copies: 3_000));

        var error = LoadFailsWithinBounds(SentimentSource.ImdbNpz, path);

        Assert.Contains("x_train.npy", error.Message);
        Assert.Contains("memo", error.Message);
    }

    [Fact]
    public void APickleOfMillionsOfEmptyListsIsRefusedBeforeTheyFillTheMemory()
    {
        // 32 MiB of EMPTY_LIST opcodes compress to a few KB, and would be 32 million lists: over a gigabyte.
        var opcodes = new byte[32 << 20];
        Array.Fill(opcodes, (byte)0x5d);
        var path = HostileNpz.Write(_folder.FullPath, "empty-lists.npz", xTrain: HostileNpz.PickleNpy(opcodes));

        var error = LoadFailsWithinBounds(SentimentSource.ImdbNpz, path);

        Assert.Contains("x_train.npy: the pickle creates more than", error.Message);
    }

    [Fact]
    public void AMemberWhoseDeclaredSizeIsHugeIsRefusedBeforeAllocatingIt()
    {
        var path = HostileNpz.Write(_folder.FullPath, "lying-size.npz");
        HostileNpz.DeclareSize(path, "x_train.npy", (uint)Array.MaxLength);

        var error = LoadFailsWithinBounds(SentimentSource.ImdbNpz, path);

        Assert.Contains($"x_train.npy says it unpacks to {Array.MaxLength} bytes", error.Message);
    }

    [Fact]
    public void AMemberLongerThanItsDeclaredSizeIsRefused()
    {
        var path = HostileNpz.Write(_folder.FullPath, "short-size.npz");
        HostileNpz.DeclareSize(path, "x_train.npy", 20);

        var error = LoadFailsWithinBounds(SentimentSource.ImdbNpz, path);

        Assert.Contains("x_train.npy", error.Message);
    }

    [Fact]
    public void AnNpyHeaderClaimingTwoBillionLabelsIsRefusedWithoutAllocatingThem()
    {
        var path = HostileNpz.Write(_folder.FullPath, "huge-shape.npz", yTrain: HostileNpz.LabelsNpy(2_000_000_000, [1]));

        var error = LoadFailsWithinBounds(SentimentSource.ImdbNpz, path);

        Assert.Contains("y_train.npy: the data ends after 8 bytes", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f })] // BINUNICODE8 of 2^62 bytes
    [InlineData(new byte[] { 0x58, 0xf0, 0xff, 0xff, 0xff })] // BINUNICODE of 4 GB
    [InlineData(new byte[] { 0x42, 0xf0, 0xff, 0xff, 0x7f })] // BINBYTES of 2 GB
    public void AHugeLengthPrefixInThePickleIsATruncatedFile(byte[] opcodes)
    {
        var path = HostileNpz.Write(_folder.FullPath, "length-prefix.npz", xTrain: HostileNpz.PickleNpy(opcodes));

        var error = LoadFailsWithinBounds(SentimentSource.ImdbNpz, path);

        Assert.Contains("x_train.npy: the pickle ends early", error.Message);
    }

    [Fact]
    public async Task AFifoIsRefusedInsteadOfWaitedOn()
    {
        var path = Path.Combine(_folder.FullPath, "imdb.npz");
        await MakeFifoAsync(path);

        var error = await LoadFailsQuicklyAsync(SentimentSource.ImdbNpz, path, fifo: path);

        Assert.Contains("it is a FIFO, not a regular file", error.Message);
    }

    [Fact]
    public async Task ALinkToDevZeroIsRefusedInsteadOfReadForever()
    {
        var path = Path.Combine(_folder.FullPath, "imdb.npz");
        File.CreateSymbolicLink(path, "/dev/zero");

        var error = await LoadFailsQuicklyAsync(SentimentSource.ImdbNpz, path);

        Assert.Contains("it is a character device (it links to '/dev/zero'), not a regular file", error.Message);
    }

    [Fact]
    public async Task AnAclImdbReviewThatLinksToDevZeroIsRefusedInsteadOfReadForever()
    {
        var review = Path.Combine(AclImdbFolder(), "train", "pos", "1_10.txt");
        File.CreateSymbolicLink(review, "/dev/zero");

        var error = await LoadFailsQuicklyAsync(SentimentSource.AclImdb, _folder.FullPath, unreadable: review);

        Assert.Contains("it is a character device (it links to '/dev/zero'), not a regular file", error.Message);
    }

    [Fact]
    public async Task AnAclImdbReviewThatIsAFifoIsRefusedInsteadOfWaitedOn()
    {
        var review = Path.Combine(AclImdbFolder(), "test", "neg", "1_1.txt");
        await MakeFifoAsync(review);

        var error = await LoadFailsQuicklyAsync(SentimentSource.AclImdb, _folder.FullPath, unreadable: review, fifo: review);

        Assert.Contains("it is a FIFO, not a regular file", error.Message);
    }

    [Fact]
    public void AnAclImdbReviewOverTheSizeLimitIsRefused()
    {
        var review = Path.Combine(AclImdbFolder(), "train", "neg", "1_1.txt");
        using (var file = File.Create(review))
        {
            file.SetLength(2L << 30); // sparse: 2 GB that take no disk
        }

        var error = LoadFailsWithinBounds(SentimentSource.AclImdb, _folder.FullPath, unreadable: review);

        Assert.Contains($"it is {2L << 30} bytes", error.Message);
    }

    // aclImdb's four folders with one good review each.
    private string AclImdbFolder()
    {
        foreach (var folder in (string[])["train/pos", "train/neg", "test/pos", "test/neg"])
        {
            Directory.CreateDirectory(Path.Combine(_folder.FullPath, folder));
            File.WriteAllText(Path.Combine(_folder.FullPath, folder, "0_5.txt"), "a fine film");
        }

        return _folder.FullPath;
    }

    private static DataFileException LoadFailsWithinBounds(SentimentSource source, string path, string? unreadable = null)
    {
        var clock = Stopwatch.StartNew();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<DataFileException>(() => SentimentCorpusLoader.Load(new SentimentCorpusOptions(source, path)));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(allocated < AllocationBound, $"reading {path} allocated {allocated:N0} bytes");
        Assert.True(clock.Elapsed < Quickly, $"reading {path} took {clock.Elapsed}");
        AssertUnreadable(error, unreadable ?? path);
        return error;
    }

    private static async Task<DataFileException> LoadFailsQuicklyAsync(SentimentSource source, string path, string? unreadable = null, string? fifo = null)
    {
        var load = Task.Run(() => SentimentCorpusLoader.Load(new SentimentCorpusOptions(source, path)));
        try
        {
            var error = await Assert.ThrowsAsync<DataFileException>(() => load.WaitAsync(Quickly));
            AssertUnreadable(error, unreadable ?? path);
            return error;
        }
        finally
        {
            if (!load.IsCompleted && fifo is not null)
            {
                // The reader is stuck opening the FIFO: a writer that opens and closes it lets it go.
                await File.WriteAllBytesAsync(fifo, []);
            }
        }
    }

    private static void AssertUnreadable(DataFileException error, string path)
    {
        Assert.StartsWith($"unreadable: sentiment data file '{path}': ", error.Message);
        Assert.Equal(path, error.Path);
    }

    private static async Task MakeFifoAsync(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        await mkfifo.WaitForExitAsync();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
