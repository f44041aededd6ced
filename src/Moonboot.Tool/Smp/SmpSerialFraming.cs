using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Moonboot.Tool.Smp
{
    /// <summary>CRC-16 of the serial transport: polynomial 0x1021, initial value 0, not reflected (CRC-16/XMODEM).</summary>
    internal static class Crc16
    {
        public static ushort Compute(byte[] data, int offset, int length)
        {
            int crc = 0;
            for (int i = offset; i < offset + length; i++)
            {
                crc ^= data[i] << 8;
                for (int bit = 0; bit < 8; bit++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            return (ushort)crc;
        }
    }

    /// <summary>
    /// SMP over a serial console: a packet is [length (2, big-endian) | SMP packet | CRC-16 (2, big-endian)], base64
    /// encoded and cut into frames of at most 127 bytes including the 2-byte start marker (0x06 0x09 first,
    /// 0x04 0x14 after) and the newline. Each frame carries whole base64 quanta, since receivers decode frame by frame.
    /// </summary>
    internal static class SmpSerialFraming
    {
        public const int MaxFrameSize = 127;
        public static readonly byte[] PacketStart = { 0x06, 0x09 };
        public static readonly byte[] ContinuationStart = { 0x04, 0x14 };
        /// <summary>Base64 characters per frame: 127 − 2 marker bytes − newline = 124, a multiple of 4.</summary>
        public const int MaxBase64PerFrame = MaxFrameSize - 3;

        public static List<byte[]> Encode(byte[] packet)
        {
            ushort crc = Crc16.Compute(packet, 0, packet.Length);
            int length = packet.Length + 2;
            var raw = new byte[2 + length];
            raw[0] = (byte)(length >> 8); raw[1] = (byte)length;
            Buffer.BlockCopy(packet, 0, raw, 2, packet.Length);
            raw[raw.Length - 2] = (byte)(crc >> 8); raw[raw.Length - 1] = (byte)crc;
            string b64 = Convert.ToBase64String(raw);
            var frames = new List<byte[]>();
            for (int i = 0; i < b64.Length; i += MaxBase64PerFrame)
            {
                string chunk = b64.Substring(i, Math.Min(MaxBase64PerFrame, b64.Length - i));
                var frame = new byte[chunk.Length + 3];
                var start = i == 0 ? PacketStart : ContinuationStart;
                frame[0] = start[0]; frame[1] = start[1];
                Encoding.ASCII.GetBytes(chunk, 0, chunk.Length, frame, 2);
                frame[frame.Length - 1] = (byte)'\n';
                frames.Add(frame);
            }
            return frames;
        }

        /// <summary>Bytes on the wire for a packet of <paramref name="packetLength"/> bytes.</summary>
        public static int WireSize(int packetLength)
        {
            int b64 = (packetLength + 4 + 2) / 3 * 4;
            int frames = (b64 + MaxBase64PerFrame - 1) / MaxBase64PerFrame;
            return b64 + 3 * frames;
        }
    }

    /// <summary>
    /// Reassembles packets from the byte stream. Lines that are not SMP frames (the bootloader's console text) are
    /// kept aside and ignored; a frame with bad base64, a bad length or a bad CRC drops the packet it belongs to and is
    /// reported, so the client can retry.
    /// </summary>
    internal sealed class SmpSerialDecoder
    {
        private readonly MemoryStream _line = new MemoryStream();
        private MemoryStream? _packet;
        private int _expected = -1;
        private readonly int _maxPacket;

        public SmpSerialDecoder(int maxPacket = 65535) { _maxPacket = maxPacket; }

        /// <summary>Console lines that were not SMP frames, for diagnostics.</summary>
        public List<string> OtherLines { get; } = new List<string>();
        /// <summary>Why packets were dropped (bad CRC, ...).</summary>
        public List<string> Errors { get; } = new List<string>();

        /// <summary>Feeds received bytes; returns the SMP packets (without length and CRC) completed by them.</summary>
        public List<byte[]> Feed(byte[] data, int offset, int count)
        {
            var done = new List<byte[]>();
            for (int i = offset; i < offset + count; i++)
            {
                if (data[i] != (byte)'\n')
                {
                    if (_line.Length < 4096) _line.WriteByte(data[i]);
                    continue;
                }
                var line = _line.ToArray();
                _line.SetLength(0);
                int n = line.Length;
                if (n > 0 && line[n - 1] == '\r') n--;
                var packet = Line(line, n);
                if (packet != null) done.Add(packet);
            }
            return done;
        }

        private byte[]? Line(byte[] line, int n)
        {
            bool first = n >= 2 && line[0] == PacketStartByte0 && line[1] == 0x09;
            bool next = n >= 2 && line[0] == 0x04 && line[1] == 0x14;
            if (!first && !next)
            {
                OtherLines.Add(Encoding.ASCII.GetString(line, 0, n));
                return null;
            }
            if (first) { _packet = new MemoryStream(); _expected = -1; }
            if (_packet == null) { Errors.Add("continuation frame without a start frame"); return null; }
            byte[] decoded;
            try
            {
                decoded = Convert.FromBase64String(Encoding.ASCII.GetString(line, 2, n - 2));
            }
            catch (FormatException)
            {
                return Drop("a frame is not valid base64");
            }
            _packet.Write(decoded, 0, decoded.Length);
            if (_expected < 0 && _packet.Length >= 2)
            {
                var head = _packet.GetBuffer();
                _expected = head[0] << 8 | head[1];
                if (_expected < 2 || _expected > _maxPacket + 2) return Drop($"packet length {_expected} out of range");
            }
            if (_expected < 0 || _packet.Length < _expected + 2) return null;
            if (_packet.Length > _expected + 2) return Drop($"packet longer than its length field ({_packet.Length - 2} > {_expected})");
            var raw = _packet.ToArray();
            _packet = null;
            int bodyLength = _expected - 2;
            ushort crc = Crc16.Compute(raw, 2, bodyLength);
            ushort got = (ushort)(raw[raw.Length - 2] << 8 | raw[raw.Length - 1]);
            if (crc != got) { Errors.Add($"CRC-16 mismatch (computed 0x{crc:x4}, received 0x{got:x4})"); return null; }
            var body = new byte[bodyLength];
            Buffer.BlockCopy(raw, 2, body, 0, bodyLength);
            return body;
        }

        private const byte PacketStartByte0 = 0x06;

        private byte[]? Drop(string why)
        {
            Errors.Add(why);
            _packet = null;
            _expected = -1;
            return null;
        }
    }
}
