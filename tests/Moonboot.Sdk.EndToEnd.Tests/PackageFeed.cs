using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace Moonboot.Sdk.EndToEnd.Tests;

/// <summary>
/// The local feed with the Moonboot.Sdk package under test, made once per run. With MOONBOOT_PACKAGES set (as
/// build/test-dotnet.sh does after build/pack.sh) that folder is used; otherwise build/pack.sh packs a unique
/// version 0.1.0-e2e.&lt;timestamp&gt; into a temporary feed. Each test project also gets its own packages folder,
/// so an old extracted copy of the same version can never be picked up.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    public PackageFeed()
    {
        RepositoryRoot = typeof(PackageFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!.TrimEnd('/');
        UpstreamSources = ReadUpstreamSources(RepositoryRoot);

        string? given = Environment.GetEnvironmentVariable("MOONBOOT_PACKAGES");
        if (!string.IsNullOrEmpty(given))
        {
            Folder = Path.GetFullPath(given);
            Version = NewestVersion(Folder) ?? throw new InvalidOperationException(
                $"MOONBOOT_PACKAGES={given} holds no Moonboot.Sdk.<version>.nupkg; run build/pack.sh first.");
            return;
        }

        Version = "0.1.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        Folder = Path.Combine(Path.GetTempPath(), "moonboot-e2e-feed-" + Version);
        _ownsFolder = true;
        // Only the SDK package: these tests need nothing else, and another package's state cannot break them.
        var pack = ProcessRunner.Run("bash", new[] { Path.Combine(RepositoryRoot, "build", "pack.sh"), Version, Folder,
                Path.Combine(RepositoryRoot, "sdk", "Moonboot.Sdk", "Moonboot.Sdk.csproj") },
            RepositoryRoot, TimeSpan.FromMinutes(8));
        PackTime = pack.Elapsed;
        if (pack.ExitCode != 0 || !File.Exists(Path.Combine(Folder, $"Moonboot.Sdk.{Version}.nupkg")))
        {
            Dispose(); // the fixture's Dispose is never called when its constructor throws
            throw new InvalidOperationException("build/pack.sh failed:\n" + pack);
        }
    }

    private readonly bool _ownsFolder;

    public string RepositoryRoot { get; }
    public string Folder { get; }
    public string Version { get; }
    public TimeSpan PackTime { get; }
    /// <summary>The machine's enabled package sources (Microsoft packages still restore from there).</summary>
    public string[] UpstreamSources { get; }

    private static string? NewestVersion(string folder) =>
        Directory.Exists(folder)
            ? new DirectoryInfo(folder).GetFiles("Moonboot.Sdk.*.nupkg")
                .Select(f => (file: f, match: Regex.Match(f.Name, @"^Moonboot\.Sdk\.(\d+\.\d+\.\d+(?:-[0-9A-Za-z.\-]+)?)\.nupkg$")))
                .Where(x => x.match.Success)
                .OrderByDescending(x => x.file.LastWriteTimeUtc)
                .Select(x => x.match.Groups[1].Value)
                .FirstOrDefault()
            : null;

    private static string[] ReadUpstreamSources(string root)
    {
        var list = ProcessRunner.Run("dotnet", new[] { "nuget", "list", "source", "--format", "short" }, root,
            TimeSpan.FromMinutes(1));
        var sources = list.Output.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("E ", StringComparison.Ordinal))
            .Select(l => l.Substring(2).Trim())
            .Where(s => s.Length > 0)
            .ToArray();
        return sources.Length > 0 ? sources : new[] { "https://api.nuget.org/v3/index.json" };
    }

    public void Dispose()
    {
        if (!_ownsFolder) return;
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class PackageFeedCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "package feed";
}
