using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace SweepCluster.Storage.Tests;

public sealed class FileGrainStorageTests : IDisposable
{
    private static readonly IActivatorProvider Activators = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<IActivatorProvider>();
    private static readonly IGrainStorageSerializer Serializer = new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions()));

    private readonly TemporaryDirectory _directory = new();
    private readonly GrainId _grain = GrainId.Create("sweep", "sweep-1");

    private FileGrainStorage NewStorage() => new(_directory.Path, Serializer, Activators);

    [Fact]
    public async Task AnUnknownGrainReadsAsNewStateWithNoRecordAndNoETag()
    {
        var state = await ReadAsync(NewStorage(), _grain);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(new Counter(), state.State);
    }

    [Fact]
    public async Task WrittenStateReadsBackWithTheETagTheWriteGave()
    {
        var storage = NewStorage();
        var written = new GrainState<Counter>(new Counter { Count = 3, Name = "three" });

        await storage.WriteStateAsync("state", _grain, written);
        var read = await ReadAsync(storage, _grain);

        Assert.True(read.RecordExists);
        Assert.NotNull(written.ETag);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(written.State, read.State);
    }

    [Fact]
    public async Task AWriteFromAStaleETagIsRefusedAndChangesNothing()
    {
        var storage = NewStorage();
        var first = await ReadAsync(storage, _grain);
        var second = await ReadAsync(storage, _grain);
        first.State = new Counter { Count = 1 };
        await storage.WriteStateAsync("state", _grain, first);

        second.State = new Counter { Count = 2 };
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("state", _grain, second));

        Assert.Equal(first.ETag, conflict.StoredEtag);
        Assert.Equal(1, (await ReadAsync(storage, _grain)).State!.Count);
    }

    [Fact]
    public async Task ClearedStateReadsAsNewAndAnETagFromBeforeTheClearNeverMatchesAgain()
    {
        var storage = NewStorage();
        var state = new GrainState<Counter>(new Counter { Count = 5 });
        await storage.WriteStateAsync("state", _grain, state);
        var stale = new GrainState<Counter>(new Counter { Count = 6 }) { ETag = state.ETag };

        await storage.ClearStateAsync("state", _grain, state);
        Assert.Equal(new Counter(), state.State);
        var read = await ReadAsync(storage, _grain);
        Assert.False(read.RecordExists);
        Assert.Equal(new Counter(), read.State);
        Assert.Equal(state.ETag, read.ETag);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("state", _grain, stale));
        read.State = new Counter { Count = 7 };
        await storage.WriteStateAsync("state", _grain, read);
        Assert.Equal(7, (await ReadAsync(storage, _grain)).State!.Count);
    }

    [Fact]
    public async Task StateSurvivesANewStorageOnTheSameDirectoryAndKeepsOneFile()
    {
        var state = new GrainState<Counter>(new Counter { Count = 1 });
        await NewStorage().WriteStateAsync("state", _grain, state);
        state.State = new Counter { Count = 2 };
        await NewStorage().WriteStateAsync("state", _grain, state);

        var read = await ReadAsync(NewStorage(), _grain);

        Assert.Equal(2, read.State!.Count);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Single(Directory.GetFiles(_directory.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task GrainsWhoseIdsLookAlikeAsFileNamesKeepTheirOwnStates()
    {
        var storage = NewStorage();
        string[] keys = ["a/b", "a_b", "a?b", "../../a", new string('x', 500)];
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            await storage.WriteStateAsync("state", GrainId.Create("sweep", key), new GrainState<Counter>(new Counter { Count = i }));
        }

        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            Assert.Equal(i, (await ReadAsync(storage, GrainId.Create("sweep", key))).State!.Count);
        }

        Assert.Equal(keys.Length, Directory.GetFiles(_directory.Path).Length);
        Assert.Equal(0, (await ReadAsync(storage, _grain, "other-state")).State!.Count);
    }

    [Fact]
    public async Task AnAppendCutShortByAKilledProcessReadsAsThePreviousVersionAndTheNextWriteOverwritesIt()
    {
        var storage = NewStorage();
        var state = new GrainState<Counter>(new Counter { Count = 1 });
        await storage.WriteStateAsync("state", _grain, state);
        state.State = new Counter { Count = 2 };
        await storage.WriteStateAsync("state", _grain, state);
        var file = Assert.Single(Directory.GetFiles(_directory.Path));
        var whole = new FileInfo(file).Length;
        var next = GrainStateLog.Encode(3, cleared: false, Serializer.Serialize(new Counter { Count = 3 }).ToArray());
        using (var stream = new FileStream(file, FileMode.Append))
        {
            stream.Write(next.AsSpan(0, next.Length - 1));
        }

        var read = await ReadAsync(NewStorage(), _grain);
        Assert.Equal(2, read.State!.Count);
        Assert.Equal(state.ETag, read.ETag);

        read.State = new Counter { Count = 4 };
        await NewStorage().WriteStateAsync("state", _grain, read);
        Assert.Equal(4, (await ReadAsync(NewStorage(), _grain)).State!.Count);
        Assert.Equal(whole + next.Length, new FileInfo(file).Length);
    }

    [Fact]
    public async Task AFileThatWouldPassTheCompactionSizeIsReplacedByItsNewestVersionAlone()
    {
        var storage = NewStorage();
        var state = new GrainState<Counter>();
        for (var i = 1; i <= 3 * FileGrainStorage.CompactAt / 1000; i++)
        {
            state.State = new Counter { Count = i, Name = new string('x', 1000) };
            await storage.WriteStateAsync("state", _grain, state);
            Assert.InRange(new FileInfo(Assert.Single(Directory.GetFiles(_directory.Path))).Length, 1000, FileGrainStorage.CompactAt);
        }

        var read = await ReadAsync(NewStorage(), _grain);
        Assert.Equal(state.State, read.State);
        Assert.Equal((3 * FileGrainStorage.CompactAt / 1000).ToString(CultureInfo.InvariantCulture), read.ETag);
    }

    [Fact]
    public async Task StateInTheFolderOfAnEarlierBuildReadsBackAndItsNextWriteReplacesTheFolder()
    {
        await NewStorage().WriteStateAsync("state", _grain, new GrainState<Counter>(new Counter()));
        var file = Assert.Single(Directory.GetFiles(_directory.Path));
        File.Delete(file);
        var folder = Directory.CreateDirectory(Path.ChangeExtension(file, null)).FullName;
        File.WriteAllBytes(Path.Combine(folder, "7.json"), Serializer.Serialize(new Counter { Count = 7 }).ToArray());

        var read = await ReadAsync(NewStorage(), _grain);
        Assert.Equal(7, read.State!.Count);
        Assert.Equal("7", read.ETag);
        var stale = new GrainState<Counter>(new Counter { Count = 6 }) { ETag = "6" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => NewStorage().WriteStateAsync("state", _grain, stale));

        read.State = new Counter { Count = 8 };
        await NewStorage().WriteStateAsync("state", _grain, read);
        Assert.Equal("8", read.ETag);
        Assert.Equal(8, (await ReadAsync(NewStorage(), _grain)).State!.Count);
        Assert.False(Directory.Exists(folder));
        Assert.Equal([file], Directory.GetFiles(_directory.Path));
    }

    public void Dispose() => _directory.Dispose();

    private static async Task<GrainState<Counter>> ReadAsync(FileGrainStorage storage, GrainId grain, string stateName = "state")
    {
        var state = new GrainState<Counter>();
        await storage.ReadStateAsync(stateName, grain, state);
        return state;
    }

    public sealed record Counter
    {
        public int Count { get; init; }

        public string Name { get; init; } = "";
    }
}
