using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using Moonboot.Imaging;
using Xunit;

namespace Moonboot.Tool.Tests
{
    /// <summary>
    /// The build-time key preparation (Ed25519PreparedKey, written into moonboot_keys.h) against the C runtime's
    /// moonboot_image_key_prepare, byte for byte, and against values computed independently (Python integers).
    /// </summary>
    public sealed class PreparedKeyTests
    {
        private static string Hex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2")));

        private static byte[] Bytes(string hex) =>
            Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(2 * i, 2), 16)).ToArray();

        [Fact]
        public void The_base_point_prepares_to_its_x_and_its_multiple_by_two_to_the_128()
        {
            // B = (x, 4/5); [2^128]B by 128 affine doublings in Python's integers.
            byte[] prepared = Ed25519PreparedKey.Prepare(Bytes("5866666666666666666666666666666666666666666666666666666666666666"));
            Assert.Equal("1ad5258f602d56c9b2a7259560c72c695cdcd6fd31e2a4c0fe536ecdd3366921", Hex(prepared.Skip(32).Take(32).ToArray()));
            Assert.Equal("24e8b760ae4780fce523e7c2c985e698a0294ee184392d952cf3453cffaf274c", Hex(prepared.Skip(64).Take(32).ToArray()));
            Assert.Equal("6ba6f54b11bdba5b9ec4a4511ebed0903a9cc226b61ef1957dc86d52e6992c5f", Hex(prepared.Skip(96).Take(32).ToArray()));
        }

        public static IEnumerable<object[]> UnusableKeys => new[]
        {
            new object[] { "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "not below p" }, // y = p
            new object[] { "0200000000000000000000000000000000000000000000000000000000000000", "not a square" }, // y = 2
            new object[] { "0100000000000000000000000000000000000000000000000000000000000080", "sign bit" },     // x = 0, sign 1
            new object[] { "0100000000000000000000000000000000000000000000000000000000000000", "small order" },  // identity
            new object[] { "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "small order" },  // (0, -1)
            new object[] { "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "small order" },  // order 8
        };

        [Theory]
        [MemberData(nameof(UnusableKeys))]
        public void A_key_the_verifier_would_refuse_is_refused_with_the_reason(string hex, string reason)
        {
            var e = Assert.Throws<MoonbootException>(() => Ed25519PreparedKey.Prepare(Bytes(hex)));
            Assert.Equal(MoonbootError.KeyFormat, e.Error);
            Assert.Contains(reason, e.Message);
        }

        [Fact]
        public void The_build_time_preparation_matches_the_c_runtime_byte_for_byte()
        {
            string root = typeof(PreparedKeyTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;
            using var dir = new TempDir();
            string tool = dir["image-tool"];
            var sources = Directory.GetFiles(Path.Combine(root, "src", "runtime", "crypto"), "*.c")
                .Concat(Directory.GetFiles(Path.Combine(root, "src", "runtime", "image"), "*.c"))
                .Append(Path.Combine(root, "tests", "crypto", "image_tool.c"));
            var (rc, output) = Run("gcc", $"-std=c11 -O2 -D_GNU_SOURCE -I\"{Path.Combine(root, "src", "runtime", "include")}\" "
                + string.Join(" ", sources.Select(s => $"\"{s}\"")) + $" -o \"{tool}\"");
            Assert.True(rc == 0, output);

            // Real keys, random 32-byte strings (about half of them are curve points), and the refused ones.
            var random = new Random(20261130);
            var keys = new List<byte[]>();
            for (int i = 0; i < 48; i++)
            {
                var seed = new byte[32];
                random.NextBytes(seed);
                keys.Add(Ed25519Key.FromSeed(seed).PublicKey);
            }
            for (int i = 0; i < 48; i++)
            {
                var b = new byte[32];
                random.NextBytes(b);
                keys.Add(b);
            }
            keys.AddRange(UnusableKeys.Select(k => Bytes((string)k[0])));

            (rc, output) = Run(tool, "prepare " + string.Join(" ", keys.Select(Hex)));
            Assert.True(rc == 0, output);
            string[] lines = output.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(keys.Count, lines.Length);
            int valid = 0;
            for (int i = 0; i < keys.Count; i++)
            {
                string ours;
                try
                {
                    string prepared = Hex(Ed25519PreparedKey.Prepare(keys[i]));
                    ours = Hex(Ed25519Key.FromPublicKey(keys[i]).KeyHash) + prepared;
                    valid++;
                }
                catch (MoonbootException)
                {
                    ours = "invalid";
                }
                Assert.True(ours == lines[i].Trim(), $"key {Hex(keys[i])}: C# {ours}, C {lines[i]}");
            }
            Assert.InRange(valid, 60, keys.Count - 6); // both kinds were compared
        }

        private static (int ExitCode, string Output) Run(string file, string arguments)
        {
            var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
    }
}
