using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Moonboot.Imaging;
using Moonboot.Tool.Smp;
using Xunit;

namespace Moonboot.Tool.Tests
{
    /// <summary>
    /// The SMP serial transport and the command bodies, byte for byte against the specification's own examples:
    /// Zephyr's "SMP Protocol Specification" (header layout, groups, commands, CBOR bodies), "SMP Transport
    /// Specification" / mcumgr's transport/smp-console.md (start bytes, base64, length, CRC-16 polynomial 0x1021
    /// initial 0, frames of at most 127 bytes), and the image-list frame mcumgr itself sent in apache/mynewt-mcumgr
    /// issue 167.
    /// </summary>
    public sealed class SmpProtocolTests
    {
        private static byte[] B(params int[] bytes) => bytes.Select(b => (byte)b).ToArray();

        [Fact]
        public void Image_list_request_is_the_frame_mcumgr_sends()
        {
            // mcumgr: "Encoded: 00 00 00 01 00 01 42 00 a0", then "Tx serial 06 09", "AAsAAAABAAFCAKD1Mw==", "0a".
            var packet = new SmpPacket(SmpOp.Read, SmpCommands.ImageGroup, SmpCommands.ImageState, 0x42, SmpClient.EmptyBody);
            Assert.Equal(B(0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x42, 0x00, 0xa0), packet.ToBytes());
            var frames = SmpSerialFraming.Encode(packet.ToBytes());
            var expected = B(0x06, 0x09).Concat(Encoding.ASCII.GetBytes("AAsAAAABAAFCAKD1Mw==")).Concat(B(0x0a)).ToArray();
            Assert.Single(frames);
            Assert.Equal(expected, frames[0]);
            // Inside the base64: length 0x000b (9 bytes of packet + 2 of CRC), the packet, CRC 0xf533 big-endian.
            Assert.Equal(B(0x00, 0x0b, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x42, 0x00, 0xa0, 0xf5, 0x33), Convert.FromBase64String("AAsAAAABAAFCAKD1Mw=="));
        }

        [Fact]
        public void Crc16_is_the_polynomial_0x1021_initial_0_crc()
        {
            var check = Encoding.ASCII.GetBytes("123456789");
            Assert.Equal(0x31c3, Crc16.Compute(check, 0, check.Length)); // CRC-16/XMODEM check value
            var body = B(0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x42, 0x00, 0xa0);
            Assert.Equal(0xf533, Crc16.Compute(body, 0, body.Length));
        }

        [Fact]
        public void Header_fields_are_big_endian_in_the_specified_places()
        {
            // Res(3) Ver(2) OP(3) | Flags | Data Length (16) | Group ID (16) | Sequence Num | Command ID
            var packet = new SmpPacket(SmpOp.Write, 0x1234, 0x56, 0x78, new byte[0x0102], version: 1);
            var bytes = packet.ToBytes();
            Assert.Equal(B(0x0a, 0x00, 0x01, 0x02, 0x12, 0x34, 0x78, 0x56), bytes.Take(8).ToArray());
            var parsed = SmpPacket.Parse(bytes);
            Assert.Equal((SmpOp.Write, (ushort)0x1234, (byte)0x56, (byte)0x78, (byte)1), (parsed.Op, parsed.Group, parsed.Command, parsed.Sequence, parsed.Version));
            Assert.Throws<MoonbootException>(() => SmpPacket.Parse(bytes.Take(20).ToArray()));
        }

        [Fact]
        public void Command_bodies_are_the_specified_cbor_maps()
        {
            // OS group echo request: { "d": "hello" }.
            Assert.Equal(B(0xa1, 0x61, 0x64, 0x65, 0x68, 0x65, 0x6c, 0x6c, 0x6f), SmpClient.EchoBody("hello"));
            // Reset and image list: an empty map.
            Assert.Equal(B(0xa0), SmpClient.EmptyBody);
            var reset = new SmpPacket(SmpOp.Write, SmpCommands.OsGroup, SmpCommands.Reset, 7, SmpClient.EmptyBody).ToBytes();
            Assert.Equal(B(0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0x07, 0x05, 0xa0), reset);
            // Image upload, first chunk: image, len, off, sha, data; later chunks: off, data.
            var sha = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
            var first = SmpClient.UploadBody(0, B(1, 2, 3), 1000, sha);
            var expected = B(0xa5, 0x65).Concat(Encoding.ASCII.GetBytes("image")).Concat(B(0x00, 0x63)).Concat(Encoding.ASCII.GetBytes("len"))
                .Concat(B(0x19, 0x03, 0xe8, 0x63)).Concat(Encoding.ASCII.GetBytes("off")).Concat(B(0x00, 0x63)).Concat(Encoding.ASCII.GetBytes("sha"))
                .Concat(B(0x58, 0x20)).Concat(sha).Concat(B(0x64)).Concat(Encoding.ASCII.GetBytes("data")).Concat(B(0x43, 1, 2, 3)).ToArray();
            Assert.Equal(expected, first);
            var later = SmpClient.UploadBody(300, B(9), 1000, null);
            Assert.Equal(B(0xa2, 0x63, (byte)'o', (byte)'f', (byte)'f', 0x19, 0x01, 0x2c, 0x64, (byte)'d', (byte)'a', (byte)'t', (byte)'a', 0x41, 9), later);
        }

        [Fact]
        public void Responses_decode_definite_and_indefinite_cbor()
        {
            // An echo response as mcumgr-smp documents it: header 03 00 00 10 00 00 42 00, then {_ "r": "Hello World"}.
            var response = B(3, 0, 0, 16, 0, 0, 66, 0, 191, 97, 114, 107, 72, 101, 108, 108, 111, 32, 87, 111, 114, 108, 100, 255);
            var packet = SmpPacket.Parse(response);
            Assert.Equal((SmpOp.WriteResponse, (ushort)0, (byte)0, (byte)66), (packet.Op, packet.Group, packet.Command, packet.Sequence));
            var map = (Dictionary<string, object?>)CborReader.Decode(packet.Data)!;
            Assert.Equal("Hello World", map["r"]);
            // MCUboot's upload answer {"rc": 0, "off": 4096}.
            var upload = (Dictionary<string, object?>)CborReader.Decode(B(0xa2, 0x62, (byte)'r', (byte)'c', 0x00, 0x63, (byte)'o', (byte)'f', (byte)'f', 0x19, 0x10, 0x00))!;
            Assert.Equal(0L, upload["rc"]);
            Assert.Equal(4096L, upload["off"]);
            // Malformed CBOR is a protocol error, never a crash.
            foreach (var bad in new[] { B(0xa2, 0x61), B(0x5a, 0xff, 0xff, 0xff, 0xff), B(0xbf, 0x61, 0x61), B(0xff), B(0x1c) })
            {
                var e = Assert.Throws<MoonbootException>(() => CborReader.Decode(bad));
                Assert.Equal(MoonbootError.ProtocolError, e.Error);
            }
            var deep = Enumerable.Repeat((byte)0x81, 40).Concat(B(0x00)).ToArray();
            Assert.Throws<MoonbootException>(() => CborReader.Decode(deep));
        }

        [Fact]
        public void Large_packets_split_into_frames_of_at_most_127_bytes_with_continuation_markers()
        {
            var data = Enumerable.Range(0, 400).Select(i => (byte)(i * 7)).ToArray();
            var packet = new SmpPacket(SmpOp.Write, 1, 1, 3, data).ToBytes();
            var frames = SmpSerialFraming.Encode(packet);
            Assert.Equal(5, frames.Count); // (2 + 408 + 2) bytes -> 552 base64 characters -> 124 per frame
            Assert.Equal(B(0x06, 0x09), frames[0].Take(2).ToArray());
            Assert.All(frames.Skip(1), f => Assert.Equal(B(0x04, 0x14), f.Take(2).ToArray()));
            Assert.All(frames, f => Assert.True(f.Length <= 127 && f[^1] == 0x0a));
            Assert.All(frames.Take(4), f => Assert.Equal(127, f.Length));
            Assert.Equal(frames.Sum(f => f.Length), SmpSerialFraming.WireSize(packet.Length));
            // Every frame is whole base64 on its own: receivers decode frame by frame.
            var joined = frames.SelectMany(f => Convert.FromBase64String(Encoding.ASCII.GetString(f, 2, f.Length - 3))).ToArray();
            Assert.Equal(packet.Length + 2, joined[0] << 8 | joined[1]);
            Assert.Equal(packet, joined.Skip(2).Take(packet.Length).ToArray());

            var decoder = new SmpSerialDecoder();
            var stream = Encoding.ASCII.GetBytes("console line before\r\n").Concat(frames.SelectMany(f => f)).ToArray();
            var got = new List<byte[]>();
            foreach (var b in stream) got.AddRange(decoder.Feed(new[] { b }, 0, 1)); // byte by byte
            Assert.Single(got);
            Assert.Equal(packet, got[0]);
            Assert.Equal(new[] { "console line before" }, decoder.OtherLines);
        }

        [Fact]
        public void Decoder_drops_damaged_packets_and_recovers_on_the_next_start_frame()
        {
            var packet = new SmpPacket(SmpOp.ReadResponse, 1, 0, 9, B(0xa0)).ToBytes();
            var good = SmpSerialFraming.Encode(packet)[0];
            var badCrc = (byte[])good.Clone();
            var raw = Convert.FromBase64String(Encoding.ASCII.GetString(good, 2, good.Length - 3));
            raw[^1] ^= 0x80;
            var text = Encoding.ASCII.GetBytes(Convert.ToBase64String(raw));
            badCrc = B(0x06, 0x09).Concat(text).Concat(B(0x0a)).ToArray();
            var decoder = new SmpSerialDecoder();
            Assert.Empty(decoder.Feed(badCrc, 0, badCrc.Length));
            Assert.Contains("CRC-16 mismatch", decoder.Errors.Single());
            var notBase64 = B(0x06, 0x09, (byte)'*', (byte)'*', 0x0a);
            Assert.Empty(decoder.Feed(notBase64, 0, notBase64.Length));
            var orphan = B(0x04, 0x14).Concat(Encoding.ASCII.GetBytes("AAAA")).Concat(B(0x0a)).ToArray();
            Assert.Empty(decoder.Feed(orphan, 0, orphan.Length));
            // A start frame whose length says more than follows, then a good packet: the good one still arrives.
            var truncated = B(0x06, 0x09).Concat(Encoding.ASCII.GetBytes(Convert.ToBase64String(B(0x00, 0x40, 1, 2, 3, 4)))).Concat(B(0x0a)).ToArray();
            Assert.Empty(decoder.Feed(truncated, 0, truncated.Length));
            Assert.Equal(packet, decoder.Feed(good, 0, good.Length).Single());
            Assert.Equal(3, decoder.Errors.Count);
        }

        [Fact]
        public void Upload_chunks_fill_the_mtu_in_whole_16_byte_granules()
        {
            foreach (var mtu in new[] { 128, 256, 512, 1024 })
            {
                foreach (var offset in new long[] { 0, 4096, 100000 })
                {
                    int chunk = SmpClient.ChunkSize(mtu, offset, 200000);
                    Assert.Equal(0, chunk % 16);
                    int size = SmpPacket.HeaderSize + SmpClient.UploadBody(offset, new byte[chunk], 200000, new byte[32]).Length;
                    Assert.True(size <= mtu, $"mtu {mtu} offset {offset}: {size}");
                    Assert.True(size + 16 + 1 > mtu - 16, $"mtu {mtu} offset {offset}: chunk {chunk} wastes room ({size})");
                }
            }
            Assert.Throws<MoonbootException>(() => SmpClient.ChunkSize(64, 0, 1000));
        }
    }
}
