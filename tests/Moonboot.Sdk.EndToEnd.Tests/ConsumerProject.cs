using System;
using System.Collections.Generic;
using System.IO;
using System.Security;
using System.Text;

namespace Moonboot.Sdk.EndToEnd.Tests;

/// <summary>
/// A temporary consumer of the package: global.json (msbuild-sdks pin), nuget.config (&lt;clear/&gt;, the local
/// feed first, the machine's upstream sources, its own globalPackagesFolder) and a config project that adds
/// <c>&lt;Sdk Name="Moonboot.Sdk" Version="…" /&gt;</c> to a Microsoft.NET.Sdk project.
/// </summary>
internal sealed class ConsumerProject : IDisposable
{
    /// <summary>The seed config, byte for byte (the Update bank is on line 12).</summary>
    public const string SeedConfig =
        "using Moonboot;\n" +
        "\n" +
        "[MoonbootConfig(FlashOrigin = 0x0800_0000, RamOrigin = 0x2000_0000, PageSize = 2048)]\n" +
        "public static partial class Memory\n" +
        "{\n" +
        "    public const uint BootloaderSize = 32 * 1024;\n" +
        "    public const uint BankSize = 112 * 1024;\n" +
        "    public const uint RamSize = 160 * 1024;\n" +
        "\n" +
        "    [Bank(BankRole.Bootloader, Location = 0)]                         public const uint Bootloader = BootloaderSize;\n" +
        "    [Bank(BankRole.Boot,       Location = BootloaderSize)]            public const uint Boot = BankSize;\n" +
        "    [Bank(BankRole.Update,     Location = BootloaderSize + BankSize)] public const uint Update = BankSize;\n" +
        "    [Bank(BankRole.Ram,        Location = 0)]                         public const uint Ram = RamSize;\n" +
        "}\n";

    private readonly PackageFeed _feed;

    public ConsumerProject(PackageFeed feed, string name, string extraProperties = "")
    {
        _feed = feed;
        Root = Path.Combine(Path.GetTempPath(), "moonboot-e2e-" + name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(ConfigDirectory);
        File.WriteAllText(Path.Combine(Root, "global.json"),
            "{\n  \"sdk\": { \"version\": \"10.0.100\", \"rollForward\": \"latestMajor\" },\n" +
            $"  \"msbuild-sdks\": {{ \"Moonboot.Sdk\": \"{feed.Version}\" }}\n}}\n");
        var sources = new StringBuilder();
        sources.Append($"    <add key=\"moonboot-local\" value=\"{SecurityElement.Escape(feed.Folder)}\" />\n");
        for (int i = 0; i < feed.UpstreamSources.Length; i++)
        {
            sources.Append($"    <add key=\"upstream{i}\" value=\"{SecurityElement.Escape(feed.UpstreamSources[i])}\" />\n");
        }
        File.WriteAllText(Path.Combine(Root, "nuget.config"),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n" +
            "  <config>\n    <add key=\"globalPackagesFolder\" value=\"packages\" />\n  </config>\n" +
            "  <packageSources>\n    <clear />\n" + sources + "  </packageSources>\n</configuration>\n");
        WriteProjectFile(extraProperties);
        WriteConfig(SeedConfig);
    }

    public string Root { get; }
    public string ConfigDirectory => Path.Combine(Root, "config");
    public string ProjectFile => Path.Combine(ConfigDirectory, "Config.csproj");
    public string MoonbootDirectory => Path.Combine(ConfigDirectory, "obj", "Debug", "net10.0", "moonboot");
    public string BootloaderScript => Path.Combine(MoonbootDirectory, "bootloader", "memory.x");
    public string ApplicationScript => Path.Combine(MoonbootDirectory, "application", "memory.x");
    public string Header => Path.Combine(MoonbootDirectory, "include", "moonboot_layout.h");
    public string LayoutFile => Path.Combine(MoonbootDirectory, "layout.txt");
    public IEnumerable<string> GeneratedFiles => new[] { BootloaderScript, ApplicationScript, Header, LayoutFile };

    public void WriteProjectFile(string extraProperties) =>
        File.WriteAllText(ProjectFile,
            "<Project Sdk=\"Microsoft.NET.Sdk\">\n" +
            $"  <Sdk Name=\"Moonboot.Sdk\" Version=\"{_feed.Version}\" />\n" +
            "  <PropertyGroup>\n" +
            "    <TargetFramework>net10.0</TargetFramework>\n" +
            extraProperties +
            "  </PropertyGroup>\n" +
            "</Project>\n");

    public void WriteConfig(string source) => File.WriteAllText(Path.Combine(ConfigDirectory, "Memory.cs"), source);

    public void EditConfig(string from, string to)
    {
        string path = Path.Combine(ConfigDirectory, "Memory.cs");
        string text = File.ReadAllText(path);
        if (!text.Contains(from, StringComparison.Ordinal)) throw new ArgumentException($"'{from}' not in Memory.cs");
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>dotnet &lt;verb&gt; of the config project, normal verbosity (shows "Skipping target").</summary>
    public ProcessResult Dotnet(string verb, params string[] extra)
    {
        var args = new List<string> { verb, ProjectFile, "-nodeReuse:false", "-p:UseSharedCompilation=false", "-v:n", "-clp:NoSummary" };
        args.AddRange(extra);
        return ProcessRunner.Run("dotnet", args, Root);
    }

    public ProcessResult Build(params string[] extra) => Dotnet("build", extra);

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("MOONBOOT_KEEP_E2E") == "1") return;
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
