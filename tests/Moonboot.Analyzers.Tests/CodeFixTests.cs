using System.Threading.Tasks;
using Moonboot.CodeFixes;
using Xunit;
using static Moonboot.Analyzers.Tests.AnalyzerTests;

namespace Moonboot.Analyzers.Tests
{
    /// <summary>Every code fix, applied to real source and checked character for character.</summary>
    public class CodeFixTests
    {
        private const string Tail = Update + Ram + "}\n";
        /// <summary>An update bank far and large enough that a boot bank off by a little overlaps nothing.</summary>
        private const string WideTail = "    [Bank(BankRole.Update, Location = 0x26000)] public const uint Update = 0x1E000;\n" + Ram + "}\n";

        [Fact]
        public Task MB0002_RoundsLocationDown() => Verify.Fix<RoundToPageFix>(
            Head + Bootloader + "    [Bank(BankRole.Boot, {|MB0002:Location = 0x8100|})] public const uint Boot = 0x1C000;\n" + WideTail,
            Head + Bootloader + Boot + WideTail,
            "MB0002.down");

        [Fact]
        public Task MB0002_RoundsLocationUpInDecimal() => Verify.Fix<RoundToPageFix>(
            Head + Bootloader + "    [Bank(BankRole.Boot, {|MB0002:Location = 32769|})] public const uint Boot = 0x1B800;\n" + WideTail,
            Head + Bootloader + "    [Bank(BankRole.Boot, Location = 34816)] public const uint Boot = 0x1B800;\n" + WideTail,
            "MB0002.up");

        [Fact]
        public Task MB0003_RoundsSizeDown() => Verify.Fix<RoundToPageFix>(
            Head + Bootloader + "    [Bank(BankRole.Boot, Location = 0x8000)] public const uint {|MB0003:Boot|} = 0x1C100;\n" + WideTail,
            Head + Bootloader + Boot + WideTail,
            "MB0003.down");

        [Fact]
        public Task MB0003_RoundsSizeUpKeepingTheExpressionsNeighbours() => Verify.Fix<RoundToPageFix>(
            Head + "    [Bank(BankRole.Bootloader, Location = 0)] public const uint {|MB0003:Bootloader|} = 30 * 1024 + 1;\n" + Boot + Tail,
            Head + "    [Bank(BankRole.Bootloader, Location = 0)] public const uint Bootloader = 32768;\n" + Boot + Tail,
            "MB0003.up");

        [Fact]
        public Task MB0012_AddsPartial() => Verify.Fix<DeclarationFixes>(
            Head.Replace("public static partial class Memory", "public static class {|MB0012:Memory|}") + Bootloader + Boot + Tail,
            Head + Bootloader + Boot + Tail);

        [Fact]
        public Task MB0021_AddsStatic() => Verify.Fix<DeclarationFixes>(
            Head.Replace("public static partial class Memory", "public partial class {|MB0021:Memory|}") + Bootloader + Boot + Tail,
            Head + Bootloader + Boot + Tail);

        [Fact]
        public Task MB0012_And_MB0021_BothFixedOnAClassWithoutModifiers()
        {
            var test = new Verify.FixTest<DeclarationFixes>(
                Head.Replace("public static partial class Memory", "class {|MB0012:{|MB0021:Memory|}|}") + Bootloader + Boot + Tail,
                Head.Replace("public static partial class Memory", "static partial class Memory") + Bootloader + Boot + Tail);
            // One fix per diagnostic: two rounds, one keyword each.
            test.NumberOfIncrementalIterations = 2;
            test.NumberOfFixAllIterations = 2;
            return test.RunAsync();
        }

        [Fact]
        public Task MB0021_RecordHasNoFix()
        {
            string source = Head.Replace("public static partial class Memory", "public partial record {|MB0021:Memory|}") + Bootloader + Boot + Tail;
            return Verify.Fix<DeclarationFixes>(source, source);
        }

        [Fact]
        public Task MB0011_MakesTheBankAConstUInt() => Verify.Fix<DeclarationFixes>(
            Head + Bootloader + Boot + Update + "    [Bank(BankRole.Ram, Location = 0)] public static readonly int {|MB0011:Ram|} = 0x28000;\n}\n",
            Head + Bootloader + Boot + Update + Ram + "}\n");

        [Fact]
        public Task MB0011_NonConstantInitializerHasNoFix()
        {
            string source = Head + Bootloader + Boot + Update +
                "    [Bank(BankRole.Ram, Location = 0)] public static readonly uint {|MB0011:Ram|} = (uint)System.Environment.ProcessorCount;\n}\n";
            return Verify.Fix<DeclarationFixes>(source, source);
        }
    }
}
