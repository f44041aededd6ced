using System;
using System.Collections.Generic;
using System.IO;

namespace Moonboot.Imaging
{
    /// <summary>The 32-byte image header (struct image_header).</summary>
    public sealed class ImageHeader
    {
        public uint Magic { get; set; } = ImageFormat.ImageMagic;
        public uint LoadAddress { get; set; }
        /// <summary>Bytes from the start of the image to the payload (the vector table), 32 or more.</summary>
        public ushort HeaderSize { get; set; }
        /// <summary>Bytes of the protected TLV area, its info header included; 0 when there is none.</summary>
        public ushort ProtectedTlvSize { get; set; }
        /// <summary>Bytes of the payload (header excluded).</summary>
        public uint ImageSize { get; set; }
        public uint Flags { get; set; }
        public ImageVersion Version { get; set; }
        public uint Pad1 { get; set; }

        public byte[] ToBytes()
        {
            var b = new byte[ImageFormat.HeaderStructSize];
            LittleEndian.Put32(b, 0, Magic);
            LittleEndian.Put32(b, 4, LoadAddress);
            LittleEndian.Put16(b, 8, HeaderSize);
            LittleEndian.Put16(b, 10, ProtectedTlvSize);
            LittleEndian.Put32(b, 12, ImageSize);
            LittleEndian.Put32(b, 16, Flags);
            b[20] = Version.Major;
            b[21] = Version.Minor;
            LittleEndian.Put16(b, 22, Version.Revision);
            LittleEndian.Put32(b, 24, Version.Build);
            LittleEndian.Put32(b, 28, Pad1);
            return b;
        }

        public static ImageHeader Read(byte[] b)
        {
            if (b.Length < ImageFormat.HeaderStructSize)
            {
                throw new MoonbootException(MoonbootError.ImageTruncated,
                    $"the image is {b.Length} bytes, shorter than the {ImageFormat.HeaderStructSize}-byte MCUboot header");
            }
            return new ImageHeader
            {
                Magic = LittleEndian.Get32(b, 0),
                LoadAddress = LittleEndian.Get32(b, 4),
                HeaderSize = LittleEndian.Get16(b, 8),
                ProtectedTlvSize = LittleEndian.Get16(b, 10),
                ImageSize = LittleEndian.Get32(b, 12),
                Flags = LittleEndian.Get32(b, 16),
                Version = new ImageVersion(b[20], b[21], LittleEndian.Get16(b, 22), LittleEndian.Get32(b, 24)),
                Pad1 = LittleEndian.Get32(b, 28),
            };
        }
    }

    /// <summary>One TLV entry: a 16-bit type (imgtool writes 8-bit types as type, 0), a value up to 65535 bytes.</summary>
    public sealed class ImageTlv
    {
        public ImageTlv(ushort type, byte[] value)
        {
            if (value.Length > ushort.MaxValue)
            {
                throw new MoonbootException(MoonbootError.BadTlv, $"TLV 0x{type:x2} is {value.Length} bytes, more than 65535");
            }
            Type = type;
            Value = value;
        }

        public ushort Type { get; }
        public byte[] Value { get; }
        public string Name => ImageFormat.TlvName(Type);
    }

    /// <summary>
    /// A whole MCUboot image: header area, payload, protected TLVs, unprotected TLVs and whatever follows them
    /// (a pad up to the slot, for instance). <see cref="Parse"/> bounds-checks every length against the file before
    /// reading it; <see cref="ToBytes"/> writes exactly what was parsed, so parse and write round-trip.
    /// </summary>
    public sealed class McubootImage
    {
        public McubootImage(ImageHeader header, byte[] headerPadding, byte[] payload,
            IReadOnlyList<ImageTlv> protectedTlvs, IReadOnlyList<ImageTlv> tlvs, byte[] trailer)
        {
            Header = header; HeaderPadding = headerPadding; Payload = payload;
            ProtectedTlvs = protectedTlvs; Tlvs = tlvs; Trailer = trailer;
        }

        public ImageHeader Header { get; }
        /// <summary>Bytes 32..HeaderSize of the header area (the erased value, 0xFF, when imgtool --pad-header or this library wrote it).</summary>
        public byte[] HeaderPadding { get; }
        public byte[] Payload { get; }
        public IReadOnlyList<ImageTlv> ProtectedTlvs { get; }
        public IReadOnlyList<ImageTlv> Tlvs { get; }
        /// <summary>Bytes after the TLV area (imgtool's --pad fill and trailer); empty for an unpadded image.</summary>
        public byte[] Trailer { get; }

        /// <summary>Header area + payload + protected TLV area: what the SHA-256 TLV covers.</summary>
        public byte[] HashedRegion()
        {
            var stream = new MemoryStream();
            WriteHashedRegion(stream);
            return stream.ToArray();
        }

        /// <summary>The bytes the bootloader moves: header, payload and both TLV areas (no trailer).</summary>
        public int ImageLength => Header.HeaderSize + Payload.Length + ProtectedAreaLength + UnprotectedAreaLength;

        public int ProtectedAreaLength => ProtectedTlvs.Count == 0 ? 0 : TlvAreaLength(ProtectedTlvs);
        public int UnprotectedAreaLength => TlvAreaLength(Tlvs);

        public ImageTlv? Find(ushort type)
        {
            foreach (var tlv in ProtectedTlvs) if (tlv.Type == type) return tlv;
            foreach (var tlv in Tlvs) if (tlv.Type == type) return tlv;
            return null;
        }

        /// <summary>The protected security counter (TLV 0x50), or null when the image has none.</summary>
        public uint? SecurityCounter
        {
            get
            {
                foreach (var tlv in ProtectedTlvs)
                {
                    if (tlv.Type == ImageFormat.TlvSecurityCounter && tlv.Value.Length == 4) return LittleEndian.Get32(tlv.Value, 0);
                }
                return null;
            }
        }

        public byte[] ToBytes()
        {
            var stream = new MemoryStream();
            WriteHashedRegion(stream);
            WriteArea(stream, ImageFormat.TlvInfoMagic, Tlvs);
            stream.Write(Trailer, 0, Trailer.Length);
            return stream.ToArray();
        }

        private void WriteHashedRegion(Stream stream)
        {
            var header = Header.ToBytes();
            stream.Write(header, 0, header.Length);
            stream.Write(HeaderPadding, 0, HeaderPadding.Length);
            stream.Write(Payload, 0, Payload.Length);
            if (ProtectedTlvs.Count > 0) WriteArea(stream, ImageFormat.ProtectedTlvInfoMagic, ProtectedTlvs);
        }

        internal static int TlvAreaLength(IReadOnlyList<ImageTlv> tlvs)
        {
            int length = ImageFormat.TlvInfoSize;
            foreach (var tlv in tlvs) length += ImageFormat.TlvEntryHeaderSize + tlv.Value.Length;
            return length;
        }

        private static void WriteArea(Stream stream, ushort magic, IReadOnlyList<ImageTlv> tlvs)
        {
            int total = TlvAreaLength(tlvs);
            if (total > ushort.MaxValue)
            {
                throw new MoonbootException(MoonbootError.BadTlv, $"the TLV area would be {total} bytes, more than 65535");
            }
            var info = new byte[4];
            LittleEndian.Put16(info, 0, magic);
            LittleEndian.Put16(info, 2, (ushort)total);
            stream.Write(info, 0, 4);
            foreach (var tlv in tlvs)
            {
                var entry = new byte[4];
                LittleEndian.Put16(entry, 0, tlv.Type);
                LittleEndian.Put16(entry, 2, (ushort)tlv.Value.Length);
                stream.Write(entry, 0, 4);
                stream.Write(tlv.Value, 0, tlv.Value.Length);
            }
        }

        /// <summary>Parses an image file; a short, malformed or inconsistent one is a <see cref="MoonbootException"/>.</summary>
        public static McubootImage Parse(byte[] b)
        {
            var header = ImageHeader.Read(b);
            if (header.Magic != ImageFormat.ImageMagic)
            {
                throw new MoonbootException(MoonbootError.BadMagic,
                    $"not an MCUboot image: magic 0x{header.Magic:x8}, expected 0x{ImageFormat.ImageMagic:x8}");
            }
            if (header.HeaderSize < ImageFormat.HeaderStructSize)
            {
                throw new MoonbootException(MoonbootError.BadHeader,
                    $"header size {header.HeaderSize} is smaller than the {ImageFormat.HeaderStructSize}-byte header");
            }
            // 64-bit sums: no length in the header can wrap around.
            long payloadEnd = (long)header.HeaderSize + header.ImageSize;
            if (payloadEnd > b.Length)
            {
                throw new MoonbootException(MoonbootError.ImageTruncated,
                    $"the file is {b.Length} bytes but the header says {header.HeaderSize} + {header.ImageSize} = {payloadEnd} bytes of header and payload: truncated image");
            }
            var padding = Slice(b, ImageFormat.HeaderStructSize, header.HeaderSize - ImageFormat.HeaderStructSize);
            var payload = Slice(b, header.HeaderSize, (int)header.ImageSize);
            long offset = payloadEnd;

            var protectedTlvs = new List<ImageTlv>();
            ushort magic = PeekMagic(b, offset);
            if (header.ProtectedTlvSize != 0)
            {
                if (magic != ImageFormat.ProtectedTlvInfoMagic)
                {
                    throw new MoonbootException(MoonbootError.BadTlvArea,
                        $"the header announces {header.ProtectedTlvSize} bytes of protected TLVs but offset {offset} holds magic 0x{magic:x4}, not 0x{ImageFormat.ProtectedTlvInfoMagic:x4}");
                }
                int total = ReadArea(b, offset, protectedTlvs, "protected");
                if (total != header.ProtectedTlvSize)
                {
                    throw new MoonbootException(MoonbootError.BadTlvArea,
                        $"the protected TLV area is {total} bytes but the header says {header.ProtectedTlvSize}");
                }
                offset += total;
                magic = PeekMagic(b, offset);
            }
            else if (magic == ImageFormat.ProtectedTlvInfoMagic)
            {
                throw new MoonbootException(MoonbootError.BadTlvArea,
                    "the image has a protected TLV area but its header says the protected size is 0");
            }
            if (magic != ImageFormat.TlvInfoMagic)
            {
                throw new MoonbootException(MoonbootError.BadTlvArea,
                    $"no TLV area at offset {offset} (magic 0x{magic:x4}, expected 0x{ImageFormat.TlvInfoMagic:x4}): the image is not signed or is damaged");
            }
            var tlvs = new List<ImageTlv>();
            offset += ReadArea(b, offset, tlvs, "unprotected");
            var trailer = Slice(b, (int)offset, b.Length - (int)offset);
            return new McubootImage(header, padding, payload, protectedTlvs, tlvs, trailer);
        }

        private static ushort PeekMagic(byte[] b, long offset)
        {
            if (offset + ImageFormat.TlvInfoSize > b.Length)
            {
                throw new MoonbootException(MoonbootError.ImageTruncated,
                    $"the file ends at {b.Length} bytes, before the TLV area at offset {offset}: truncated image");
            }
            return LittleEndian.Get16(b, (int)offset);
        }

        private static int ReadArea(byte[] b, long start, List<ImageTlv> into, string what)
        {
            int total = LittleEndian.Get16(b, (int)start + 2);
            if (total < ImageFormat.TlvInfoSize)
            {
                throw new MoonbootException(MoonbootError.BadTlvArea, $"the {what} TLV area says it is {total} bytes, less than its own 4-byte info header");
            }
            long end = start + total;
            if (end > b.Length)
            {
                throw new MoonbootException(MoonbootError.ImageTruncated,
                    $"the {what} TLV area ends at {end} but the file is {b.Length} bytes: truncated image");
            }
            long offset = start + ImageFormat.TlvInfoSize;
            while (offset < end)
            {
                if (offset + ImageFormat.TlvEntryHeaderSize > end)
                {
                    throw new MoonbootException(MoonbootError.BadTlv, $"a {what} TLV header at offset {offset} runs past the end of its area ({end})");
                }
                ushort type = LittleEndian.Get16(b, (int)offset);
                int length = LittleEndian.Get16(b, (int)offset + 2);
                if (offset + ImageFormat.TlvEntryHeaderSize + length > end)
                {
                    throw new MoonbootException(MoonbootError.BadTlv,
                        $"{what} TLV {ImageFormat.TlvName(type)} at offset {offset} is {length} bytes long and runs past the end of its area ({end})");
                }
                into.Add(new ImageTlv(type, Slice(b, (int)offset + ImageFormat.TlvEntryHeaderSize, length)));
                offset += ImageFormat.TlvEntryHeaderSize + length;
            }
            return total;
        }

        private static byte[] Slice(byte[] b, int offset, int length)
        {
            var r = new byte[length];
            Buffer.BlockCopy(b, offset, r, 0, length);
            return r;
        }
    }

    internal static class LittleEndian
    {
        public static ushort Get16(byte[] b, int o) => (ushort)(b[o] | b[o + 1] << 8);
        public static uint Get32(byte[] b, int o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
        public static void Put16(byte[] b, int o, ushort v) { b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); }
        public static void Put32(byte[] b, int o, uint v)
        {
            b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); b[o + 2] = (byte)(v >> 16); b[o + 3] = (byte)(v >> 24);
        }
    }
}
