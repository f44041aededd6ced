using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading;
using Microsoft.Win32.SafeHandles;
using Moonboot.Tool.Smp;

namespace Moonboot.Tool.Tests
{
    /// <summary>
    /// An in-process SMP server over the serial framing, behaving as MCUboot's serial recovery does (upload answers
    /// {"rc":0,"off":next}, image list, reset, echo), with faults to inject: silence, lost or damaged answers,
    /// refusals, console noise between frames, answers split into many frames.
    /// </summary>
    public sealed class FakeDevice : IDisposable
    {
        private readonly List<Stream> _streams = new List<Stream>();
        private volatile bool _stop;
        private readonly MemoryStream _flash = new MemoryStream();
        private readonly object _lock = new object();

        /// <summary>Serves one connection (a TCP client, a pty master) on its own thread.</summary>
        public void Serve(Stream stream)
        {
            lock (_lock) _streams.Add(stream);
            new Thread(() => Loop(stream)) { IsBackground = true }.Start();
        }

        /// <summary>Answer nothing at all.</summary>
        public bool Silent { get; set; }
        /// <summary>Drop this many answers (the requests are still processed).</summary>
        public int DropAnswers { get; set; }
        /// <summary>Flip a bit of the CRC of this many answers.</summary>
        public int CorruptAnswers { get; set; }
        /// <summary>Answer every upload with this rc (MCUboot: 3 EINVAL for a bad chunk, 7 EMSGSIZE too large).</summary>
        public int UploadRc { get; set; }
        /// <summary>Largest image the device takes (its update bank).</summary>
        public long Capacity { get; set; } = 1 << 20;
        /// <summary>Write a console line before every answer, as a bootloader printing logs would.</summary>
        public bool Chatty { get; set; }

        public List<byte[]> Requests { get; } = new List<byte[]>();
        public int Resets { get; private set; }
        public long ExpectedLength { get; private set; }
        public byte[]? ExpectedSha { get; private set; }
        public int MaxFrameSeen { get; private set; }
        public int MaxPacketSeen { get; private set; }

        public byte[] Received { get { lock (_lock) return _flash.ToArray(); } }

        private void Loop(Stream stream)
        {
            var decoder = new SmpSerialDecoder();
            var buffer = new byte[1024];
            int lineLength = 0;
            try
            {
                while (!_stop)
                {
                    int n = stream.Read(buffer, 0, buffer.Length);
                    if (n <= 0) return;
                    for (int i = 0; i < n; i++)
                    {
                        lineLength++;
                        if (buffer[i] == '\n') { MaxFrameSeen = Math.Max(MaxFrameSeen, lineLength); lineLength = 0; }
                    }
                    foreach (var packet in decoder.Feed(buffer, 0, n))
                    {
                        lock (_lock) Requests.Add(packet);
                        MaxPacketSeen = Math.Max(MaxPacketSeen, packet.Length);
                        var answer = Handle(SmpPacket.Parse(packet));
                        if (answer == null || Silent) continue;
                        if (DropAnswers > 0) { DropAnswers--; continue; }
                        var frames = SmpSerialFraming.Encode(answer.ToBytes());
                        if (CorruptAnswers > 0)
                        {
                            CorruptAnswers--;
                            var raw = Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(frames[^1], 2, frames[^1].Length - 3));
                            raw[^1] ^= 1;
                            frames = new List<byte[]> { Frame(SmpSerialFraming.PacketStart, raw) };
                        }
                        if (Chatty) Write(stream, System.Text.Encoding.ASCII.GetBytes("bootloader: recovery: working\r\n"));
                        foreach (var frame in frames) Write(stream, frame);
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is ObjectDisposedException)
            {
            }
        }

        private static byte[] Frame(byte[] start, byte[] raw)
        {
            var text = System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(raw));
            var frame = new byte[text.Length + 3];
            start.CopyTo(frame, 0);
            text.CopyTo(frame, 2);
            frame[^1] = (byte)'\n';
            return frame;
        }

        private static void Write(Stream stream, byte[] bytes)
        {
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush();
        }

        private SmpPacket? Handle(SmpPacket request)
        {
            var body = (Dictionary<string, object?>)CborReader.Decode(request.Data)!;
            var respOp = (SmpOp)((int)request.Op + 1);
            byte[] Answer(CborWriter w) => w.ToArray();
            byte[] data;
            if (request.Group == 0 && request.Command == 0)
            {
                data = Answer(new CborWriter().Map(1).Text("r").Text((string)body["d"]!));
            }
            else if (request.Group == 0 && request.Command == 5)
            {
                Resets++;
                data = Answer(new CborWriter().Map(0));
            }
            else if (request.Group == 1 && request.Command == 0)
            {
                var w = new CborWriter().Map(1).Text("images").Array(1).Map(6)
                    .Text("image").UInt(0).Text("slot").UInt(0).Text("version").Text("1.2.3.4")
                    .Text("hash").Bytes(new byte[32] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 })
                    .Text("bootable").Bool(true).Text("confirmed").Bool(true);
                data = Answer(w);
            }
            else if (request.Group == 1 && request.Command == 1)
            {
                data = Upload(body);
            }
            else
            {
                data = Answer(new CborWriter().Map(1).Text("rc").UInt(8));
            }
            return new SmpPacket(respOp, request.Group, request.Command, request.Sequence, data);
        }

        private byte[] Upload(Dictionary<string, object?> body)
        {
            if (UploadRc != 0) return new CborWriter().Map(2).Text("rc").UInt((ulong)UploadRc).Text("rsn").Text("chunk refused").ToArray();
            long off = (long)body["off"]!;
            var data = (byte[])body["data"]!;
            lock (_lock)
            {
                if (off == 0)
                {
                    ExpectedLength = (long)body["len"]!;
                    ExpectedSha = (byte[])body["sha"]!;
                    if (ExpectedLength > Capacity) return new CborWriter().Map(1).Text("rc").UInt(7).ToArray();
                    _flash.SetLength(0);
                }
                // MCUboot answers an unexpected offset with the offset it wants next.
                if (off == _flash.Length)
                {
                    _flash.Write(data, 0, data.Length);
                }
                if (_flash.Length == ExpectedLength && ExpectedSha != null && !SHA256.HashData(_flash.ToArray()).AsSpan().SequenceEqual(ExpectedSha))
                {
                    return new CborWriter().Map(1).Text("rc").UInt(3).ToArray();
                }
                return new CborWriter().Map(2).Text("rc").UInt(0).Text("off").UInt((ulong)_flash.Length).ToArray();
            }
        }

        public void Dispose()
        {
            _stop = true;
            lock (_lock) foreach (var stream in _streams) stream.Dispose();
        }
    }

    /// <summary>A loopback TCP listener serving every connection with one <see cref="FakeDevice"/>: QEMU's -serial tcp::PORT,server.</summary>
    public sealed class TcpDevice : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);

        public TcpDevice()
        {
            _listener.Start();
            Port = "tcp:127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port;
            new Thread(() =>
            {
                try
                {
                    while (true)
                    {
                        var client = _listener.AcceptTcpClient();
                        client.NoDelay = true;
                        Device.Serve(client.GetStream());
                    }
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is InvalidOperationException)
                {
                }
            }) { IsBackground = true }.Start();
        }

        public string Port { get; }
        public FakeDevice Device { get; } = new FakeDevice();

        /// <summary>Sets the device's faults before the tool connects.</summary>
        public Action<FakeDevice> Configure { init => value(Device); }

        public void Dispose()
        {
            _listener.Stop();
            Device.Dispose();
        }
    }

    /// <summary>A Linux pseudo-terminal: the tool opens the slave path as a serial port, the fake device serves the master.</summary>
    public sealed class PtyDevice : IDisposable
    {
        [DllImport("libc", SetLastError = true)]
        private static extern int openpty(out int master, out int slave, IntPtr name, IntPtr termios, IntPtr winsize);

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr ttyname(int fd);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);

        private readonly int _slave;

        public PtyDevice()
        {
            if (openpty(out int master, out _slave, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero) != 0)
            {
                throw new IOException("openpty failed: errno " + Marshal.GetLastWin32Error());
            }
            Path = Marshal.PtrToStringAnsi(ttyname(_slave))!;
            var handle = new SafeFileHandle((IntPtr)master, ownsHandle: true);
            Device.Serve(new FileStream(handle, FileAccess.ReadWrite, 1));
        }

        public string Path { get; }
        public FakeDevice Device { get; } = new FakeDevice();

        public void Dispose()
        {
            Device.Dispose();
            close(_slave);
        }
    }
}
