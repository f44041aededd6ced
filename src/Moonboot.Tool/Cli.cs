using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Moonboot.Imaging;
using Moonboot.Tool.Smp;
using Spectre.Console;

namespace Moonboot.Tool
{
    /// <summary>Where a command writes: plain lines to Out, tables through Console, failures to Error.</summary>
    internal sealed class ToolContext
    {
        public ToolContext(IAnsiConsole console, TextWriter output, TextWriter error, bool interactive)
        {
            Console = console; Out = output; Error = error; Interactive = interactive;
        }

        public IAnsiConsole Console { get; }
        public TextWriter Out { get; }
        public TextWriter Error { get; }
        /// <summary>A terminal: a live progress bar; otherwise progress is printed as lines.</summary>
        public bool Interactive { get; }
    }

    /// <summary>
    /// The commands. Exit codes: 0 success, 1 command-line usage, 2 input files and arguments, 3 keys, 4 images
    /// (bad, tampered, too large), 5 layouts and ELF files, 6 the device, 70 an internal error (a bug).
    /// Every failure is one line "moonboot: error MBTnnnn: ..." on stderr.
    /// </summary>
    internal static class Cli
    {
        public const int InternalErrorExitCode = 70;

        public static int Run(string[] args, ToolContext context)
        {
            var root = Build(context);
            var parse = root.Parse(args);
            return parse.Invoke(new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
            });
        }

        private static Func<ParseResult, int> Guard(ToolContext context, Func<ParseResult, int> action) => parse =>
        {
            try
            {
                return action(parse);
            }
            catch (MoonbootException e)
            {
                context.Error.WriteLine($"moonboot: error {e.Code}: {e.Message}");
                return e.ExitCode;
            }
            catch (Exception e)
            {
                context.Error.WriteLine($"moonboot: error MBT9999: internal error ({e.GetType().Name}): {e.Message}");
                return InternalErrorExitCode;
            }
        };

        public static RootCommand Build(ToolContext context)
        {
            var root = new RootCommand("moonboot: MCUboot images, keys, the memory map and serial recovery for Moonboot.Sdk layouts. Exit codes: docs/tool.md.");
            root.Subcommands.Add(Keygen(context));
            root.Subcommands.Add(Getpub(context));
            root.Subcommands.Add(Sign(context));
            root.Subcommands.Add(Verify(context));
            root.Subcommands.Add(Inspect(context));
            root.Subcommands.Add(Map(context));
            root.Subcommands.Add(Upload(context));
            root.Subcommands.Add(List(context));
            root.Subcommands.Add(Reset(context));
            root.Subcommands.Add(EchoCommand(context));
            return root;
        }

        private static Option<string> KeyOption(bool required, string description) =>
            new Option<string>("--key", "-k") { Description = description, Required = required };

        private static Option<string> LayoutOption(bool required) =>
            new Option<string>("--layout", "-l")
            {
                Description = "The layout: a config project (folder or .csproj, built), its built .dll, or a layout.txt",
                Required = required,
            };

        // ---- keys ----

        private static Command Keygen(ToolContext context)
        {
            var key = KeyOption(true, "Where to write the new private key (PEM, PKCS#8, as imgtool writes)");
            var force = new Option<bool>("--force") { Description = "Overwrite an existing file" };
            var command = new Command("keygen", "Generate an Ed25519 signing key") { key, force };
            command.SetAction(Guard(context, parse =>
            {
                string path = parse.GetValue(key)!;
                if (File.Exists(path) && !parse.GetValue(force))
                {
                    throw new MoonbootException(MoonbootError.OutputUnwritable, $"'{path}' exists; pass --force to overwrite it");
                }
                var generated = Ed25519Key.Generate();
                FirmwareFiles.WriteText(path, generated.ToPrivatePem());
                context.Out.WriteLine($"wrote {path}: Ed25519 private key, key id {Hex.Of(generated.KeyHash)}");
                context.Out.WriteLine("keep it secret; give the bootloader its public key: moonboot getpub -k " + path);
                return 0;
            }));
            return command;
        }

        private static Command Getpub(ToolContext context)
        {
            var key = KeyOption(true, "A private or public Ed25519 key (PEM)");
            var format = new Option<string>("--format", "-f")
            {
                Description = "c: the 32-byte key as a C array (moonboot_image_key_prepare); key: the prepared moonboot_image_key the bootloader compiles in; pem: SubjectPublicKeyInfo PEM; hash: the key id (KEYHASH TLV)",
                DefaultValueFactory = _ => "c",
            };
            format.AcceptOnlyFromAmong("c", "key", "pem", "hash");
            var name = new Option<string?>("--name") { Description = "C variable name (default: moonboot_public_key; -f key: moonboot_trusted_key)" };
            var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of stdout" };
            var command = new Command("getpub", "Print the public key of a key: C array, prepared key, PEM or key hash") { key, format, name, output };
            command.SetAction(Guard(context, parse =>
            {
                string path = parse.GetValue(key)!;
                var loaded = Ed25519Key.Load(path);
                string text = parse.GetValue(format) switch
                {
                    "pem" => loaded.ToPublicPem(),
                    "hash" => Hex.Of(loaded.KeyHash) + "\n",
                    "key" => $"/* {Path.GetFileName(path)} prepared (moonboot getpub -f key): {{key hash, {{public key, A's x, [2^128]A's x, y}}}} */\n"
                        + $"const moonboot_image_key {parse.GetValue(name) ?? "moonboot_trusted_key"} = {Ed25519PreparedKey.CInitializer(loaded)};\n",
                    _ => CArray(loaded, parse.GetValue(name) ?? "moonboot_public_key", path),
                };
                string? file = parse.GetValue(output);
                if (file != null) FirmwareFiles.WriteText(file, text);
                else context.Out.Write(text);
                return 0;
            }));
            return command;
        }

        internal static string CArray(Ed25519Key key, string name, string source)
        {
            var pub = key.PublicKey;
            var text = new System.Text.StringBuilder();
            text.Append($"/* Ed25519 public key from {Path.GetFileName(source)} (moonboot getpub).\n");
            text.Append($"   Key id (KEYHASH TLV, SHA-256 of its SubjectPublicKeyInfo): {Hex.Of(key.KeyHash)} */\n");
            text.Append($"const unsigned char {name}[32] = {{\n");
            for (int i = 0; i < pub.Length; i += 8)
            {
                text.Append("    ");
                text.Append(string.Join(", ", pub.Skip(i).Take(8).Select(b => "0x" + b.ToString("x2", CultureInfo.InvariantCulture))));
                text.Append(i + 8 < pub.Length ? ",\n" : "\n");
            }
            text.Append("};\n");
            return text.ToString();
        }

        // ---- images ----

        private static Command Sign(ToolContext context)
        {
            var key = KeyOption(true, "Ed25519 private key (PEM)");
            var layout = LayoutOption(true);
            var version = new Option<string>("--version", "-v") { Description = "Image version major.minor.revision+build", Required = true };
            var counter = new Option<uint>("--security-counter", "-s") { Description = "Security counter (anti-rollback), protected TLV 0x50", DefaultValueFactory = _ => 0 };
            var input = new Argument<string>("input") { Description = "The application binary (.bin, or .hex)" };
            var output = new Argument<string>("output") { Description = "The signed image (.bin, or .hex placed at the boot bank)" };
            var command = new Command("sign", "Sign an application binary into an MCUboot image; header and sizes come from the layout")
            {
                key, layout, version, counter, input, output,
            };
            command.SetAction(Guard(context, parse =>
            {
                var options = new SignOptions
                {
                    Version = ImageVersion.Parse(parse.GetValue(version)!),
                    SecurityCounter = parse.GetValue(counter),
                };
                var signingKey = Ed25519Key.Load(parse.GetValue(key)!);
                if (!signingKey.HasPrivateKey)
                {
                    throw new MoonbootException(MoonbootError.KeyNotPrivate, $"'{parse.GetValue(key)}' is a public key; signing needs the private key");
                }
                var loaded = LayoutLoader.Load(parse.GetValue(layout)!);
                var binary = FirmwareFiles.ReadFirmware(parse.GetValue(input)!, loaded.ErasedValue);
                var image = ImageSigner.Sign(binary, signingKey, options, loaded);
                string outPath = parse.GetValue(output)!;
                var bytes = image.ToBytes();
                if (FirmwareFiles.IsHex(outPath)) FirmwareFiles.WriteText(outPath, IntelHex.Write(bytes, (uint)loaded.BootBank.Origin));
                else FirmwareFiles.Write(outPath, bytes);
                context.Out.WriteLine($"signed {parse.GetValue(input)} -> {outPath}: version {options.Version}, security counter {options.SecurityCounter}, " +
                    $"{image.ImageLength} of {loaded.MaxImageSize} bytes (header {image.Header.HeaderSize}, payload {image.Payload.Length}, TLVs {image.ProtectedAreaLength + image.UnprotectedAreaLength}), " +
                    $"key id {Hex.Of(signingKey.KeyHash)}, hash {Hex.Of(image.Find(ImageFormat.TlvSha256)!.Value)}");
                return 0;
            }));
            return command;
        }

        private static McubootImage LoadImage(string path, ImageLayout? layout = null)
        {
            var bytes = FirmwareFiles.ReadBytes(path, "image");
            if (FirmwareFiles.IsHex(path)) bytes = IntelHex.Parse(System.Text.Encoding.ASCII.GetString(bytes), path, layout?.ErasedValue ?? 0xff);
            return McubootImage.Parse(bytes);
        }

        private static Command Verify(ToolContext context)
        {
            var key = KeyOption(false, "Ed25519 key (private or public PEM) to check the signature with");
            var layout = LayoutOption(false);
            var image = new Argument<string>("image") { Description = "The signed image (.bin or .hex)" };
            var command = new Command("verify", "Check an image's hash, key id and signature (and, given a layout, that it fits)") { key, layout, image };
            command.SetAction(Guard(context, parse =>
            {
                var loadedLayout = parse.GetValue(layout) is string l ? LayoutLoader.Load(l) : null;
                var verifyKey = parse.GetValue(key) is string k ? Ed25519Key.Load(k) : null;
                string path = parse.GetValue(image)!;
                var parsed = LoadImage(path, loadedLayout);
                var result = ImageVerifier.Verify(parsed, verifyKey, loadedLayout);
                string signature = result.SignatureChecked
                    ? $"signature OK (key id {Hex.Of(result.KeyHash!)})"
                    : "signature not checked (give --key)";
                string fits = loadedLayout != null ? $", fits layout {loadedLayout.ConfigName} ({parsed.ImageLength} of {loadedLayout.MaxImageSize} bytes)" : "";
                context.Out.WriteLine($"{path}: OK: version {parsed.Header.Version}, security counter {Counter(parsed)}, hash OK, {signature}{fits}");
                return 0;
            }));
            return command;
        }

        private static string Counter(McubootImage image) => image.SecurityCounter is uint c ? c.ToString(CultureInfo.InvariantCulture) : "none";

        private static Command Inspect(ToolContext context)
        {
            var json = new Option<bool>("--json") { Description = "Every field as JSON (reads back with moonboot inspect FILE.json)" };
            var output = new Option<string?>("--output", "-o") { Description = "Write the image (binary) to this file: turns an edited JSON back into an image" };
            var image = new Argument<string>("image") { Description = "An image (.bin, .hex) or a JSON written by --json" };
            var command = new Command("inspect", "Show an image's header, TLVs, version, security counter, hash and key id") { json, output, image };
            command.SetAction(Guard(context, parse =>
            {
                string path = parse.GetValue(image)!;
                var bytes = FirmwareFiles.ReadBytes(path, "image");
                McubootImage parsed = bytes.Length > 0 && bytes[0] == (byte)'{'
                    ? ImageJson.Read(System.Text.Encoding.UTF8.GetString(bytes), path)
                    : LoadImage(path);
                VerifiedImage? verified = null;
                string? hashError = null;
                try
                {
                    verified = ImageVerifier.Verify(parsed, null);
                }
                catch (MoonbootException e)
                {
                    hashError = $"{e.Code}: {e.Message}";
                }
                if (parse.GetValue(output) is string outPath) FirmwareFiles.Write(outPath, parsed.ToBytes());
                if (parse.GetValue(json)) context.Out.WriteLine(ImageJson.Write(parsed, verified, hashError));
                else Describe(context, path, parsed, hashError);
                return 0;
            }));
            return command;
        }

        private static void Describe(ToolContext context, string path, McubootImage image, string? hashError)
        {
            var h = image.Header;
            var table = new Table().Title(Markup.Escape(path)).AddColumn("field").AddColumn("value");
            void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
            Row("magic", $"0x{h.Magic:x8}");
            Row("load address", $"0x{h.LoadAddress:x8}");
            Row("header size", $"{h.HeaderSize} (0x{h.HeaderSize:x})");
            Row("protected TLV size", h.ProtectedTlvSize.ToString(CultureInfo.InvariantCulture));
            Row("image size", $"{h.ImageSize} bytes of payload");
            Row("flags", $"0x{h.Flags:x8}");
            Row("version", h.Version.ToString());
            Row("security counter", Counter(image));
            Row("image length", $"{image.ImageLength} bytes (header + payload + TLVs)");
            if (image.Trailer.Length > 0) Row("after the TLVs", $"{image.Trailer.Length} bytes (pad or trailer)");
            foreach (var tlv in image.ProtectedTlvs) Row($"protected TLV {tlv.Name} (0x{tlv.Type:x2})", TlvText(tlv));
            foreach (var tlv in image.Tlvs) Row($"TLV {tlv.Name} (0x{tlv.Type:x2})", TlvText(tlv));
            Row("hash check", hashError ?? "OK (SHA-256 of header, payload and protected TLVs matches)");
            context.Console.Write(table);
        }

        private static string TlvText(ImageTlv tlv) =>
            tlv.Type == ImageFormat.TlvSecurityCounter && tlv.Value.Length == 4
                ? BitConverter.ToUInt32(tlv.Value, 0).ToString(CultureInfo.InvariantCulture)
                : Hex.Of(tlv.Value);

        // ---- map ----

        private static Command Map(ToolContext context)
        {
            var layout = LayoutOption(true);
            var elf = new Option<string?>("--elf", "-e") { Description = "An ELF whose load segments are shown in their banks" };
            var svg = new Option<string?>("--svg") { Description = "Also write the map as an SVG to this file" };
            var command = new Command("map", "Show the memory map of a layout as a table (and an SVG)") { layout, elf, svg };
            command.SetAction(Guard(context, parse =>
            {
                var loaded = LayoutLoader.Load(parse.GetValue(layout)!);
                var segments = parse.GetValue(elf) is string e ? Elf.LoadSegments(e) : null;
                var map = MemoryMap.Build(loaded, segments);
                var table = new Table()
                    .Title(Markup.Escape($"{loaded.ConfigName}: page {loaded.PageSize} B, write {loaded.WriteSize} B, header {loaded.HeaderSize} B, largest image {loaded.MaxImageSize} B"))
                    .AddColumns("bank", "role", "unit", "origin", "end", "size", "pages");
                if (segments != null) table.AddColumns("used", "free");
                foreach (var row in map.Rows)
                {
                    var b = row.Bank;
                    var cells = new List<string> { b.Name, b.Role, b.Unit, Num.Hex32(b.Origin), Num.Hex32(b.End), Num.Size(b.Size), b.IsRam ? "-" : b.PageCount.ToString(CultureInfo.InvariantCulture) };
                    if (segments != null)
                    {
                        ulong used = row.Used ?? 0;
                        cells.Add($"{used} B ({(b.Size == 0 ? 0 : 100.0 * used / b.Size):0.0}%)");
                        cells.Add($"{b.Size - used} B");
                    }
                    table.AddRow(cells.Select(Markup.Escape).ToArray());
                }
                context.Console.Write(table);
                if (parse.GetValue(svg) is string svgPath)
                {
                    FirmwareFiles.WriteText(svgPath, map.ToSvg());
                    context.Out.WriteLine($"wrote {svgPath}");
                }
                if (map.Outside.Count > 0)
                {
                    throw new MoonbootException(MoonbootError.ElfOutsideLayout,
                        $"{parse.GetValue(elf)}: {map.Outside[0]}{(map.Outside.Count > 1 ? $" (and {map.Outside.Count - 1} more)" : "")}");
                }
                return 0;
            }));
            return command;
        }

        // ---- device ----

        private sealed class DeviceOptions
        {
            public Option<string> Port { get; } = new Option<string>("--port", "-p")
            {
                Description = "Serial device (/dev/ttyACM0, a pty) or tcp:HOST:PORT (QEMU -serial tcp::PORT,server)",
                Required = true,
            };
            public Option<int> Baud { get; } = new Option<int>("--baud", "-b") { Description = "Baud rate", DefaultValueFactory = _ => 115200 };
            public Option<double> Timeout { get; } = new Option<double>("--timeout", "-t") { Description = "Seconds to wait for each answer", DefaultValueFactory = _ => 5.0 };
            public Option<int> Retries { get; } = new Option<int>("--retries", "-r") { Description = "Times a request is sent again when no answer comes", DefaultValueFactory = _ => 3 };
            public Option<int> Mtu { get; } = new Option<int>("--mtu") { Description = "Largest SMP packet to send (header + CBOR), bytes", DefaultValueFactory = _ => SmpClient.DefaultMtu };

            public void AddTo(Command command)
            {
                command.Options.Add(Port); command.Options.Add(Baud); command.Options.Add(Timeout);
                command.Options.Add(Retries); command.Options.Add(Mtu);
            }

            public SmpClient Connect(ParseResult parse)
            {
                double seconds = parse.GetValue(Timeout);
                int retries = parse.GetValue(Retries), mtu = parse.GetValue(Mtu);
                if (seconds <= 0 || seconds > 3600) throw new MoonbootException(MoonbootError.BadArgument, $"--timeout {seconds} is not between 0 and 3600 seconds");
                if (retries < 0 || retries > 100) throw new MoonbootException(MoonbootError.BadArgument, $"--retries {retries} is not between 0 and 100");
                if (mtu < 64 || mtu > 65535) throw new MoonbootException(MoonbootError.BadArgument, $"--mtu {mtu} is not between 64 and 65535");
                int timeoutMs = (int)(seconds * 1000);
                // Connecting is not answering: a loaded host may take longer than a short answer timeout.
                var transport = SmpTransport.Open(parse.GetValue(Port)!, parse.GetValue(Baud), Math.Max(timeoutMs, 5000));
                return new SmpClient(transport, timeoutMs, retries, mtu);
            }
        }

        private static Command Upload(ToolContext context)
        {
            var device = new DeviceOptions();
            var image = new Argument<string>("image") { Description = "The signed image to upload" };
            var layout = LayoutOption(false);
            var key = KeyOption(false, "Check the image's signature with this key before sending it");
            var reset = new Option<bool>("--reset") { Description = "Reset the device after the upload, so the bootloader checks and installs it" };
            var command = new Command("upload", "Upload a signed image to a device in serial recovery (SMP image upload)") { image, layout, key, reset };
            device.AddTo(command);
            command.SetAction(Guard(context, parse =>
            {
                string path = parse.GetValue(image)!;
                var loadedLayout = parse.GetValue(layout) is string l ? LayoutLoader.Load(l) : null;
                var parsed = LoadImage(path, loadedLayout);
                var verifyKey = parse.GetValue(key) is string k ? Ed25519Key.Load(k) : null;
                ImageVerifier.Verify(parsed, verifyKey, loadedLayout);
                // Send the image itself, not a pad or trailer after it: the bootloader needs only these bytes.
                var bytes = parsed.ToBytes();
                Array.Resize(ref bytes, parsed.ImageLength);
                using var client = device.Connect(parse);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                WithProgress(context, $"upload {Path.GetFileName(path)}", bytes.Length, report => client.Upload(bytes, report));
                context.Out.WriteLine($"uploaded {bytes.Length} bytes to {parse.GetValue(device.Port)} in {clock.Elapsed.TotalSeconds:0.0} s ({client.Resends} requests resent)");
                if (parse.GetValue(reset))
                {
                    client.Reset();
                    context.Out.WriteLine("reset: the bootloader checks the image before it starts it");
                }
                return 0;
            }));
            return command;
        }

        private static void WithProgress(ToolContext context, string label, long total, Action<Action<long, long>> work)
        {
            if (context.Interactive)
            {
                context.Console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask(Markup.Escape(label), maxValue: total);
                        work((done, all) => task.Value = done);
                    });
                return;
            }
            int lastDecile = -1;
            work((done, all) =>
            {
                int decile = all == 0 ? 10 : (int)(done * 10 / all);
                if (decile == lastDecile) return;
                lastDecile = decile;
                context.Out.WriteLine($"{label}: {decile * 10}% ({done}/{all} bytes)");
            });
        }

        private static Command List(ToolContext context)
        {
            var device = new DeviceOptions();
            var command = new Command("list", "List the images on the device (SMP image list)");
            device.AddTo(command);
            command.SetAction(Guard(context, parse =>
            {
                using var client = device.Connect(parse);
                var images = client.ImageList();
                var table = new Table().AddColumns("image", "slot", "version", "hash", "flags");
                foreach (var i in images)
                {
                    var flags = new List<string>();
                    if (i.Bootable) flags.Add("bootable");
                    if (i.Pending) flags.Add("pending");
                    if (i.Confirmed) flags.Add("confirmed");
                    if (i.Active) flags.Add("active");
                    if (i.Permanent) flags.Add("permanent");
                    table.AddRow(i.Image.ToString(CultureInfo.InvariantCulture), i.Slot.ToString(CultureInfo.InvariantCulture),
                        Markup.Escape(i.Version), i.Hash != null ? Hex.Of(i.Hash) : "-", string.Join(" ", flags));
                }
                if (images.Count == 0) context.Out.WriteLine("no images on the device");
                else context.Console.Write(table);
                return 0;
            }));
            return command;
        }

        private static Command Reset(ToolContext context)
        {
            var device = new DeviceOptions();
            var command = new Command("reset", "Reset the device (SMP OS reset)");
            device.AddTo(command);
            command.SetAction(Guard(context, parse =>
            {
                using var client = device.Connect(parse);
                client.Reset();
                context.Out.WriteLine("reset sent; the device acknowledged it");
                return 0;
            }));
            return command;
        }

        private static Command EchoCommand(ToolContext context)
        {
            var device = new DeviceOptions();
            var text = new Argument<string>("text") { Description = "Text the device sends back" };
            var command = new Command("echo", "Check the link: the device sends the text back (SMP OS echo)") { text };
            device.AddTo(command);
            command.SetAction(Guard(context, parse =>
            {
                using var client = device.Connect(parse);
                context.Out.WriteLine(client.Echo(parse.GetValue(text)!));
                return 0;
            }));
            return command;
        }
    }
}
