using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Moonboot.Layout;
using Xunit;

namespace Moonboot.Generators.Tests
{
    /// <summary>
    /// One test per diagnostic ID. The source marks the expected squiggle with {|...|}; each test asserts the ID, the
    /// severity, the exact span, line and column, and that the message names the banks and addresses involved.
    /// </summary>
    public class DiagnosticTests
    {
        private const string Origins = "FlashOrigin = 0x0800_0000, RamOrigin = 0x2000_0000";
        private const string Bootloader = "[Bank(BankRole.Bootloader, Location = 0)] public const uint Bootloader = 0x8000;";
        private const string Boot = "[Bank(BankRole.Boot, Location = 0x8000)] public const uint Boot = 0x1C000;";
        private const string Update = "[Bank(BankRole.Update, Location = 0x24000)] public const uint Update = 0x1C000;";
        private const string Ram = "[Bank(BankRole.Ram, Location = 0)] public const uint Ram = 0x28000;";

        private static string ConfigWith(string arguments, string declaration, params string[] members) =>
            "using Moonboot;\n\n" +
            "[MoonbootConfig(" + arguments + ")]\n" +
            declaration + "\n{\n" +
            string.Concat(members.Select(m => "    " + m + "\n")) +
            "}\n";

        private static string Config(params string[] members) =>
            ConfigWith(Origins, "public static partial class Memory", members);

        /// <summary>Runs the generator on marked-up source and checks the one diagnostic with this ID.</summary>
        private static Diagnostic Expect(string markup, string id, params string[] messageContains)
        {
            int start = markup.IndexOf("{|", StringComparison.Ordinal);
            int end = markup.IndexOf("|}", StringComparison.Ordinal);
            Assert.True(start >= 0 && end > start, "the test source has no {|...|} marker");
            string source = markup.Remove(end, 2).Remove(start, 2);
            var expectedSpan = new TextSpan(start, end - start - 2);
            var expectedLines = SourceText.From(source).Lines.GetLinePositionSpan(expectedSpan);

            var run = GeneratorHarness.RunGenerator(source);
            var matching = run.Moonboot.Where(d => d.Id == id).ToList();
            Assert.True(matching.Count == 1, "diagnostics: " + string.Join("\n", run.AnalyzerDiagnostics.Concat(run.Output.GetDiagnostics())));
            Assert.Empty(run.GeneratorDiagnostics); // the analyzer reports, the generator never does: nothing twice
            var diagnostic = Assert.Single(matching);

            var rule = LayoutRule.All.Single(r => r.Id == id);
            var severity = rule.Severity == LayoutIssueSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
            Assert.Equal(severity, diagnostic.Severity);
            Assert.Equal(rule.Title, diagnostic.Descriptor.Title.ToString());
            Assert.Equal("Moonboot.Layout", diagnostic.Descriptor.Category);
            Assert.Equal(rule.HelpLink, diagnostic.Descriptor.HelpLinkUri);
            Assert.EndsWith("docs/diagnostics/" + id + ".md", diagnostic.Descriptor.HelpLinkUri);

            var location = diagnostic.Location.GetLineSpan();
            Assert.Equal(GeneratorHarness.DefaultPath, location.Path);
            Assert.Equal(
                $"{expectedLines.Start.Line + 1},{expectedLines.Start.Character + 1} [{source.Substring(expectedSpan.Start, expectedSpan.Length)}]",
                $"{location.StartLinePosition.Line + 1},{location.StartLinePosition.Character + 1} [{source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length)}]");
            Assert.Equal(expectedSpan, diagnostic.Location.SourceSpan);
            Assert.Equal(expectedLines, location.Span);
            // A real location in the tree, not an external one rebuilt from a path: #pragma and .editorconfig apply.
            Assert.True(diagnostic.Location.IsInSource, "external location " + diagnostic.Location.Kind);
            Assert.Same(run.Output.SyntaxTrees.First(t => t.FilePath == GeneratorHarness.DefaultPath), diagnostic.Location.SourceTree);

            string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var part in messageContains) Assert.Contains(part, message);
            return diagnostic;
        }

        [Fact]
        public void MB0001_BanksOverlap() => Expect(
            Config(Bootloader, Boot, "[Bank(BankRole.Update, Location = 0x20000)] public const uint {|Update|} = 0x1C000;", Ram),
            "MB0001", "'Update' (0x08020000..0x0803C000)", "'Boot' (0x08008000..0x08024000)", "internal flash", "0x00024000");

        [Fact]
        public void MB0002_LocationNotPageAligned() => Expect(
            Config(Bootloader, "[Bank(BankRole.Boot, {|Location = 0x8100|})] public const uint Boot = 0x1C000;",
                "[Bank(BankRole.Update, Location = 0x26000)] public const uint Update = 0x1C000;", Ram),
            "MB0002", "'Boot'", "0x00008100", "0x08008100", "2048", "0x00008000 or 0x00008800");

        [Fact]
        public void MB0003_SizeNotPageAligned() => Expect(
            Config(Bootloader, "[Bank(BankRole.Boot, Location = 0x8000)] public const uint {|Boot|} = 0x1C000 + 100;",
                "[Bank(BankRole.Update, Location = 0x26000)] public const uint Update = 0x1E000;", Ram),
            "MB0003", "'Boot'", "114788 bytes", "114688 or 116736");

        [Fact]
        public void MB0004_PageSizeNotPowerOfTwo() => Expect(
            ConfigWith(Origins + ", {|PageSize = 3000|}", "public static partial class Memory", Bootloader, Boot, Update, Ram),
            "MB0004", "PageSize 3000", "2048 or 4096");

        [Fact]
        public void MB0005_RequiredBankMissing() => Expect(
            ConfigWith(Origins, "public static partial class {|Memory|}", Bootloader, Boot, Ram),
            "MB0005", "'Memory'", "no Update bank", "[Bank(BankRole.Update");

        [Fact]
        public void MB0006_UpdateBankTooSmall() => Expect(
            Config(Bootloader, Boot, "[Bank(BankRole.Update, Location = 0x24000)] public const uint {|Update|} = 64 * 1024;", Ram),
            "MB0006", "'Update' is 65536 bytes (64 KiB)", "'Boot' (114688 bytes (112 KiB))", "at least 114688 bytes", "116736 bytes");

        [Fact]
        public void MB0007_BootloaderNotAtStart() => Expect(
            Config("[Bank(BankRole.Bootloader, {|Location = 0x1000|})] public const uint Bootloader = 0x7000;", Boot, Update, Ram),
            "MB0007", "'Bootloader'", "0x08001000", "FlashOrigin 0x08000000");

        [Fact]
        public void MB0008_RamStateDoesNotFit() => Expect(
            Config(Bootloader, Boot, Update, "[Bank(BankRole.Ram, Location = 0)] public const uint {|Ram|} = 32;"),
            "MB0008", "'Ram' is 32 bytes", "HasRamState = false");

        [Fact]
        public void MB0009_BankPastAddressSpace() => Expect(
            ConfigWith("FlashOrigin = 0xFFFC_0000, RamOrigin = 0x2000_0000", "public static partial class Memory",
                "[Bank(BankRole.Bootloader, Location = 0)] public const uint Bootloader = 0x8000;",
                "[Bank(BankRole.Boot, Location = 0x8000)] public const uint Boot = 0x10000;",
                "[Bank(BankRole.Update, Location = 0x18000)] public const uint {|Update|} = 0x30000;", Ram),
            "MB0009", "'Update' (0xFFFD8000..0x100008000)", "by 32768 bytes (32 KiB)");

        [Fact]
        public void MB0010_MultipleConfigs() => Expect(
            Config(Bootloader, Boot, Update, Ram) + "\n" +
            ConfigWith(Origins, "public static partial class {|Other|}", Bootloader, Boot, Update, Ram),
            "MB0010", "'Other' is a second [MoonbootConfig] class", "'Memory'");

        [Fact]
        public void MB0011_BankNotConstUInt() => Expect(
            Config(Bootloader, Boot, Update, "[Bank(BankRole.Ram)] public static readonly uint {|Ram|} = 0x28000;"),
            "MB0011", "a static readonly uint field 'Ram'", "const uint");

        [Fact]
        public void MB0012_ConfigNotPartial() => Expect(
            ConfigWith(Origins, "public static class {|Memory|}", Bootloader, Boot, Update, Ram),
            "MB0012", "'Memory' must be partial", "public static partial class Memory");

        [Fact]
        public void MB0013_InvalidWriteSize() => Expect(
            ConfigWith(Origins + ", {|WriteSize = 3|}", "public static partial class Memory", Bootloader, Boot, Update, Ram),
            "MB0013", "WriteSize 3", "1, 2, 4, 8 or 16");

        [Fact]
        public void MB0014_DuplicateRole() => Expect(
            Config(Bootloader, Boot, Update, Ram, "[Bank(BankRole.Boot, Location = 0x40000)] public const uint {|Boot2|} = 0x1C000;"),
            "MB0014", "'Boot2' has role Boot", "'Boot' already");

        [Fact]
        public void MB0015_StateBankTooSmall() => Expect(
            Config(Bootloader, Boot, Update, Ram, "[Bank(BankRole.State, Location = 0x40000)] public const uint {|Journal|} = 2048;"),
            "MB0015", "'Journal' is 2048 bytes (2 KiB)", "4096 bytes (4 KiB)");

        [Fact]
        public void MB0024_StateBankWearsFaster() => Expect(
            Config(Bootloader, Boot, Update, Ram, "[Bank(BankRole.State, Location = 0x40000)] public const uint {|Journal|} = 2 * 2048;"),
            "MB0024", "'Journal' has 2 pages", "writes up to 112 journal records", "Give it 3 pages: 6144 bytes (6 KiB)");

        [Fact]
        public void MB0025_PageSmallerThanRecord() => Expect(
            ConfigWith(Origins + ", {|PageSize = 16|}, WriteSize = 4", "public static partial class Memory", Bootloader, Boot, Update, Ram),
            "MB0025", "PageSize 16", "32-byte journal record", "moonboot_init");

        [Fact]
        public void MB0026_InvalidImageHeaderSize() => Expect(
            ConfigWith(Origins + ", {|ImageHeaderSize = 0x100 + 32|}", "public static partial class Memory", Bootloader, Boot, Update, Ram),
            "MB0026", "ImageHeaderSize 0x00000120", "multiple of 128", "VTOR", "Use 0x00000100 or 0x00000180");

        [Theory]
        [InlineData(0x20u)]      // >= 32 but not VTOR-aligned
        [InlineData(0xFFFFFF80u)] // aligned but past the 16-bit hdr_size field
        public void MB0026_RejectsHeadersTheVerifierOrVtorCannotUse(uint header)
        {
            var run = GeneratorHarness.RunGenerator(ConfigWith(Origins + $", ImageHeaderSize = {header}", "public static partial class Memory", Bootloader, Boot, Update, Ram));
            Assert.Equal(new[] { "MB0026" }, run.Moonboot.Select(d => d.Id).ToArray());
        }

        [Theory]
        [InlineData(0u)]
        [InlineData(0x80u)]
        [InlineData(0x200u)]
        public void MB0026_AcceptsZeroAndAlignedHeaders(uint header)
        {
            var run = GeneratorHarness.RunGenerator(ConfigWith(Origins + $", ImageHeaderSize = {header}", "public static partial class Memory", Bootloader, Boot, Update, Ram));
            Assert.Empty(run.Moonboot);
            Assert.Contains($"ImageHeaderSize = 0x{header:X8}", run.AllSources());
        }

        [Fact]
        public void MB0026_HeaderAndTlvsMustLeaveRoomForAnApplication()
        {
            // Boot 0x800 bytes, update one page more: the exchange moves 2048 bytes; 0x780 + 156 TLV bytes leaves none.
            var run = GeneratorHarness.RunGenerator(ConfigWith(Origins + ", ImageHeaderSize = 0x780", "public static partial class Memory",
                Bootloader,
                "[Bank(BankRole.Boot, Location = 0x8000)] public const uint Boot = 0x800;",
                "[Bank(BankRole.Update, Location = 0x9000)] public const uint Update = 0x1000;", Ram));
            var diagnostic = Assert.Single(run.Moonboot);
            Assert.Equal("MB0026", diagnostic.Id);
            Assert.Contains("156-byte TLV area", diagnostic.GetMessage());
        }

        [Fact]
        public void PageOfSixteenBytesReportsOnlyTheRuntimeRule()
        {
            // Before MB0025 a 16-byte page built, with one nonsense MB0024 fix ("28677 pages"), and failed at boot.
            var run = GeneratorHarness.RunGenerator(ConfigWith(Origins + ", PageSize = 16, WriteSize = 4",
                "public static partial class Memory", Bootloader, Boot, Update, Ram,
                "[Bank(BankRole.State, Location = 0x40000)] public const uint Journal = 2 * 2048;"));
            Assert.Equal(new[] { "MB0025" }, run.Moonboot.Select(d => d.Id).ToArray());
            Assert.Null(run.Source("MoonbootLayoutManifest.g.cs"));
        }

        [Fact]
        public void MB0016_EmptyBank() => Expect(
            Config(Bootloader, Boot, Update, Ram, "[Bank(BankRole.Scratch, Location = 0x40000)] public const uint {|Spare|} = 0;"),
            "MB0016", "'Spare' has size 0");

        [Fact]
        public void MB0017_InvalidErasedValue() => Expect(
            ConfigWith(Origins + ", {|ErasedValue = 0xAA|}", "public static partial class Memory", Bootloader, Boot, Update, Ram),
            "MB0017", "0x000000AA", "0xFF");

        [Fact]
        public void MB0018_BankMustBeInternal() => Expect(
            Config(Bootloader, "[Bank(BankRole.Boot, Location = 0x8000, {|Unit = MemoryUnit.External|})] public const uint Boot = 0x1C000;", Update, Ram),
            "MB0018", "'Boot' has role Boot", "MemoryUnit.External");

        [Fact]
        public void MB0019_NoRoomForImage() => Expect(
            Config(Bootloader, "[Bank(BankRole.Boot, Location = 0x8000)] public const uint Boot = 2048;",
                "[Bank(BankRole.Update, Location = 0x8800)] public const uint {|Update|} = 2048;", Ram),
            "MB0019", "'Update' is 2048 bytes (2 KiB)", "spare page");

        [Fact]
        public void MB0020_RamBankMisaligned() => Expect(
            ConfigWith("FlashOrigin = 0x0800_0000, RamOrigin = 0x2000_0004", "public static partial class Memory",
                Bootloader, Boot, Update, "[Bank(BankRole.Ram, Location = 0)] public const uint {|Ram|} = 0x28000;"),
            "MB0020", "'Ram' (0x20000004..0x20028004)", "8-byte");

        [Fact]
        public void MB0021_ConfigNotStatic() => Expect(
            ConfigWith(Origins, "public partial class {|Memory|}", Bootloader, Boot, Update, Ram),
            "MB0021", "'Memory' must be static");

        [Fact]
        public void MB0022_GeneratedNameTaken() => Expect(
            Config(Bootloader, Boot, Update, Ram, "public const uint {|Geometry|} = 1;"),
            "MB0022", "adds 'Geometry' to 'Memory'", "a const uint 'Geometry'");

        [Fact]
        public void MB0023_ConfigNested() => Expect(
            "using Moonboot;\n\npublic static partial class Board\n{\n" +
            "    [MoonbootConfig(" + Origins + ")]\n    public static partial class {|Memory|}\n    {\n" +
            "        " + Bootloader + "\n        " + Boot + "\n        " + Update + "\n        " + Ram + "\n    }\n}\n",
            "MB0023", "'Board.Memory' is nested in 'Board'");

        [Fact]
        public void GeneratedNamesNeverCollideWithBankNames()
        {
            // A bank named like a role class would collide only if it were the generated name itself.
            var run = GeneratorHarness.RunGenerator(Config(
                "[Bank(BankRole.Bootloader, Location = 0)] public const uint BootloaderSize = 0x8000;",
                "[Bank(BankRole.Boot, Location = 0x8000)] public const uint Bank = 0x1C000;",
                "[Bank(BankRole.Update, Location = 0x24000)] public const uint Update = 0x1C000;",
                "[Bank(BankRole.Ram, Location = 0)] public const uint Ram = 0x28000;",
                "public const uint RamStateSize = 7;",
                "public const uint Origin = 3;"));
            Assert.Empty(run.Moonboot);
            Assert.Empty(run.CompilerDiagnostics);
        }

        [Fact]
        public void RecordConfigIsNotStatic() => Expect(
            ConfigWith(Origins, "public partial record {|Memory|}", Bootloader, Boot, Update, Ram),
            "MB0021", "'Memory' must be static");

        [Fact]
        public void AttributeRepeatedOnTwoPartsIsReportedOnceByTheCompiler()
        {
            var run = GeneratorHarness.RunGenerator(GeneratorHarness.Compile(
                ("/src/A.cs", Config(Bootloader, Boot, Update, Ram)),
                ("/src/B.cs", ConfigWith(Origins, "public static partial class Memory"))));
            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Warning); // no CS8785 crash
            Assert.DoesNotContain(run.Moonboot, d => d.Id == "MB0010");
            Assert.Contains(run.Output.GetDiagnostics(), d => d.Id == "CS0579");
            Assert.Single(run.Result.GeneratedSources, s => s.HintName == "Memory.Moonboot.g.cs");
            // One class, however many parts: the project still has its one layout, and its manifest.
            Assert.Single(run.Result.GeneratedSources, s => s.HintName == LayoutEmitter.ManifestHintName);
        }

        [Fact]
        public void ValidSeedHasNoDiagnostics()
        {
            var run = GeneratorHarness.RunGenerator(Layouts.Seed);
            Assert.Empty(run.Moonboot);
            Assert.Empty(run.CompilerDiagnostics);
        }

        [Fact]
        public void EveryRuleHasItsTest()
        {
            var tests = typeof(DiagnosticTests).GetMethods().Select(m => m.Name).ToList();
            foreach (var rule in LayoutRule.All)
            {
                Assert.Contains(tests, name => name.StartsWith(rule.Id + "_", StringComparison.Ordinal));
            }
        }

        // ---- How the reader takes a declaration: what it emits, what it leaves to the compiler, where it points. ----

        private static bool EmitsConstants(GeneratorHarness.Run run) =>
            run.Result.GeneratedSources.Any(s => s.HintName.EndsWith(LayoutEmitter.HintSuffix, StringComparison.Ordinal));

        [Fact]
        public void MB0023_GenericConfigIsReportedAndNotEmitted()
        {
            var run = GeneratorHarness.RunGenerator(ConfigWith(Origins, "public static partial class Memory<T>", Bootloader, Boot, Update, Ram));
            var diagnostic = Assert.Single(run.Moonboot);
            Assert.Equal("MB0023", diagnostic.Id);
            Assert.Contains("is generic; a layout is one fixed set of constants", diagnostic.GetMessage());
            Assert.False(EmitsConstants(run));
        }

        [Fact]
        public void NestedNotPartialOrTakenNamesAreNotEmitted()
        {
            // Declaration errors stop the emitter; the layout is still checked (and valid here).
            var nested = GeneratorHarness.RunGenerator(
                "using Moonboot;\npublic static partial class Board\n{\n    [MoonbootConfig(" + Origins + ")]\n    public static partial class Memory\n    {\n" +
                "        " + Bootloader + "\n        " + Boot + "\n        " + Update + "\n        " + Ram + "\n    }\n}\n");
            Assert.Equal(new[] { "MB0023" }, nested.Moonboot.Select(d => d.Id).ToArray());
            Assert.False(EmitsConstants(nested));
            var taken = GeneratorHarness.RunGenerator(Config(Bootloader, Boot, Update, Ram, "public const uint Geometry = 1;"));
            Assert.Equal(new[] { "MB0022" }, taken.Moonboot.Select(d => d.Id).ToArray());
            Assert.False(EmitsConstants(taken));
            Assert.Empty(taken.CompilerDiagnostics); // nothing emitted, so no CS0102 on a second Geometry
        }

        [Fact]
        public void AnotherAttributeBeforeMoonbootConfigIsIgnored()
        {
            var run = GeneratorHarness.RunGenerator(Config(Bootloader, Boot, Update, Ram).Replace("[MoonbootConfig(", "[System.CLSCompliant(false)]\n[MoonbootConfig("));
            Assert.Empty(run.Moonboot);
            Assert.Empty(run.CompilerDiagnostics);
            Assert.True(EmitsConstants(run));
        }

        [Fact]
        public void MB0011_TheBankIsLeftOutAndNothingIsEmitted()
        {
            // Not "RAM bank missing" on top (the layout is incomplete, so it is not checked), and no constants.
            var run = GeneratorHarness.RunGenerator(Config(Bootloader, Boot, Update, "[Bank(BankRole.Ram)] public static readonly uint Ram = 0x28000;"));
            Assert.Equal(new[] { "MB0011" }, run.Moonboot.Select(d => d.Id).ToArray());
            Assert.False(EmitsConstants(run));
        }

        [Theory]
        [InlineData("public static uint {|Ram|} = 0x28000;", "a static uint field 'Ram'")]
        [InlineData("public uint {|Ram|};", "a uint field 'Ram'")]
        [InlineData("public readonly uint {|Ram|};", "a uint field 'Ram'")]
        [InlineData("public const int {|Ram|} = 0x28000;", "a const int 'Ram'")]
        public void MB0011_NamesWhatTheBankIs(string declaration, string described) => Expect(
            Config(Bootloader, Boot, Update, "[Bank(BankRole.Ram)] " + declaration), "MB0011", described);

        [Theory]
        [InlineData("public static int {|Geometry|} => 0;", "Geometry", "a property 'Geometry'", "the page size, image size and RAM-state constants")]
        [InlineData("public static void {|Geometry|}() { }", "Geometry", "a method 'Geometry'", "the page size")]
        [InlineData("public static class {|Geometry|} { }", "Geometry", "a nested type 'Geometry'", "the page size")]
        [InlineData("public static event System.Action {|Geometry|};", "Geometry", "an event 'Geometry'", "the page size")]
        [InlineData("public static uint {|Layout|};", "Layout", "a static uint field 'Layout'", "the read-only layout object")]
        [InlineData("public const uint {|BootBank|} = 1;", "BootBank", "a const uint 'BootBank'", "the constants of the Boot bank")]
        [InlineData("public static class {|RamBank|} { }", "RamBank", "a nested type 'RamBank'", "the constants of the Ram bank")]
        public void MB0022_NamesTheMemberAndWhatTheGeneratorAddsThere(string declaration, string name, string described, string purpose) => Expect(
            Config(Bootloader, Boot, Update, Ram, declaration), "MB0022", "adds '" + name + "' to 'Memory' (" + purpose, described);

        [Fact]
        public void MB0007_ForAnExternalBootloaderAtOffsetZeroPointsAtTheUnit()
        {
            var markup = Config("[Bank(BankRole.Bootloader, Location = 0, {|Unit = MemoryUnit.External|})] public const uint Bootloader = 0x8000;", Boot, Update, Ram);
            Expect(markup, "MB0007", "'Bootloader'");
            Expect(markup, "MB0018", "'Bootloader' has role Bootloader");
        }

        [Theory]
        // Each is a compiler error the compiler reports; the reader must neither crash nor add an MB diagnostic
        // computed from a value that does not exist, and emits nothing.
        [InlineData("PageSize = NoSuchConstant", "")]
        [InlineData("PageSize = -1", "")]
        [InlineData("", "[Bank] public const uint Spare = 0x800;")]
        [InlineData("", "[Bank(1)] public const uint Spare = 0x800;")]
        [InlineData("", "[Bank(BankRole.Scratch)] public const uint Spare = NoSuchConstant;")]
        [InlineData("", "[Bank(BankRole.Scratch, Location = NoSuchConstant)] public const uint Spare = 0x800;")]
        [InlineData("", "[Bank(BankRole.Scratch, Unit = NoSuchConstant)] public const uint Spare = 0x800;")]
        public void BrokenArgumentsAreLeftToTheCompiler(string property, string member)
        {
            string arguments = property.Length == 0 ? Origins : Origins + ", " + property;
            var members = new[] { Bootloader, Boot, Update, Ram }.Concat(member.Length == 0 ? new string[0] : new[] { member }).ToArray();
            var run = GeneratorHarness.RunGenerator(ConfigWith(arguments, "public static partial class Memory", members));
            Assert.NotEmpty(run.CompilerDiagnostics.Where(d => !d.Id.StartsWith("MB", StringComparison.Ordinal)));
            Assert.Empty(run.GeneratorDiagnostics); // no CS8785: the generator did not throw
            Assert.Empty(run.Moonboot);
            Assert.False(EmitsConstants(run));
        }

        [Theory]
        [InlineData("[Bank({|(BankRole)42|})] public const uint Spare = 0x800;", "has role (BankRole)42, which is not a defined BankRole", "BankRole.Bootloader, BankRole.Boot, BankRole.Update, BankRole.Ram, BankRole.State or BankRole.Scratch.")]
        [InlineData("[Bank({|role: (BankRole)(-1)|})] public const uint Spare = 0x800;", "has role (BankRole)(-1), which is not a defined BankRole", "BankRole.State or BankRole.Scratch.")]
        [InlineData("[Bank(BankRole.Scratch, {|Unit = (MemoryUnit)7|})] public const uint Spare = 0x800;", "has Unit = (MemoryUnit)7, which is not a defined MemoryUnit", "Use one of MemoryUnit.Internal or MemoryUnit.External.")]
        [InlineData("[Bank(BankRole.Scratch, Location = 0x40000, {|Unit = (MemoryUnit)2|})] public const uint Spare = 0x800;", "has Unit = (MemoryUnit)2", "MemoryUnit.Internal or MemoryUnit.External")]
        public void MB0027_UndefinedRolesAndUnitsAreReportedAtTheArgument(string member, string written, string members)
        {
            // The compiler accepts the cast; the reader refuses to guess what bank it is, and says so, once, where the cast is.
            var markup = Config(Bootloader, Boot, Update, Ram, member);
            Expect(markup, "MB0027", "Bank 'Spare' " + written, "can be neither checked nor generated", members);
            var run = GeneratorHarness.RunGenerator(markup.Replace("{|", "").Replace("|}", ""));
            Assert.Empty(run.GeneratorDiagnostics); // the generator reports nothing, so MB0027 is not doubled
            Assert.Single(run.Moonboot); // and no other rule runs on a layout that cannot be read
            Assert.False(EmitsConstants(run));
        }

        [Fact]
        public void MB0027_AnUndefinedRoleAndUnitOnOneBankAreBothReported()
        {
            var run = GeneratorHarness.RunGenerator(Config(Bootloader, Boot, Update, Ram,
                "[Bank((BankRole)42, Unit = (MemoryUnit)7)] public const uint Spare = 0x800;"));
            Assert.Equal(new[] { "MB0027", "MB0027" }, run.Moonboot.Select(d => d.Id));
            Assert.Contains(run.Moonboot, d => d.GetMessage().Contains("(BankRole)42"));
            Assert.Contains(run.Moonboot, d => d.GetMessage().Contains("(MemoryUnit)7"));
            Assert.Empty(run.GeneratorDiagnostics);
            Assert.False(EmitsConstants(run));
        }

        [Fact]
        public void MB0027_IsNotReportedForDefinedCasts()
        {
            // A cast to a defined member is that member: the layout is read and generated as usual.
            var run = GeneratorHarness.RunGenerator(Config(Bootloader, Boot, Update, Ram,
                "[Bank((BankRole)5, Location = 0x40000, Unit = (MemoryUnit)1)] public const uint Spare = 0x800;"));
            Assert.Empty(run.Moonboot);
            Assert.True(EmitsConstants(run));
        }
    }
}
