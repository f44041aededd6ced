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

        public static TheoryData<string> RuleIds()
        {
            var data = new TheoryData<string>();
            foreach (var rule in LayoutRule.All) data.Add(rule.Id);
            return data;
        }

        /// <summary>Each page's example really triggers its diagnostic, and its fix really removes it.</summary>
        [Theory]
        [MemberData(nameof(RuleIds))]
        public void DiagnosticPageExamplesAreTrue(string id)
        {
            string text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics", id + ".md"));
            var blocks = System.Text.RegularExpressions.Regex.Matches(text, "```csharp\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.Equal(2, blocks.Count);
            var example = GeneratorHarness.RunGenerator(blocks[0].Groups[1].Value);
            Assert.Contains(example.Moonboot, d => d.Id == id);
            var fixedRun = GeneratorHarness.RunGenerator(blocks[1].Groups[1].Value);
            Assert.DoesNotContain(fixedRun.Moonboot, d => d.Id == id);
        }

        [Fact]
        public void ConfigReferenceSeedIsValid()
        {
            string text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "config-reference.md"));
            var block = System.Text.RegularExpressions.Regex.Match(text, "```csharp\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline);
            var run = GeneratorHarness.RunGenerator(block.Groups[1].Value);
            Assert.Empty(run.Moonboot);
            Assert.Empty(run.CompilerDiagnostics);
        }

        [Fact]
        public void ConfigReferenceDefaultsAreTheAttributes()
        {
            // The defaults are defined once (LayoutVocabulary.cs); the reference's table is held to them here.
            string text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "config-reference.md"));
            string Default(string property) =>
                System.Text.RegularExpressions.Regex.Match(text, @"^\| `" + property + @"` \| `[a-z]+` \| `([^`]+)` \|",
                    System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
            var attribute = new MoonbootConfigAttribute();
            Assert.Equal(attribute.FlashOrigin.ToString(), Default("FlashOrigin"));
            Assert.Equal(attribute.RamOrigin.ToString(), Default("RamOrigin"));
            Assert.Equal(attribute.PageSize.ToString(), Default("PageSize"));
            Assert.Equal(attribute.WriteSize.ToString(), Default("WriteSize"));
            Assert.Equal("0x" + attribute.ErasedValue.ToString("X2"), Default("ErasedValue"));
            Assert.Equal(attribute.HasRamState ? "true" : "false", Default("HasRamState"));
            Assert.Equal(attribute.ImageHeaderSize.ToString(), Default("ImageHeaderSize"));
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
