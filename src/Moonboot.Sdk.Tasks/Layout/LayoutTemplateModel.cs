using System;
using System.Globalization;
using Moonboot.Layout;
using Scriban.Runtime;

namespace Moonboot.Sdk.Tasks.Layout
{
    /// <summary>
    /// The variables and functions a layout template sees. Names are part of the public template contract
    /// (docs/generated-files.md): add, never rename.
    /// </summary>
    internal static class LayoutTemplateModel
    {
        /// <summary>Bank roles in the order the header lists them.</summary>
        private static readonly BankRole[] Roles =
        {
            BankRole.Bootloader, BankRole.Boot, BankRole.Update,
            BankRole.Ram, BankRole.State, BankRole.Scratch,
        };

        /// <summary>Roles a generated file can be rendered for, and the bank that becomes FLASH for each.</summary>
        public static bool TryGetFlashRole(string role, out BankRole? flashRole)
        {
            switch ((role ?? "").Trim().ToLowerInvariant())
            {
                case "": flashRole = null; return true;
                case "bootloader": flashRole = BankRole.Bootloader; return true;
                case "application": flashRole = BankRole.Boot; return true;
                default: flashRole = null; return false;
            }
        }

        public static ScriptObject Create(ResolvedLayout layout, string role)
        {
            if (!TryGetFlashRole(role, out var flashRole))
            {
                throw new ArgumentException("Unknown role '" + role + "': use bootloader, application or nothing.", nameof(role));
            }
            var spec = layout.Spec;
            var model = new ScriptObject
            {
                ["generator"] = "Moonboot.Sdk",
                ["config_name"] = spec.ConfigName,
                ["role"] = (role ?? "").Trim().ToLowerInvariant(),
                ["flash_origin"] = Num(spec.FlashOrigin),
                ["ram_origin"] = Num(spec.RamOrigin),
                ["page_size"] = Num(spec.PageSize),
                ["write_size"] = Num(spec.WriteSize),
                ["erased_value"] = Num(spec.ErasedValue),
                ["has_ram_state"] = spec.HasRamState,
                ["max_image_size"] = Num(layout.MaxImageSize),
                ["ram_state_origin"] = Num(layout.RamStateOrigin),
                ["ram_state_size"] = Num(layout.RamStateSize),
                ["ram_state_end"] = Num(layout.RamStateOrigin + layout.RamStateSize),
                ["firmware_ram_size"] = Num(layout.FirmwareRamSize),
                ["record_bytes"] = Num(ResolvedLayout.JournalRecordSize),
                ["image_header_size"] = Num(layout.ImageHeaderSize),
                ["is_signed"] = layout.IsSigned,
                ["signed_tlv_size"] = Num(ResolvedLayout.SignedTlvSize),
                ["image_overhead"] = Num(layout.ImageOverhead),
                ["max_application_size"] = Num(layout.MaxApplicationSize),
            };

            var banks = new ScriptArray();
            foreach (var bank in layout.Banks) banks.Add(Bank(bank));
            model["banks"] = banks;

            var roles = new ScriptArray();
            foreach (var r in Roles)
            {
                var bank = layout.Find(r);
                var bankObject = bank is null ? null : Bank(bank);
                model[r.ToString().ToLowerInvariant()] = bankObject;
                roles.Add(new ScriptObject
                {
                    ["name"] = r.ToString(),
                    ["macro"] = r.ToString().ToUpperInvariant(),
                    ["bank"] = bankObject,
                });
            }
            model["roles"] = roles;
            model["flash"] = flashRole is null ? null : Bank(layout.Get(flashRole.Value));

            model.Import("hex", new Func<object, string>(Hex));
            model.Import("dec", new Func<object, string>(Dec));
            model.Import("hex_short", new Func<object, string>(HexShort));
            return model;
        }

        private static ScriptObject Bank(ResolvedBank bank) => new ScriptObject
        {
            ["name"] = bank.Name,
            ["role"] = bank.Role.ToString(),
            ["macro"] = bank.RoleMacro,
            ["unit"] = bank.Unit == MemoryUnit.External ? "external" : "internal",
            ["unit_macro"] = bank.Unit == MemoryUnit.External ? "MOONBOOT_UNIT_EXTERNAL" : "MOONBOOT_UNIT_INTERNAL",
            ["is_external"] = bank.Unit == MemoryUnit.External,
            ["is_ram"] = bank.Spec.IsRam,
            ["offset"] = Num(bank.Offset),
            ["origin"] = Num(bank.Origin),
            ["end"] = Num(bank.End),
            ["size"] = Num(bank.Size),
            ["page_count"] = Num(bank.PageCount),
        };

        // Valid layouts stay below 2^32 (MB0009), so every value fits a long, which Scriban handles natively.
        private static long Num(ulong value) => checked((long)value);

        /// <summary>0x + 8 lower-case hex digits (moonboot style).</summary>
        public static string Hex(object value) =>
            "0x" + ToULong(value).ToString("x8", CultureInfo.InvariantCulture);

        /// <summary>0x + lower-case hex digits without padding (0xff).</summary>
        public static string HexShort(object value) =>
            "0x" + ToULong(value).ToString("x", CultureInfo.InvariantCulture);

        public static string Dec(object value) => ToULong(value).ToString(CultureInfo.InvariantCulture);

        private static ulong ToULong(object value) => value switch
        {
            null => throw new ArgumentException("hex/dec got an empty value (a bank that the layout does not have?)"),
            long l when l >= 0 => (ulong)l,
            int i when i >= 0 => (ulong)i,
            ulong u => u,
            uint u => u,
            _ => Convert.ToUInt64(value, CultureInfo.InvariantCulture),
        };
    }
}
