using System;
using System.Collections.Generic;
using System.Text;

namespace Moonboot.Imaging
{
    /// <summary>
    /// Intel HEX, the other format firmware builds write: <see cref="Parse"/> lays the data records out from the lowest
    /// address (gaps filled), <see cref="Write"/> writes 16-byte data records with extended linear addresses.
    /// </summary>
    public static class IntelHex
    {
        public static byte[] Parse(string text, string source, byte fill)
        {
            var data = new SortedDictionary<uint, byte>();
            uint upper = 0;
            int lineNumber = 0;
            foreach (var raw in text.Split('\n'))
            {
                lineNumber++;
                string line = raw.Trim();
                if (line.Length == 0) continue;
                byte[] rec;
                try
                {
                    if (line[0] != ':') throw new FormatException("no ':'");
                    rec = Hex.Parse(line.Substring(1));
                }
                catch (FormatException e)
                {
                    throw new MoonbootException(MoonbootError.FileUnreadable, $"{source}:{lineNumber}: not Intel HEX ({e.Message})");
                }
                int sum = 0;
                foreach (var b in rec) sum += b;
                if (rec.Length < 5 || rec.Length != rec[0] + 5 || (sum & 0xff) != 0)
                {
                    throw new MoonbootException(MoonbootError.FileUnreadable, $"{source}:{lineNumber}: bad Intel HEX record (length or checksum)");
                }
                int type = rec[3];
                uint address = (uint)(rec[1] << 8 | rec[2]);
                if (type == 0) for (int i = 0; i < rec[0]; i++) data[upper + address + (uint)i] = rec[4 + i];
                else if (type == 1) break;
                else if (type == 4) upper = (uint)(rec[4] << 24 | rec[5] << 16);
                else if (type == 2) upper = (uint)(rec[4] << 12 | rec[5] << 4);
            }
            if (data.Count == 0) return new byte[0];
            uint first = 0, last = 0;
            bool any = false;
            foreach (var key in data.Keys) { if (!any) { first = key; any = true; } last = key; }
            var result = new byte[last - first + 1];
            for (int i = 0; i < result.Length; i++) result[i] = fill;
            foreach (var pair in data) result[pair.Key - first] = pair.Value;
            return result;
        }

        public static string Write(byte[] data, uint address)
        {
            var text = new StringBuilder();
            uint upper = uint.MaxValue;
            for (int offset = 0; offset < data.Length; offset += 16)
            {
                uint a = address + (uint)offset;
                if (a >> 16 != upper)
                {
                    upper = a >> 16;
                    Record(text, 0, 4, new[] { (byte)(upper >> 8), (byte)upper });
                }
                int n = Math.Min(16, data.Length - offset);
                var chunk = new byte[n];
                Buffer.BlockCopy(data, offset, chunk, 0, n);
                Record(text, (ushort)a, 0, chunk);
            }
            Record(text, 0, 1, new byte[0]);
            return text.ToString();
        }

        private static void Record(StringBuilder text, ushort address, byte type, byte[] data)
        {
            var rec = new byte[data.Length + 5];
            rec[0] = (byte)data.Length; rec[1] = (byte)(address >> 8); rec[2] = (byte)address; rec[3] = type;
            Buffer.BlockCopy(data, 0, rec, 4, data.Length);
            int sum = 0;
            for (int i = 0; i < rec.Length - 1; i++) sum += rec[i];
            rec[rec.Length - 1] = (byte)(-sum);
            text.Append(':').Append(Hex.Of(rec).ToUpperInvariant()).Append('\n');
        }
    }
}
