namespace SweepCluster.Storage.Tests;

public sealed class RedisSweepStoreTests(RedisServer redis) : SweepStoreTests, IClassFixture<RedisServer>
{
    private readonly string _clusterId = $"c{Guid.NewGuid():N}";

    protected override ISweepStore Store => new RedisSweepStore(redis.Connection, _clusterId);

    [Fact]
    public async Task TheLedgerIsOneHashWithAFieldPerChunk()
    {
        await Store.WriteChunksAsync("sweep-h", new Dictionary<int, byte[]> { [0] = [1], [3] = [2] });

        var fields = await redis.Connection.GetDatabase().HashKeysAsync($"{_clusterId}:sweep:{{sweep-h}}:chunks");

        Assert.Equal(["0", "3"], fields.Select(f => (string)f!).Order());
    }
}
