using System;
using System.IO;
using System.IO.Ports;
using System.Net.Sockets;
using Moonboot.Imaging;

namespace Moonboot.Tool.Smp
{
    /// <summary>A byte pipe to the device.</summary>
    internal interface ISmpTransport : IDisposable
    {
        string Name { get; }
        void Write(byte[] data);
        /// <summary>Reads what is there, waiting at most <paramref name="timeoutMs"/>; 0 on timeout.</summary>
        int Read(byte[] buffer, int timeoutMs);
    }

    internal static class SmpTransport
    {
        /// <summary>"tcp:HOST:PORT" (QEMU's -serial tcp::PORT,server) or a serial device path (a pty works).</summary>
        public static ISmpTransport Open(string port, int baud, int connectTimeoutMs)
        {
            if (port.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase))
            {
                string rest = port.Substring(4);
                int colon = rest.LastIndexOf(':');
                if (colon < 0 || !int.TryParse(rest.Substring(colon + 1), out int tcpPort) || tcpPort <= 0 || tcpPort > 65535)
                {
                    throw new MoonbootException(MoonbootError.BadArgument, $"port '{port}' is not tcp:HOST:PORT");
                }
                string host = colon == 0 ? "localhost" : rest.Substring(0, colon);
                return new TcpTransport(host, tcpPort, connectTimeoutMs);
            }
            return new SerialTransport(port, baud);
        }
    }

    internal sealed class TcpTransport : ISmpTransport
    {
        private readonly TcpClient _client;
        private readonly NetworkStream _stream;

        public TcpTransport(string host, int port, int connectTimeoutMs)
        {
            Name = $"tcp:{host}:{port}";
            _client = new TcpClient { NoDelay = true };
            try
            {
                if (!_client.ConnectAsync(host, port).Wait(connectTimeoutMs))
                {
                    _client.Dispose();
                    throw new MoonbootException(MoonbootError.PortUnavailable, $"{Name}: no connection within {connectTimeoutMs} ms");
                }
            }
            catch (AggregateException e)
            {
                _client.Dispose();
                throw new MoonbootException(MoonbootError.PortUnavailable, $"{Name}: cannot connect: {e.InnerException?.Message}");
            }
            _stream = _client.GetStream();
        }

        public string Name { get; }

        public void Write(byte[] data)
        {
            try
            {
                _stream.Write(data, 0, data.Length);
            }
            catch (IOException e)
            {
                throw new MoonbootException(MoonbootError.PortUnavailable, $"{Name}: write failed: {e.Message}");
            }
        }

        public int Read(byte[] buffer, int timeoutMs)
        {
            try
            {
                if (!_client.Client.Poll(Math.Max(1, timeoutMs) * 1000, SelectMode.SelectRead)) return 0;
                int n = _stream.Read(buffer, 0, buffer.Length);
                if (n == 0) throw new MoonbootException(MoonbootError.PortUnavailable, $"{Name}: the device closed the connection");
                return n;
            }
            catch (IOException e)
            {
                throw new MoonbootException(MoonbootError.PortUnavailable, $"{Name}: read failed: {e.Message}");
            }
        }

        public void Dispose()
        {
            _stream.Dispose();
            _client.Dispose();
        }
    }

    internal sealed class SerialTransport : ISmpTransport
    {
        private readonly SerialPort _port;

        public SerialTransport(string path, int baud)
        {
            Name = path;
            if (!File.Exists(path) && !path.StartsWith("COM", StringComparison.OrdinalIgnoreCase))
            {
                throw new MoonbootException(MoonbootError.PortUnavailable, $"serial port '{path}' does not exist");
            }
            _port = new SerialPort(path, baud, Parity.None, 8, StopBits.One) { Handshake = Handshake.None };
            try
            {
                _port.Open();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is InvalidOperationException)
            {
                _port.Dispose();
                throw new MoonbootException(MoonbootError.PortUnavailable, $"serial port '{path}' cannot be opened: {e.Message}");
            }
        }

        public string Name { get; }

        public void Write(byte[] data)
        {
            try
            {
                _port.Write(data, 0, data.Length);
            }
            catch (Exception e) when (e is IOException || e is InvalidOperationException || e is TimeoutException)
            {
                throw new MoonbootException(MoonbootError.PortUnavailable, $"{Name}: write failed: {e.Message}");
            }
        }

        public int Read(byte[] buffer, int timeoutMs)
        {
            _port.ReadTimeout = Math.Max(1, timeoutMs);
            try
            {
                return _port.Read(buffer, 0, buffer.Length);
            }
            catch (TimeoutException)
            {
                return 0;
            }
            catch (Exception e) when (e is IOException || e is InvalidOperationException)
            {
                throw new MoonbootException(MoonbootError.PortUnavailable, $"{Name}: read failed: {e.Message}");
            }
        }

        public void Dispose() => _port.Dispose();
    }
}
