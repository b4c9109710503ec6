using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace SweepCluster.Training.Backend;

/// <summary>
/// Chooses the libtorch TorchSharp runs on: the one the build brings (<c>TorchBackend=cpu</c> or <c>cuda</c>), or, in a
/// <c>TorchBackend=system</c> build, a folder the host names (a PyTorch install's <c>torch/lib</c>, an unpacked
/// libtorch). The folder's libraries are loaded by path before TorchSharp's own loader runs, so the dynamic linker
/// binds <c>libLibTorchSharp</c>'s dependencies (by soname) to them.
/// </summary>
public static class Libtorch
{
    /// <summary>The libtorch TorchSharp 0.107.0 is built against (<c>torch.__version__</c>; a test holds the two together).</summary>
    public const string BuiltAgainst = "2.10";

    /// <summary>
    /// libtorch versions (major.minor) TorchSharp runs on: the one it is built against, and 2.11, the PyTorch of the
    /// project's H200 machine, which trained <c>device: cuda</c> trials with this TorchSharp (../shared/gpu, 2026-11-29).
    /// </summary>
    public static IReadOnlyList<string> CompatibleVersions { get; } = [BuiltAgainst, "2.11"];

    /// <summary><c>TorchSharp 0.107.0</c>: the package this build references, for messages.</summary>
    public static string TorchSharpName { get; } =
        $"TorchSharp {typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]}";

    /// <summary>
    /// The folder of the libtorch this build brings (the TorchSharp-cpu or -cuda packages' natives, found where the
    /// runtime looks for native libraries), or null in a <c>TorchBackend=system</c> build, which brings none.
    /// </summary>
    public static string? Bundled { get; } = FindNative("torch_cpu");

    private static string? FindNative(string library) =>
        (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.TrimEndingDirectorySeparator(directory))
            .FirstOrDefault(directory => File.Exists(Path.Combine(directory, LibtorchFolder.NativeName(library))));

    /// <summary>
    /// Makes TorchSharp run on the libtorch in <paramref name="folder"/>, or on the build's own where it is null.
    /// Call it before anything touches <see cref="torch"/>: its static constructor loads the natives and, where they
    /// do not load, falls back to whatever libtorch NuGet's cache holds.
    /// </summary>
    /// <exception cref="LibtorchException">The folder is unusable, or none is named where the build brings no libtorch.</exception>
    public static LibtorchInUse Use(string? folder)
    {
        if (folder is null)
        {
            return Bundled is { } bundled
                ? new LibtorchInUse(LibtorchFolder.Inspect(bundled).Version ?? BuiltAgainst, bundled, Bundled: true)
                : throw new LibtorchException(
                    $"not set, and this build (TorchBackend=system) brings no libtorch: name the folder holding {string.Join(", ", LibtorchFolder.RequiredLibraries)} "
                    + $"(a PyTorch install's torch/lib, or an unpacked libtorch's lib; libtorch {string.Join(" or ", CompatibleVersions)})");
        }

        var inspected = LibtorchFolder.Inspect(folder);
        var problems = inspected.Problems(CompatibleVersions, TorchSharpName).ToList();
        if (Bundled is { } own)
        {
            problems.Add($"this build brings its own libtorch ({own}) and cannot run on '{inspected.Path}': build with -p:TorchBackend=system for that");
        }

        if (problems.Count > 0)
        {
            throw new LibtorchException(string.Join("; ", problems));
        }

        foreach (var library in LoadOrder(inspected.Path))
        {
            try
            {
                NativeLibrary.Load(library);
            }
            catch (DllNotFoundException e)
            {
                throw new LibtorchException($"'{library}' does not load: {DynamicLinkerMessage(e)}");
            }
        }

        // TorchSharp's shim, from where TorchSharp will load it (the same file, so the same handle); its libtorch
        // dependencies now bind to the libraries above, by soname.
        var shim = FindNative("LibTorchSharp") is { } directory ? Path.Combine(directory, LibtorchFolder.NativeName("LibTorchSharp")) : null;
        try
        {
            _ = shim is null ? NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null) : NativeLibrary.Load(shim);
        }
        catch (DllNotFoundException e)
        {
            throw new LibtorchException($"{TorchSharpName}'s native shim {shim ?? "LibTorchSharp"} does not load against '{inspected.Path}': {DynamicLinkerMessage(e)}");
        }

        return new LibtorchInUse(inspected.Version!, inspected.Path, Bundled: false);
    }

    /// <summary>The dynamic linker's reason (<c>libtorch.so: cannot open shared object file</c>), the last line of .NET's message.</summary>
    private static string DynamicLinkerMessage(DllNotFoundException e) =>
        e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? e.Message;

    /// <summary>The required libraries, with CUDA's where the folder is a CUDA build, each after what it links against.</summary>
    private static IEnumerable<string> LoadOrder(string folder) =>
        new[] { "c10", "c10_cuda", "torch_cpu", "torch_cuda", "torch" }
            .Select(library => Path.Combine(folder, LibtorchFolder.NativeName(library)))
            .Where(File.Exists);
}
