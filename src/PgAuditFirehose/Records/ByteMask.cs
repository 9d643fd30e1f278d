using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PgAuditFirehose.Records;

/// <summary>For the 64-byte loops on AVX-512 VBMI (JsonText's unescape, EscapedCsv's field): masks worked out as bits, one a byte, made lanes again.</summary>
internal static class ByteMask
{
    /// <summary>A vector whose lane k is all ones where bit k of <paramref name="bits"/> is set: lane k looks at bit k % 8 of the mask's byte k / 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> Lanes(ulong bits)
    {
        var bytes = Avx512Vbmi.PermuteVar64x8(Vector512.Create(bits).AsByte(), Vector512.ShiftRightLogical(Vector512<byte>.Indices, 3));
        return ~Vector512.Equals(bytes & Vector512.Create(0x8040201008040201UL).AsByte(), Vector512<byte>.Zero);
    }
}
