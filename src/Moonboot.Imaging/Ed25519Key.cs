using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Moonboot.Imaging
{
    /// <summary>
    /// An Ed25519 key as imgtool reads and writes it: PEM, PKCS#8 "PRIVATE KEY" for a private key,
    /// SubjectPublicKeyInfo "PUBLIC KEY" for a public one. The key id (the key-hash TLV) is imgtool's: the SHA-256 of
    /// the public key's SubjectPublicKeyInfo DER.
    /// </summary>
    public sealed class Ed25519Key
    {
        // DER prefixes of the two encodings (RFC 8410): PKCS#8 v1 without the optional public key, as imgtool writes.
        private static readonly byte[] Pkcs8Prefix =
            { 0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20 };
        private static readonly byte[] SpkiPrefix =
            { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 };

        private readonly Ed25519PrivateKeyParameters? _private;
        private readonly Ed25519PublicKeyParameters _public;

        private Ed25519Key(Ed25519PrivateKeyParameters? privateKey, Ed25519PublicKeyParameters publicKey)
        {
            _private = privateKey;
            _public = publicKey;
        }

        public static Ed25519Key Generate() =>
            FromPrivate(new Ed25519PrivateKeyParameters(new SecureRandom()));

        public static Ed25519Key FromSeed(byte[] seed) => FromPrivate(new Ed25519PrivateKeyParameters(seed, 0));

        public static Ed25519Key FromPublicKey(byte[] publicKey) =>
            new Ed25519Key(null, new Ed25519PublicKeyParameters(publicKey, 0));

        private static Ed25519Key FromPrivate(Ed25519PrivateKeyParameters key) => new Ed25519Key(key, key.GeneratePublicKey());

        public bool HasPrivateKey => _private != null;

        /// <summary>The 32-byte public key A, as the bootloader's key list holds it.</summary>
        public byte[] PublicKey => _public.GetEncoded();

        /// <summary>SubjectPublicKeyInfo DER (44 bytes): what imgtool hashes for the key id and prints in getpub.</summary>
        public byte[] SubjectPublicKeyInfo => Concat(SpkiPrefix, PublicKey);

        /// <summary>The key-hash TLV (0x01) value: SHA-256 of <see cref="SubjectPublicKeyInfo"/>, as imgtool computes it.</summary>
        public byte[] KeyHash
        {
            get
            {
                using var sha = SHA256.Create();
                return sha.ComputeHash(SubjectPublicKeyInfo);
            }
        }

        public byte[] Sign(byte[] message)
        {
            if (_private == null)
            {
                throw new MoonbootException(MoonbootError.KeyNotPrivate, "signing needs a private key; this is a public key");
            }
            var signer = new Ed25519Signer();
            signer.Init(true, _private);
            signer.BlockUpdate(message, 0, message.Length);
            return signer.GenerateSignature();
        }

        public bool Verify(byte[] message, byte[] signature)
        {
            if (signature.Length != Ed25519PublicKeyParameters.KeySize * 2) return false;
            var verifier = new Ed25519Signer();
            verifier.Init(false, _public);
            verifier.BlockUpdate(message, 0, message.Length);
            return verifier.VerifySignature(signature);
        }

        public string ToPrivatePem()
        {
            if (_private == null)
            {
                throw new MoonbootException(MoonbootError.KeyNotPrivate, "this is a public key; it has no private PEM");
            }
            return Pem("PRIVATE KEY", Concat(Pkcs8Prefix, _private.GetEncoded()));
        }

        public string ToPublicPem() => Pem("PUBLIC KEY", SubjectPublicKeyInfo);

        /// <summary>Reads a key file (private or public PEM); wrong files are MBT1001/MBT2001/MBT2004.</summary>
        public static Ed25519Key Load(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (FileNotFoundException)
            {
                throw new MoonbootException(MoonbootError.FileNotFound, $"key file '{path}' does not exist");
            }
            catch (DirectoryNotFoundException)
            {
                throw new MoonbootException(MoonbootError.FileNotFound, $"key file '{path}' does not exist");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new MoonbootException(MoonbootError.FileUnreadable, $"key file '{path}' cannot be read: {e.Message}");
            }
            return FromPem(text, path);
        }

        public static Ed25519Key FromPem(string text, string source = "key")
        {
            if (text.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
            {
                throw new MoonbootException(MoonbootError.KeyEncrypted,
                    $"{source} is a password-protected key; write it without a password (imgtool keygen without -p)");
            }
            var (label, der) = ReadPem(text, source);
            try
            {
                if (label == "PRIVATE KEY")
                {
                    var key = PrivateKeyFactory.CreateKey(der);
                    if (key is Ed25519PrivateKeyParameters ed) return FromPrivate(ed);
                    throw NotEd25519(source, key);
                }
                if (label == "PUBLIC KEY")
                {
                    var key = PublicKeyFactory.CreateKey(der);
                    if (key is Ed25519PublicKeyParameters ed) return new Ed25519Key(null, ed);
                    throw NotEd25519(source, key);
                }
            }
            catch (Exception e) when (!(e is MoonbootException))
            {
                if (label == "PUBLIC KEY" && der.Length == SpkiPrefix.Length + 32 && StartsWith(der, SpkiPrefix))
                {
                    // An Ed25519 key whose point is refused: say why, as the verifier would.
                    var point = new byte[32];
                    Buffer.BlockCopy(der, SpkiPrefix.Length, point, 0, 32);
                    try
                    {
                        Ed25519PreparedKey.Prepare(point);
                    }
                    catch (MoonbootException reason)
                    {
                        throw new MoonbootException(MoonbootError.KeyFormat, $"{source}: the PUBLIC KEY is {reason.Message}", e);
                    }
                }
                throw new MoonbootException(MoonbootError.KeyFormat, $"{source}: the {label} PEM is not a valid key ({e.Message})", e);
            }
            throw new MoonbootException(MoonbootError.KeyFormat,
                $"{source} holds a '{label}' PEM; expected an Ed25519 'PRIVATE KEY' (PKCS#8) or 'PUBLIC KEY'");
        }

        private static MoonbootException NotEd25519(string source, AsymmetricKeyParameter key) =>
            new MoonbootException(MoonbootError.KeyFormat,
                $"{source} is a {key.GetType().Name.Replace("PrivateKeyParameters", "").Replace("PublicKeyParameters", "").Replace("KeyParameters", "")} key; moonboot signs with Ed25519 only (imgtool keygen -t ed25519)");

        private static (string Label, byte[] Der) ReadPem(string text, string source)
        {
            int begin = text.IndexOf("-----BEGIN ", StringComparison.Ordinal);
            if (begin < 0)
            {
                throw new MoonbootException(MoonbootError.KeyFormat, $"{source} is not a PEM key file (no '-----BEGIN' line)");
            }
            int labelStart = begin + "-----BEGIN ".Length;
            int labelEnd = text.IndexOf("-----", labelStart, StringComparison.Ordinal);
            if (labelEnd < 0) throw new MoonbootException(MoonbootError.KeyFormat, $"{source}: malformed PEM BEGIN line");
            string label = text.Substring(labelStart, labelEnd - labelStart);
            string endMarker = "-----END " + label + "-----";
            int end = text.IndexOf(endMarker, labelEnd, StringComparison.Ordinal);
            if (end < 0) throw new MoonbootException(MoonbootError.KeyFormat, $"{source}: the PEM has no '{endMarker}' line");
            string body = text.Substring(labelEnd + 5, end - labelEnd - 5);
            try
            {
                return (label, Convert.FromBase64String(body.Replace("\r", "").Replace("\n", "").Replace(" ", "")));
            }
            catch (FormatException)
            {
                throw new MoonbootException(MoonbootError.KeyFormat, $"{source}: the PEM body is not valid base64");
            }
        }

        private static string Pem(string label, byte[] der)
        {
            string b64 = Convert.ToBase64String(der);
            var text = new StringBuilder();
            text.Append("-----BEGIN ").Append(label).Append("-----\n");
            for (int i = 0; i < b64.Length; i += 64) text.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
            text.Append("-----END ").Append(label).Append("-----\n");
            return text.ToString();
        }

        private static bool StartsWith(byte[] bytes, byte[] prefix)
        {
            for (int i = 0; i < prefix.Length; i++)
            {
                if (bytes[i] != prefix[i]) return false;
            }
            return true;
        }

        private static byte[] Concat(byte[] a, byte[] b)
        {
            var r = new byte[a.Length + b.Length];
            Buffer.BlockCopy(a, 0, r, 0, a.Length);
            Buffer.BlockCopy(b, 0, r, a.Length, b.Length);
            return r;
        }
    }
}
