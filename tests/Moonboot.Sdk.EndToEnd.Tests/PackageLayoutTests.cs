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
            "tasks/netstandard2.0/Moonboot.Sdk.Tasks.dll", "tasks/netstandard2.0/Moonboot.Sdk.Tasks.deps.json",
            "tasks/netstandard2.0/Scriban.Signed.dll", "tasks/netstandard2.0/System.Reflection.Metadata.dll",
            "tasks/netstandard2.0/System.Collections.Immutable.dll",
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
        // MSBuild provides its own assemblies; shipping them breaks task loading.
        Assert.DoesNotContain(entries, e => Path.GetFileName(e).StartsWith("Microsoft.Build", System.StringComparison.OrdinalIgnoreCase));

        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
        string text = nuspec.ReadToEnd();
        Assert.Contains("<packageType name=\"MSBuildSdk\"", text);
        Assert.DoesNotContain("<dependency ", text);
    }
}
