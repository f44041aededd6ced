using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Moonboot.Imaging
{
    // Shared by the moonboot tool's `map` and the SDK's build (its memory map table and obj/ SVG): one renderer.
    /// <summary>One row of the map: a bank and, given an ELF, the bytes of it that the ELF's load segments use.</summary>
    public sealed class MapRow
    {
        public MapRow(LayoutBank bank, ulong? used) { Bank = bank; Used = used; }
        public LayoutBank Bank { get; }
        public ulong? Used { get; }
    }

    /// <summary>The layout as rows (for the table) and as an SVG, with the space an ELF uses when one is given.</summary>
    public sealed class MemoryMap
    {
        private MemoryMap(ImageLayout layout, List<MapRow> rows, List<string> outside)
        {
            Layout = layout; Rows = rows; Outside = outside;
        }

        public ImageLayout Layout { get; }
        public IReadOnlyList<MapRow> Rows { get; }
        /// <summary>ELF segments that lie outside every bank, described.</summary>
        public IReadOnlyList<string> Outside { get; }

        public static MemoryMap Build(ImageLayout layout, IReadOnlyList<ElfSegment>? segments)
        {
            var rows = new List<MapRow>();
            var outside = new List<string>();
            var ranges = new List<(ulong Start, ulong End, bool Ram, ElfSegment Segment)>();
            if (segments != null)
            {
                foreach (var s in segments)
                {
                    // Flash holds a segment's file bytes at its LMA; RAM holds its memory image at its VMA.
                    if (s.FileSize > 0) ranges.Add((s.PhysicalAddress, (ulong)s.PhysicalAddress + s.FileSize, false, s));
                    if (s.MemorySize > 0) ranges.Add((s.VirtualAddress, (ulong)s.VirtualAddress + s.MemorySize, true, s));
                }
            }
            foreach (var bank in layout.Banks.OrderBy(b => b.IsRam).ThenBy(b => b.Unit).ThenBy(b => b.Origin))
            {
                ulong? used = null;
                if (segments != null)
                {
                    var spans = ranges.Where(r => bank.Unit == "Internal" && r.Ram == bank.IsRam)
                        .Select(r => (Math.Max(r.Start, bank.Origin), Math.Min(r.End, bank.End)))
                        .Where(r => r.Item1 < r.Item2).OrderBy(r => r.Item1).ToList();
                    ulong total = 0, covered = bank.Origin;
                    foreach (var (start, end) in spans)
                    {
                        ulong from = Math.Max(start, covered);
                        if (end > from) { total += end - from; covered = end; }
                    }
                    used = total;
                }
                rows.Add(new MapRow(bank, used));
            }
            foreach (var r in ranges)
            {
                // A VMA in flash (execute in place) is the same bytes as its LMA: only flag what no bank holds.
                bool inside = layout.Banks.Any(b => b.Unit == "Internal" && r.Start >= b.Origin && r.End <= b.End);
                if (!inside)
                {
                    outside.Add($"{(r.Ram ? "run" : "load")} range {Num.Hex32(r.Start)}..{Num.Hex32(r.End)} ({r.End - r.Start} bytes) is not inside one bank");
                }
            }
            return new MemoryMap(layout, rows, outside);
        }

        /// <summary>
        /// The map as a plain-text table, one line per bank (as ESP-IDF prints its partition table), for the build log:
        /// name, role, unit, origin, end, size, pages, and the bytes used when an ELF was given.
        /// </summary>
        public string ToTable()
        {
            var lines = new List<string[]> { new[] { "bank", "role", "unit", "origin", "end", "size", "pages" } };
            bool withUsed = Rows.Any(r => r.Used.HasValue);
            if (withUsed) lines[0] = lines[0].Concat(new[] { "used" }).ToArray();
            foreach (var row in Rows)
            {
                var b = row.Bank;
                var cells = new List<string> { b.Name, b.Role, b.Unit, Num.Hex32(b.Origin), Num.Hex32(b.End), Num.Size(b.Size),
                    b.IsRam ? "-" : b.PageCount.ToString(CultureInfo.InvariantCulture) };
                if (withUsed)
                {
                    ulong used = row.Used ?? 0;
                    cells.Add(F("{0} B ({1:0.0}%)", used, b.Size == 0 ? 0 : 100.0 * used / b.Size));
                }
                lines.Add(cells.ToArray());
            }
            var widths = Enumerable.Range(0, lines[0].Length).Select(i => lines.Max(l => l[i].Length)).ToArray();
            var text = new StringBuilder();
            text.Append(F("{0}: page {1} B, write {2} B, header {3} B, largest image {4} B\n", Layout.ConfigName,
                Layout.PageSize, Layout.WriteSize, Layout.IsSigned ? Layout.HeaderSize : 0, Layout.MaxImageSize));
            foreach (var l in lines)
            {
                text.Append(string.Join("  ", l.Select((c, i) => i == l.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd()).Append('\n');
            }
            return text.ToString();
        }

        public string ToSvg()
        {
            const int columnWidth = 300, gap = 40, top = 50, height = 480, minBox = 34;
            var units = Rows.GroupBy(r => r.Bank.IsRam ? "RAM" : r.Bank.Unit == "Internal" ? "Internal flash" : "External flash").ToList();
            int width = gap + units.Count * (columnWidth + gap);
            var svg = new StringBuilder();
            svg.Append(F("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" font-family=\"monospace\" font-size=\"11\">\n", width, top + height + 40));
            svg.Append(F("  <title>Moonboot layout {0}</title>\n", Escape(Layout.ConfigName)));
            svg.Append(F("  <text x=\"{0}\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{1}: page {2} B, write {3} B, largest image {4} B</text>\n",
                gap, Escape(Layout.ConfigName), Layout.PageSize, Layout.WriteSize, Layout.MaxImageSize));
            int x = gap;
            foreach (var unit in units)
            {
                var rows = unit.ToList();
                ulong span = rows.Aggregate(0UL, (sum, r) => sum + r.Bank.Size);
                int free = height - rows.Count * minBox;
                svg.Append(F("  <text x=\"{0}\" y=\"{1}\" font-weight=\"bold\">{2}</text>\n", x, top - 8, unit.Key));
                // Lowest address at the bottom, as memory maps are usually drawn.
                int y = top + height;
                foreach (var row in rows)
                {
                    var bank = row.Bank;
                    int h = minBox + (int)(span == 0 ? 0 : (double)free * bank.Size / span);
                    y -= h;
                    svg.Append(F("  <g class=\"bank\" data-role=\"{0}\" data-origin=\"{1}\" data-size=\"{2}\">\n", bank.Role, Num.Hex32(bank.Origin), bank.Size));
                    svg.Append(F("    <rect x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"{3}\" fill=\"{4}\" stroke=\"#333\"/>\n", x, y, columnWidth, h, Fill(bank.Role)));
                    if (row.Used is ulong used && bank.Size > 0)
                    {
                        int uh = Math.Max(used > 0 ? 2 : 0, (int)((double)h * used / bank.Size));
                        svg.Append(F("    <rect class=\"used\" x=\"{0}\" y=\"{1}\" width=\"12\" height=\"{2}\" fill=\"#c0392b\"><title>{3} of {4} bytes used</title></rect>\n",
                            x + columnWidth - 12, y + h - uh, uh, used, bank.Size));
                    }
                    string pages = bank.IsRam ? "" : F(", {0} pages", bank.PageCount);
                    string usedText = row.Used is ulong u ? F(", {0} used", Num.Size(u)) : "";
                    svg.Append(F("    <text x=\"{0}\" y=\"{1}\" font-weight=\"bold\">{2} ({3})</text>\n", x + 6, y + 14, Escape(bank.Name), bank.Role));
                    svg.Append(F("    <text x=\"{0}\" y=\"{1}\">{2}..{3}, {4}{5}{6}</text>\n", x + 6, y + 27, Num.Hex32(bank.Origin), Num.Hex32(bank.End), Num.Size(bank.Size), pages, usedText));
                    svg.Append("  </g>\n");
                }
                x += columnWidth + gap;
            }
            svg.Append("</svg>\n");
            return svg.ToString();
        }

        private static string Fill(string role) => role switch
        {
            "Bootloader" => "#d6e4f0",
            "Boot" => "#d5f0d6",
            "Update" => "#f6ecc9",
            "State" => "#ead7f0",
            "Scratch" => "#eeeeee",
            _ => "#f0dcd5",
        };

        private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

        private static string F(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
    }

    /// <summary>A PT_LOAD segment of a 32-bit little-endian ELF: where it is stored (LMA) and where it runs (VMA).</summary>
    public sealed class ElfSegment
    {
        public uint VirtualAddress { get; set; }
        public uint PhysicalAddress { get; set; }
        public uint FileSize { get; set; }
        public uint MemorySize { get; set; }
    }

    internal static class Num
    {
        public static string Hex32(ulong v) => "0x" + v.ToString("X8", CultureInfo.InvariantCulture);
        public static string Size(ulong v) =>
            v >= 1024 && v % 1024 == 0 ? (v / 1024).ToString(CultureInfo.InvariantCulture) + " KiB" : v.ToString(CultureInfo.InvariantCulture) + " B";
    }
}
