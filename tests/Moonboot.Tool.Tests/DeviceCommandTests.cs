using System;
using System.IO;
using System.Linq;
using Moonboot.Imaging;
using Xunit;

namespace Moonboot.Tool.Tests
{
    /// <summary>upload, list, reset and echo against the in-process fake device, over loopback TCP and a pty.</summary>
    public sealed class DeviceCommandTests : IDisposable
    {
        private readonly TempDir _dir = new TempDir();
        private readonly string _layout;
        private readonly string _key;

        public DeviceCommandTests()
        {
            _layout = Layouts.WriteText(_dir);
            _key = _dir["key.pem"];
            ToolRunner.Run("keygen", "-k", _key).AssertOk();
        }

        public void Dispose() => _dir.Dispose();

        private string Signed(int payload, string name = "signed.bin")
        {
            var app = new byte[payload];
            new Random(payload).NextBytes(app);
            File.WriteAllBytes(_dir["app.bin"], app);
            ToolRunner.Run("sign", "-k", _key, "-l", _layout, "-v", "1.2.3", _dir["app.bin"], _dir[name]).AssertOk();
            return _dir[name];
        }

        [Fact]
        public void Upload_over_tcp_sends_the_image_with_progress_and_resets()
        {
            string image = Signed(20000);
            using var tcp = new TcpDevice();
            var result = ToolRunner.Run("upload", image, "-p", tcp.Port, "-l", _layout, "-k", _key, "--reset", "-t", "2");
            result.AssertOk();
            Assert.Equal(File.ReadAllBytes(image), tcp.Device.Received);
            Assert.Equal(File.ReadAllBytes(image).Length, tcp.Device.ExpectedLength);
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(image)), tcp.Device.ExpectedSha);
            Assert.Equal(1, tcp.Device.Resets);
            Assert.Contains("upload signed.bin: 0% (0/", result.Out);
            Assert.Contains("upload signed.bin: 100% (", result.Out);
            Assert.Contains("(0 requests resent)", result.Out);
            // The transport limits: no frame over 127 bytes, no packet over the 512-byte default.
            Assert.InRange(tcp.Device.MaxFrameSeen, 100, 127);
            Assert.InRange(tcp.Device.MaxPacketSeen, 400, 512);
        }

        [Fact]
        public void Upload_over_a_pty_serial_port()
        {
            string image = Signed(6000);
            using var pty = new PtyDevice();
            pty.Device.Chatty = true; // console text between frames is skipped
            var result = ToolRunner.Run("upload", image, "-p", pty.Path, "-t", "3", "--mtu", "256");
            result.AssertOk();
            Assert.Equal(File.ReadAllBytes(image), pty.Device.Received);
            Assert.InRange(pty.Device.MaxPacketSeen, 200, 256);
            var list = ToolRunner.Run("list", "-p", pty.Path, "-t", "3");
            list.AssertOk();
            Assert.Contains("1.2.3.4", list.Out);
            Assert.Contains("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", list.Out);
            Assert.Contains("bootable confirmed", list.Out);
        }

        [Fact]
        public void Lost_and_damaged_answers_are_retried()
        {
            string image = Signed(3000);
            using var tcp = new TcpDevice { Configure = d => { d.DropAnswers = 2; d.CorruptAnswers = 1; } };
            var result = ToolRunner.Run("upload", image, "-p", tcp.Port, "-t", "0.3", "-r", "3");
            result.AssertOk();
            Assert.Contains("(3 requests resent)", result.Out);
            Assert.Equal(File.ReadAllBytes(image), tcp.Device.Received);
        }

        [Fact]
        public void A_device_that_does_not_answer_times_out_with_one_clear_line()
        {
            using var tcp = new TcpDevice { Configure = d => d.Silent = true };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = ToolRunner.Run("list", "-p", tcp.Port, "-t", "0.2", "-r", "2");
            result.AssertFails(6, "MBT5002");
            Assert.Contains("does not answer", result.Error);
            Assert.Contains("3 attempts", result.Error);
            Assert.InRange(clock.ElapsedMilliseconds, 550, 5000);
            Assert.Equal(3, tcp.Device.Requests.Count); // sent, then resent twice
            Assert.True(tcp.Device.Requests.All(r => r.SequenceEqual(tcp.Device.Requests[0])));
        }

        [Fact]
        public void Refusals_and_missing_ports_fail_with_a_code()
        {
            string image = Signed(3000);
            using (var tcp = new TcpDevice { Configure = d => d.UploadRc = 3 })
            {
                var refused = ToolRunner.Run("upload", image, "-p", tcp.Port, "-t", "1");
                refused.AssertFails(6, "MBT5004");
                Assert.Contains("rc 3 (MGMT_ERR_EINVAL): \"chunk refused\"", refused.Error);
            }
            using (var tcp = new TcpDevice { Configure = d => d.Capacity = 1000 })
            {
                ToolRunner.Run("upload", image, "-p", tcp.Port, "-t", "1").AssertFails(6, "MBT5004");
            }
            ToolRunner.Run("list", "-p", "/dev/does-not-exist", "-t", "0.2").AssertFails(6, "MBT5001");
            // A closed TCP port: take a free port and close it again.
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            ToolRunner.Run("reset", "-p", "tcp:127.0.0.1:" + port, "-t", "0.5").AssertFails(6, "MBT5001");
            ToolRunner.Run("reset", "-p", "tcp:nope", "-t", "0.5").AssertFails(2, "MBT1004");
            ToolRunner.Run("reset", "-p", "tcp:127.0.0.1:1", "-t", "-1").AssertFails(2, "MBT1004");
        }

        [Fact]
        public void Upload_checks_the_image_before_opening_the_port()
        {
            string image = Signed(3000);
            var bytes = File.ReadAllBytes(image);
            bytes[700] ^= 1;
            File.WriteAllBytes(_dir["tampered.bin"], bytes);
            // No device behind this port: a refusal must come before any connection attempt.
            ToolRunner.Run("upload", _dir["tampered.bin"], "-p", "tcp:127.0.0.1:1").AssertFails(4, "MBT3006");
            File.WriteAllBytes(_dir["short.bin"], bytes.Take(2000).ToArray());
            ToolRunner.Run("upload", _dir["short.bin"], "-p", "tcp:127.0.0.1:1").AssertFails(4, "MBT3001");
            var small = Layouts.Qemu.Replace("size=65536", "size=2048").Replace("size=66560", "size=3072");
            ToolRunner.Run("upload", image, "-p", "tcp:127.0.0.1:1", "-l", Layouts.WriteText(_dir, small, "small.txt")).AssertFails(4, "MBT3009");
            ToolRunner.Run("keygen", "-k", _dir["other.pem"]).AssertOk();
            ToolRunner.Run("upload", image, "-p", "tcp:127.0.0.1:1", "-k", _dir["other.pem"]).AssertFails(3, "MBT2002");
        }

        [Fact]
        public void Upload_sends_the_image_without_the_pad_imgtool_adds_up_to_the_slot()
        {
            var app = new byte[3000];
            new Random(5).NextBytes(app);
            File.WriteAllBytes(_dir["app.bin"], app);
            Imgtool.MustRun($"sign -k {_key} --header-size 0x200 --pad-header --pad --align 8 -v 1.0.0 -S 0x10400 {_dir["app.bin"]} {_dir["padded.bin"]}");
            var padded = File.ReadAllBytes(_dir["padded.bin"]);
            Assert.Equal(0x10400, padded.Length);
            using var tcp = new TcpDevice();
            ToolRunner.Run("upload", _dir["padded.bin"], "-p", tcp.Port, "-k", _key).AssertOk();
            Assert.Equal(McubootImage.Parse(padded).ImageLength, tcp.Device.Received.Length);
            Assert.Equal(padded.Take(tcp.Device.Received.Length).ToArray(), tcp.Device.Received);
        }

        [Fact]
        public void Reset_and_echo()
        {
            using var tcp = new TcpDevice();
            var echo = ToolRunner.Run("echo", "hello moonboot", "-p", tcp.Port);
            echo.AssertOk();
            Assert.Equal("hello moonboot\n", echo.Out);
            ToolRunner.Run("reset", "-p", tcp.Port).AssertOk();
            Assert.Equal(1, tcp.Device.Resets);
        }
    }
}
