using System;
using System.IO;
using Moonboot.Layout;
using Xunit;

namespace Moonboot.Generators.Tests
{
    /// <summary>Every diagnostic has its page, and the docs name what the generator emits.</summary>
    public class DocsTests
    {
        internal static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Moonboot.Sdk.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("Moonboot.Sdk.sln not found above " + AppContext.BaseDirectory);
        }

        [Fact]
        public void EveryRuleHasADiagnosticPage()
        {
            string docs = Path.Combine(RepositoryRoot(), "docs", "diagnostics");
            foreach (var rule in LayoutRule.All)
            {
                string page = Path.Combine(docs, rule.Id + ".md");
                Assert.True(File.Exists(page), $"{rule.Id} ({rule.Title}) has no page {page}");
                string text = File.ReadAllText(page);
                Assert.StartsWith("# " + rule.Id, text);
                Assert.Contains("```csharp", text);
            }
        }

        [Fact]
        public void GeneratedCodeDocNamesEveryGeneratedMember()
        {
            string text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "generated-code.md"));
            foreach (var name in new[]
            {
                "BootloaderBank", "BootBank", "UpdateBank", "RamBank", "StateBank", "ScratchBank", "Offset", "Origin",
                "Size", "End", "PageCount", "Unit", "Geometry", "FlashOrigin", "RamOrigin", "PageSize", "WriteSize",
                "ErasedValue", "MaxImageSize", "HasRamState", "RamStateOrigin", "RamStateSize", "FirmwareRamSize",
                "Layout", LayoutManifest.TypeName, "memory.x and moonboot_layout.h",
            })
            {
                Assert.Contains(name, text);
            }
        }
    }
}
