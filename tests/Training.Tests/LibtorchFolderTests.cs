using SweepCluster.Training.Backend;
using TorchSharp;

namespace SweepCluster.Training.Tests;

/// <summary>
/// The check a silo makes of the libtorch folder it is given (Silo:Libtorch), against real libtorch folders: the
/// TorchSharp-cpu package's own (2.10), Debian's python3-torch (1.13), and folders laid out as an unpacked libtorch or
/// a distribution's libraries, linking to those.
/// </summary>
public sealed class LibtorchFolderTests : IDisposable
{
    private const string DebianTorchLib = "/usr/lib/python3/dist-packages/torch/lib";
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("libtorch-folder-");

    /// <summary>The TorchSharp-cpu package's libtorch in NuGet's cache, which this test project is built with.</summary>
    private static string NuGetLibtorch => Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");

    [Fact]
    public void TheVersionTheChecksNeedIsTheOneTorchSharpIsBuiltAgainst() =>
        Assert.StartsWith(Libtorch.BuiltAgainst + ".", torch.__version__);

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    public void TorchSharpsOwnLibtorchIsReadFromItsPackageAndAccepted(string trailing)
    {
        var folder = LibtorchFolder.Inspect(NuGetLibtorch + trailing);

        Assert.Equal(NuGetLibtorch, folder.Path);
        Assert.Equal("2.10.0", folder.Version);
        Assert.EndsWith(".nuspec", folder.VersionSource);
        Assert.Empty(folder.MissingLibraries);
        Assert.Empty(folder.Problems(Libtorch.CompatibleVersions, Libtorch.TorchSharpName));
    }

    [Fact]
    public void DebiansPyTorchIsRefusedNamingItsVersionAndTheNeededOne()
    {
        Assert.True(Directory.Exists(DebianTorchLib), "needs Debian's python3-torch (apt-get install --no-install-recommends python3-torch)");

        var folder = LibtorchFolder.Inspect(DebianTorchLib);
        var problem = Assert.Single(folder.Problems(Libtorch.CompatibleVersions, Libtorch.TorchSharpName));

        Assert.Equal("1.13.0a0", folder.Version);
        Assert.Equal("/usr/lib/python3/dist-packages/torch/version.py", folder.VersionSource);
        Assert.Contains("holds libtorch 1.13.0a0", problem);
        Assert.Contains("TorchSharp 0.107.0 needs libtorch 2.10 or 2.11", problem);
    }

    [Fact]
    public void AMissingFolderIsNamed()
    {
        var missing = Path.Combine(_scratch.FullName, "no-such-folder");

        var problem = Assert.Single(LibtorchFolder.Inspect(missing).Problems(Libtorch.CompatibleVersions, Libtorch.TorchSharpName));

        Assert.Contains($"'{missing}' does not exist", problem);
    }

    [Fact]
    public void AFolderWithoutTheLinkedLibrariesNamesWhatIsMissingAndWhatIsThere()
    {
        var lib = _scratch.CreateSubdirectory("lib");
        Link(lib, NuGetLibtorch, "libtorch_cpu.so");

        var problems = LibtorchFolder.Inspect(lib.FullName).Problems(Libtorch.CompatibleVersions, Libtorch.TorchSharpName);

        Assert.Equal(2, problems.Count);
        Assert.Contains("has no libc10.so, libtorch.so (it has libtorch_cpu.so)", problems[0]);
        Assert.Contains("libtorch version", problems[1]);
        Assert.Contains("cannot be read", problems[1]);
    }

    [Theory]
    [InlineData("2.11.0+cu130", true)]
    [InlineData("2.10.0+cpu", true)]
    [InlineData("2.9.1+cu128", false)]
    [InlineData("3.10.0", false)]
    public void AnUnpackedLibtorchIsReadFromItsBuildVersionFile(string version, bool accepted)
    {
        var libtorch = _scratch.CreateSubdirectory("libtorch");
        var lib = libtorch.CreateSubdirectory("lib");
        foreach (var library in LibtorchFolder.RequiredLibraries)
        {
            Link(lib, NuGetLibtorch, library);
        }

        File.WriteAllText(Path.Combine(libtorch.FullName, "build-version"), version + "\n");

        var folder = LibtorchFolder.Inspect(lib.FullName);
        var problems = folder.Problems(Libtorch.CompatibleVersions, Libtorch.TorchSharpName);

        Assert.Equal(version, folder.Version);
        Assert.Equal(accepted, problems.Count == 0);
        if (!accepted)
        {
            Assert.Contains($"holds libtorch {version} (from {Path.Combine(libtorch.FullName, "build-version")})", Assert.Single(problems));
        }
    }

    [Fact]
    public void ADistributionsLibrariesGiveTheirVersionThroughTheFileTheyLinkTo()
    {
        const string Debian = "/usr/lib/x86_64-linux-gnu";
        Assert.True(File.Exists(Path.Combine(Debian, "libtorch_cpu.so.1.13")), "needs Debian's libtorch1.13 (python3-torch installs it)");
        var lib = _scratch.CreateSubdirectory("lib");
        foreach (var library in LibtorchFolder.RequiredLibraries)
        {
            File.CreateSymbolicLink(Path.Combine(lib.FullName, library), Path.Combine(Debian, library + ".1.13"));
        }

        var folder = LibtorchFolder.Inspect(lib.FullName);

        Assert.Equal("1.13.0", folder.Version);
        Assert.Contains("holds libtorch 1.13.0 (from ", Assert.Single(folder.Problems(Libtorch.CompatibleVersions, Libtorch.TorchSharpName)));
    }

    [Fact]
    public void ABuildThatBringsItsOwnLibtorchRefusesAnotherAndReportsItsOwn()
    {
        var own = Libtorch.Use(null);
        var refusal = Assert.Throws<LibtorchException>(() => Libtorch.Use(NuGetLibtorch));

        Assert.True(own.Bundled);
        Assert.Equal(Libtorch.Bundled, own.Folder);
        Assert.StartsWith(Libtorch.BuiltAgainst, own.Version);
        Assert.Contains("this build brings its own libtorch", refusal.Message);
        Assert.Contains("-p:TorchBackend=system", refusal.Message);
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    private static void Link(DirectoryInfo into, string from, string library) =>
        File.CreateSymbolicLink(Path.Combine(into.FullName, library), Path.Combine(from, library));
}
