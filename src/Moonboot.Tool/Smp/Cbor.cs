using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Moonboot.Imaging;

namespace Moonboot.Tool.Smp
{
    /// <summary>
    /// The CBOR (RFC 8949) subset SMP bodies use, written in preferred (shortest) encoding with definite lengths,
    /// as mcumgr and MCUboot write it. Maps keep the caller's key order so request bytes are predictable.
    /// </summary>
    internal sealed class CborWriter
    {
        private readonly MemoryStream _out = new MemoryStream();

        public byte[] ToArray() => _out.ToArray();

        public CborWriter Map(int count) { Head(5, (ulong)count); return this; }
        public CborWriter Array(int count) { Head(4, (ulong)count); return this; }
        public CborWriter UInt(ulong value) { Head(0, value); return this; }
        public CborWriter Int(long value) { if (value >= 0) Head(0, (ulong)value); else Head(1, (ulong)(-1 - value)); return this; }
        public CborWriter Bool(bool value) { _out.WriteByte(value ? (byte)0xf5 : (byte)0xf4); return this; }

        public CborWriter Text(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            Head(3, (ulong)bytes.Length);
            _out.Write(bytes, 0, bytes.Length);
            return this;
        }

        public CborWriter Bytes(byte[] value)
        {
            Head(2, (ulong)value.Length);
            _out.Write(value, 0, value.Length);
            return this;
        }

        /// <summary>Bytes a byte-string head for <paramref name="length"/> takes: 1, 2, 3, 5 or 9.</summary>
        public static int HeadSize(ulong length) => length < 24 ? 1 : length <= 0xff ? 2 : length <= 0xffff ? 3 : length <= 0xffffffff ? 5 : 9;

        private void Head(int major, ulong value)
        {
            byte mt = (byte)(major << 5);
            if (value < 24) { _out.WriteByte((byte)(mt | (byte)value)); return; }
            int bytes = HeadSize(value) - 1;
            _out.WriteByte((byte)(mt | (bytes == 1 ? 24 : bytes == 2 ? 25 : bytes == 4 ? 26 : 27)));
            for (int i = bytes - 1; i >= 0; i--) _out.WriteByte((byte)(value >> (8 * i)));
        }
    }

    /// <summary>
    /// Reads any well-formed CBOR item into plain objects: long / ulong, byte[], string, bool, null, double,
    /// List&lt;object?&gt; and Dictionary&lt;string, object?&gt; (non-text keys become their text). Indefinite lengths
    /// are accepted, since zcbor-based servers write them. Malformed input is MBT5005.
    /// </summary>
    internal sealed class CborReader
    {
        private const int MaxDepth = 16;
        private readonly byte[] _data;
        private int _pos;

        private CborReader(byte[] data, int offset) { _data = data; _pos = offset; }

        public static object? Decode(byte[] data, int offset = 0)
        {
            var reader = new CborReader(data, offset);
            var value = reader.Item(0);
            if (reader._pos != data.Length) throw Bad($"{data.Length - reader._pos} bytes after the CBOR item");
            return value;
        }

        private object? Item(int depth)
        {
            if (depth > MaxDepth) throw Bad("nested too deeply");
            byte initial = Next();
            int major = initial >> 5, info = initial & 31;
            if (major == 7) return Simple(info);
            if (info == 31) return Indefinite(major, depth);
            ulong arg = Argument(info);
            switch (major)
            {
                case 0: return arg <= long.MaxValue ? (object)(long)arg : arg;
                case 1: if (arg > long.MaxValue) throw Bad("negative integer out of range"); return -1 - (long)arg;
                case 2: return Take(arg);
                case 3: return Encoding.UTF8.GetString(Take(arg));
                case 4:
                {
                    var list = new List<object?>();
                    for (ulong i = 0; i < arg; i++) { Need(1); list.Add(Item(depth + 1)); }
                    return list;
                }
                case 5:
                {
                    var map = new Dictionary<string, object?>();
                    for (ulong i = 0; i < arg; i++) { Need(2); map[Key(depth)] = Item(depth + 1); }
                    return map;
                }
                default: // 6: a tag; the tagged item is what matters here.
                    return Item(depth + 1);
            }
        }

        private object? Indefinite(int major, int depth)
        {
            switch (major)
            {
                case 2:
                case 3:
                {
                    var chunks = new MemoryStream();
                    while (Peek() != 0xff)
                    {
                        var chunk = Item(depth + 1);
                        byte[] bytes = chunk as byte[] ?? (chunk is string s ? Encoding.UTF8.GetBytes(s) : throw Bad("bad chunk in indefinite string"));
                        chunks.Write(bytes, 0, bytes.Length);
                    }
                    _pos++;
                    return major == 2 ? (object)chunks.ToArray() : Encoding.UTF8.GetString(chunks.ToArray());
                }
                case 4:
                {
                    var list = new List<object?>();
                    while (Peek() != 0xff) list.Add(Item(depth + 1));
                    _pos++;
                    return list;
                }
                case 5:
                {
                    var map = new Dictionary<string, object?>();
                    while (Peek() != 0xff) map[Key(depth)] = Item(depth + 1);
                    _pos++;
                    return map;
                }
                default: throw Bad($"indefinite length on major type {major}");
            }
        }

        private string Key(int depth)
        {
            var key = Item(depth + 1);
            return key as string ?? Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }

        private object? Simple(int info)
        {
            switch (info)
            {
                case 20: return false;
                case 21: return true;
                case 22:
                case 23: return null;
                case 25: { var b = Take(2); return HalfToDouble((ushort)(b[0] << 8 | b[1])); }
                case 26: { var b = Take(4); System.Array.Reverse(b); return (double)BitConverter.ToSingle(b, 0); }
                case 27: { var b = Take(8); System.Array.Reverse(b); return BitConverter.ToDouble(b, 0); }
                case 31: throw Bad("unexpected break");
                default: return null;
            }
        }

        private static double HalfToDouble(ushort h)
        {
            int exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
            double v = exp == 0 ? mant * Math.Pow(2, -24) : exp == 31 ? (mant == 0 ? double.PositiveInfinity : double.NaN) : (mant + 1024) * Math.Pow(2, exp - 25);
            return (h & 0x8000) != 0 ? -v : v;
        }

        private ulong Argument(int info)
        {
            if (info < 24) return (ulong)info;
            int bytes = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : throw Bad($"reserved additional info {info}");
            var b = Take((ulong)bytes);
            ulong v = 0;
            foreach (var x in b) v = v << 8 | x;
            return v;
        }

        private byte Next() { Need(1); return _data[_pos++]; }
        private byte Peek() { Need(1); return _data[_pos]; }

        private void Need(ulong n)
        {
            if ((ulong)(_data.Length - _pos) < n) throw Bad("truncated CBOR");
        }

        private byte[] Take(ulong n)
        {
            Need(n);
            var r = new byte[n];
            Buffer.BlockCopy(_data, _pos, r, 0, (int)n);
            _pos += (int)n;
            return r;
        }

        private static MoonbootException Bad(string what) => new MoonbootException(MoonbootError.ProtocolError, "malformed CBOR from the device: " + what);
    }
}
