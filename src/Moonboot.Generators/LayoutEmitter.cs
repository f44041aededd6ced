using System.CodeDom.Compiler;
using System.Globalization;
using System.IO;
using System.Text;
using Moonboot.Layout;

namespace Moonboot.Generators
{
    /// <summary>Writes the generated C#: the constants inside the config class, and the manifest type.</summary>
    internal static class LayoutEmitter
    {
        private const string Unit = "global::Moonboot.MemoryUnit";
        private const string Role = "global::Moonboot.BankRole";

        public static string GeneratorVersion { get; } =
            typeof(LayoutEmitter).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

        private static string GeneratedCode =>
            "[global::System.CodeDom.Compiler.GeneratedCode(\"Moonboot.Generators\", \"" + GeneratorVersion + "\")]";

        /// <summary>How every file the generator adds to a config class ends.</summary>
        public const string HintSuffix = ".Moonboot.g.cs";

        public static string HintName(GenerationModel model) =>
            (model.Namespace.Length == 0 ? "" : model.Namespace + ".") + model.ClassName + HintSuffix;

        public const string ManifestHintName = LayoutManifest.TypeNamespace + "." + LayoutManifest.TypeName + ".g.cs";

        public static string EmitConfig(GenerationModel model)
        {
            var layout = new ResolvedLayout(model.Spec);
            var spec = model.Spec;
            var (code, w) = Begin();
            bool hasNamespace = model.Namespace.Length > 0;
            if (hasNamespace)
            {
                w.WriteLine("namespace " + model.Namespace);
                w.WriteLine("{");
                w.Indent++;
            }
            w.WriteLine("static partial class " + model.ClassName);
            w.WriteLine("{");
            w.Indent++;

            foreach (var bank in layout.Banks)
            {
                if (bank.Origin > uint.MaxValue) continue; // MB0009 already reported; no uint Origin exists.
                string where = bank.Spec.IsRam ? "RAM"
                    : bank.Unit == MemoryUnit.Internal ? "internal flash" : "external flash";
                Summary(w, $"Bank <c>{bank.Name}</c> ({bank.Role}) on {where}: {LayoutFormat.Bytes(bank.Size)} at {Hex(bank.Origin)}.");
                w.WriteLine(GeneratedCode);
                w.WriteLine("public static class " + ConfigReader.BankClassName(bank.Role));
                w.WriteLine("{");
                w.Indent++;
                Summary(w, "Offset from the origin of the memory unit (the bank's <c>Location</c>).");
                w.WriteLine($"public const uint Offset = {Hex(bank.Offset)};");
                Summary(w, bank.Unit == MemoryUnit.External
                    ? "Start of the bank in the external unit's own address space (equal to Offset)."
                    : "Absolute start address.");
                w.WriteLine($"public const uint Origin = {Hex(bank.Origin)};");
                Summary(w, "Size in bytes.");
                w.WriteLine($"public const uint Size = {Dec(bank.Size)};");
                Summary(w, "First address past the bank (ulong: a bank may end exactly at 0x100000000).");
                w.WriteLine($"public const ulong End = {Hex(bank.End)};");
                if (!bank.Spec.IsRam)
                {
                    Summary(w, "Number of erase pages in the bank.");
                    w.WriteLine($"public const uint PageCount = {Dec(bank.PageCount)};");
                }
                Summary(w, "The memory unit the bank lives on.");
                w.WriteLine($"public const {Unit} Unit = {Unit}.{bank.Unit};");
                w.Indent--;
                w.WriteLine("}");
                w.WriteLineNoTabs("");
            }

            var boot = layout.Find(BankRole.Boot);
            var update = layout.Find(BankRole.Update);
            var ram = layout.Find(BankRole.Ram);
            ulong maxImage = boot is not null && update is not null ? layout.MaxImageSize : 0;
            ulong stateSize = ram is not null && ram.Size >= layout.RamStateSize ? layout.RamStateSize : 0;
            ulong stateOrigin = stateSize != 0 ? Fit(ram!.End - stateSize) : 0;
            ulong firmwareRam = ram is not null ? ram.Size - stateSize : 0;
            ulong erased = spec.ErasedValue & 0xFF;

            Summary(w, "Geometry of the layout: the flash page and program sizes, the largest image, the RAM state.");
            w.WriteLine(GeneratedCode);
            w.WriteLine("public static class " + ConfigReader.GeometryClassName);
            w.WriteLine("{");
            w.Indent++;
            Summary(w, "Absolute address of internal flash.");
            w.WriteLine($"public const uint FlashOrigin = {Hex(spec.FlashOrigin)};");
            Summary(w, "Absolute address of RAM.");
            w.WriteLine($"public const uint RamOrigin = {Hex(spec.RamOrigin)};");
            Summary(w, "Flash erase page in bytes.");
            w.WriteLine($"public const uint PageSize = {Dec(spec.PageSize)};");
            Summary(w, "Flash program granule in bytes.");
            w.WriteLine($"public const uint WriteSize = {Dec(spec.WriteSize)};");
            Summary(w, "Value of an erased flash byte.");
            w.WriteLine($"public const byte ErasedValue = 0x{erased.ToString("X2", CultureInfo.InvariantCulture)};");
            Summary(w, "Largest application image the exchange can move: min(boot bank, update bank - one spare page).");
            w.WriteLine($"public const uint MaxImageSize = {Dec(maxImage)};");
            Summary(w, "Bytes of the MCUboot header before the application's vector table; 0 for CRC-only images.");
            w.WriteLine($"public const uint ImageHeaderSize = {Hex(spec.ImageHeaderSize)};");
            Summary(w, "Whether the RAM-state section is reserved at the top of the RAM bank.");
            w.WriteLine($"public const bool HasRamState = {(spec.HasRamState ? "true" : "false")};");
            Summary(w, "Address of the RAM-state section (0 without RAM state).");
            w.WriteLine($"public const uint RamStateOrigin = {Hex(stateOrigin)};");
            Summary(w, "Size of the RAM-state section in bytes (0 without RAM state).");
            w.WriteLine($"public const uint RamStateSize = {Dec(stateSize)};");
            Summary(w, "RAM the firmware links into: the RAM bank minus the RAM-state section.");
            w.WriteLine($"public const uint FirmwareRamSize = {Dec(firmwareRam)};");
            w.Indent--;
            w.WriteLine("}");
            w.WriteLineNoTabs("");

            Summary(w, "The layout as a read-only object, for host-side tools (flashers, signers, tests).");
            w.WriteLine($"public static global::Moonboot.MoonbootLayout {ConfigReader.LayoutPropertyName} {{ get; }} = new global::Moonboot.MoonbootLayout(");
            w.Indent++;
            w.WriteLine($"flashOrigin: {Hex(spec.FlashOrigin)},");
            w.WriteLine($"ramOrigin: {Hex(spec.RamOrigin)},");
            w.WriteLine($"pageSize: {Dec(spec.PageSize)},");
            w.WriteLine($"writeSize: {Dec(spec.WriteSize)},");
            w.WriteLine($"erasedValue: 0x{erased.ToString("X2", CultureInfo.InvariantCulture)},");
            w.WriteLine($"hasRamState: {(spec.HasRamState ? "true" : "false")},");
            w.WriteLine($"ramStateOrigin: {Hex(stateOrigin)},");
            w.WriteLine($"ramStateSize: {Dec(stateSize)},");
            w.WriteLine($"maxImageSize: {Dec(maxImage)},");
            w.WriteLine($"imageHeaderSize: {Hex(spec.ImageHeaderSize)},");
            w.WriteLine("banks: global::System.Array.AsReadOnly(new global::Moonboot.MoonbootBank[]");
            w.WriteLine("{");
            w.Indent++;
            foreach (var bank in layout.Banks)
            {
                w.WriteLine($"new global::Moonboot.MoonbootBank(\"{bank.Name}\", {Role}.{bank.Role}, {Unit}.{bank.Unit}, " +
                    $"{Hex(bank.Offset)}, {Hex(bank.Origin)}, {Dec(bank.Size)}, {Dec(bank.PageCount)}),");
            }
            w.Indent--;
            w.WriteLine("}));");
            w.Indent--;

            w.Indent--;
            w.WriteLine("}");
            if (hasNamespace)
            {
                w.Indent--;
                w.WriteLine("}");
            }
            return End(code, w);
        }

        public static string EmitManifest(LayoutSpec spec)
        {
            var (code, w) = Begin();
            w.WriteLine("namespace " + LayoutManifest.TypeNamespace);
            w.WriteLine("{");
            w.Indent++;
            Summary(w, $"The normalized layout of <c>{spec.ConfigName}</c>; the Moonboot.Sdk build reads it from the compiled assembly.");
            w.WriteLine(GeneratedCode);
            w.WriteLine("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
            w.WriteLine("internal static class " + LayoutManifest.TypeName);
            w.WriteLine("{");
            w.Indent++;
            Summary(w, "The manifest text (format \"" + LayoutManifest.Header + "\").");
            w.WriteLine("public const string " + LayoutManifest.FieldName + " =");
            w.Indent++;
            var lines = LayoutManifest.Write(spec).Split('\n');
            int last = lines.Length - 1;
            while (last > 0 && lines[last].Length == 0) last--;
            for (int i = 0; i <= last; i++)
            {
                // Every line keeps its '\n'; the text is exactly LayoutManifest.Write(spec).
                w.WriteLine(Literal(lines[i] + "\n") + (i < last ? " +" : ";"));
            }
            w.Indent--;
            w.Indent--;
            w.WriteLine("}");
            w.Indent--;
            w.WriteLine("}");
            return End(code, w);
        }

        private static (StringWriter, IndentedTextWriter) Begin()
        {
            var code = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            var writer = new IndentedTextWriter(code, "    ") { NewLine = "\n" };
            writer.WriteLine("// <auto-generated/>");
            writer.WriteLine("// Generated by Moonboot.Generators from the [MoonbootConfig] class. Do not edit.");
            writer.WriteLineNoTabs("");
            return (code, writer);
        }

        private static string End(StringWriter code, IndentedTextWriter writer)
        {
            writer.Flush();
            return code.ToString();
        }

        private static void Summary(IndentedTextWriter w, string text) => w.WriteLine("/// <summary>" + text + "</summary>");

        private static string Hex(ulong value) => LayoutFormat.Hex(value);

        private static string Dec(ulong value) => LayoutFormat.Decimal(value);

        private static ulong Fit(ulong value) => value > uint.MaxValue ? 0 : value;

        private static string Literal(string text)
        {
            var literal = new StringBuilder("\"");
            foreach (char c in text)
            {
                switch (c)
                {
                    case '\\': literal.Append("\\\\"); break;
                    case '"': literal.Append("\\\""); break;
                    case '\n': literal.Append("\\n"); break;
                    case '\r': literal.Append("\\r"); break;
                    case '\t': literal.Append("\\t"); break;
                    default:
                        if (c < ' ') literal.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        else literal.Append(c);
                        break;
                }
            }
            return literal.Append('"').ToString();
        }
    }
}
