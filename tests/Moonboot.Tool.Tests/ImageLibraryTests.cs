using System;
using System.Linq;
using Moonboot.Imaging;
using Xunit;

namespace Moonboot.Tool.Tests
{
    /// <summary>The image library's parser and verifier on hostile input: every bit flip, bad lengths, TLV policy.</summary>
    public sealed class ImageLibraryTests
    {
        private static readonly ImageLayout Layout = ImageLayout.FromManifest(Layouts.Qemu, "test");
        private static readonly Ed25519Key Key = Ed25519Key.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

        private static byte[] Signed(int payload = 64)
        {
            var app = new byte[payload];
            new Random(payload).NextBytes(app);
            return ImageSigner.Sign(app, Key, new SignOptions { Version = ImageVersion.Parse("1.2.3+4"), SecurityCounter = 5 }, Layout).ToBytes();
        }

        private static MoonbootError Refusal(byte[] image)
        {
            try
            {
                ImageVerifier.Verify(McubootImage.Parse(image), Key, Layout);
            }
            catch (MoonbootException e)
            {
                return e.Error;
            }
            throw new Xunit.Sdk.XunitException("accepted");
        }

        [Fact]
        public void Every_single_bit_flip_of_a_signed_image_is_refused()
        {
            var good = Signed();
            ImageVerifier.Verify(McubootImage.Parse(good), Key, Layout);
            int refused = 0;
            for (int bit = 0; bit < good.Length * 8; bit++)
            {
                var bad = (byte[])good.Clone();
                bad[bit / 8] ^= (byte)(1 << (bit % 8));
                try
                {
                    ImageVerifier.Verify(McubootImage.Parse(bad), Key, Layout);
                }
                catch (MoonbootException)
                {
                    refused++;
                    continue;
                }
                Assert.Fail($"bit {bit} (byte {bit / 8}) flipped and still accepted");
            }
            Assert.Equal(good.Length * 8, refused);
        }

        [Fact]
        public void Lengths_past_the_file_or_the_area_are_refused_before_anything_is_hashed()
        {
            var good = Signed();
            var image = McubootImage.Parse(good);
            int tlvArea = 512 + 64 + image.ProtectedAreaLength;

            var bad = (byte[])good.Clone();
            BitConverter.GetBytes(0xFFFFFFF0u).CopyTo(bad, 12);                      // image size: wraps a 32-bit sum
            Assert.Equal(MoonbootError.ImageTruncated, Assert.Throws<MoonbootException>(() => McubootImage.Parse(bad)).Error);

            bad = (byte[])good.Clone();
            BitConverter.GetBytes((ushort)16).CopyTo(bad, 10);                      // protected size disagrees with its area
            Assert.Equal(MoonbootError.BadTlvArea, Assert.Throws<MoonbootException>(() => McubootImage.Parse(bad)).Error);

            bad = (byte[])good.Clone();
            BitConverter.GetBytes((ushort)0).CopyTo(bad, 10);                       // a protected area the header hides
            Assert.Equal(MoonbootError.BadTlvArea, Assert.Throws<MoonbootException>(() => McubootImage.Parse(bad)).Error);

            bad = (byte[])good.Clone();
            BitConverter.GetBytes((ushort)0xFFFF).CopyTo(bad, tlvArea + 2);         // TLV area longer than the file
            Assert.Equal(MoonbootError.ImageTruncated, Assert.Throws<MoonbootException>(() => McubootImage.Parse(bad)).Error);

            bad = (byte[])good.Clone();
            BitConverter.GetBytes((ushort)0x1000).CopyTo(bad, tlvArea + 4 + 2);     // the SHA-256 TLV runs past its area
            Assert.Equal(MoonbootError.BadTlv, Assert.Throws<MoonbootException>(() => McubootImage.Parse(bad)).Error);

            bad = (byte[])good.Clone();
            BitConverter.GetBytes((ushort)3).CopyTo(bad, tlvArea + 2);              // an area smaller than its own info
            Assert.Equal(MoonbootError.BadTlvArea, Assert.Throws<MoonbootException>(() => McubootImage.Parse(bad)).Error);

            bad = (byte[])good.Clone();
            BitConverter.GetBytes((ushort)31).CopyTo(bad, 8);                       // header size below the header
            Assert.Equal(MoonbootError.BadHeader, Assert.Throws<MoonbootException>(() => McubootImage.Parse(bad)).Error);
        }

        [Fact]
        public void Only_known_tlvs_outside_the_protected_area_and_no_duplicates()
        {
            var image = McubootImage.Parse(Signed());
            McubootImage With(params ImageTlv[] extra) =>
                new McubootImage(image.Header, image.HeaderPadding, image.Payload, image.ProtectedTlvs, image.Tlvs.Concat(extra).ToList(), new byte[0]);

            var unknown = Assert.Throws<MoonbootException>(() => ImageVerifier.Verify(With(new ImageTlv(0x50, new byte[4])), Key));
            Assert.Equal(MoonbootError.BadTlv, unknown.Error);
            Assert.Contains("SEC_CNT is outside the protected area", unknown.Message);
            var duplicate = Assert.Throws<MoonbootException>(() => ImageVerifier.Verify(With(new ImageTlv(0x10, new byte[32])), Key));
            Assert.Contains("appears twice", duplicate.Message);

            // A security counter of the wrong size in the protected area (re-hashed, so only the policy can catch it).
            var header = image.Header;
            var prot = new[] { new ImageTlv(0x50, new byte[2]) };
            header.ProtectedTlvSize = (ushort)McubootImage.TlvAreaLength(prot);
            var odd = new McubootImage(header, image.HeaderPadding, image.Payload, prot, image.Tlvs, new byte[0]);
            Assert.Equal(MoonbootError.BadTlv, Assert.Throws<MoonbootException>(() => ImageVerifier.Verify(odd, Key)).Error);
        }

        [Fact]
        public void Header_size_other_than_the_layouts_is_refused_with_the_layout()
        {
            var image = McubootImage.Parse(Signed());
            image.Header.HeaderSize = 0x400;
            var e = Assert.Throws<MoonbootException>(() => ImageVerifier.Verify(image, Key, Layout));
            Assert.Equal(MoonbootError.BadHeader, e.Error);
        }

        [Fact]
        public void Intel_hex_round_trips_and_bad_records_are_refused()
        {
            var data = Enumerable.Range(0, 70000).Select(i => (byte)(i * 13)).ToArray();
            string hex = IntelHex.Write(data, 0x0800FFF0); // crosses a 64 KiB boundary: two extended address records
            Assert.Equal(data, IntelHex.Parse(hex, "t", 0xFF));
            // A gap is filled; an extended segment address (type 02) is understood.
            string gap = ":020000021000EC\n:0100000011EE\n:0100040022D9\n:00000001FF\n";
            Assert.Equal(new byte[] { 0x11, 0xFF, 0xFF, 0xFF, 0x22 }, IntelHex.Parse(gap, "t", 0xFF));
            foreach (var bad in new[] { ":0100000011EF\n", ":01000000\n", "0100000011EE\n", ":0G00000011EE\n" })
            {
                Assert.Equal(MoonbootError.FileUnreadable, Assert.Throws<MoonbootException>(() => IntelHex.Parse(bad, "t", 0xFF)).Error);
            }
        }

        [Fact]
        public void Versions_parse_as_imgtool_takes_them()
        {
            Assert.Equal(new ImageVersion(1, 0, 0, 0), ImageVersion.Parse("1"));
            Assert.Equal(new ImageVersion(1, 2, 0, 0), ImageVersion.Parse("1.2"));
            Assert.Equal(new ImageVersion(255, 255, 65535, 4294967295), ImageVersion.Parse("255.255.65535+4294967295"));
            foreach (var bad in new[] { "", "1.", "1.2.3.4", "a", "1+", "-1", "1.2.65536", "256", "1.2.3+4294967296", " 1" })
            {
                Assert.Equal(MoonbootError.BadArgument, Assert.Throws<MoonbootException>(() => ImageVersion.Parse(bad)).Error);
            }
        }
    }
}
