using System.Collections.Generic;
using System.Linq;
using Moonboot.Layout;
using Xunit;

namespace Moonboot.Generators.Tests
{
    // The model's roles and units (the same declaration as the public ones, compiled into the generator).
    using BankRole = Moonboot.Layout.BankRole;
    using MemoryUnit = Moonboot.Layout.MemoryUnit;

    /// <summary>
    /// The shared rules (LayoutRules.Validate) at each rule's edge: the last value that passes and the first that does
    /// not, with the exact list of IDs, so a rule that fires too early, too late or beside another one fails here.
    /// The per-ID tests (DiagnosticTests) hold the messages and locations; these hold the thresholds.
    /// </summary>
    public class LayoutRuleBoundaryTests
    {
        private const ulong Page = 2048;

        private static LayoutBankSpec Bank(string name, BankRole role, ulong location, ulong size, MemoryUnit unit = MemoryUnit.Internal) =>
            new(name, role, unit, location, size);

        /// <summary>The seed layout (STM32L4): bootloader 32 KiB, boot and update 112 KiB, RAM 160 KiB.</summary>
        private static List<LayoutBankSpec> SeedBanks() => new()
        {
            Bank("Bootloader", BankRole.Bootloader, 0, 0x8000),
            Bank("Boot", BankRole.Boot, 0x8000, 0x1C000),
            Bank("Update", BankRole.Update, 0x24000, 0x1C000),
            Bank("Ram", BankRole.Ram, 0, 0x28000),
        };

        private static LayoutSpec Spec(IEnumerable<LayoutBankSpec>? banks = null, ulong pageSize = Page, ulong writeSize = 8,
            ulong erasedValue = 0xFF, bool hasRamState = true, ulong imageHeaderSize = 0, ulong flashOrigin = 0x0800_0000,
            ulong ramOrigin = 0x2000_0000) =>
            new("Memory", flashOrigin, ramOrigin, pageSize, writeSize, erasedValue, hasRamState, banks ?? SeedBanks(), imageHeaderSize);

        private static List<LayoutBankSpec> With(params LayoutBankSpec[] replacements)
        {
            var banks = SeedBanks();
            foreach (var replacement in replacements)
            {
                int index = banks.FindIndex(b => b.Name == replacement.Name);
                if (index < 0) banks.Add(replacement);
                else banks[index] = replacement;
            }
            return banks;
        }

        private static string[] Ids(LayoutSpec spec) => LayoutRules.Validate(spec).Select(i => i.Id).ToArray();

        private static LayoutIssue Single(LayoutSpec spec, string id)
        {
            var issue = Assert.Single(LayoutRules.Validate(spec));
            Assert.Equal(id, issue.Id);
            return issue;
        }

        [Fact]
        public void TheSeedLayoutIsValid() => Assert.Empty(Ids(Spec()));

        [Theory]
        [InlineData(32ul, new string[0])]
        [InlineData(64ul, new string[0])]
        [InlineData(16ul, new[] { "MB0025" })]
        [InlineData(1ul, new[] { "MB0025" })]
        [InlineData(0ul, new[] { "MB0004" })]
        [InlineData(48ul, new[] { "MB0004" })]
        [InlineData(3000ul, new[] { "MB0004" })]
        public void PageSize(ulong pageSize, string[] expected) =>
            Assert.Equal(expected, Ids(Spec(pageSize: pageSize, writeSize: 8)));

        [Fact]
        public void PageSizeZeroSaysNeverZeroAndAnOddOneNamesTheTwoPowersAroundIt()
        {
            Assert.Contains("never 0", Single(Spec(pageSize: 0), "MB0004").Message);
            Assert.Contains("such as 2048 or 4096", Single(Spec(pageSize: 3000), "MB0004").Message);
            Assert.Contains("such as 4096 or 8192", Single(Spec(pageSize: 4097), "MB0004").Message);
            Assert.Contains("such as 2 or 4", Single(Spec(pageSize: 3), "MB0004").Message);
        }

        [Theory]
        [InlineData(1ul)]
        [InlineData(2ul)]
        [InlineData(4ul)]
        [InlineData(8ul)]
        [InlineData(16ul)]
        public void WriteSizeAccepted(ulong writeSize) => Assert.Empty(Ids(Spec(writeSize: writeSize)));

        [Theory]
        [InlineData(0ul)]
        [InlineData(3ul)]
        [InlineData(6ul)]
        [InlineData(32ul)]
        public void WriteSizeRefused(ulong writeSize) => Single(Spec(writeSize: writeSize), "MB0013");

        [Fact]
        public void WriteSizeIsCheckedEvenWhenThePageSizeIsBroken() =>
            Assert.Equal(new[] { "MB0004", "MB0013" }, Ids(Spec(pageSize: 3000, writeSize: 3)));

        [Theory]
        [InlineData(0xFFul, true)]
        [InlineData(0x00ul, true)]
        [InlineData(0x01ul, false)]
        [InlineData(0xFEul, false)]
        [InlineData(0x1FFul, false)]
        public void ErasedValue(ulong value, bool valid) =>
            Assert.Equal(valid ? new string[0] : new[] { "MB0017" }, Ids(Spec(erasedValue: value)));

        [Theory]
        [InlineData("Bootloader")]
        [InlineData("Boot")]
        [InlineData("Update")]
        [InlineData("Ram")]
        public void EachRequiredBankIsMissedOnItsOwn(string name)
        {
            var issue = Single(Spec(SeedBanks().Where(b => b.Name != name)), "MB0005");
            Assert.Contains("no " + name + " bank", issue.Message);
            Assert.Equal(LayoutIssueTarget.ConfigClass, issue.Target);
            Assert.Equal("Memory", issue.TargetName);
        }

        [Fact]
        public void ASecondBankWithARoleIsADuplicate()
        {
            var issue = Single(Spec(With(Bank("Update2", BankRole.Update, 0x40000, 0x1C000))), "MB0014");
            Assert.Equal("Update2", issue.TargetName);
            Assert.Contains("'Update' already", issue.Message);
        }

        [Fact]
        public void UpdateBankAsLargeAsTheBootBankIsEnough() =>
            Assert.Empty(Ids(Spec(With(Bank("Update", BankRole.Update, 0x24000, 0x1C000)))));

        [Fact]
        public void UpdateBankOnePageSmallerThanTheBootBankIsNot()
        {
            var issue = Single(Spec(With(Bank("Update", BankRole.Update, 0x24000, 0x1C000 - Page))), "MB0006");
            Assert.Equal("Update", issue.TargetName);
            Assert.Contains("at least 114688 bytes (112 KiB), and 116736 bytes (114 KiB)", issue.Message);
        }

        [Fact]
        public void ABankOfSizeZeroIsOnlyEmptyNotAlsoTooSmall()
        {
            // Boot of size 0: MB0016 only, no MB0006 (the comparison needs both sizes) and no overlap.
            var issue = Single(Spec(With(Bank("Boot", BankRole.Boot, 0x8000, 0))), "MB0016");
            Assert.Equal("Boot", issue.TargetName);
            Assert.Equal(new[] { "MB0016" }, Ids(Spec(With(Bank("Update", BankRole.Update, 0x24000, 0)))));
        }

        [Fact]
        public void OnePageUpdateAndBootBanksLeaveNoRoomTwoPagesDo()
        {
            var onePage = With(Bank("Boot", BankRole.Boot, 0x8000, Page), Bank("Update", BankRole.Update, 0x24000, Page));
            Assert.Equal("Update", Single(Spec(onePage), "MB0019").TargetName);
            var twoPages = With(Bank("Boot", BankRole.Boot, 0x8000, Page), Bank("Update", BankRole.Update, 0x24000, 2 * Page));
            Assert.Empty(Ids(Spec(twoPages)));
        }

        [Fact]
        public void StateBankOfOnePageIsTooSmall()
        {
            var issue = Single(Spec(With(Bank("Journal", BankRole.State, 0x40000, Page))), "MB0015");
            Assert.Contains("at least two pages (4096 bytes (4 KiB))", issue.Message);
        }

        [Fact]
        public void StateBankWearIsJudgedAgainstTheLargestImage()
        {
            // 55 image pages: 112 records of 32 bytes, 2 pages of journal plus the one being filled: 3 pages.
            Assert.Equal(3ul, new ResolvedLayout(Spec()).StatePagesForWear);
            Assert.Equal(new[] { "MB0024" }, Ids(Spec(With(Bank("Journal", BankRole.State, 0x40000, 2 * Page)))));
            Assert.Empty(Ids(Spec(With(Bank("Journal", BankRole.State, 0x40000, 3 * Page)))));
            // Not a whole number of pages: MB0003 says so, the wear rule keeps quiet.
            Assert.Equal(new[] { "MB0003" }, Ids(Spec(With(Bank("Journal", BankRole.State, 0x40000, 2 * Page + 8)))));
        }

        [Fact]
        public void StateBankWearCountsPartialPagesUp()
        {
            // Four-page banks: the largest image is three pages (one spare page in the update bank); 8 records of
            // 32 bytes fill part of one page, plus the page being filled: 2.
            var layout = new ResolvedLayout(Spec(With(Bank("Boot", BankRole.Boot, 0x8000, 4 * Page), Bank("Update", BankRole.Update, 0x24000, 4 * Page))));
            Assert.Equal(3 * Page, layout.MaxImageSize);
            Assert.Equal(2ul, layout.StatePagesForWear);
            // 64-byte pages, an image of 1790.5 pages: 1791 image pages (rounded up), 3584 records = 1792 pages, + 1.
            var odd = new ResolvedLayout(Spec(With(Bank("Boot", BankRole.Boot, 0x8000, 0x1C000 - 96)), pageSize: 64));
            Assert.Equal(0x1C000ul - 96, odd.MaxImageSize);
            Assert.Equal(1793ul, odd.StatePagesForWear);
            // The update bank is the limit when it is smaller than boot bank + one page: 1791 pages exactly, 3584
            // records, 1792 pages exactly, + 1 (a page-multiple image and journal are not rounded up once more).
            var exact = new ResolvedLayout(Spec(pageSize: 64));
            Assert.Equal(0x1C000ul - 64, exact.MaxImageSize);
            Assert.Equal(1793ul, exact.StatePagesForWear);
        }

        [Fact]
        public void ABankMayEndExactlyAtTheEndOfTheAddressSpace()
        {
            var last = Bank("Spare", BankRole.Scratch, 0xFFFF_F800, 0x800, MemoryUnit.External);
            Assert.Empty(Ids(Spec(With(last))));
            var past = Bank("Spare", BankRole.Scratch, 0xFFFF_F800, 0x1000, MemoryUnit.External);
            var issue = Single(Spec(With(past)), "MB0009");
            Assert.Contains("(0xFFFFF800..0x100000800)", issue.Message);
            Assert.Contains("by 2048 bytes (2 KiB)", issue.Message);
        }

        [Fact]
        public void AdjacentBanksDoNotOverlapOneByteMoreDoes()
        {
            Assert.Empty(Ids(Spec(With(Bank("Update", BankRole.Update, 0x24000, 0x1C000)))));
            Assert.Empty(Ids(Spec(SeedBanks().AsEnumerable().Reverse())));
            // A bank that starts one page inside its neighbour, in either order of declaration.
            var overlap = With(Bank("Update", BankRole.Update, 0x24000 - Page, 0x1C000));
            var issue = Single(Spec(overlap), "MB0001");
            Assert.Equal("Update", issue.TargetName);
            Assert.Contains("overlaps bank 'Boot'", issue.Message);
            Assert.Contains("on internal flash", issue.Message);
            Assert.Contains("Location 0x00024000 or later", issue.Message);
            var reversed = overlap.AsEnumerable().Reverse().ToList();
            Assert.Equal("Boot", Single(Spec(reversed), "MB0001").TargetName);
        }

        [Fact]
        public void BanksOnDifferentUnitsOrInRamDoNotOverlap()
        {
            // Same offsets, different address spaces: external flash, internal flash and RAM.
            var external = Bank("Update", BankRole.Update, 0x8000, 0x1C000, MemoryUnit.External);
            Assert.Empty(Ids(Spec(With(external))));
            var scratch = Bank("Spare", BankRole.Scratch, 0x8000, 0x1000, MemoryUnit.External);
            var issue = Single(Spec(With(external, scratch)), "MB0001");
            Assert.Contains("on external flash", issue.Message);
            // RAM at the flash origin: RAM is its own space.
            Assert.Empty(Ids(Spec(ramOrigin: 0x0800_0000)));
        }

        [Fact]
        public void TwoRamBanksAreADuplicateAndOverlapInRam()
        {
            var second = With(Bank("Ram2", BankRole.Ram, 0x1000, 0x1000));
            Assert.Equal(new[] { "MB0014", "MB0001" }, Ids(Spec(second)));
            Assert.Contains("on RAM", LayoutRules.Validate(Spec(second))[1].Message);
        }

        [Fact]
        public void AHeaderOnBanksWithNoRoomForAnImageIsNotReportedTwice() =>
            Assert.Equal(new[] { "MB0019" }, Ids(Spec(With(Bank("Boot", BankRole.Boot, 0x8000, Page), Bank("Update", BankRole.Update, 0x24000, Page)), imageHeaderSize: 0x200)));

        [Fact]
        public void AnEmptyBankOverlapsNothing() =>
            Assert.Equal(new[] { "MB0016" }, Ids(Spec(With(Bank("Spare", BankRole.Scratch, 0x9000, 0)))));

        [Theory]
        [InlineData("Update")]
        [InlineData("State")]
        [InlineData("Scratch")]
        public void ExternalFlashMayHoldUpdateStateAndScratch(string role)
        {
            var bank = Bank(role == "Update" ? "Update" : "Extra", (BankRole)System.Enum.Parse(typeof(BankRole), role), 0, 0x1C000, MemoryUnit.External);
            Assert.Empty(Ids(Spec(With(bank))));
        }

        [Theory]
        [InlineData("Bootloader")]
        [InlineData("Boot")]
        [InlineData("Ram")]
        public void ExternalFlashMayNotHoldWhatTheCpuRunsOrUses(string name)
        {
            var bank = SeedBanks().Single(b => b.Name == name) with { Unit = MemoryUnit.External };
            Assert.Contains("MB0018", Ids(Spec(With(bank))));
        }

        [Fact]
        public void BootloaderAwayFromTheFlashStartIsAWarning()
        {
            var moved = With(Bank("Bootloader", BankRole.Bootloader, 0x1000, 0x7000));
            var issue = Single(Spec(moved), "MB0007");
            Assert.Equal(LayoutIssueSeverity.Warning, issue.Severity);
            Assert.Contains("starts at 0x08001000", issue.Message);
            // On external flash at offset 0 it is not at the CPU's start either (and MB0018 says why).
            Assert.Equal(new[] { "MB0018", "MB0007" },
                Ids(Spec(With(Bank("Bootloader", BankRole.Bootloader, 0, 0x8000, MemoryUnit.External)))));
        }

        [Theory]
        [InlineData(0x2000_0000ul, 0x28000ul, true)]
        [InlineData(0x2000_0008ul, 0x28000ul, true)]
        [InlineData(0x2000_0004ul, 0x28000ul, false)]
        [InlineData(0x2000_0000ul, 0x28004ul, false)]
        public void RamBankIsEightByteAligned(ulong ramOrigin, ulong size, bool valid) =>
            Assert.Equal(valid ? new string[0] : new[] { "MB0020" },
                Ids(Spec(With(Bank("Ram", BankRole.Ram, 0, size)), ramOrigin: ramOrigin)));

        [Theory]
        [InlineData(32ul, true, false)]
        [InlineData(40ul, true, true)]
        [InlineData(32ul, false, true)]
        [InlineData(8ul, false, true)]
        public void RamStateNeedsMoreThanItsOwnBytes(ulong ramSize, bool hasRamState, bool valid) =>
            Assert.Equal(valid ? new string[0] : new[] { "MB0008" },
                Ids(Spec(With(Bank("Ram", BankRole.Ram, 0, ramSize)), hasRamState: hasRamState)));

        [Fact]
        public void PageRulesSkipRamAndABrokenPageSize()
        {
            // RAM is not erased in pages: an odd-sized (8-aligned) RAM bank is fine.
            Assert.Empty(Ids(Spec(With(Bank("Ram", BankRole.Ram, 8, 0x28008)))));
            // A page size that is not a power of two: no alignment noise about every bank.
            Assert.Equal(new[] { "MB0004" }, Ids(Spec(pageSize: 3000)));
            Assert.Equal(new[] { "MB0025" }, Ids(Spec(With(Bank("Boot", BankRole.Boot, 0x8008, 0x1C000 - 8)), pageSize: 16)));
        }

        [Fact]
        public void MisalignedLocationAndSizeSuggestTheMultiplesAround()
        {
            var location = Single(Spec(With(Bank("Update", BankRole.Update, 0x24100, 0x1C000))), "MB0002");
            Assert.Equal("147456,149504", location.Suggestions);
            var size = Single(Spec(With(Bank("Update", BankRole.Update, 0x24000, 0x1C100))), "MB0003");
            Assert.Equal("114688,116736", size.Suggestions);
            Assert.Contains("Use 114688 or 116736 bytes", size.Message);
            // Below one page: rounding down would give 0, which is never offered.
            var tiny = Single(Spec(With(Bank("Spare", BankRole.Scratch, 0x40000, 0x100))), "MB0003");
            Assert.Equal("2048", tiny.Suggestions);
            // Near the top of the 32-bit range: rounding up would leave it, so only rounding down is offered.
            var topLayout = Spec(With(Bank("Spare", BankRole.Scratch, 0xFFFF_F900, 0x100, MemoryUnit.External)));
            Assert.Equal(new[] { "MB0002", "MB0003" }, Ids(topLayout));
            var top = LayoutRules.Validate(topLayout)[0];
            Assert.Equal("4294965248", top.Suggestions);
            Assert.Contains("Use Location 0xFFFFF800 or 0x100000000", top.Message);
        }

        [Theory]
        [InlineData(0ul, true)]
        [InlineData(128ul, true)]
        [InlineData(0x200ul, true)]
        [InlineData(0xFF80ul, true)]
        [InlineData(32ul, false)]
        [InlineData(127ul, false)]
        [InlineData(129ul, false)]
        [InlineData(0x10000ul, false)]
        public void ImageHeaderSize(ulong header, bool valid) =>
            Assert.Equal(valid ? new string[0] : new[] { "MB0026" }, Ids(Spec(imageHeaderSize: header)));

        [Fact]
        public void ImageHeaderSizeSuggestsTheAlignedValuesAround()
        {
            Assert.Contains("Use 0x00000080, or 0", Single(Spec(imageHeaderSize: 32), "MB0026").Message);
            Assert.Contains("Use 0x00000080 or 0x00000100, or 0", Single(Spec(imageHeaderSize: 129), "MB0026").Message);
            // Past the largest header: only the largest is offered.
            Assert.Contains("Use 0x0000FF80, or 0", Single(Spec(imageHeaderSize: 0x10000), "MB0026").Message);
            Assert.Contains("Use 0x0000FF80, or 0", Single(Spec(imageHeaderSize: 0xFF81), "MB0026").Message);
        }

        [Fact]
        public void ImageHeaderAndTlvsMustLeaveRoomForAnApplication()
        {
            // Two-page banks: the largest image is one page (2048 bytes).
            var banks = With(Bank("Boot", BankRole.Boot, 0x8000, 2 * Page), Bank("Update", BankRole.Update, 0x24000, 2 * Page));
            // 1792 + 156 = 1948 bytes leave 100 bytes for the application.
            Assert.Empty(Ids(Spec(banks, imageHeaderSize: 1792)));
            Assert.Equal(100ul, new ResolvedLayout(Spec(banks, imageHeaderSize: 1792)).MaxApplicationSize);
            // 1920 + 156 > 2048: nothing left.
            Assert.Contains("leaves no room for an application", Single(Spec(banks, imageHeaderSize: 1920), "MB0026").Message);
            // The same header with no update bank: MB0005 only, the room cannot be judged.
            Assert.Equal(new[] { "MB0005" }, Ids(Spec(banks.Where(b => b.Name != "Update"), imageHeaderSize: 1920)));
        }

        [Fact]
        public void ResolvedAddresses()
        {
            var external = Bank("Update", BankRole.Update, 0x1000, 0x1C000, MemoryUnit.External);
            var layout = new ResolvedLayout(Spec(With(external)));
            Assert.Equal(0x0800_8000ul, layout.Get(BankRole.Boot).Origin);
            Assert.Equal(0x0802_4000ul, layout.Get(BankRole.Boot).End);
            Assert.Equal(56ul, layout.Get(BankRole.Boot).PageCount);
            Assert.Equal(0x1000ul, layout.Get(BankRole.Update).Origin);
            Assert.Equal(0ul, layout.Get(BankRole.Ram).PageCount);
            Assert.Equal(0x2002_7FE0ul, layout.RamStateOrigin);
            Assert.Equal(0x28000ul - 32, layout.FirmwareRamSize);
            Assert.Equal("BOOTLOADER", layout.Get(BankRole.Bootloader).RoleMacro);
            Assert.Null(layout.Find(BankRole.State));

            // An update bank of less than a page leaves no room (the spare page does not fit), not a wrapped-around size.
            Assert.Equal(0ul, new ResolvedLayout(Spec(With(Bank("Update", BankRole.Update, 0x24000, 0)))).MaxImageSize);
            Assert.Equal(0ul, new ResolvedLayout(Spec(With(Bank("Update", BankRole.Update, 0x24000, Page / 2)))).MaxImageSize);
            Assert.Equal("The layout has no Scratch bank.", Assert.Throws<System.InvalidOperationException>(() => layout.Get(BankRole.Scratch)).Message);

            var noState = new ResolvedLayout(Spec(hasRamState: false));
            Assert.Equal(0ul, noState.RamStateOrigin);
            Assert.Equal(0ul, noState.RamStateSize);
            Assert.Equal(0x28000ul, noState.FirmwareRamSize);

            var signed = new ResolvedLayout(Spec(imageHeaderSize: 0x200));
            Assert.True(signed.IsSigned);
            Assert.Equal(0x200ul + 156, signed.ImageOverhead);
            Assert.Equal(0x1C000ul - Page - 0x200 - 156, signed.MaxApplicationSize);
            Assert.Equal(0ul, new ResolvedLayout(Spec()).ImageOverhead);
            Assert.Equal(0x1C000ul - Page, new ResolvedLayout(Spec()).MaxApplicationSize);
        }

        [Theory]
        [InlineData(0ul, "0 bytes")]
        [InlineData(1ul, "1 byte")]
        [InlineData(2ul, "2 bytes")]
        [InlineData(1023ul, "1023 bytes")]
        [InlineData(1024ul, "1024 bytes (1 KiB)")]
        [InlineData(1536ul, "1536 bytes")]
        [InlineData(1024ul * 1023, "1047552 bytes (1023 KiB)")]
        [InlineData(1024ul * 1024, "1048576 bytes (1 MiB)")]
        [InlineData(1024ul * 1025, "1049600 bytes (1025 KiB)")]
        [InlineData(3ul * 1024 * 1024, "3145728 bytes (3 MiB)")]
        public void Bytes(ulong value, string expected) => Assert.Equal(expected, LayoutFormat.Bytes(value));

        [Theory]
        [InlineData(0ul, "0x00000000")]
        [InlineData(0xFFFF_FFFFul, "0xFFFFFFFF")]
        [InlineData(0x1_0000_0000ul, "0x100000000")]
        public void Hex(ulong value, string expected) => Assert.Equal(expected, LayoutFormat.Hex(value));

        /// <summary>Every layout rule's message in full, from one broken layout each, against an approved file
        /// (Snapshots/LayoutRuleBoundaryTests.EveryMessageInFull.verified.cs): what a user reads is reviewed as text.</summary>
        [Fact]
        public void EveryMessageInFull()
        {
            var twoPages = With(Bank("Boot", BankRole.Boot, 0x8000, 2 * Page), Bank("Update", BankRole.Update, 0x24000, 2 * Page));
            var cases = new (string Name, LayoutSpec Spec)[]
            {
                ("overlap", Spec(With(Bank("Update", BankRole.Update, 0x24000 - Page, 0x1C000)))),
                ("location", Spec(With(Bank("Update", BankRole.Update, 0x24100, 0x1C000)))),
                ("size", Spec(With(Bank("Update", BankRole.Update, 0x24000, 0x1C100)))),
                ("page size", Spec(pageSize: 3000)),
                ("page size 0", Spec(pageSize: 0)),
                ("no update bank", Spec(SeedBanks().Where(b => b.Name != "Update"))),
                ("update smaller", Spec(With(Bank("Update", BankRole.Update, 0x24000, 0x10000)))),
                ("bootloader moved", Spec(With(Bank("Bootloader", BankRole.Bootloader, 0x1000, 0x7000)))),
                ("RAM state", Spec(With(Bank("Ram", BankRole.Ram, 0, 32)))),
                ("past 4 GiB", Spec(With(Bank("Spare", BankRole.Scratch, 0xFFFF_F800, 0x1000, MemoryUnit.External)))),
                ("write size", Spec(writeSize: 3)),
                ("duplicate", Spec(With(Bank("Update2", BankRole.Update, 0x40000, 0x1C000)))),
                ("state one page", Spec(With(Bank("Journal", BankRole.State, 0x40000, Page)))),
                ("empty", Spec(With(Bank("Spare", BankRole.Scratch, 0x40000, 0)))),
                ("erased value", Spec(erasedValue: 0xAA)),
                ("external boot", Spec(With(Bank("Boot", BankRole.Boot, 0x8000, 0x1C000, MemoryUnit.External)))),
                ("no room", Spec(With(Bank("Boot", BankRole.Boot, 0x8000, Page), Bank("Update", BankRole.Update, 0x24000, Page)))),
                ("RAM misaligned", Spec(ramOrigin: 0x2000_0004)),
                ("state wear", Spec(With(Bank("Journal", BankRole.State, 0x40000, 2 * Page)))),
                ("page below record", Spec(pageSize: 16)),
                ("header unaligned", Spec(imageHeaderSize: 0x120)),
                ("header too large", Spec(twoPages, imageHeaderSize: 1920)),
            };
            var text = new System.Text.StringBuilder();
            foreach (var (name, spec) in cases)
            {
                text.Append("## ").Append(name).Append('\n');
                foreach (var issue in LayoutRules.Validate(spec))
                {
                    text.Append(issue.Id).Append(' ').Append(issue.Severity).Append(' ').Append(issue.Target).Append(' ')
                        .Append(issue.TargetName).Append(issue.Suggestions is null ? "" : " [" + issue.Suggestions + "]").Append('\n')
                        .Append(issue.Message).Append('\n');
                }
            }
            Snapshot.Verify(text.ToString());
        }
    }
}
