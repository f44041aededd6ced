namespace Moonboot.Imaging
{
    /// <summary>Constants of MCUboot's image format as imgtool 2.x writes it (little-endian throughout).</summary>
    public static class ImageFormat
    {
        public const uint ImageMagic = 0x96f3b83d;
        /// <summary>Bytes of struct image_header; the header area (HeaderSize) may be larger and is zero-padded.</summary>
        public const int HeaderStructSize = 32;
        public const ushort TlvInfoMagic = 0x6907;
        public const ushort ProtectedTlvInfoMagic = 0x6908;
        public const int TlvInfoSize = 4;
        public const int TlvEntryHeaderSize = 4;

        public const ushort TlvKeyHash = 0x01;
        public const ushort TlvPublicKey = 0x02;
        public const ushort TlvSha256 = 0x10;
        public const ushort TlvEd25519 = 0x24;
        public const ushort TlvSecurityCounter = 0x50;

        public const uint FlagRamLoad = 0x20;

        /// <summary>imgtool's name for a TLV type, as its dumpinfo prints it; "0x.." for others.</summary>
        public static string TlvName(ushort type)
        {
            switch (type)
            {
                case 0x01: return "KEYHASH";
                case 0x02: return "PUBKEY";
                case 0x10: return "SHA256";
                case 0x11: return "SHA384";
                case 0x12: return "SHA512";
                case 0x20: return "RSA2048";
                case 0x22: return "ECDSASIG";
                case 0x23: return "RSA3072";
                case 0x24: return "ED25519";
                case 0x25: return "SIG_PURE";
                case 0x40: return "DEPENDENCY";
                case 0x50: return "SEC_CNT";
                case 0x60: return "BOOT_RECORD";
                default: return "0x" + type.ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
