using System;
using System.Diagnostics;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Moonboot.Imaging;
using Xunit;

namespace Moonboot.Sdk.Firmware.Tests;

/// <summary>Signed layouts: build-time signing, the trusted keys header, the development key and its Release warning.</summary>
public partial class EndToEndTests
{
    private const string SignedConfig = """
        using Moonboot;

        [MoonbootConfig(FlashOrigin = 0x2100_0000, RamOrigin = 0x2000_0000, PageSize = 1024, WriteSize = 8, ImageHeaderSize = 0x200)]
        public static partial class Memory
        {
            [Bank(BankRole.Bootloader, Location = 0x0_0000)] public const uint Bootloader = 32 * 1024;
            [Bank(BankRole.State, Location = 0x0_8000)] public const uint State = 6 * 1024;
            [Bank(BankRole.Boot, Location = 0x1_0000)] public const uint Boot = 64 * 1024;
            [Bank(BankRole.Update, Location = 0x2_0000)] public const uint Update = 65 * 1024;
            [Bank(BankRole.Ram, Location = 0)] public const uint Ram = 4 * 1024 * 1024;
        }
        """;

    /// <summary>A bootloader that uses the generated key list, so a wrong initializer fails the compile.</summary>
    private const string SignedBootMain = """
        #include "moonboot_layout.h"
        #include "moonboot_keys.h"
        #include "moonboot/image.h"
        static const moonboot_image_key keys[] = MOONBOOT_TRUSTED_KEYS;
        _Static_assert(sizeof keys / sizeof keys[0] == MOONBOOT_TRUSTED_KEY_COUNT, "key count");
        _Static_assert(MOONBOOT_IMAGE_HEADER_SIZE == 0x200, "header size");
        int main(void) { return keys[0].ed25519.public_key[0] == 0x5a ? 1 : 0; }
        """;

    [ToolchainFact]
    public void Signed_layout_signs_the_application_and_compiles_the_trusted_keys_into_the_bootloader()
    {
        var ws = Create("e2e-signed", SignedConfig, "\n    <Version>1.2.3</Version>\n    <MoonbootSecurityCounter>7</MoonbootSecurityCounter>");
        File.WriteAllText(ws.P("Boot", "main.c"), SignedBootMain);
        var build = Build(ws);
        Assert.True(build.ExitCode == 0, build.Output);

        // The development key: generated once, next to the config project, ignored by git; Debug does not warn.
        string devKey = ws.P("Config", "moonboot-dev-key.pem");
        Assert.True(File.Exists(devKey), build.Output);
        Assert.Contains("moonboot-dev-key.pem", File.ReadAllLines(ws.P("Config", ".gitignore")));
        Assert.DoesNotContain("MBS3002", build.Output);
        string keyText = File.ReadAllText(devKey);
        var key = Ed25519Key.Load(devKey);

        // The memory map: a table in the build log (normal verbosity) and an SVG under obj/moonboot/.
        Assert.Contains("Moonboot memory map (App):", build.Output);
        Assert.Matches(@"Boot\s+Boot\s+Internal\s+0x21010000\s+0x21020000\s+64 KiB\s+64\s+\d+ B \(\d+\.\d%\)", build.Output);
        Assert.Matches(@"Memory: page 1024 B, write 8 B, header 512 B, largest image 65536 B", build.Output);
        Assert.Contains("data-role=\"Update\"", File.ReadAllText(ws.P("App", "obj", "moonboot", "memory-map.svg")));

        // The application's vector table sits after the header; the signed image is MCUboot's.
        string bin = ws.P("App", "bin", "Debug");
        Assert.Equal(0x21010200u, SectionAddress(Path.Combine(bin, "App.elf"), ".isr_vector"));
        byte[] signed = File.ReadAllBytes(Path.Combine(bin, "App.signed.bin"));
        byte[] plain = File.ReadAllBytes(Path.Combine(bin, "App.bin"));
        Assert.Equal(0x96f3b83du, BitConverter.ToUInt32(signed, 0));
        Assert.Equal(0x200, BitConverter.ToUInt16(signed, 8));
        Assert.Equal((uint)plain.Length, BitConverter.ToUInt32(signed, 12));
        Assert.Equal(new byte[] { 1, 2, 3, 0 }, signed.Skip(20).Take(4).ToArray()); // major, minor, revision (LE)
        Assert.Equal(plain, signed.Skip(0x200).Take(plain.Length).ToArray());
        Assert.Equal(0x200 + plain.Length + 156, signed.Length);
        var image = McubootImage.Parse(signed);
        Assert.Equal(7u, image.SecurityCounter);
        Assert.Equal(IntelHex.Write(signed, 0x21010000), File.ReadAllText(Path.Combine(bin, "App.signed.hex")));
        var (verifyRc, verifyOutput, which) = Imgtool($"verify -k \"{devKey}\" \"{Path.Combine(bin, "App.signed.bin")}\"");
        _output.WriteLine($"imgtool: {which}\n{verifyOutput}");
        Assert.True(verifyRc == 0, verifyOutput);
        Assert.Contains("Image was correctly validated", verifyOutput);

        // The bootloader trusts the development key, compiled in prepared: its key hash, its 32 public bytes, A's x
        // and [2^128]A (Ed25519PreparedKey; PreparedKeyTests hold it against the C runtime's preparation).
        string keysHeader = File.ReadAllText(ws.P("Boot", "obj", "moonboot", "keys", "moonboot_keys.h"));
        string CBytes(IEnumerable<byte> bytes) => "{" + string.Join(",", bytes.Select(b => "0x" + b.ToString("x2"))) + "}";
        byte[] prepared = Ed25519PreparedKey.Prepare(key.PublicKey);
        Assert.Contains("{" + CBytes(key.KeyHash) + ", {" + CBytes(key.PublicKey) + ", " + CBytes(prepared.Skip(32).Take(32))
            + ", " + CBytes(prepared.Skip(64).Take(32)) + ", " + CBytes(prepared.Skip(96)) + "}}", keysHeader);
        Assert.Contains("#define MOONBOOT_TRUSTED_KEY_COUNT 1u", keysHeader);

        // Release: signed with the development key, so it warns; the key is not generated again.
        var (releaseRc, releaseOutput) = Dotnet(ws, "build Firmware.sln -c Release -nodeReuse:false -p:UseSharedCompilation=false");
        Assert.True(releaseRc == 0, releaseOutput);
        Assert.Contains("warning MBS3002", releaseOutput);
        Assert.Equal(keyText, File.ReadAllText(devKey));

        // Two trusted keys (rotation), one public and one private PEM: both public halves, in item order.
        var next = Ed25519Key.Generate();
        File.WriteAllText(ws.P("Boot", "next.pub.pem"), next.ToPublicPem());
        File.WriteAllText(ws.P("Boot", "Directory.Build.targets"), """
            <Project>
              <ItemGroup>
                <MoonbootTrustedKey Include="../Config/moonboot-dev-key.pem;next.pub.pem" />
              </ItemGroup>
            </Project>
            """);
        var rotated = Build(ws, "Boot/Boot.csproj");
        Assert.True(rotated.ExitCode == 0, rotated.Output);
        keysHeader = File.ReadAllText(ws.P("Boot", "obj", "moonboot", "keys", "moonboot_keys.h"));
        Assert.Contains("#define MOONBOOT_TRUSTED_KEY_COUNT 2u", keysHeader);
        int first = keysHeader.IndexOf("0x" + key.PublicKey[0].ToString("x2") + ",0x" + key.PublicKey[1].ToString("x2"), StringComparison.Ordinal);
        int second = keysHeader.IndexOf("{" + string.Join(",", next.PublicKey.Select(b => "0x" + b.ToString("x2"))) + "}", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, keysHeader);

        // A missing key file is MBS3001, naming it.
        File.WriteAllText(ws.P("Boot", "Directory.Build.targets"), """
            <Project>
              <ItemGroup>
                <MoonbootTrustedKey Include="missing.pem" />
              </ItemGroup>
            </Project>
            """);
        var missing = Build(ws, "Boot/Boot.csproj");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("error MBS3001", missing.Output);
        Assert.Contains("missing.pem", missing.Output);
    }

    /// <summary>imgtool as issue 9's tests find it: $MOONBOOT_IMGTOOL, `imgtool` on PATH, then ../shared/oracles/imgtool.</summary>
    private static (int ExitCode, string Output, string Which) Imgtool(string arguments)
    {
        string? env = Environment.GetEnvironmentVariable("MOONBOOT_IMGTOOL");
        string file, prefix = "", which;
        string? onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, "imgtool")).FirstOrDefault(f => f.Length > "imgtool".Length && File.Exists(f));
        if (!string.IsNullOrWhiteSpace(env))
        {
            var parts = env.Trim().Split(' ', 2);
            (file, prefix, which) = (parts[0], parts.Length > 1 ? parts[1] : "", "$MOONBOOT_IMGTOOL");
        }
        else if (onPath != null)
        {
            (file, which) = (onPath, onPath);
        }
        else
        {
            string script = Path.GetFullPath(Path.Combine(Arm.RepositoryRoot, "..", "shared", "oracles", "imgtool", "imgtool.py"));
            (file, prefix, which) = ("/usr/bin/python3", "\"" + script + "\"", "/usr/bin/python3 " + script);
        }
        var (rc, output) = Arm.Run(file, (prefix + " " + arguments).Trim(), Path.GetTempPath());
        return (rc, output, which);
    }
}
