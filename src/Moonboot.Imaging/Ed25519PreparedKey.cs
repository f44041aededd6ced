using System;
using System.Numerics;

namespace Moonboot.Imaging
{
    /// <summary>
    /// A trusted key in the form the bootloader verifies with (moonboot_ed25519_key in moonboot/ed25519.h): A's
    /// encoding, A's x, and [2^128]A, affine, each as 32 canonical little-endian bytes. The C verifier splits both
    /// scalars at bit 128, so it doubles 128 times instead of 253; computing [2^128]A and decoding A here, at build
    /// time, leaves the point decoding out of the bootloader. The C runtime's moonboot_ed25519_prepare computes the
    /// same bytes at run time (tests hold the two against each other). Key data is public: plain BigInteger
    /// arithmetic, no constant time needed.
    /// </summary>
    public static class Ed25519PreparedKey
    {
        /// <summary>Bytes of a prepared key: the public key, A's x, [2^128]A's x and y.</summary>
        public const int Size = 128;

        private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
        private static readonly BigInteger D = Mod(-121665 * Inverse(121666));
        private static readonly BigInteger SqrtMinusOne = BigInteger.ModPow(2, (P - 1) / 4, P);

        /// <summary>
        /// Decodes and checks A as RFC 8032 5.1.3 and the verifier do (y &lt; p, on the curve, not x = 0 with the
        /// sign bit set, not of small order) and returns the 128 prepared bytes; a key the bootloader would refuse
        /// is MBT2001 with the reason.
        /// </summary>
        public static byte[] Prepare(byte[] publicKey)
        {
            if (publicKey is null || publicKey.Length != 32)
            {
                throw Invalid("it is not 32 bytes");
            }
            var yBytes = (byte[])publicKey.Clone();
            int sign = yBytes[31] >> 7;
            yBytes[31] &= 0x7f;
            BigInteger y = FromLittleEndian(yBytes);
            if (y >= P) throw Invalid("its y is not below p (a non-canonical encoding)");
            BigInteger u = Mod(y * y - 1), v = Mod(D * y * y + 1);
            BigInteger x = Mod(u * BigInteger.ModPow(v, 3, P) * BigInteger.ModPow(Mod(u * BigInteger.ModPow(v, 7, P)), (P - 5) / 8, P));
            BigInteger check = Mod(v * x * x);
            if (check != u)
            {
                if (check != Mod(-u)) throw Invalid("no curve point has its y (not a square)");
                x = Mod(x * SqrtMinusOne);
            }
            if (x.IsZero && sign == 1) throw Invalid("it encodes x = 0 with the sign bit set");
            if ((int)(x & 1) != sign) x = Mod(-x);

            var a = (X: x, Y: y);
            var fourA = Double(Double(a));
            if (fourA.X.IsZero) throw Invalid("it is a point of small order (any signature would do for many messages)");

            var high = a;
            for (int i = 0; i < 128; i++) high = Double(high);

            var prepared = new byte[Size];
            Buffer.BlockCopy(publicKey, 0, prepared, 0, 32);
            ToLittleEndian(a.X, prepared, 32);
            ToLittleEndian(high.X, prepared, 64);
            ToLittleEndian(high.Y, prepared, 96);
            return prepared;
        }

        /// <summary>
        /// The C initializer of a moonboot_image_key (moonboot/image.h) for key: {key hash, {public key, A's x,
        /// [2^128]A's x, [2^128]A's y}}. moonboot_keys.h lists these; `moonboot getpub -f key` prints one.
        /// </summary>
        public static string CInitializer(Ed25519Key key)
        {
            byte[] prepared = Prepare(key.PublicKey);
            return "{" + CBytes(key.KeyHash, 0) + ", {" + CBytes(prepared, 0) + ", " + CBytes(prepared, 32) + ", "
                + CBytes(prepared, 64) + ", " + CBytes(prepared, 96) + "}}";
        }

        private static string CBytes(byte[] bytes, int offset)
        {
            var text = new System.Text.StringBuilder("{");
            for (int i = offset; i < offset + 32; i++) text.Append(i == offset ? "" : ",").Append("0x").Append(bytes[i].ToString("x2"));
            return text.Append('}').ToString();
        }

        // Twisted Edwards doubling, a = -1, affine: x' = 2xy / (y^2 - x^2), y' = (y^2 + x^2) / (2 - y^2 + x^2).
        private static (BigInteger X, BigInteger Y) Double((BigInteger X, BigInteger Y) p)
        {
            BigInteger xx = p.X * p.X, yy = p.Y * p.Y;
            return (Mod(2 * p.X * p.Y * Inverse(Mod(yy - xx))), Mod((yy + xx) * Inverse(Mod(2 - yy + xx))));
        }

        private static BigInteger Mod(BigInteger a)
        {
            BigInteger r = a % P;
            return r.Sign < 0 ? r + P : r;
        }

        private static BigInteger Inverse(BigInteger a) => BigInteger.ModPow(Mod(a), P - 2, P);

        private static BigInteger FromLittleEndian(byte[] bytes)
        {
            var unsigned = new byte[bytes.Length + 1];
            Buffer.BlockCopy(bytes, 0, unsigned, 0, bytes.Length);
            return new BigInteger(unsigned);
        }

        private static void ToLittleEndian(BigInteger value, byte[] output, int offset)
        {
            byte[] bytes = value.ToByteArray(); // little-endian, maybe with a sign byte: value < p < 2^255 fits 32 bytes
            Buffer.BlockCopy(bytes, 0, output, offset, Math.Min(32, bytes.Length));
        }

        private static MoonbootException Invalid(string why) =>
            new MoonbootException(MoonbootError.KeyFormat, $"not a usable Ed25519 public key: {why}");
    }
}
