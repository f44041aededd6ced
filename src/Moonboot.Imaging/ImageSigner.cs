using System;
using System.Collections.Generic;
using System.Security.Cryptography;

namespace Moonboot.Imaging
{
    /// <summary>What varies between two signings of one binary; everything else comes from the layout.</summary>
    public sealed class SignOptions
    {
        public ImageVersion Version { get; set; }
        /// <summary>The protected security counter (TLV 0x50); always written, so anti-rollback has a value.</summary>
        public uint SecurityCounter { get; set; }
    }

    /// <summary>
    /// Writes MCUboot images exactly as imgtool 2.x does with an Ed25519 key and the key-hash format:
    /// header (header size from the layout), payload, protected TLVs (security counter), then SHA-256, key hash and
    /// the Ed25519 signature of the SHA-256 digest.
    /// </summary>
    public static class ImageSigner
    {
        public static McubootImage Sign(byte[] binary, Ed25519Key? key, SignOptions options, ImageLayout layout)
        {
            int headerSize = layout.HeaderSize;
            // imgtool's --pad-header fills the header area with the erased value, as flash left blank reads.
            var padding = new byte[headerSize - ImageFormat.HeaderStructSize];
            for (int i = 0; i < padding.Length; i++) padding[i] = layout.ErasedValue;
            byte[] payload = binary;
            if (HasHeaderSpace(binary, headerSize))
            {
                // Built with the header area already in front of the vector table (imgtool without --pad-header).
                Buffer.BlockCopy(binary, ImageFormat.HeaderStructSize, padding, 0, padding.Length);
                payload = new byte[binary.Length - headerSize];
                Buffer.BlockCopy(binary, headerSize, payload, 0, payload.Length);
            }
            var counter = new byte[4];
            LittleEndian.Put32(counter, 0, options.SecurityCounter);
            var protectedTlvs = new List<ImageTlv> { new ImageTlv(ImageFormat.TlvSecurityCounter, counter) };
            var header = new ImageHeader
            {
                HeaderSize = (ushort)headerSize,
                ProtectedTlvSize = (ushort)McubootImage.TlvAreaLength(protectedTlvs),
                ImageSize = (uint)payload.Length,
                Version = options.Version,
            };
            var unsigned = new McubootImage(header, padding, payload, protectedTlvs, new List<ImageTlv>(), new byte[0]);
            byte[] digest = Sha256(unsigned.HashedRegion());
            var tlvs = new List<ImageTlv> { new ImageTlv(ImageFormat.TlvSha256, digest) };
            if (key != null)
            {
                tlvs.Add(new ImageTlv(ImageFormat.TlvKeyHash, key.KeyHash));
                tlvs.Add(new ImageTlv(ImageFormat.TlvEd25519, key.Sign(digest)));
            }
            var image = new McubootImage(header, padding, payload, protectedTlvs, tlvs, new byte[0]);
            CheckFits(image, layout);
            return image;
        }

        /// <summary>The image (header to last TLV) must fit the largest image the layout's exchange can move.</summary>
        public static void CheckFits(McubootImage image, ImageLayout layout)
        {
            if ((ulong)image.ImageLength > layout.MaxImageSize)
            {
                throw new MoonbootException(MoonbootError.ImageTooLarge,
                    $"the image is {image.ImageLength} bytes (header {image.Header.HeaderSize}, payload {image.Payload.Length}, TLVs {image.ProtectedAreaLength + image.UnprotectedAreaLength}); " +
                    $"layout '{layout.ConfigName}' moves at most {layout.MaxImageSize} bytes: {layout.MaxImageSizeReason}");
            }
        }

        /// <summary>True when the binary starts with a blank header area (all 0x00 or all 0xFF): a vector table never does.</summary>
        internal static bool HasHeaderSpace(byte[] binary, int headerSize)
        {
            if (binary.Length < headerSize) return false;
            byte first = binary[0];
            if (first != 0x00 && first != 0xFF) return false;
            for (int i = 1; i < headerSize; i++) if (binary[i] != first) return false;
            return true;
        }

        internal static byte[] Sha256(byte[] data)
        {
            using var sha = SHA256.Create();
            return sha.ComputeHash(data);
        }
    }

    /// <summary>What a successful verification established.</summary>
    public sealed class VerifiedImage
    {
        internal VerifiedImage(byte[] hash, byte[]? keyHash, bool signatureChecked)
        {
            Hash = hash; KeyHash = keyHash; SignatureChecked = signatureChecked;
        }

        public byte[] Hash { get; }
        public byte[]? KeyHash { get; }
        /// <summary>False when no key was given: only the hash was checked.</summary>
        public bool SignatureChecked { get; }
    }

    /// <summary>
    /// Checks an image as the bootloader does: TLV policy (only known types outside the protected area, no
    /// duplicates), the SHA-256, then, given a key, that the key-hash TLV names this key and the Ed25519 signature of
    /// the digest; given a layout, the header size and that the image fits.
    /// </summary>
    public static class ImageVerifier
    {
        private static readonly ushort[] UnprotectedAllowed =
            { ImageFormat.TlvKeyHash, ImageFormat.TlvPublicKey, ImageFormat.TlvSha256, ImageFormat.TlvEd25519 };

        public static VerifiedImage Verify(McubootImage image, Ed25519Key? key, ImageLayout? layout = null)
        {
            CheckTlvPolicy(image);
            if (layout != null)
            {
                if (image.Header.HeaderSize != layout.HeaderSize)
                {
                    throw new MoonbootException(MoonbootError.BadHeader,
                        $"the image's header size is 0x{image.Header.HeaderSize:x}, the layout's is 0x{layout.HeaderSize:x}: the vector table would be in the wrong place");
                }
                ImageSigner.CheckFits(image, layout);
            }
            var hashTlv = image.Find(ImageFormat.TlvSha256)
                ?? throw new MoonbootException(MoonbootError.NotSigned, "the image has no SHA-256 TLV (0x10)");
            if (hashTlv.Value.Length != 32)
            {
                throw new MoonbootException(MoonbootError.BadTlv, $"the SHA-256 TLV is {hashTlv.Value.Length} bytes, not 32");
            }
            byte[] digest = ImageSigner.Sha256(image.HashedRegion());
            if (!Equal(digest, hashTlv.Value))
            {
                throw new MoonbootException(MoonbootError.HashMismatch,
                    $"the image's SHA-256 is {Hex.Of(digest)} but its hash TLV says {Hex.Of(hashTlv.Value)}: the image was changed after signing");
            }
            if (key == null) return new VerifiedImage(digest, image.Find(ImageFormat.TlvKeyHash)?.Value, false);

            var signature = image.Find(ImageFormat.TlvEd25519)
                ?? throw new MoonbootException(MoonbootError.NotSigned, "the image has no Ed25519 signature TLV (0x24)");
            var keyHash = image.Find(ImageFormat.TlvKeyHash);
            if (keyHash != null && !Equal(keyHash.Value, key.KeyHash))
            {
                throw new MoonbootException(MoonbootError.KeyMismatch,
                    $"the image was signed with key id {Hex.Of(keyHash.Value)}; the given key's id is {Hex.Of(key.KeyHash)}: wrong key");
            }
            var publicKey = image.Find(ImageFormat.TlvPublicKey);
            if (publicKey != null && !Equal(publicKey.Value, key.SubjectPublicKeyInfo))
            {
                throw new MoonbootException(MoonbootError.KeyMismatch, "the image carries a different public key (TLV 0x02): wrong key");
            }
            if (!key.Verify(digest, signature.Value))
            {
                throw new MoonbootException(MoonbootError.SignatureInvalid,
                    $"the Ed25519 signature does not verify with key id {Hex.Of(key.KeyHash)}");
            }
            return new VerifiedImage(digest, key.KeyHash, true);
        }

        private static void CheckTlvPolicy(McubootImage image)
        {
            var seen = new HashSet<ushort>();
            foreach (var tlv in image.ProtectedTlvs)
            {
                if (!seen.Add(tlv.Type)) throw Duplicate(tlv);
                if (tlv.Type == ImageFormat.TlvSecurityCounter && tlv.Value.Length != 4)
                {
                    throw new MoonbootException(MoonbootError.BadTlv, $"the security counter TLV is {tlv.Value.Length} bytes, not 4");
                }
            }
            foreach (var tlv in image.Tlvs)
            {
                if (Array.IndexOf(UnprotectedAllowed, tlv.Type) < 0)
                {
                    throw new MoonbootException(MoonbootError.BadTlv,
                        $"TLV {tlv.Name} is outside the protected area, where only KEYHASH, PUBKEY, SHA256 and ED25519 are accepted");
                }
                if (!seen.Add(tlv.Type)) throw Duplicate(tlv);
            }
        }

        private static MoonbootException Duplicate(ImageTlv tlv) =>
            new MoonbootException(MoonbootError.BadTlv, $"TLV {tlv.Name} appears twice");

        private static bool Equal(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            int diff = 0;
            for (int i = 0; i < a.Length; i++) diff |= a[i] ^ b[i];
            return diff == 0;
        }
    }

    /// <summary>Lower-case hex, the form imgtool and the tool print hashes in.</summary>
    public static class Hex
    {
        public static string Of(byte[] bytes)
        {
            var c = new char[bytes.Length * 2];
            const string digits = "0123456789abcdef";
            for (int i = 0; i < bytes.Length; i++)
            {
                c[2 * i] = digits[bytes[i] >> 4];
                c[2 * i + 1] = digits[bytes[i] & 15];
            }
            return new string(c);
        }

        public static byte[] Parse(string text)
        {
            if (text.Length % 2 != 0) throw new FormatException("odd number of hex digits");
            var b = new byte[text.Length / 2];
            for (int i = 0; i < b.Length; i++)
            {
                b[i] = (byte)(Digit(text[2 * i]) << 4 | Digit(text[2 * i + 1]));
            }
            return b;
        }

        private static int Digit(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            throw new FormatException($"'{c}' is not a hex digit");
        }
    }
}
