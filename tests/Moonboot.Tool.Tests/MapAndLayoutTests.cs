using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Moonboot.Tool.Tests
{
    /// <summary>map, and the three ways to name a layout: layout.txt, the built config assembly, the config project.</summary>
    public sealed class MapAndLayoutTests : IDisposable
    {
        private readonly TempDir _dir = new TempDir();

        public void Dispose() => _dir.Dispose();

        [Fact]
        public void Map_prints_every_bank_with_addresses_sizes_and_pages()
        {
            var result = ToolRunner.Run("map", "-l", Layouts.WriteText(_dir), "--svg", _dir["map.svg"]);
            result.AssertOk();
            var lines = result.Out.Split('\n');
            Assert.Contains("Memory: page 1024 B, write 8 B, header 512 B, largest image 65536 B", result.Out);
            Assert.Contains(lines, l => l.Contains("Bootloader") && l.Contains("0x21000000") && l.Contains("0x21004000") && l.Contains("16 KiB") && l.Contains("│ 16 "));
            Assert.Contains(lines, l => l.Contains("Boot ") && l.Contains("0x21008000") && l.Contains("0x21018000") && l.Contains("64 KiB") && l.Contains("│ 64 "));
            Assert.Contains(lines, l => l.Contains("Update") && l.Contains("0x21018000") && l.Contains("65 KiB") && l.Contains("│ 65 "));
            Assert.Contains(lines, l => l.Contains("State") && l.Contains("0x21004000") && l.Contains("6 KiB"));
            Assert.Contains(lines, l => l.Contains("Ram") && l.Contains("0x20000000") && l.Contains("4096 KiB"));

            var svg = File.ReadAllText(_dir["map.svg"]);
            Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg);
            Assert.Equal(5, svg.Split("class=\"bank\"").Length - 1);
            Assert.Contains("data-role=\"Update\" data-origin=\"0x21018000\" data-size=\"66560\"", svg);
            Assert.DoesNotContain("class=\"used\"", svg);
            System.Xml.Linq.XDocument.Parse(svg); // well-formed
        }

        /// <summary>A minimal ELF32 LE with the given PT_LOAD segments (vaddr, paddr, filesz, memsz).</summary>
        private static byte[] Elf(params (uint V, uint P, uint File, uint Mem)[] segments)
        {
            var b = new byte[52 + 32 * segments.Length];
            new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 1, 1 }.CopyTo(b, 0);
            BitConverter.GetBytes((ushort)2).CopyTo(b, 16);   // ET_EXEC
            BitConverter.GetBytes((ushort)40).CopyTo(b, 18);  // EM_ARM
            BitConverter.GetBytes(52u).CopyTo(b, 0x1c);       // e_phoff
            BitConverter.GetBytes((ushort)32).CopyTo(b, 0x2a);
            BitConverter.GetBytes((ushort)segments.Length).CopyTo(b, 0x2c);
            for (int i = 0; i < segments.Length; i++)
            {
                int p = 52 + 32 * i;
                BitConverter.GetBytes(1u).CopyTo(b, p);
                BitConverter.GetBytes(segments[i].V).CopyTo(b, p + 8);
                BitConverter.GetBytes(segments[i].P).CopyTo(b, p + 12);
                BitConverter.GetBytes(segments[i].File).CopyTo(b, p + 16);
                BitConverter.GetBytes(segments[i].Mem).CopyTo(b, p + 20);
            }
            return b;
        }

        [Fact]
        public void Map_with_an_elf_shows_the_space_its_segments_use()
        {
            // .text in the boot bank after the header, .data stored after it and run in RAM, .bss in RAM only.
            File.WriteAllBytes(_dir["app.elf"], Elf((0x21008200, 0x21008200, 0x1000, 0x1000), (0x20000000, 0x21009200, 0x100, 0x100), (0x20000100, 0x20000100, 0, 0x400)));
            var result = ToolRunner.Run("map", "-l", Layouts.WriteText(_dir), "--elf", _dir["app.elf"], "--svg", _dir["map.svg"]);
            result.AssertOk();
            var boot = result.Out.Split('\n').Single(l => l.Contains("0x21008000"));
            Assert.Contains("4352 B (6.6%)", boot);    // 0x1000 + 0x100 stored bytes
            Assert.Contains("61184 B", boot);          // free
            var ram = result.Out.Split('\n').Single(l => l.Contains("0x20000000"));
            Assert.Contains("1280 B", ram);            // .data + .bss
            Assert.Contains("class=\"used\"", File.ReadAllText(_dir["map.svg"]));
        }

        [Fact]
        public void Map_refuses_an_elf_outside_the_layout_and_a_file_that_is_no_elf()
        {
            File.WriteAllBytes(_dir["far.elf"], Elf((0x08000000, 0x08000000, 0x100, 0x100)));
            var result = ToolRunner.Run("map", "-l", Layouts.WriteText(_dir), "--elf", _dir["far.elf"]);
            result.AssertFails(5, "MBT4006");
            Assert.Contains("0x08000000..0x08000100", result.Error);
            Assert.Contains("Bootloader", result.Out); // the table is still printed

            File.WriteAllText(_dir["not.elf"], "hello, I am not an ELF file at all, but long enough to be read as one");
            ToolRunner.Run("map", "-l", Layouts.WriteText(_dir), "--elf", _dir["not.elf"]).AssertFails(5, "MBT4005");
        }

        [Fact]
        public void Layout_comes_from_a_built_assembly_or_a_config_project()
        {
            string dll = Layouts.WriteAssembly(_dir["Config.dll"]);
            var fromDll = ToolRunner.Run("map", "-l", dll);
            fromDll.AssertOk();
            Assert.Contains("0x21018000", fromDll.Out);

            // A project folder: its newest bin/**/<name>.dll.
            string project = Path.Combine(_dir.Path, "Common");
            Directory.CreateDirectory(project);
            File.WriteAllText(Path.Combine(project, "Common.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
            ToolRunner.Run("map", "-l", project).AssertFails(5, "MBT4004");
            // Not built, but its layout.txt written (the SDK's ReadMoonbootLayout ran): that layout is used.
            var obj = Path.Combine(project, "obj", "Debug", "net10.0", "moonboot");
            Directory.CreateDirectory(obj);
            File.WriteAllText(Path.Combine(obj, "layout.txt"), Layouts.Qemu.Replace("size=16384", "size=8192"));
            Assert.Contains("8 KiB", ToolRunner.Run("map", "-l", project).Out);
            Layouts.WriteAssembly(Path.Combine(project, "bin", "Release", "net10.0", "Common.dll"),
                Layouts.Qemu.Replace("size=65536", "size=32768"));
            var fromProject = ToolRunner.Run("map", "-l", project);
            fromProject.AssertOk();
            Assert.Contains("32 KiB", fromProject.Out);
            ToolRunner.Run("map", "-l", Path.Combine(project, "Common.csproj")).AssertOk();

            // A firmware project takes the layout of the config project it references.
            string app = Path.Combine(_dir.Path, "App");
            Directory.CreateDirectory(app);
            File.WriteAllText(Path.Combine(app, "App.csproj"),
                "<Project Sdk=\"Moonboot.Sdk\"><ItemGroup><ProjectReference Include=\"..\\Common\\Common.csproj\" /></ItemGroup></Project>");
            Assert.Contains("32 KiB", ToolRunner.Run("map", "-l", app).Out);

            // An assembly without the manifest is not a config assembly.
            var notConfig = ToolRunner.Run("map", "-l", typeof(MapAndLayoutTests).Assembly.Location);
            notConfig.AssertFails(5, "MBT4002");
            File.WriteAllText(_dir["fake.dll"], "MZ not really");
            ToolRunner.Run("map", "-l", _dir["fake.dll"]).AssertFails(5, "MBT4002");
        }
    }
}
