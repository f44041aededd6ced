using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Moonboot.Imaging;
using Xunit;
using Xunit.Abstractions;

namespace Moonboot.Tool.Tests
{
    /// <summary>keygen, getpub, sign, verify and inspect on good and bad input, and against imgtool both ways.</summary>
    public sealed class ImageCommandTests : IDisposable
    {
        private readonly TempDir _dir = new TempDir();
        private readonly string _layout;

        public ImageCommandTests(ITestOutputHelper output)
        {
            _layout = Layouts.WriteText(_dir);
            output.WriteLine("imgtool: " + Imgtool.Source);
        }

        public void Dispose() => _dir.Dispose();

        private string Key(string name = "key.pem")
        {
            ToolRunner.Run("keygen", "-k", _dir[name]).AssertOk();
            return _dir[name];
        }

        /// <summary>A fake application: a vector table (SP, reset vector) and random code.</summary>
        private string App(int size, string name = "app.bin", int seed = 1)
        {
            var bytes = new byte[size];
            new Random(seed).NextBytes(bytes);
            BitConverter.GetBytes(0x20010000u).CopyTo(bytes, 0);
            BitConverter.GetBytes(0x21008201u).CopyTo(bytes, 4);
            File.WriteAllBytes(_dir[name], bytes);
            return _dir[name];
        }

        [Fact]
        public void Keygen_writes_a_pkcs8_key_imgtool_reads_and_refuses_to_overwrite()
        {
            var result = ToolRunner.Run("keygen", "-k", _dir["k.pem"]);
            result.AssertOk();
            var pem = File.ReadAllText(_dir["k.pem"]);
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", pem);
            var key = Ed25519Key.Load(_dir["k.pem"]);
            Assert.Contains("key id " + Hex.Of(key.KeyHash), result.Out);
            // imgtool derives the same public key from it.
            Assert.Equal(key.ToPublicPem().Trim(), Imgtool.MustRun($"getpub -k {_dir["k.pem"]} -e pem").Trim());

            ToolRunner.Run("keygen", "-k", _dir["k.pem"]).AssertFails(2, "MBT1003");
            Assert.Equal(pem, File.ReadAllText(_dir["k.pem"]));
            ToolRunner.Run("keygen", "-k", _dir["k.pem"], "--force").AssertOk();
            Assert.NotEqual(pem, File.ReadAllText(_dir["k.pem"]));
        }

        [Fact]
        public void Getpub_prints_the_c_array_pem_and_key_hash()
        {
            string key = Key();
            var loaded = Ed25519Key.Load(key);
            var c = ToolRunner.Run("getpub", "-k", key);
            c.AssertOk();
            Assert.Contains("const unsigned char moonboot_public_key[32] = {", c.Out);
            var bytes = c.Out.Split("0x").Skip(1).Select(s => Convert.ToByte(s.Substring(0, 2), 16)).ToArray();
            Assert.Equal(loaded.PublicKey, bytes);
            Assert.Contains(Hex.Of(loaded.KeyHash), c.Out);

            var prepared = ToolRunner.Run("getpub", "-k", key, "-f", "key", "--name", "trusted");
            prepared.AssertOk();
            Assert.Contains("const moonboot_image_key trusted = " + Ed25519PreparedKey.CInitializer(loaded) + ";", prepared.Out);
            Assert.Contains(string.Join(",", loaded.PublicKey.Select(b => "0x" + b.ToString("x2"))), prepared.Out);
            var unnamed = ToolRunner.Run("getpub", "-k", key, "-f", "key");
            unnamed.AssertOk();
            Assert.Contains("const moonboot_image_key moonboot_trusted_key = {", unnamed.Out);

            var pem = ToolRunner.Run("getpub", "-k", key, "--format", "pem");
            pem.AssertOk();
            Assert.Equal(Imgtool.MustRun($"getpub -k {key} -e pem").Trim(), pem.Out.Trim());

            var hash = ToolRunner.Run("getpub", "-k", key, "-f", "hash", "-o", _dir["hash.txt"]);
            hash.AssertOk();
            Assert.Equal(Hex.Of(loaded.KeyHash), File.ReadAllText(_dir["hash.txt"]).Trim());

            // A public key is enough for getpub.
            File.WriteAllText(_dir["pub.pem"], pem.Out);
            Assert.Equal(Hex.Of(loaded.KeyHash), ToolRunner.Run("getpub", "-k", _dir["pub.pem"], "-f", "hash").Out.Trim());
        }

        [Fact]
        public void Getpub_bad_keys_fail_with_one_line_and_a_code()
        {
            ToolRunner.Run("getpub", "-k", _dir["missing.pem"]).AssertFails(2, "MBT1001");
            File.WriteAllText(_dir["junk.pem"], "hello");
            ToolRunner.Run("getpub", "-k", _dir["junk.pem"]).AssertFails(3, "MBT2001");
            File.WriteAllText(_dir["bad64.pem"], "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n");
            ToolRunner.Run("getpub", "-k", _dir["bad64.pem"]).AssertFails(3, "MBT2001");
            Imgtool.MustRun($"keygen -k {_dir["ec.pem"]} -t ecdsa-p256");
            var ec = ToolRunner.Run("getpub", "-k", _dir["ec.pem"]);
            ec.AssertFails(3, "MBT2001");
            Assert.Contains("Ed25519 only", ec.Error);
            File.WriteAllText(_dir["enc.pem"], "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
            ToolRunner.Run("getpub", "-k", _dir["enc.pem"]).AssertFails(3, "MBT2004");
        }

        [Fact]
        public void Sign_output_passes_imgtool_verify_and_matches_imgtool_sign_byte_for_byte()
        {
            string key = Key();
            string app = App(3000);
            var result = ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "1.2.3+4", "-s", "7", app, _dir["ours.bin"]);
            result.AssertOk();
            Assert.Contains("version 1.2.3+4, security counter 7", result.Out);

            var verify = Imgtool.MustRun($"verify -k {key} {_dir["ours.bin"]}");
            Assert.Contains("Image was correctly validated", verify);
            Assert.Contains("Image version: 1.2.3+4", verify);

            // Ed25519 is deterministic: imgtool with the same key, header size and counter writes the same bytes.
            Imgtool.MustRun($"sign -k {key} --header-size 0x200 --pad-header -v 1.2.3+4 -s 7 -S 0x10400 {app} {_dir["theirs.bin"]}");
            Assert.Equal(File.ReadAllBytes(_dir["theirs.bin"]), File.ReadAllBytes(_dir["ours.bin"]));

            // imgtool verifies with our public key PEM as well.
            ToolRunner.Run("getpub", "-k", key, "-f", "pem", "-o", _dir["pub.pem"]).AssertOk();
            Assert.Contains("Image was correctly validated", Imgtool.MustRun($"verify -k {_dir["pub.pem"]} {_dir["ours.bin"]}"));

            // imgtool's dumpinfo reads our header and TLVs.
            var dump = Imgtool.MustRun($"dumpinfo {_dir["ours.bin"]}");
            Assert.Contains("SEC_CNT (0x50)", dump);
            Assert.Contains("KEYHASH (0x1)", dump);
        }

        [Fact]
        public void Sign_keeps_a_header_area_the_build_already_left_blank()
        {
            string key = Key();
            var app = File.ReadAllBytes(App(2000));
            var withArea = new byte[0x200 + app.Length];
            app.CopyTo(withArea, 0x200);
            File.WriteAllBytes(_dir["area.bin"], withArea);
            ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "2.0.0", _dir["area.bin"], _dir["ours.bin"]).AssertOk();
            // imgtool without --pad-header expects exactly this input.
            Imgtool.MustRun($"sign -k {key} --header-size 0x200 -v 2.0.0 -s 0 -S 0x10400 {_dir["area.bin"]} {_dir["theirs.bin"]}");
            Assert.Equal(File.ReadAllBytes(_dir["theirs.bin"]), File.ReadAllBytes(_dir["ours.bin"]));
            Assert.Equal(app.Length, McubootImage.Parse(File.ReadAllBytes(_dir["ours.bin"])).Payload.Length);
        }

        [Fact]
        public void Sign_writes_intel_hex_at_the_boot_bank_and_reads_hex_input()
        {
            string key = Key();
            string app = App(1000);
            ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "1.0.0", app, _dir["signed.hex"]).AssertOk();
            var hex = File.ReadAllText(_dir["signed.hex"]);
            Assert.StartsWith(":020000042100D9\n", hex); // upper address 0x2100
            Assert.StartsWith(":10800000", hex.Split('\n')[1]); // 0x21008000, the boot bank
            Imgtool.MustRun($"verify -k {key} {_dir["signed.hex"]}");
            ToolRunner.Run("verify", "-k", key, _dir["signed.hex"]).AssertOk();
            // The hex of the plain binary signs to the same image as the binary.
            File.WriteAllText(_dir["app.hex"], IntelHex.Write(File.ReadAllBytes(app), 0x21008200));
            ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "1.0.0", _dir["app.hex"], _dir["a.bin"]).AssertOk();
            ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "1.0.0", app, _dir["b.bin"]).AssertOk();
            Assert.Equal(File.ReadAllBytes(_dir["a.bin"]), File.ReadAllBytes(_dir["b.bin"]));
        }

        [Fact]
        public void Sign_refuses_an_image_too_large_for_the_layout_and_other_bad_input()
        {
            string key = Key();
            // Header 512 + TLVs 156: the largest payload is 65536 - 668 bytes.
            int largest = Layouts.QemuMaxImage - 512 - 156;
            ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "1", App(largest, "max.bin"), _dir["max.signed"]).AssertOk();
            Assert.Equal(Layouts.QemuMaxImage, new FileInfo(_dir["max.signed"]).Length);
            var big = ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "1", App(largest + 1, "big.bin"), _dir["big.signed"]);
            big.AssertFails(4, "MBT3009");
            Assert.Contains("65537 bytes", big.Error);
            Assert.Contains("at most 65536 bytes", big.Error);
            Assert.False(File.Exists(_dir["big.signed"]));

            string app = App(100);
            ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "1.2.x", app, _dir["o.bin"]).AssertFails(2, "MBT1004");
            ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "1.256", app, _dir["o.bin"]).AssertFails(2, "MBT1004");
            ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "1", _dir["nothing.bin"], _dir["o.bin"]).AssertFails(2, "MBT1001");
            File.WriteAllBytes(_dir["app.elf"], new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 1, 1, 0 });
            Assert.Contains("is an ELF file", ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "1", _dir["app.elf"], _dir["o.bin"]).Error);
            ToolRunner.Run("sign", "-k", key, "-l", _dir["nolayout.txt"], "-v", "1", app, _dir["o.bin"]).AssertFails(5, "MBT4001");
            ToolRunner.Run("sign", "-k", key, "-l", Layouts.WriteText(_dir, "hello\n", "junk.txt"), "-v", "1", app, _dir["o.bin"]).AssertFails(5, "MBT4002");
            // An update bank smaller than the boot bank is a broken layout (MB rule), not something to sign for.
            var broken = Layouts.Qemu.Replace("location=0x00018000 size=66560", "location=0x00018000 size=32768");
            ToolRunner.Run("sign", "-k", key, "-l", Layouts.WriteText(_dir, broken, "broken.txt"), "-v", "1", app, _dir["o.bin"]).AssertFails(5, "MBT4003");
            ToolRunner.Run("getpub", "-k", key, "-f", "pem", "-o", _dir["pub.pem"]).AssertOk();
            ToolRunner.Run("sign", "-k", _dir["pub.pem"], "-l", _layout, "-v", "1", app, _dir["o.bin"]).AssertFails(3, "MBT2003");
            // A usage error (missing option) is exit 1, System.CommandLine's.
            Assert.Equal(1, ToolRunner.Run("sign", "-l", _layout, app, _dir["o.bin"]).ExitCode);
        }

        [Fact]
        public void Verify_accepts_what_imgtool_sign_writes_with_an_imgtool_key()
        {
            Imgtool.MustRun($"keygen -k {_dir["imgtool.pem"]} -t ed25519");
            string app = App(5000);
            Imgtool.MustRun($"sign -k {_dir["imgtool.pem"]} --header-size 0x200 --pad-header --align 8 -v 3.1.4+15 -s 9 -S 0x10400 {app} {_dir["signed.bin"]}");
            var result = ToolRunner.Run("verify", "-k", _dir["imgtool.pem"], "-l", _layout, _dir["signed.bin"]);
            result.AssertOk();
            Assert.Contains("version 3.1.4+15, security counter 9, hash OK, signature OK", result.Out);
            // imgtool's public key PEM works too.
            File.WriteAllText(_dir["pub.pem"], Imgtool.MustRun($"getpub -k {_dir["imgtool.pem"]} -e pem"));
            ToolRunner.Run("verify", "-k", _dir["pub.pem"], _dir["signed.bin"]).AssertOk();
            // And an imgtool image padded to its slot (trailer with the boot magic) still verifies.
            Imgtool.MustRun($"sign -k {_dir["imgtool.pem"]} --header-size 0x200 --pad-header --pad --align 8 -v 3.1.4 -S 0x10400 {app} {_dir["padded.bin"]}");
            ToolRunner.Run("verify", "-k", _dir["imgtool.pem"], _dir["padded.bin"]).AssertOk();
        }

        [Fact]
        public void Verify_refuses_a_wrong_key_tampering_and_truncation()
        {
            string key = Key();
            string other = Key("other.pem");
            ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "1", App(4000), _dir["s.bin"]).AssertOk();
            var good = File.ReadAllBytes(_dir["s.bin"]);
            var image = McubootImage.Parse(good);

            var wrong = ToolRunner.Run("verify", "-k", other, _dir["s.bin"]);
            wrong.AssertFails(3, "MBT2002");
            Assert.Contains("wrong key", wrong.Error);
            // imgtool agrees it does not verify with that key.
            Assert.NotEqual(0, Imgtool.Run($"verify -k {other} {_dir["s.bin"]}").ExitCode);

            void Tampered(int offset, int exit, string code)
            {
                var bad = (byte[])good.Clone();
                bad[offset] ^= 0x01;
                File.WriteAllBytes(_dir["t.bin"], bad);
                ToolRunner.Run("verify", "-k", key, _dir["t.bin"]).AssertFails(exit, code);
            }
            Tampered(600, 4, "MBT3006");                         // payload
            Tampered(20, 4, "MBT3006");                          // version in the header
            Tampered(512 + 4000 + 8, 4, "MBT3006");              // the security counter (protected)
            Tampered(good.Length - 10, 4, "MBT3007");            // the signature
            Tampered(good.Length - 64 - 4 - 5, 3, "MBT2002");    // the key hash
            Tampered(0, 4, "MBT3002");                           // magic

            File.WriteAllBytes(_dir["short.bin"], good.Take(good.Length - 1).ToArray());
            ToolRunner.Run("verify", "-k", key, _dir["short.bin"]).AssertFails(4, "MBT3001");
            File.WriteAllBytes(_dir["short.bin"], good.Take(1000).ToArray());
            ToolRunner.Run("verify", "-k", key, _dir["short.bin"]).AssertFails(4, "MBT3001");
            File.WriteAllBytes(_dir["short.bin"], good.Take(10).ToArray());
            ToolRunner.Run("verify", _dir["short.bin"]).AssertFails(4, "MBT3001");
            ToolRunner.Run("verify", _dir["none.bin"]).AssertFails(2, "MBT1001");

            var noKey = ToolRunner.Run("verify", _dir["s.bin"]);
            noKey.AssertOk();
            Assert.Contains("signature not checked", noKey.Out);
            Assert.Equal(4000, image.Payload.Length);
        }

        [Fact]
        public void Verify_with_a_layout_refuses_an_image_too_large_for_it()
        {
            string key = Key();
            ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "1", App(40000), _dir["s.bin"]).AssertOk();
            var small = Layouts.Qemu.Replace("size=65536", "size=32768").Replace("size=66560", "size=33792");
            var result = ToolRunner.Run("verify", "-k", key, "-l", Layouts.WriteText(_dir, small, "small.txt"), _dir["s.bin"]);
            result.AssertFails(4, "MBT3009");
        }

        [Fact]
        public void Inspect_shows_every_field_and_json_round_trips_every_byte()
        {
            string key = Key();
            ToolRunner.Run("sign", "-k", key, "-l", _layout, "-v", "4.3.2+1", "-s", "12", App(1234), _dir["s.bin"]).AssertOk();
            var text = ToolRunner.Run("inspect", _dir["s.bin"]);
            text.AssertOk();
            foreach (var expected in new[] { "0x96f3b83d", "512 (0x200)", "1234 bytes of payload", "4.3.2+1", "SEC_CNT (0x50)", "KEYHASH (0x01)", "ED25519 (0x24)", Hex.Of(Ed25519Key.Load(key).KeyHash), "OK (SHA-256" })
            {
                Assert.Contains(expected, text.Out);
            }

            // Imgtool's padded image too: trailer bytes and all.
            Imgtool.MustRun($"sign -k {key} --header-size 0x200 --pad-header --pad --align 8 -v 1.2.3+4 -s 3 -S 0x10400 {App(777, "b.bin")} {_dir["padded.bin"]}");
            foreach (var file in new[] { "s.bin", "padded.bin" })
            {
                var original = File.ReadAllBytes(_dir[file]);
                var json = ToolRunner.Run("inspect", "--json", _dir[file]);
                json.AssertOk();
                var root = JsonNode.Parse(json.Out)!.AsObject();
                var header = root["header"]!.AsObject();
                Assert.Equal(new[] { "magic", "load_address", "header_size", "protected_tlv_size", "image_size", "flags", "version", "pad1" }, header.Select(p => p.Key).ToArray());
                Assert.True(root["summary"]!["hash_valid"]!.GetValue<bool>());
                File.WriteAllText(_dir[file + ".json"], json.Out);
                ToolRunner.Run("inspect", _dir[file + ".json"], "-o", _dir[file + ".back"]).AssertOk();
                Assert.Equal(original, File.ReadAllBytes(_dir[file + ".back"]));
            }
            var padded = JsonNode.Parse(ToolRunner.Run("inspect", "--json", _dir["padded.bin"]).Out)!;
            Assert.Equal(3u, padded["summary"]!["security_counter"]!.GetValue<uint>());
            Assert.NotEqual("", padded["trailer"]!.GetValue<string>());

            // An edited JSON makes an edited image: here a changed version, which the hash then refuses.
            var edited = JsonNode.Parse(File.ReadAllText(_dir["s.bin.json"]))!;
            edited["header"]!["version"] = "9.9.9+9";
            File.WriteAllText(_dir["edited.json"], edited.ToJsonString());
            ToolRunner.Run("inspect", _dir["edited.json"], "-o", _dir["edited.bin"]).AssertOk();
            Assert.Equal(9, File.ReadAllBytes(_dir["edited.bin"])[20]);
            ToolRunner.Run("verify", "-k", key, _dir["edited.bin"]).AssertFails(4, "MBT3006");
            var report = JsonNode.Parse(ToolRunner.Run("inspect", "--json", _dir["edited.bin"]).Out)!;
            Assert.False(report["summary"]!["hash_valid"]!.GetValue<bool>());
        }

        [Fact]
        public void Inspect_bad_input_fails_with_a_code()
        {
            File.WriteAllBytes(_dir["zero.bin"], new byte[100]);
            ToolRunner.Run("inspect", _dir["zero.bin"]).AssertFails(4, "MBT3002");
            File.WriteAllText(_dir["bad.json"], "{\"header\": 3}");
            ToolRunner.Run("inspect", _dir["bad.json"]).AssertFails(4, "MBT3010");
            ToolRunner.Run("inspect", _dir["none.bin"]).AssertFails(2, "MBT1001");
        }
    }
}
