using System.Threading.Tasks;
using Xunit;

namespace Moonboot.Analyzers.Tests
{
    /// <summary>
    /// The analyzer alone, as the IDE runs it while typing (no generator, no build): each diagnostic at its exact
    /// span (the {|ID:...|} markup), and #pragma / .editorconfig suppression, which need real source locations.
    /// </summary>
    public class AnalyzerTests
    {
        internal const string Head = "using Moonboot;\n\n[MoonbootConfig(FlashOrigin = 0x0800_0000, RamOrigin = 0x2000_0000)]\npublic static partial class Memory\n{\n";
        internal const string Boot = "    [Bank(BankRole.Boot, Location = 0x8000)] public const uint Boot = 0x1C000;\n";
        internal const string Update = "    [Bank(BankRole.Update, Location = 0x24000)] public const uint Update = 0x1C000;\n";
        internal const string Ram = "    [Bank(BankRole.Ram, Location = 0)] public const uint Ram = 0x28000;\n";
        internal const string Bootloader = "    [Bank(BankRole.Bootloader, Location = 0)] public const uint Bootloader = 0x8000;\n";

        [Fact]
        public Task ValidLayoutHasNoDiagnostics() => Verify.Analyzer(Head + Bootloader + Boot + Update + Ram + "}\n");

        [Fact]
        public Task AnalyzerAloneReportsAtTheSpan() => Verify.Analyzer(
            Head + Bootloader +
            "    [Bank(BankRole.Boot, {|MB0002:Location = 0x8100|})] public const uint Boot = 0x1C000;\n" +
            "    [Bank(BankRole.Update, Location = 0x26000)] public const uint Update = 0x1C000;\n" + Ram + "}\n");

        [Fact]
        public Task AnalyzerAloneReportsMultipleConfigsAtTheSecondClass() => Verify.Analyzer(
            Head + Bootloader + Boot + Update + Ram + "}\n\n" +
            "[MoonbootConfig(FlashOrigin = 0x0800_0000, RamOrigin = 0x2000_0000)]\npublic static partial class {|MB0010:Other|}\n{\n" +
            Bootloader + Boot + Update + Ram + "}\n");

        [Fact]
        public Task UndefinedRoleIsReportedAtTheRoleArgument() => Verify.Analyzer(
            Head + Bootloader + Boot + Update + Ram +
            "    [Bank({|MB0027:(BankRole)42|})] public const uint Spare = 0x800;\n}\n");

        [Fact]
        public Task UndefinedUnitIsReportedAtTheUnitArgument() => Verify.Analyzer(
            Head + Bootloader + Boot + Update + Ram +
            "    [Bank(BankRole.Scratch, Location = 0x40000, {|MB0027:Unit = (MemoryUnit)7|})] public const uint Spare = 0x800;\n}\n");

        [Fact]
        public Task UndefinedRoleMessageNamesTheValueAndTheMembers()
        {
            var test = new Verify.AnalyzerTest(Head + Bootloader + Boot + Update + Ram +
                "    [Bank((BankRole)42)] public const uint Spare = 0x800;\n}\n");
            test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult("MB0027", Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
                .WithSpan(10, 11, 10, 23)
                .WithMessage("Bank 'Spare' has role (BankRole)42, which is not a defined BankRole, so the layout can be neither " +
                    "checked nor generated. Use one of BankRole.Bootloader, BankRole.Boot, BankRole.Update, BankRole.Ram, " +
                    "BankRole.State or BankRole.Scratch."));
            return test.RunAsync();
        }

        private const string BootloaderAt800 = "    [Bank(BankRole.Bootloader, Location = 0x40000)] public const uint Bootloader = 0x8000;\n";

        [Fact]
        public Task WarningWithoutSuppression() => Verify.Analyzer(
            Head + "    [Bank(BankRole.Bootloader, {|MB0007:Location = 0x40000|})] public const uint Bootloader = 0x8000;\n" +
            Boot + Update + Ram + "}\n");

        [Fact]
        public Task PragmaWarningDisableSuppresses() => Verify.Analyzer(
            Head + "#pragma warning disable MB0007 // this part boots from 0x08040000\n" + BootloaderAt800 +
            "#pragma warning restore MB0007\n" + Boot + Update + Ram + "}\n");

        [Fact]
        public Task EditorConfigSeverityNoneSuppresses()
        {
            var test = new Verify.AnalyzerTest(Head + BootloaderAt800 + Boot + Update + Ram + "}\n");
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.MB0007.severity = none\n"));
            return test.RunAsync();
        }
    }
}
