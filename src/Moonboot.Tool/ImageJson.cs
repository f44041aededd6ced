using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using Moonboot.Imaging;

namespace Moonboot.Tool
{
    /// <summary>
    /// `inspect --json`: every field of the image, so that reading the JSON back gives the same bytes (header fields as
    /// numbers, byte fields as hex or base64), plus a "summary" of derived values that reading ignores.
    /// </summary>
    internal static class ImageJson
    {
        public static string Write(McubootImage image, VerifiedImage? verified, string? hashError)
        {
            var h = image.Header;
            var root = new JsonObject
            {
                ["format"] = "mcuboot",
                ["header"] = new JsonObject
                {
                    ["magic"] = h.Magic,
                    ["load_address"] = h.LoadAddress,
                    ["header_size"] = h.HeaderSize,
                    ["protected_tlv_size"] = h.ProtectedTlvSize,
                    ["image_size"] = h.ImageSize,
                    ["flags"] = h.Flags,
                    ["version"] = h.Version.ToString(),
                    ["pad1"] = h.Pad1,
                },
                ["header_padding"] = Hex.Of(image.HeaderPadding),
                ["payload"] = Convert.ToBase64String(image.Payload),
                ["protected_tlvs"] = Tlvs(image.ProtectedTlvs),
                ["tlvs"] = Tlvs(image.Tlvs),
                ["trailer"] = Convert.ToBase64String(image.Trailer),
                ["summary"] = new JsonObject
                {
                    ["image_length"] = image.ImageLength,
                    ["version"] = h.Version.ToString(),
                    ["security_counter"] = image.SecurityCounter is uint c ? JsonValue.Create(c) : null,
                    ["hash"] = image.Find(ImageFormat.TlvSha256) is ImageTlv t ? Hex.Of(t.Value) : null,
                    ["hash_valid"] = verified != null,
                    ["hash_error"] = hashError,
                    ["key_id"] = image.Find(ImageFormat.TlvKeyHash) is ImageTlv k ? Hex.Of(k.Value) : null,
                    ["signed"] = image.Find(ImageFormat.TlvEd25519) != null,
                },
            };
            return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }

        private static JsonArray Tlvs(IReadOnlyList<ImageTlv> tlvs)
        {
            var array = new JsonArray();
            foreach (var tlv in tlvs)
            {
                array.Add(new JsonObject
                {
                    ["type"] = tlv.Type,
                    ["name"] = tlv.Name,
                    ["length"] = tlv.Value.Length,
                    ["value"] = Hex.Of(tlv.Value),
                });
            }
            return array;
        }

        public static McubootImage Read(string json, string source)
        {
            try
            {
                var root = JsonNode.Parse(json) as JsonObject ?? throw Bad(source, "the top level is not an object");
                var h = Obj(root, "header", source);
                var header = new ImageHeader
                {
                    Magic = h["magic"]!.GetValue<uint>(),
                    LoadAddress = h["load_address"]!.GetValue<uint>(),
                    HeaderSize = h["header_size"]!.GetValue<ushort>(),
                    ProtectedTlvSize = h["protected_tlv_size"]!.GetValue<ushort>(),
                    ImageSize = h["image_size"]!.GetValue<uint>(),
                    Flags = h["flags"]!.GetValue<uint>(),
                    Version = ImageVersion.Parse(h["version"]!.GetValue<string>()),
                    Pad1 = h["pad1"]!.GetValue<uint>(),
                };
                return new McubootImage(header,
                    Hex.Parse(root["header_padding"]!.GetValue<string>()),
                    Convert.FromBase64String(root["payload"]!.GetValue<string>()),
                    ReadTlvs(root, "protected_tlvs", source),
                    ReadTlvs(root, "tlvs", source),
                    Convert.FromBase64String(root["trailer"]!.GetValue<string>()));
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is InvalidOperationException || e is NullReferenceException)
            {
                throw Bad(source, e.Message);
            }
        }

        private static List<ImageTlv> ReadTlvs(JsonObject root, string key, string source)
        {
            var list = new List<ImageTlv>();
            if (!(root[key] is JsonArray array)) throw Bad(source, $"\"{key}\" is not an array");
            foreach (var item in array)
            {
                if (!(item is JsonObject tlv)) throw Bad(source, $"an item of \"{key}\" is not an object");
                list.Add(new ImageTlv(tlv["type"]!.GetValue<ushort>(), Hex.Parse(tlv["value"]!.GetValue<string>())));
            }
            return list;
        }

        private static JsonObject Obj(JsonObject root, string key, string source) =>
            root[key] as JsonObject ?? throw Bad(source, $"\"{key}\" is missing or not an object");

        private static MoonbootException Bad(string source, string why) =>
            new MoonbootException(MoonbootError.BadJson, $"{source}: not an image JSON written by 'moonboot inspect --json': {why}");
    }
}
