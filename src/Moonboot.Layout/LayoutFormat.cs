using System.Globalization;

namespace Moonboot.Layout
{
    /// <summary>Number formatting shared by messages and generated files; always invariant culture.</summary>
    internal static class LayoutFormat
    {
        /// <summary>At least 8 hex digits ("0x08000000"); a 33-bit end address gets its 9th ("0x100000000").</summary>
        public static string Hex(ulong value) => "0x" + value.ToString("X8", CultureInfo.InvariantCulture);

        public static string Decimal(ulong value) => value.ToString(CultureInfo.InvariantCulture);

        private const ulong KiB = 1024, MiB = 1024 * KiB;

        /// <summary>Bytes, with KiB/MiB when exact: "114688 bytes (112 KiB)".</summary>
        public static string Bytes(ulong value)
        {
            // Interpolated rather than concatenated: Stryker.NET turns a string '+' into '-', which does not compile.
            string bytes = $"{Decimal(value)} {(value == 1 ? "byte" : "bytes")}";
            if (value >= MiB && value % MiB == 0) return $"{bytes} ({Decimal(value / MiB)} MiB)";
            if (value >= KiB && value % KiB == 0) return $"{bytes} ({Decimal(value / KiB)} KiB)";
            return bytes;
        }

        public static string Range(ulong origin, ulong end) => $"{Hex(origin)}..{Hex(end)}";
    }
}
