using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Utilities;
using Moonboot.Imaging;
using Moonboot.Sdk.Tasks.Signing;
using Xunit;

namespace Moonboot.Sdk.Tasks.Tests;

/// <summary>moonboot_keys.h: each trusted key prepared for the bootloader, and unusable keys refused with MBS3001.</summary>
public sealed class WriteMoonbootTrustedKeysTests
{
    private static string CBytes(byte[] bytes) => "{" + string.Join(",", bytes.Select(b => "0x" + b.ToString("x2"))) + "}";

    private static (bool Ok, FakeBuildEngine Engine, string Output) Run(TestDirectory dir, params string[] keyFiles)
    {
        var engine = new FakeBuildEngine();
        var task = new WriteMoonbootTrustedKeys
        {
            BuildEngine = engine,
            Keys = keyFiles.Select(f => (Microsoft.Build.Framework.ITaskItem)new TaskItem(f)).ToArray(),
            DevelopmentKeyFile = dir.File("dev.pem"),
            OutputFile = dir.File("out/moonboot_keys.h"),
        };
        bool ok = task.Execute();
        return (ok, engine, File.Exists(task.OutputFile) ? File.ReadAllText(task.OutputFile) : "");
    }

    [Fact]
    public void Each_key_is_written_with_its_key_hash_and_prepared_points_in_item_order()
    {
        using var dir = new TestDirectory();
        var first = Ed25519Key.Generate();
        var second = Ed25519Key.Generate();
        File.WriteAllText(dir.File("first.pem"), first.ToPrivatePem());
        File.WriteAllText(dir.File("second.pub.pem"), second.ToPublicPem());

        var (ok, engine, header) = Run(dir, dir.File("first.pem"), dir.File("second.pub.pem"));

        Assert.True(ok, engine.Describe());
        Assert.Contains("#define MOONBOOT_TRUSTED_KEY_COUNT 2u", header);
        int at = -1;
        foreach (var key in new[] { first, second })
        {
            byte[] p = Ed25519PreparedKey.Prepare(key.PublicKey);
            string entry = "{" + CBytes(key.KeyHash) + ", {" + CBytes(key.PublicKey) + ", " + CBytes(p.Skip(32).Take(32).ToArray())
                + ", " + CBytes(p.Skip(64).Take(32).ToArray()) + ", " + CBytes(p.Skip(96).ToArray()) + "}}";
            int next = header.IndexOf(entry, StringComparison.Ordinal);
            Assert.True(next > at, header);
            at = next;
        }
        // Only the public half of the private key file: its 32-byte seed (the end of the PKCS#8 DER) is nowhere.
        string pem = first.ToPrivatePem();
        byte[] der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----"))));
        byte[] seed = der.Skip(der.Length - 32).ToArray();
        Assert.DoesNotContain(string.Join(",", seed.Take(8).Select(b => "0x" + b.ToString("x2"))), header);
    }

    [Fact]
    public void A_key_of_small_order_is_MBS3001_naming_the_file_and_the_reason()
    {
        using var dir = new TestDirectory();
        // SubjectPublicKeyInfo of the identity point (y = 1): a valid encoding, but of order 1.
        var spki = new byte[] { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, 1 }.Concat(new byte[31]).ToArray();
        File.WriteAllText(dir.File("odd.pub.pem"), "-----BEGIN PUBLIC KEY-----\n" + Convert.ToBase64String(spki) + "\n-----END PUBLIC KEY-----\n");

        var (ok, engine, header) = Run(dir, dir.File("odd.pub.pem"));

        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.Equal("MBS3001", error.Code);
        Assert.Equal(dir.File("odd.pub.pem"), error.File);
        Assert.Equal($"MoonbootTrustedKey '{dir.File("odd.pub.pem")}': the PUBLIC KEY is not a usable Ed25519 public key: "
            + "it is a point of small order (any signature would do for many messages)", error.Message);
        Assert.Equal("", header);
    }
}
