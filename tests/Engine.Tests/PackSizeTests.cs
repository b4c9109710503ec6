namespace SweepCluster.Engine.Tests;

public sealed class PackSizeTests
{
    [Theory]
    [InlineData(24, 16, 12)] // 12 + 12, not 16 + 8
    [InlineData(40, 16, 14)] // 14 + 14 + 12
    [InlineData(48, 16, 16)]
    [InlineData(16, 16, 16)]
    [InlineData(17, 16, 9)]
    [InlineData(6, 16, 6)]
    [InlineData(5, 4, 3)] // 3 + 2, not 4 + 1 alone
    [InlineData(3, 16, 3)]
    public void TrialsOfOneShapeAreSplitIntoEqualPacksUnderTheCap(int trials, int cap, int expected)
    {
        Assert.Equal(expected, DispatchPlanner.PackSize(trials, cap));
    }
}
