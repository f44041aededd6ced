using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Security.Cryptography;
using Moonboot.Imaging;

namespace Moonboot.Tool.Smp
{
    /// <summary>One image as the device's image list reports it.</summary>
    internal sealed class DeviceImage
    {
        public long Image { get; set; }
        public long Slot { get; set; }
        public string Version { get; set; } = "";
        public byte[]? Hash { get; set; }
        public bool Bootable { get; set; }
        public bool Pending { get; set; }
        public bool Confirmed { get; set; }
        public bool Active { get; set; }
        public bool Permanent { get; set; }
    }

    /// <summary>
    /// The SMP client: one request at a time, each answered by the response with the same sequence number, group and
    /// command. A request that gets no valid answer within the timeout is sent again, up to the retry count; then the
    /// port "does not answer" (MBT5002). Error answers (rc, or SMP v2's err map) are MBT5004.
    /// </summary>
    internal sealed class SmpClient : IDisposable
    {
        /// <summary>
        /// Largest SMP packet (header + CBOR) sent by default. MCUboot's serial recovery takes 128-byte lines and
        /// reassembles a packet in a 1024-byte buffer (Zephyr's BOOT_SERIAL_MAX_RECEIVE_SIZE); 512 bytes of packet is
        /// about 700 bytes of base64 frames, inside that on every port.
        /// </summary>
        public const int DefaultMtu = 512;

        private readonly ISmpTransport _transport;
        private readonly SmpSerialDecoder _decoder = new SmpSerialDecoder();
        private readonly byte[] _buffer = new byte[4096];
        private byte _sequence;

        public SmpClient(ISmpTransport transport, int timeoutMs, int retries, int mtu = DefaultMtu)
        {
            _transport = transport; TimeoutMs = timeoutMs; Retries = retries; Mtu = mtu;
        }

        public int TimeoutMs { get; }
        public int Retries { get; }
        public int Mtu { get; }
        /// <summary>Requests sent again after a timeout or a damaged answer.</summary>
        public int Resends { get; private set; }

        public Dictionary<string, object?> Request(SmpOp op, ushort group, byte command, byte[] body)
        {
            var packet = new SmpPacket(op, group, command, _sequence++, body);
            var frames = SmpSerialFraming.Encode(packet.ToBytes());
            for (int attempt = 0; attempt <= Retries; attempt++)
            {
                if (attempt > 0) Resends++;
                foreach (var frame in frames) _transport.Write(frame);
                var answer = Await(packet);
                if (answer != null) return CheckStatus(answer, group, command);
            }
            string last = _decoder.Errors.Count > 0 ? "; last damaged answer: " + _decoder.Errors[_decoder.Errors.Count - 1] : "";
            throw new MoonbootException(MoonbootError.DeviceTimeout,
                $"{_transport.Name} does not answer: no SMP response in {TimeoutMs} ms, {Retries + 1} attempts{last} (is the device in serial recovery, and the port and baud rate right?)");
        }

        private SmpPacket? Await(SmpPacket request)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                int left = TimeoutMs - (int)clock.ElapsedMilliseconds;
                if (left <= 0) return null;
                int n = _transport.Read(_buffer, left);
                if (n == 0) continue;
                foreach (var bytes in _decoder.Feed(_buffer, 0, n))
                {
                    SmpPacket response;
                    try
                    {
                        response = SmpPacket.Parse(bytes);
                    }
                    catch (MoonbootException e)
                    {
                        _decoder.Errors.Add(e.Message);
                        continue;
                    }
                    // A late answer to an earlier (resent) request has another sequence number: skip it.
                    if (response.Sequence == request.Sequence && response.Group == request.Group
                        && response.Command == request.Command && response.Op == request.Op + 1)
                    {
                        return response;
                    }
                }
            }
        }

        private static Dictionary<string, object?> CheckStatus(SmpPacket response, ushort group, byte command)
        {
            var decoded = response.Data.Length == 0 ? new Dictionary<string, object?>() : CborReader.Decode(response.Data);
            if (!(decoded is Dictionary<string, object?> map))
            {
                throw new MoonbootException(MoonbootError.ProtocolError, $"the answer to group {group} command {command} is not a CBOR map");
            }
            long rc = 0;
            if (map.TryGetValue("rc", out var value) && value is long r) rc = r;
            if (map.TryGetValue("err", out var err) && err is Dictionary<string, object?> e && e.TryGetValue("rc", out var er) && er is long r2) rc = r2;
            if (rc != 0)
            {
                // "rsn" is the optional reason text SMP servers (Zephyr's, ours) add to an error.
                string reason = map.TryGetValue("rsn", out var rsn) && rsn is string text ? $": \"{text}\"" : "";
                throw new MoonbootException(MoonbootError.DeviceRefused,
                    $"the device refused group {group} command {command}: rc {rc} ({ErrorName(rc)}){reason}");
            }
            return map;
        }

        /// <summary>MCUmgr's MGMT_ERR names for rc values.</summary>
        public static string ErrorName(long rc)
        {
            string[] names = { "EOK", "EUNKNOWN", "ENOMEM", "EINVAL", "ETIMEOUT", "ENOENT", "EBADSTATE", "EMSGSIZE", "ENOTSUP", "ECORRUPT", "EBUSY", "EACCESSDENIED", "UNSUPPORTED_TOO_OLD", "UNSUPPORTED_TOO_NEW" };
            return rc >= 0 && rc < names.Length ? "MGMT_ERR_" + names[rc] : "unknown";
        }

        /// <summary>OS group, echo: {"d": text} -> {"r": text}.</summary>
        public string Echo(string text)
        {
            var map = Request(SmpOp.Write, SmpCommands.OsGroup, SmpCommands.Echo, EchoBody(text));
            return map.TryGetValue("r", out var r) && r is string s ? s
                : throw new MoonbootException(MoonbootError.ProtocolError, "echo answer has no \"r\" string");
        }

        public static byte[] EchoBody(string text) => new CborWriter().Map(1).Text("d").Text(text).ToArray();

        /// <summary>OS group, reset: an empty map.</summary>
        public void Reset() => Request(SmpOp.Write, SmpCommands.OsGroup, SmpCommands.Reset, EmptyBody);

        public static readonly byte[] EmptyBody = { 0xa0 };

        /// <summary>Image group, state (image list): read with an empty map.</summary>
        public List<DeviceImage> ImageList()
        {
            var map = Request(SmpOp.Read, SmpCommands.ImageGroup, SmpCommands.ImageState, EmptyBody);
            var images = new List<DeviceImage>();
            if (!map.TryGetValue("images", out var list) || !(list is List<object?> items))
            {
                throw new MoonbootException(MoonbootError.ProtocolError, "image list answer has no \"images\" array");
            }
            foreach (var item in items)
            {
                if (!(item is Dictionary<string, object?> m)) continue;
                images.Add(new DeviceImage
                {
                    Image = Long(m, "image"),
                    Slot = Long(m, "slot"),
                    Version = m.TryGetValue("version", out var v) && v is string s ? s : "",
                    Hash = m.TryGetValue("hash", out var h) ? h as byte[] : null,
                    Bootable = Bool(m, "bootable"),
                    Pending = Bool(m, "pending"),
                    Confirmed = Bool(m, "confirmed"),
                    Active = Bool(m, "active"),
                    Permanent = Bool(m, "permanent"),
                });
            }
            return images;
        }

        private static long Long(Dictionary<string, object?> m, string key) => m.TryGetValue(key, out var v) && v is long l ? l : 0;
        private static bool Bool(Dictionary<string, object?> m, string key) => m.TryGetValue(key, out var v) && v is bool b && b;

        /// <summary>
        /// The upload request of one chunk. The first one carries "image", "len" and "sha" (SHA-256 of the whole
        /// upload) as the specification lists them; every one carries "off" and "data".
        /// </summary>
        public static byte[] UploadBody(long offset, byte[] chunk, long totalLength, byte[]? sha)
        {
            var w = new CborWriter();
            if (offset == 0)
            {
                w.Map(5).Text("image").UInt(0).Text("len").UInt((ulong)totalLength).Text("off").UInt(0)
                    .Text("sha").Bytes(sha!).Text("data").Bytes(chunk);
            }
            else
            {
                w.Map(2).Text("off").UInt((ulong)offset).Text("data").Bytes(chunk);
            }
            return w.ToArray();
        }

        /// <summary>
        /// The largest chunk that keeps the packet within the MTU, rounded down to 16 bytes so every chunk but the last
        /// is a whole number of flash program granules (16 is the largest write size a layout may have).
        /// </summary>
        public static int ChunkSize(int mtu, long offset, long total)
        {
            int overhead = SmpPacket.HeaderSize + UploadBody(offset, new byte[0], total, new byte[32]).Length;
            int room = mtu - overhead;
            room -= CborWriter.HeadSize((ulong)room) - 1;
            room &= ~15;
            if (room <= 0)
            {
                throw new MoonbootException(MoonbootError.BadArgument, $"MTU {mtu} leaves no room for image data (at least {overhead + 16} bytes are needed)");
            }
            return room;
        }

        /// <summary>Uploads an image chunk by chunk, following the offset the device answers with.</summary>
        public void Upload(byte[] image, Action<long, long>? progress)
        {
            byte[] sha;
            using (var hash = SHA256.Create()) sha = hash.ComputeHash(image);
            long offset = 0;
            int stalls = 0;
            progress?.Invoke(0, image.Length);
            while (offset < image.Length)
            {
                int size = (int)Math.Min(ChunkSize(Mtu, offset, image.Length), image.Length - offset);
                var chunk = new byte[size];
                Buffer.BlockCopy(image, (int)offset, chunk, 0, size);
                var map = Request(SmpOp.Write, SmpCommands.ImageGroup, SmpCommands.ImageUpload, UploadBody(offset, chunk, image.Length, sha));
                if (!map.TryGetValue("off", out var off) || !(off is long next))
                {
                    throw new MoonbootException(MoonbootError.ProtocolError, "upload answer has no \"off\"");
                }
                if (next < 0 || next > image.Length)
                {
                    throw new MoonbootException(MoonbootError.ProtocolError, $"the device asked for offset {next} of a {image.Length}-byte image");
                }
                // The device may ask for an earlier offset (it lost a chunk); give up only if it never moves on.
                stalls = next > offset ? 0 : stalls + 1;
                if (stalls > Retries)
                {
                    throw new MoonbootException(MoonbootError.ProtocolError, $"the device keeps asking for offset {next}; upload does not progress");
                }
                offset = next;
                progress?.Invoke(offset, image.Length);
            }
        }

        public void Dispose() => _transport.Dispose();
    }
}
