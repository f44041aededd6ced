using System;
using Moonboot.Imaging;

namespace Moonboot.Tool.Smp
{
    /// <summary>SMP operation codes (the OP field).</summary>
    internal enum SmpOp : byte { Read = 0, ReadResponse = 1, Write = 2, WriteResponse = 3 }

    /// <summary>The groups and commands the tool uses, with their numbers from the SMP specification.</summary>
    internal static class SmpCommands
    {
        public const ushort OsGroup = 0;
        public const ushort ImageGroup = 1;
        public const byte Echo = 0;
        public const byte Reset = 5;
        public const byte ImageState = 0;
        public const byte ImageUpload = 1;
    }

    /// <summary>
    /// One SMP packet: the 8-byte big-endian header (Res:3 Ver:2 OP:3, Flags, Data Length, Group ID, Sequence Num,
    /// Command ID) and the CBOR data. Version 0 (SMP v1) is what MCUboot's serial recovery speaks.
    /// </summary>
    internal sealed class SmpPacket
    {
        public const int HeaderSize = 8;

        public SmpPacket(SmpOp op, ushort group, byte command, byte sequence, byte[] data, byte version = 0, byte flags = 0)
        {
            Op = op; Group = group; Command = command; Sequence = sequence; Data = data; Version = version; Flags = flags;
        }

        public SmpOp Op { get; }
        public byte Version { get; }
        public byte Flags { get; }
        public ushort Group { get; }
        public byte Sequence { get; }
        public byte Command { get; }
        public byte[] Data { get; }

        public byte[] ToBytes()
        {
            var b = new byte[HeaderSize + Data.Length];
            b[0] = (byte)((Version & 3) << 3 | ((byte)Op & 7));
            b[1] = Flags;
            b[2] = (byte)(Data.Length >> 8); b[3] = (byte)Data.Length;
            b[4] = (byte)(Group >> 8); b[5] = (byte)Group;
            b[6] = Sequence;
            b[7] = Command;
            Buffer.BlockCopy(Data, 0, b, HeaderSize, Data.Length);
            return b;
        }

        public static SmpPacket Parse(byte[] b)
        {
            if (b.Length < HeaderSize)
            {
                throw new MoonbootException(MoonbootError.ProtocolError, $"SMP packet of {b.Length} bytes is shorter than its 8-byte header");
            }
            int length = b[2] << 8 | b[3];
            if (length != b.Length - HeaderSize)
            {
                throw new MoonbootException(MoonbootError.ProtocolError,
                    $"SMP header says {length} bytes of data but the packet carries {b.Length - HeaderSize}");
            }
            var data = new byte[length];
            Buffer.BlockCopy(b, HeaderSize, data, 0, length);
            return new SmpPacket((SmpOp)(b[0] & 7), (ushort)(b[4] << 8 | b[5]), b[7], b[6], data, (byte)(b[0] >> 3 & 3), b[1]);
        }
    }
}
