using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SweepCluster.Training.Backend;

/// <summary>
/// What a folder offered as libtorch holds: whether it exists, which of the libraries TorchSharp's native shim links
/// against are missing, and the libtorch version it declares. libtorch has no call that returns its version, so it is
/// read from what ships beside the libraries (see <see cref="Inspect"/>).
/// </summary>
public sealed partial record LibtorchFolder(string Path, bool Exists, IReadOnlyList<string> MissingLibraries, string? Version, string? VersionSource)
{
    /// <summary>The libraries <c>libLibTorchSharp</c> links against (its ELF NEEDED entries besides the C/C++ runtime), in load order.</summary>
    public static IReadOnlyList<string> RequiredLibraries { get; } = [NativeName("c10"), NativeName("torch_cpu"), NativeName("torch")];

    /// <summary>
    /// Looks at <paramref name="path"/> without loading anything. The version comes from the first of: <c>../version.py</c>
    /// (a PyTorch install's <c>torch/lib</c>), <c>../build-version</c> (an unpacked libtorch's <c>lib</c>), the NuGet
    /// package's <c>.nuspec</c> (<c>libtorch-*/VERSION/runtimes/RID/native</c>), or the versioned file a distribution's
    /// <c>libtorch_cpu.so</c> links to (<c>libtorch_cpu.so.1.13</c>).
    /// </summary>
    public static LibtorchFolder Inspect(string path)
    {
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        if (!Directory.Exists(full))
        {
            return new LibtorchFolder(full, false, RequiredLibraries, null, null);
        }

        var missing = RequiredLibraries.Where(library => !File.Exists(System.IO.Path.Combine(full, library))).ToList();
        var (version, source) = ReadVersion(full);
        return new LibtorchFolder(full, true, missing, version, source);
    }

    /// <summary><c>major.minor</c> of <see cref="Version"/> (<c>2.11</c> of <c>2.11.0+cu130</c>), or null when it has none.</summary>
    public string? MajorMinor => Version is { } version && MajorMinorPattern().Match(version) is { Success: true } match ? match.Value : null;

    /// <summary>What stops TorchSharp from using this folder, each a sentence naming what was found and what is missing; empty when usable.</summary>
    public IReadOnlyList<string> Problems(IReadOnlyCollection<string> compatibleVersions, string torchSharp)
    {
        if (!Exists)
        {
            return [$"'{Path}' does not exist (name the folder holding {string.Join(", ", RequiredLibraries)}: a PyTorch install's torch/lib, or an unpacked libtorch's lib)"];
        }

        var problems = new List<string>();
        if (MissingLibraries.Count > 0)
        {
            var found = RequiredLibraries.Except(MissingLibraries).ToList();
            problems.Add($"'{Path}' has no {string.Join(", ", MissingLibraries)}"
                + (found.Count > 0 ? $" (it has {string.Join(", ", found)})" : "")
                + " (a PyTorch install's torch/lib, or an unpacked libtorch's lib, has them all)");
        }

        var needed = string.Join(" or ", compatibleVersions);
        if (Version is null)
        {
            problems.Add($"the libtorch version in '{Path}' cannot be read (no ../version.py, ../build-version, NuGet .nuspec or versioned {NativeName("torch_cpu")}.X.Y); {torchSharp} needs libtorch {needed}");
        }
        else if (MajorMinor is not { } majorMinor || !compatibleVersions.Contains(majorMinor))
        {
            problems.Add($"'{Path}' holds libtorch {Version} (from {VersionSource}); {torchSharp} needs libtorch {needed}");
        }

        return problems;
    }

    internal static string NativeName(string library) =>
        OperatingSystem.IsWindows() ? $"{library}.dll" : OperatingSystem.IsMacOS() ? $"lib{library}.dylib" : $"lib{library}.so";

    private static (string? Version, string? Source) ReadVersion(string folder)
    {
        var parent = Directory.GetParent(folder)?.FullName;
        if (parent is not null)
        {
            var versionPy = System.IO.Path.Combine(parent, "version.py");
            if (File.Exists(versionPy) && PythonVersionPattern().Match(File.ReadAllText(versionPy)) is { Success: true } python)
            {
                return (python.Groups[1].Value, versionPy);
            }

            var buildVersion = System.IO.Path.Combine(parent, "build-version");
            if (File.Exists(buildVersion) && File.ReadLines(buildVersion).FirstOrDefault()?.Trim() is { Length: > 0 } built)
            {
                return (built, buildVersion);
            }
        }

        // libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native: the package folder is three up.
        var packageVersion = Directory.GetParent(folder)?.Parent?.Parent;
        if (packageVersion is not null && System.IO.Path.GetFileName(folder) == "native"
            && packageVersion.GetFiles("*.nuspec").FirstOrDefault() is { } nuspec
            && XDocument.Load(nuspec.FullName).Descendants().FirstOrDefault(e => e.Name.LocalName == "version")?.Value is { Length: > 0 } packaged)
        {
            return (packaged, nuspec.FullName);
        }

        var torchCpu = new FileInfo(System.IO.Path.Combine(folder, NativeName("torch_cpu")));
        if (torchCpu.Exists && torchCpu.ResolveLinkTarget(returnFinalTarget: true) is { } target
            && SonameVersionPattern().Match(target.Name) is { Success: true } soname)
        {
            return (soname.Groups[1].Value, $"{torchCpu.FullName} -> {target.FullName}");
        }

        return (null, null);
    }

    [GeneratedRegex(@"^\d+\.\d+")]
    private static partial Regex MajorMinorPattern();

    [GeneratedRegex(@"^__version__\s*=\s*['""]([^'""]+)['""]", RegexOptions.Multiline)]
    private static partial Regex PythonVersionPattern();

    [GeneratedRegex(@"\.so\.(\d+\.\d+(?:\.\d+)*)$")]
    private static partial Regex SonameVersionPattern();
}
