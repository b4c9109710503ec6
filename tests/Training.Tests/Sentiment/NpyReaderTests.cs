using System.Buffers.Binary;
using System.Text;
using SweepCluster.Training.Tasks.Sentiment;

namespace SweepCluster.Training.Tests.Sentiment;

public sealed class NpyReaderTests
{
    // A .npy file as numpy lays it out: magic, version, header length (2 bytes in 1.0, 4 in 2.0 and 3.0), header.
    private static byte[] Npy(int major, string descr, int length, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes($"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({length},), }}\n");
        var lengthSize = major == 1 ? 2 : 4;
        var file = new byte[8 + lengthSize + header.Length + data.Length];
        Encoding.Latin1.GetBytes("\x93NUMPY").CopyTo(file, 0);
        file[6] = (byte)major;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)header.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), (uint)header.Length);
        }

        header.CopyTo(file, 8 + lengthSize);
        data.CopyTo(file, 8 + lengthSize + header.Length);
        return file;
    }

    [Theory]
    [InlineData(1, "<i8", new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(2, ">i4", new byte[] { 0, 0, 0, 1, 0, 0, 0, 0 })]
    [InlineData(3, "|u1", new byte[] { 1, 0 })]
    [InlineData(1, "<i2", new byte[] { 1, 0, 0, 0 })]
    public void IntegerArraysOfEveryHeaderVersionAndWidthAreRead(int major, string descr, byte[] data)
    {
        Assert.Equal([1L, 0L], NpyReader.ReadIntegers(Npy(major, descr, 2, data)));
    }

    [Fact]
    public void AFloatArrayIsNotTakenForLabels()
    {
        var error = Assert.Throws<InvalidDataException>(() => NpyReader.ReadIntegers(Npy(1, "<f8", 1, new byte[8])));

        Assert.Contains("'<f8' is not an integer type", error.Message);
    }

    [Fact]
    public void AnIntegerArrayIsNotTakenForReviews()
    {
        var error = Assert.Throws<InvalidDataException>(() => NpyReader.ReadObjectLists(Npy(1, "<i8", 1, new byte[8])));

        Assert.Contains("is not the object dtype", error.Message);
    }

    [Fact]
    public void DataShorterThanTheShapeIsReportedAsTruncated()
    {
        var error = Assert.Throws<InvalidDataException>(() => NpyReader.ReadIntegers(Npy(1, "<i8", 2, new byte[8])));

        Assert.Contains("the data ends after 8 bytes", error.Message);
    }

    [Fact]
    public void AFileWithoutTheMagicIsNotNpy()
    {
        var error = Assert.Throws<InvalidDataException>(() => NpyReader.ReadIntegers(Encoding.ASCII.GetBytes("PK\x03\x04 not npy")));

        Assert.Contains(".npy magic", error.Message);
    }
}
