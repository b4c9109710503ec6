using Xunit.Abstractions;

namespace SweepCluster.Storage.Tests;

public sealed class RedisCurveStoreTests(RedisServer redis, ITestOutputHelper output) : CurveStoreTests(output), IClassFixture<RedisServer>
{
    private readonly string _clusterId = $"c{Guid.NewGuid():N}";

    protected override ICurveStore Store => new RedisCurveStore(redis.Connection, _clusterId);

    [Fact]
    public async Task ACurveIsOneStringOfTwentyFourBytesPerEpochUnderTheClusterId()
    {
        await Store.WriteAsync("t-size", [.. Enumerable.Range(1, 7).Select(e => Epoch("t-size", e))]);

        Assert.Equal(7 * 24, await redis.Connection.GetDatabase().StringLengthAsync($"{_clusterId}:curve:t-size"));
    }

    [Fact]
    public async Task ClustersSharingARedisKeepTheirOwnCurves()
    {
        var other = new RedisCurveStore(redis.Connection, _clusterId + "-other");
        await Store.WriteAsync("t-shared", [Epoch("t-shared", 1, loss: 1)]);
        await other.WriteAsync("t-shared", [Epoch("t-shared", 1, loss: 2)]);

        Assert.Equal(new double[] { 1 }, Assert.Single(await Store.ReadAsync([new("t-shared", 1)])).Loss);
        Assert.Equal(new double[] { 2 }, Assert.Single(await other.ReadAsync([new("t-shared", 1)])).Loss);
    }
}
