using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Moonboot.Layout;

namespace Moonboot.Sdk.Tasks.Firmware
{
    internal enum FirmwareRole { Bootloader, Application }

    /// <summary>How much flash and RAM a linked image uses against what its role's bank allows.</summary>
    internal sealed class FirmwareSize
    {
        private FirmwareSize() { }

        public FirmwareRole Role { get; private set; }
        public string FlashBankName { get; private set; } = "";
        public ulong FlashOrigin { get; private set; }
        public ulong FlashBankSize { get; private set; }
        /// <summary>Bytes from the bank origin to the end of the last loaded byte (the image's size in the bank).</summary>
        public ulong FlashUsed { get; private set; }
        /// <summary>Bootloader: the bootloader bank. Application: the largest image the exchange can move.</summary>
        public ulong FlashLimit { get; private set; }
        public ulong RamOrigin { get; private set; }
        public ulong RamUsed { get; private set; }
        /// <summary>The RAM bank minus the RAM-state record.</summary>
        public ulong RamLimit { get; private set; }
        public IReadOnlyList<ElfSection> Sections { get; private set; } = Array.Empty<ElfSection>();
        /// <summary>(code, message) for everything that does not fit; empty when the image fits.</summary>
        public List<(string Code, string Message)> Problems { get; } = new List<(string, string)>();

        public bool FlashFits => FlashUsed <= FlashLimit;

        public static FirmwareSize Measure(IReadOnlyList<ElfSection> sections, FirmwareRole role, ResolvedLayout layout)
        {
            var bank = layout.Get(role == FirmwareRole.Bootloader ? BankRole.Bootloader : BankRole.Boot);
            var ram = layout.Get(BankRole.Ram);
            var size = new FirmwareSize
            {
                Role = role,
                Sections = sections,
                FlashBankName = bank.Name,
                FlashOrigin = bank.Origin,
                FlashBankSize = bank.Size,
                // A signed image also carries its TLV area after the application (the header is already in front of it).
                FlashLimit = role == FirmwareRole.Bootloader ? bank.Size
                    : layout.MaxImageSize - (layout.IsSigned ? ResolvedLayout.SignedTlvSize : 0),
                RamOrigin = ram.Origin,
                RamLimit = layout.FirmwareRamSize,
            };
            bool InRam(ulong address) => address >= ram.Origin && address < ram.End;

            ulong flashEnd = bank.Origin;
            foreach (var s in sections.Where(s => s.HasContents && !InRam(s.LoadAddress)))
            {
                if (s.LoadAddress < bank.Origin)
                {
                    size.Problems.Add((FirmwareErrors.FlashTooLarge,
                        $"section {s.Name} is loaded at {LayoutFormat.Hex(s.LoadAddress)}, below the {bank.Name} bank at {LayoutFormat.Hex(bank.Origin)}"));
                    continue;
                }
                flashEnd = Math.Max(flashEnd, (ulong)s.LoadAddress + s.Size);
            }
            size.FlashUsed = flashEnd - bank.Origin;
            if (!size.FlashFits)
            {
                size.Problems.Add((FirmwareErrors.FlashTooLarge, role == FirmwareRole.Bootloader
                    ? $"The bootloader does not fit its bank: it needs {LayoutFormat.Bytes(size.FlashUsed)} of flash, the {bank.Name} bank " +
                      $"({LayoutFormat.Range(bank.Origin, bank.End)}) holds {LayoutFormat.Bytes(bank.Size)}; " +
                      $"it is {LayoutFormat.Bytes(size.FlashUsed - size.FlashLimit)} too large. Shrink the code (MoonbootOptimization=-Os, fewer features) or enlarge the bootloader bank in the layout."
                    : $"The application does not fit: it needs {LayoutFormat.Bytes(size.FlashUsed)} of flash, but the largest image the exchange can move " +
                      $"is {LayoutFormat.Bytes(size.FlashLimit)} (boot bank {bank.Name}: {LayoutFormat.Bytes(bank.Size)}, minus the spare page the update bank needs); " +
                      $"it is {LayoutFormat.Bytes(size.FlashUsed - size.FlashLimit)} too large. Shrink the application or enlarge the boot and update banks."));
            }

            ulong ramEnd = ram.Origin + size.RamLimit;
            foreach (var s in sections.Where(s => s.Writable && InRam(s.Address)))
            {
                if (layout.HasRamState && s.Address >= layout.RamStateOrigin) continue; // the state record has its own region
                size.RamUsed += s.Size;
                if ((ulong)s.Address + s.Size > ramEnd)
                {
                    size.Problems.Add((FirmwareErrors.RamTooLarge,
                        $"section {s.Name} ({LayoutFormat.Range(s.Address, (ulong)s.Address + s.Size)}) runs past the RAM available to the firmware, which ends at {LayoutFormat.Hex(ramEnd)}"));
                }
            }
            if (size.RamUsed > size.RamLimit && !size.Problems.Any(p => p.Code == FirmwareErrors.RamTooLarge))
            {
                size.Problems.Add((FirmwareErrors.RamTooLarge,
                    $"The firmware needs {LayoutFormat.Bytes(size.RamUsed)} of RAM; the {ram.Name} bank leaves {LayoutFormat.Bytes(size.RamLimit)} after the RAM state."));
            }
            return size;
        }

        public static string Percent(ulong used, ulong limit) =>
            limit == 0 ? "-" : (100.0 * used / limit).ToString("0.0", CultureInfo.InvariantCulture) + "%";

        public string Summary(string name) =>
            $"{name} ({Role}): flash {Thousands(FlashUsed)} / {Thousands(FlashLimit)} bytes ({Percent(FlashUsed, FlashLimit)}), " +
            $"RAM {Thousands(RamUsed)} / {Thousands(RamLimit)} bytes ({Percent(RamUsed, RamLimit)})";

        public string Report(string name, string elfPath)
        {
            var text = new StringBuilder();
            text.Append("# Moonboot firmware size report\n");
            text.Append("image: ").Append(name).Append('\n');
            text.Append("elf: ").Append(elfPath).Append('\n');
            text.Append("role: ").Append(Role).Append('\n');
            text.Append("flash.bank: ").Append(FlashBankName).Append(' ').Append(LayoutFormat.Range(FlashOrigin, FlashOrigin + FlashBankSize)).Append('\n');
            text.Append("flash.used: ").Append(LayoutFormat.Decimal(FlashUsed)).Append('\n');
            text.Append("flash.limit: ").Append(LayoutFormat.Decimal(FlashLimit))
                .Append(Role == FirmwareRole.Application ? " (largest exchangeable image)" : " (bootloader bank)").Append('\n');
            text.Append("flash.free: ").Append(FlashFits ? LayoutFormat.Decimal(FlashLimit - FlashUsed) : "-" + LayoutFormat.Decimal(FlashUsed - FlashLimit)).Append('\n');
            text.Append("ram.origin: ").Append(LayoutFormat.Hex(RamOrigin)).Append('\n');
            text.Append("ram.used: ").Append(LayoutFormat.Decimal(RamUsed)).Append('\n');
            text.Append("ram.limit: ").Append(LayoutFormat.Decimal(RamLimit)).Append('\n');
            text.Append("\nsection            vma         lma         size  kind\n");
            foreach (var s in Sections.OrderBy(s => s.LoadAddress))
            {
                string kind = !s.HasContents ? "ram (no load)" : s.LoadAddress != s.Address ? "flash -> ram" : s.Writable ? "ram" : "flash";
                text.Append(s.Name.PadRight(18)).Append(' ')
                    .Append(LayoutFormat.Hex(s.Address)).Append("  ")
                    .Append(LayoutFormat.Hex(s.LoadAddress)).Append(' ')
                    .Append(LayoutFormat.Decimal(s.Size).PadLeft(8)).Append("  ")
                    .Append(kind).Append('\n');
            }
            return text.ToString();
        }

        private static string Thousands(ulong value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
