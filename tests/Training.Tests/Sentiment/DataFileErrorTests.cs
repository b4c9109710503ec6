using SweepCluster.Experiments;
using SweepCluster.Training.Tasks.Sentiment;

namespace SweepCluster.Training.Tests.Sentiment;

public sealed class DataFileErrorTests
{
    private const string ImdbFormat = "imdb.npz (a zip of x_train.npy, y_train.npy, x_test.npy, y_test.npy)";
    private const string AclLayout = "train/pos, train/neg, test/pos and test/neg";

    private static DataFileException LoadFails(SentimentSource source, string path) =>
        Assert.Throws<DataFileException>(() => SentimentCorpusLoader.Load(new SentimentCorpusOptions(source, path)));

    [Fact]
    public void AMissingImdbNpzNamesThePathAndTheExpectedFormat()
    {
        var path = Path.Combine(SentimentFixtures.Root, "no-such-imdb.npz");

        var error = LoadFails(SentimentSource.ImdbNpz, path);

        Assert.Equal(path, error.Path);
        Assert.Contains($"'{path}' is missing", error.Message);
        Assert.Contains(ImdbFormat, error.Message);
    }

    [Fact]
    public void ATruncatedImdbNpzIsReportedAsUnreadable()
    {
        var path = SentimentFixtures.Corrupt("imdb-truncated.npz");

        var error = LoadFails(SentimentSource.ImdbNpz, path);

        Assert.Equal(path, error.Path);
        Assert.StartsWith($"unreadable: sentiment data file '{path}': ", error.Message);
        Assert.Contains(ImdbFormat, error.Message);
    }

    [Fact]
    public void AFileThatIsNotAZipIsReportedAsUnreadable()
    {
        var path = Path.Combine(SentimentFixtures.AclImdb, "train", "pos", "0_9.txt");

        var error = LoadFails(SentimentSource.ImdbNpz, path);

        Assert.StartsWith($"unreadable: sentiment data file '{path}': ", error.Message);
        Assert.Contains(ImdbFormat, error.Message);
    }

    [Fact]
    public void AnImdbNpzWithoutYTestNamesTheMissingMember()
    {
        var path = SentimentFixtures.Corrupt("imdb-missing-y_test.npz");

        var error = LoadFails(SentimentSource.ImdbNpz, path);

        Assert.Equal(path, error.Path);
        Assert.Contains($"'{path}' has no y_test.npy", error.Message);
        Assert.Contains(ImdbFormat, error.Message);
    }

    [Fact]
    public void APickleThatWouldRunCodeIsRejectedWithoutRunningIt()
    {
        var path = SentimentFixtures.Corrupt("imdb-unsafe-global.npz");

        var error = LoadFails(SentimentSource.ImdbNpz, path);

        Assert.Contains("x_train.npy: pickle global 'posix.system' is not allowed", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void APickleWithAnOpcodeNumpyNeverWritesIsRejected()
    {
        // Protocol 0 (text) pickles start with GLOBAL, then PUT (0x70), which binary protocols never use.
        var path = SentimentFixtures.Corrupt("imdb-protocol0.npz");

        var error = LoadFails(SentimentSource.ImdbNpz, path);

        Assert.Contains("unsupported pickle opcode 0x70", error.Message);
        Assert.Contains(path, error.Message);
        Assert.Contains(ImdbFormat, error.Message);
    }

    [Fact]
    public void AMissingAclImdbFolderNamesThePathAndTheExpectedLayout()
    {
        var path = Path.Combine(SentimentFixtures.Root, "no-such-aclImdb");

        var error = LoadFails(SentimentSource.AclImdb, path);

        Assert.Equal(path, error.Path);
        Assert.Contains($"'{path}' is missing", error.Message);
        Assert.Contains(AclLayout, error.Message);
    }

    [Fact]
    public void AnAclImdbFolderWithoutTestNegNamesTheMissingSubfolder()
    {
        using var folder = new TemporaryDirectory();
        foreach (var split in (string[])["train/pos", "train/neg", "test/pos"])
        {
            Directory.CreateDirectory(Path.Combine(folder.FullPath, split));
        }

        var error = LoadFails(SentimentSource.AclImdb, folder.FullPath);

        var missing = Path.Combine(folder.FullPath, "test", "neg");
        Assert.Equal(missing, error.Path);
        Assert.Contains($"'{missing}' is missing", error.Message);
        Assert.Contains(AclLayout, error.Message);
    }

    [Theory]
    [InlineData(SentimentSource.ImdbNpz)]
    [InlineData(SentimentSource.AclImdb)]
    public void FileSourcesWithoutAPathAreRejected(SentimentSource source)
    {
        var error = Assert.Throws<ArgumentException>(() => SentimentCorpusLoader.Load(new SentimentCorpusOptions(source, " ")));

        Assert.Equal("path", error.ParamName);
    }

    [Theory]
    [InlineData(3, 300, "num_words")]
    [InlineData(0, 300, "num_words")]
    [InlineData(5000, 0, "max_len")]
    public void OutOfRangeSizesNameTheirSetting(int numWords, int maxLen, string setting)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            SentimentCorpusLoader.Load(new SentimentCorpusOptions(SentimentSource.Generated, null, numWords, maxLen)));

        Assert.Equal(setting, error.ParamName);
        Assert.Contains(setting, error.Message);
    }

    [Fact]
    public void ANonPositiveLimitIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            SentimentCorpusLoader.Load(new SentimentCorpusOptions(SentimentSource.Generated, null, TrainLimit: 0)));

        Assert.Equal("train_limit", error.ParamName);
    }
}
