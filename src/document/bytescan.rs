//! The first byte of a small set, sixteen bytes at a time: the line ends
//! of the document stage and the quote-mark lead bytes of the statement
//! stage read their text with it.

/// The first byte at or after `i` that is one of `set`: sixteen bytes at a
/// time with SSE2 (always present on x86_64), else [`next_of_portable`].
/// `None` when there is none, or `i` is past the end.
#[inline]
pub fn next_of<const N: usize>(bytes: &[u8], i: usize, set: [u8; N]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        next_of_sse2(bytes, i, set)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        next_of_portable(bytes, i, set)
    }
}

/// [`next_of`] with SSE2: sixteen bytes compared with every byte of the set
/// at once, the rest by [`next_of_portable`].
#[cfg(target_arch = "x86_64")]
#[inline]
fn next_of_sse2<const N: usize>(bytes: &[u8], mut i: usize, set: [u8; N]) -> Option<usize> {
    use core::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_setzero_si128,
    };
    // SAFETY: SSE2 is part of the x86_64 baseline; every load reads the 16
    // bytes `bytes[i..i + 16]`, in bounds by the loop condition.
    unsafe {
        let needles = set.map(|b| _mm_set1_epi8(b as i8));
        while i + 16 <= bytes.len() {
            let v = _mm_loadu_si128(bytes.as_ptr().add(i) as *const __m128i);
            let mut m = _mm_setzero_si128();
            for n in needles {
                m = _mm_or_si128(m, _mm_cmpeq_epi8(v, n));
            }
            let bits = _mm_movemask_epi8(m) as u32;
            if bits != 0 {
                return Some(i + bits.trailing_zeros() as usize);
            }
            i += 16;
        }
    }
    next_of_portable(bytes, i, set)
}

/// [`next_of`] read eight bytes at a time in a u64 (any target).
#[inline]
pub fn next_of_portable<const N: usize>(bytes: &[u8], mut i: usize, set: [u8; N]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // bit 7 of each byte of `v` equal to `b` (exact for the lowest one)
    fn eq(v: u64, b: u8) -> u64 {
        let x = v ^ (ONES * b as u64);
        x.wrapping_sub(ONES) & !x & HIGH
    }
    while let Some(w) = bytes.get(i..i + 8) {
        let v = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
        let m = set.iter().fold(0, |m, &b| m | eq(v, b));
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|b| set.contains(b))
        .map(|k| i + k)
}
