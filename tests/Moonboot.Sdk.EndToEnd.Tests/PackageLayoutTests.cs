using System.IO;
using System.IO.Compression;
using System.Linq;
using Xunit;

namespace Moonboot.Sdk.EndToEnd.Tests;

[Collection(PackageFeedCollection.Name)]
public sealed class PackageLayoutTests
{
    private readonly PackageFeed _feed;

    public PackageLayoutTests(PackageFeed feed) => _feed = feed;

    [Fact]
    public void The_package_holds_the_sdk_tasks_with_their_dependencies_generator_config_templates_and_runtime()
    {
        using var zip = ZipFile.OpenRead(Path.Combine(_feed.Folder, $"Moonboot.Sdk.{_feed.Version}.nupkg"));
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        string Listing() => string.Join("\n", entries);

        foreach (var required in new[]
        {
            "Sdk/Sdk.props", "Sdk/Sdk.targets", "Sdk/Moonboot.Tasks.props", "Sdk/Moonboot.Layout.props", "Sdk/Moonboot.Layout.targets",
            "analyzers/dotnet/cs/Moonboot.Generators.dll",
            "lib/netstandard2.0/Moonboot.Config.dll",
            "templates/bootloader.memory.x.scriban", "templates/application.memory.x.scriban", "templates/moonboot_layout.h.scriban",
        })
        {
            Assert.True(entries.Contains(required), $"{required} missing from the package:\n{Listing()}");
        }
        Assert.Contains(entries, e => e.StartsWith("runtime/include/moonboot/") && e.EndsWith(".h"));
        Assert.Contains(entries, e => e.StartsWith("runtime/core/") && e.EndsWith(".c"));
        Assert.DoesNotContain(entries, e => e.Contains("//"));
        // The assemblies, held to an allow-list: the tasks folder ships nothing MSBuild provides (System.Text.Json,
        // System.Memory, System.Reflection.Metadata, System.Collections.Immutable, Microsoft.Bcl.AsyncInterfaces,
        // ...), and the analyzer folder nothing the compiler provides.
        Assert.Equal(
            new[]
            {
                "analyzers/dotnet/cs/Moonboot.CodeFixes.dll", "analyzers/dotnet/cs/Moonboot.Generators.dll",
                "lib/netstandard2.0/Moonboot.Config.dll", "lib/netstandard2.0/Moonboot.Config.xml",
                "tasks/netstandard2.0/BouncyCastle.Cryptography.dll", "tasks/netstandard2.0/Moonboot.Imaging.dll",
                "tasks/netstandard2.0/Moonboot.Sdk.Tasks.dll", "tasks/netstandard2.0/Scriban.Signed.dll",
            },
            entries.Where(e => e.StartsWith("tasks/") || e.StartsWith("analyzers/") || e.StartsWith("lib/"))
                .OrderBy(e => e, System.StringComparer.Ordinal));
        // MSBuild provides its own assemblies; shipping them breaks task loading.
        Assert.DoesNotContain(entries, e => Path.GetFileName(e).StartsWith("Microsoft.Build", System.StringComparison.OrdinalIgnoreCase));

        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
        string text = nuspec.ReadToEnd();
        Assert.Contains("<packageType name=\"MSBuildSdk\"", text);
        // The metadata a .NET user expects: license expression, readme, repository with the commit (SourceLink).
        Assert.Contains("<license type=\"expression\">MIT</license>", text);
        Assert.Contains("<readme>README.md</readme>", text);
        Assert.Contains("README.md", Listing());
        Assert.Matches("<repository type=\"git\" url=\"https://[^\"]+\"[^>]* commit=\"[0-9a-f]{40}\"", text);
        Assert.DoesNotContain("<dependency ", text);
    }
}
