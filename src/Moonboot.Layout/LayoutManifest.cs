using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Moonboot.Layout
{
    /// <summary>
    /// The normalized layout as text. The generator stores it as a const string in the compiled config assembly
    /// (type <see cref="TypeNamespace"/>.<see cref="TypeName"/>, field <see cref="FieldName"/>); the SDK's tasks read
    /// it back with System.Reflection.Metadata and render memory.x and the C header from it.
    /// </summary>
    internal static class LayoutManifest
    {
        public const string TypeNamespace = "Moonboot.Generated";
        public const string TypeName = "MoonbootLayoutManifest";
        public const string FieldName = "Text";
        public const string Header = "moonboot-layout 1";

        public static string Write(LayoutSpec spec)
        {
            var text = new StringBuilder();
            text.Append(Header).Append('\n');
            text.Append("config ").Append(spec.ConfigName).Append('\n');
            Line(text, "flash_origin", LayoutFormat.Hex(spec.FlashOrigin));
            Line(text, "ram_origin", LayoutFormat.Hex(spec.RamOrigin));
            Line(text, "page_size", LayoutFormat.Decimal(spec.PageSize));
            Line(text, "write_size", LayoutFormat.Decimal(spec.WriteSize));
            Line(text, "erased_value", LayoutFormat.Hex(spec.ErasedValue));
            Line(text, "has_ram_state", spec.HasRamState ? "true" : "false");
            Line(text, "image_header_size", LayoutFormat.Hex(spec.ImageHeaderSize));
            foreach (var bank in spec.Banks)
            {
                text.Append("bank ").Append(bank.Name)
                    .Append(" role=").Append(bank.Role.ToString())
                    .Append(" unit=").Append(bank.Unit.ToString())
                    .Append(" location=").Append(LayoutFormat.Hex(bank.Location))
                    .Append(" size=").Append(LayoutFormat.Decimal(bank.Size))
                    .Append('\n');
            }
            return text.ToString();
        }

        /// <summary>Parses a manifest; throws <see cref="FormatException"/> with the line number on bad input.</summary>
        public static LayoutSpec Read(string manifest)
        {
            var lines = manifest.Replace("\r\n", "\n").Split('\n');
            if (lines.Length == 0 || lines[0].Trim() != Header)
            {
                throw new FormatException($"line 1: expected '{Header}', found '{(lines.Length > 0 ? lines[0] : "")}'");
            }
            string? config = null;
            var values = new Dictionary<string, string>();
            var banks = new List<LayoutBankSpec>();
            for (int i = 1; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                if (line.Length == 0) continue;
                var parts = line.Split(' ');
                try
                {
                    switch (parts[0])
                    {
                        case "config" when parts.Length == 2:
                            config = parts[1];
                            break;
                        case "bank":
                            banks.Add(ReadBank(parts));
                            break;
                        default:
                            if (parts.Length != 2) throw new FormatException("expected '<key> <value>'");
                            values[parts[0]] = parts[1];
                            break;
                    }
                }
                catch (Exception e) when (e is FormatException || e is OverflowException || e is ArgumentException)
                {
                    throw new FormatException($"line {i + 1}: {e.Message} in '{line}'", e);
                }
            }
            return new LayoutSpec(
                config ?? throw new FormatException("missing 'config' line"),
                Number(Required(values, "flash_origin")),
                Number(Required(values, "ram_origin")),
                Number(Required(values, "page_size")),
                Number(Required(values, "write_size")),
                Number(Required(values, "erased_value")),
                Required(values, "has_ram_state") == "true",
                banks,
                // Optional: layout.txt files written before signed images were CRC-only.
                values.TryGetValue("image_header_size", out var header) ? Number(header) : LayoutDefaults.ImageHeaderSize);
        }

        private static LayoutBankSpec ReadBank(string[] parts)
        {
            if (parts.Length != 6) throw new FormatException("expected 'bank <name> role= unit= location= size='");
            string Field(int index, string key)
            {
                string prefix = key + "=";
                if (!parts[index].StartsWith(prefix, StringComparison.Ordinal)) throw new FormatException("expected " + prefix);
                return parts[index].Substring(prefix.Length);
            }
            return new LayoutBankSpec(
                parts[1],
                (BankRole)Enum.Parse(typeof(BankRole), Field(2, "role")),
                (MemoryUnit)Enum.Parse(typeof(MemoryUnit), Field(3, "unit")),
                Number(Field(4, "location")),
                Number(Field(5, "size")));
        }

        private static string Required(Dictionary<string, string> values, string key) =>
            values.TryGetValue(key, out var value) ? value : throw new FormatException("missing '" + key + "' line");

        private static ulong Number(string text) =>
            text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.Parse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                : ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

        private static void Line(StringBuilder text, string key, string value) =>
            text.Append(key).Append(' ').Append(value).Append('\n');
    }
}
