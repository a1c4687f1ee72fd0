using System.Runtime.CompilerServices;

namespace Netmap.Dynamic.Interop;

// Inline fixed-size arrays for the C arrays inside netmap's structs (char[16], char[64],
// the 128-byte ring semaphore area, padding). InlineArray keeps the structs blittable without
// `fixed` buffers, so the raw ABI layer needs no unsafe code.

/// <summary>Twelve bytes of C array storage (<c>uint32_t[3]</c>).</summary>
[InlineArray(3)]
public struct FixedUInt32x3 { private uint _element0; }

/// <summary>Six bytes of C array storage (<c>uint16_t[3]</c>).</summary>
[InlineArray(3)]
public struct FixedUInt16x3 { private ushort _element0; }

/// <summary>A <c>char[16]</c> (<c>IFNAMSIZ</c>).</summary>
[InlineArray(16)]
public struct FixedBytes16 { private byte _element0; }

/// <summary>A <c>char[64]</c> (<c>NETMAP_REQ_IFNAMSIZ</c>).</summary>
[InlineArray(64)]
public struct FixedBytes64 { private byte _element0; }

/// <summary>A <c>char[128]</c> (the ring's <c>sem</c> area, one cache line pair).</summary>
[InlineArray(128)]
public struct FixedBytes128 { private byte _element0; }
