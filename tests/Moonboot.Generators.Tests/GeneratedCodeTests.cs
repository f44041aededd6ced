using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Moonboot.Layout;
using Xunit;

namespace Moonboot.Generators.Tests
{
    /// <summary>Compiles the generated code together with the config and uses it, as a host tool would.</summary>
    public class GeneratedCodeTests
    {
        private const string Usage = """

            public static class Check
            {
                // Constant expressions: these only compile if the generated members are consts.
                public const uint BootOrigin = Memory.BootBank.Origin;
                public const uint ImageLimit = Memory.Geometry.MaxImageSize;
                public const uint UserConst = Memory.BootloaderSize;
            }
            """;

        private static Assembly Load(Compilation compilation)
        {
            using var stream = new MemoryStream();
            var emit = compilation.Emit(stream);
            Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
            stream.Position = 0;
            var context = new AssemblyLoadContext("config-" + Guid.NewGuid(), isCollectible: true);
            return context.LoadFromStream(stream);
        }

        private static object? Const(Assembly assembly, string type, string field) =>
            assembly.GetType(type, throwOnError: true)!.GetField(field, BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue();

        [Fact]
        public void SeedConstantsHaveTheIssueValues()
        {
            var run = GeneratorHarness.RunGenerator(Layouts.Seed + Usage);
            Assert.Empty(run.CompilerDiagnostics);
            var assembly = Load(run.Output);

            Assert.Equal(0x0800_8000u, Const(assembly, "Memory+BootBank", "Origin"));
            Assert.Equal(114688u, Const(assembly, "Memory+BootBank", "Size"));
            Assert.Equal(0x0802_4000UL, Const(assembly, "Memory+BootBank", "End"));
            Assert.Equal(56u, Const(assembly, "Memory+BootBank", "PageCount"));
            Assert.Equal(0x0802_4000u, Const(assembly, "Memory+UpdateBank", "Origin"));
            Assert.Equal(56u, Const(assembly, "Memory+UpdateBank", "PageCount"));
            Assert.Equal(0x0800_0000u, Const(assembly, "Memory+BootloaderBank", "Origin"));
            Assert.Equal(16u, Const(assembly, "Memory+BootloaderBank", "PageCount"));
            Assert.Equal(0x2000_0000u, Const(assembly, "Memory+RamBank", "Origin"));
            Assert.Equal(0x2002_8000UL, Const(assembly, "Memory+RamBank", "End"));
            Assert.Equal((int)MemoryUnit.Internal, Const(assembly, "Memory+UpdateBank", "Unit"));
            Assert.Equal(2048u, Const(assembly, "Memory+Geometry", "PageSize"));
            Assert.Equal(8u, Const(assembly, "Memory+Geometry", "WriteSize"));
            Assert.Equal((byte)0xFF, Const(assembly, "Memory+Geometry", "ErasedValue"));
            Assert.Equal(114688u - 2048u, Const(assembly, "Memory+Geometry", "MaxImageSize"));
            Assert.Equal(true, Const(assembly, "Memory+Geometry", "HasRamState"));
            Assert.Equal(0x2002_7FE0u, Const(assembly, "Memory+Geometry", "RamStateOrigin"));
            Assert.Equal(32u, Const(assembly, "Memory+Geometry", "RamStateSize"));
            Assert.Equal(160u * 1024 - 32, Const(assembly, "Memory+Geometry", "FirmwareRamSize"));
            // The user's own consts are untouched.
            Assert.Equal(32u * 1024, Const(assembly, "Memory", "BootloaderSize"));
            Assert.Equal(0x0800_8000u, Const(assembly, "Check", "BootOrigin"));
        }

        [Fact]
        public void GeneratedCodeCompilesAsCSharp73ForNetStandardConfigProjects()
        {
            // A netstandard2.0 config project defaults to C# 7.3 with nullable off: the generated code must not
            // need a newer language (e.g. no '#nullable' directive, which is CS8370 there).
            var parse = new CSharpParseOptions(LanguageVersion.CSharp7_3);
            var compilation = CSharpCompilation.Create(
                "NetStandardConfig",
                new[] { CSharpSyntaxTree.ParseText(Layouts.Seed, parse, GeneratorHarness.DefaultPath) },
                GeneratorHarness.References,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var driver = CSharpGeneratorDriver.Create(new[] { new MoonbootGenerator().AsSourceGenerator() }, parseOptions: parse);
            driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
            Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            Assert.Contains(output.SyntaxTrees, t => t.ToString().Contains("MoonbootLayoutManifest"));
        }

        [Fact]
        public void AConfigThatSetsNothingOptionalGetsWhatTheAttributeSays()
        {
            // What a user reads on the attribute (its initial values) is what the generator applies to a property left out.
            var run = GeneratorHarness.RunGenerator(Layouts.Seed.Replace(", PageSize = 2048", ""));
            Assert.Empty(run.CompilerDiagnostics);
            var text = (string)Const(Load(run.Output), LayoutManifest.TypeNamespace + "." + LayoutManifest.TypeName, LayoutManifest.FieldName)!;
            var spec = LayoutManifest.Read(text);
            var attribute = new MoonbootConfigAttribute();
            Assert.Equal(attribute.PageSize, spec.PageSize);
            Assert.Equal(attribute.WriteSize, spec.WriteSize);
            Assert.Equal(attribute.ErasedValue, spec.ErasedValue);
            Assert.Equal(attribute.HasRamState, spec.HasRamState);
            Assert.Equal(attribute.ImageHeaderSize, spec.ImageHeaderSize);
            Assert.Equal(new BankAttribute(BankRole.Boot).Unit.ToString(), spec.Banks.Single(b => b.Name == "Boot").Unit.ToString());
            // The public role a user writes is the model's role of the same name.
            Assert.Equal(new[] { "Bootloader", "Boot", "Update", "Ram" }, spec.Banks.Select(b => b.Role.ToString()));
        }

        [Fact]
        public void LayoutObjectEnumeratesTheBanks()
        {
            var run = GeneratorHarness.RunGenerator(Layouts.Seed);
            var assembly = Load(run.Output);
            var layout = (MoonbootLayout)assembly.GetType("Memory", true)!.GetProperty("Layout")!.GetValue(null)!;

            Assert.Equal(new[] { "Bootloader", "Boot", "Update", "Ram" }, layout.Banks.Select(b => b.Name));
            Assert.Equal(new[] { BankRole.Bootloader, BankRole.Boot, BankRole.Update, BankRole.Ram }, layout.Banks.Select(b => b.Role));
            Assert.Equal(0x0800_8000UL, layout.Get(BankRole.Boot).Origin);
            Assert.Equal(0x0802_4000UL, layout.Get(BankRole.Update).Origin);
            Assert.Equal(56u, layout.Get(BankRole.Update).PageCount);
            Assert.Equal(112640u, layout.MaxImageSize);
            Assert.Equal(0x2002_7FE0u, layout.RamStateOrigin);
            Assert.Equal(32u, layout.RamStateSize);
            Assert.Null(layout.Find(BankRole.State));
            Assert.Throws<NotSupportedException>(() => ((System.Collections.Generic.IList<MoonbootBank>)layout.Banks).Add(layout.Banks[0]));
        }

        [Fact]
        public void ManifestIsTheNormalizedLayoutAndReadsBack()
        {
            var run = GeneratorHarness.RunGenerator(Layouts.ExternalUpdateFlash);
            var assembly = Load(run.Output);
            var text = (string)Const(assembly, LayoutManifest.TypeNamespace + "." + LayoutManifest.TypeName, LayoutManifest.FieldName)!;

            var spec = LayoutManifest.Read(text);
            Assert.Equal(LayoutManifest.Write(spec), text);
            Assert.Equal("QspiLayout", spec.ConfigName);
            Assert.Equal(5, spec.Banks.Count);
            var update = spec.Banks.Single(b => b.Role == Layout.BankRole.Update);
            Assert.Equal(Layout.MemoryUnit.External, update.Unit);
            Assert.Equal(0UL, update.Location);
            Assert.Equal(1024UL * 1024 - 64 * 1024 + 2048, update.Size);
            Assert.Empty(LayoutRules.Validate(spec));
        }

        [Fact]
        public void ExternalBankOriginIsItsOffset()
        {
            var run = GeneratorHarness.RunGenerator(Layouts.ExternalUpdateFlash);
            var assembly = Load(run.Output);
            Assert.Equal(0u, Const(assembly, "Board.QspiLayout+UpdateBank", "Origin"));
            Assert.Equal((int)MemoryUnit.External, Const(assembly, "Board.QspiLayout+UpdateBank", "Unit"));
            Assert.Equal(0x0100_0000u, Const(assembly, "Board.QspiLayout+ScratchBank", "Origin"));
            // The update bank is one page larger than the boot bank: the whole boot bank is usable.
            Assert.Equal(1024u * 1024 - 64 * 1024, Const(assembly, "Board.QspiLayout+Geometry", "MaxImageSize"));
        }

        [Fact]
        public void NoRamStateLeavesTheWholeRamBank()
        {
            var run = GeneratorHarness.RunGenerator(Layouts.NoRamState);
            var assembly = Load(run.Output);
            Assert.Equal(false, Const(assembly, "BluePill.Memory+Geometry", "HasRamState"));
            Assert.Equal(0u, Const(assembly, "BluePill.Memory+Geometry", "RamStateOrigin"));
            Assert.Equal(0u, Const(assembly, "BluePill.Memory+Geometry", "RamStateSize"));
            Assert.Equal(20u * 1024, Const(assembly, "BluePill.Memory+Geometry", "FirmwareRamSize"));
            Assert.Equal(56u, Const(assembly, "BluePill.Memory+BootBank", "PageCount"));
        }

        [Fact]
        public void BankEndingAtTheTopOfTheAddressSpaceIsValid()
        {
            // 0xFFFF_B000 + 20 KiB = 0x1_0000_0000: the RAM bank ends exactly at the top.
            string source = Layouts.NoRamState.Replace("RamOrigin = 0x2000_0000", "RamOrigin = 0xFFFF_B000");
            Assert.NotEqual(Layouts.NoRamState, source);
            var run = GeneratorHarness.RunGenerator(source);
            Assert.Empty(run.Moonboot);
            var assembly = Load(run.Output);
            Assert.Equal(0x1_0000_0000UL, Const(assembly, "BluePill.Memory+RamBank", "End"));
        }

        [Fact]
        public void InvalidLayoutGetsNoManifestButStillItsConstants()
        {
            var run = GeneratorHarness.RunGenerator(Layouts.Seed.Replace("PageSize = 2048", "PageSize = 3000"));
            Assert.Contains(run.Moonboot, d => d.Id == "MB0004");
            Assert.Null(run.Source(LayoutEmitter_ManifestHint));
            Assert.NotNull(run.Source("Memory.Moonboot.g.cs"));
        }

        [Fact]
        public void DeclarationErrorEmitsNothing()
        {
            var run = GeneratorHarness.RunGenerator(Layouts.Seed.Replace("static partial class", "static class"));
            Assert.Contains(run.Moonboot, d => d.Id == "MB0012");
            Assert.Empty(run.Result.GeneratedSources);
        }

        [Fact]
        public void ConfigSplitOverPartialDeclarationsIsOneLayout()
        {
            var run = GeneratorHarness.RunGenerator(GeneratorHarness.Compile(
                ("/src/A.cs", """
                    using Moonboot;
                    [MoonbootConfig(FlashOrigin = 0x0800_0000, RamOrigin = 0x2000_0000)]
                    public static partial class Memory
                    {
                        [Bank(BankRole.Bootloader)] public const uint Bootloader = 0x8000;
                        [Bank(BankRole.Ram)] public const uint Ram = 0x8000;
                    }
                    """),
                ("/src/B.cs", """
                    using Moonboot;
                    public static partial class Memory
                    {
                        [Bank(BankRole.Boot, Location = 0x8000)] public const uint Boot = 0x8000;
                        [Bank(BankRole.Update, Location = 0x10000)] public const uint Update = 0x8800;
                    }
                    """)));
            Assert.Empty(run.Moonboot);
            Assert.Empty(run.CompilerDiagnostics);
            Assert.Contains("bank Update role=Update", run.Source("MoonbootLayoutManifest.g.cs"));
        }

        private const string LayoutEmitter_ManifestHint = "Moonboot.Generated.MoonbootLayoutManifest.g.cs";
    }
}
