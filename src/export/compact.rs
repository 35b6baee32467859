//! Compact JSON written straight into a byte buffer.
//!
//! Invariant: every function here appends exactly the bytes that
//! `serde_json`'s compact serializer writes for the same value (same string
//! escapes, same number forms, object keys in the map's own order), so the
//! exporters can use either path and produce identical files. The tests
//! check this against `serde_json` itself. Numbers that are not integers
//! are handed to `serde_json`; everything else is written here, which skips
//! the generic serde traversal on the hot path of `extract`.

use serde_json::Value;

/// For each byte: 0 if it is written as is, else the character that follows
/// the backslash (`u` for a `\u00XX` escape).
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0A] = b'n';
    t[0x0C] = b'f';
    t[0x0D] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Does any of these 8 bytes need an escape (a control character, `"` or
/// `\`)? Exact, with no false positives: each test is the classic
/// "has a byte below n" word trick, and bytes ≥ 0x80 never match.
fn needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let quote = w ^ (ONES * b'"' as u64);
    let backslash = w ^ (ONES * b'\\' as u64);
    (below(w, 0x20) | below(quote, 1) | below(backslash, 1)) != 0
}

/// [`is_clean`] of 16 bytes or more, 16 at a time with SSE2 (always there
/// on x86-64): the full blocks and the last 16 bytes (overlapping).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn is_clean_long(b: &[u8]) -> bool {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_setzero_si128,
    };
    debug_assert!(b.len() >= 16);
    // SAFETY: SSE2 is part of x86-64; every load reads 16 bytes inside `b`
    // (i + 16 < n, and n - 16 ≥ 0).
    unsafe {
        let quote = _mm_set1_epi8(b'"' as i8);
        let backslash = _mm_set1_epi8(b'\\' as i8);
        let control = _mm_set1_epi8(0x1F);
        // bytes that are '"', '\\' or at most 0x1F
        let bad = |x: __m128i| {
            _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                _mm_cmpeq_epi8(_mm_min_epu8(x, control), x),
            )
        };
        let n = b.len();
        let p = b.as_ptr();
        let mut seen = _mm_setzero_si128();
        let mut i = 0;
        while i + 16 < n {
            seen = _mm_or_si128(seen, bad(_mm_loadu_si128(p.add(i) as *const __m128i)));
            i += 16;
        }
        seen = _mm_or_si128(seen, bad(_mm_loadu_si128(p.add(n - 16) as *const __m128i)));
        _mm_movemask_epi8(seen) == 0
    }
}

/// Does no byte of `b` need an escape? Word at a time: the full words and
/// the last eight bytes (overlapping); a string shorter than eight bytes is
/// read as two overlapping halves (or its first, middle and last bytes),
/// padded with a byte that needs no escape. On x86-64, 16 bytes or more
/// are read 16 at a time ([`is_clean_long`]).
#[inline(always)]
fn is_clean(b: &[u8]) -> bool {
    let n = b.len();
    #[cfg(target_arch = "x86_64")]
    if n >= 16 {
        return is_clean_long(b);
    }
    let w = if n >= 8 {
        let word = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        let mut i = 0;
        while i + 8 < n {
            if needs_escape(word(i)) {
                return false;
            }
            i += 8;
        }
        word(n - 8)
    } else if n >= 4 {
        let half = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes"));
        u64::from(half(0)) | u64::from(half(n - 4)) << 32
    } else if n > 0 {
        u64::from_le_bytes([b[0], b[n / 2], b[n - 1], b'a', b'a', b'a', b'a', b'a'])
    } else {
        return true;
    };
    !needs_escape(w)
}

/// A JSON string literal.
#[inline(always)]
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    if is_clean(b) {
        out.reserve(b.len() + 2);
        out.push(b'"');
        out.extend_from_slice(b);
        out.push(b'"');
    } else {
        escaped(out, b);
    }
}

/// A JSON string literal for a string that needs escapes.
#[cold]
#[inline(never)]
fn escaped(out: &mut Vec<u8>, b: &[u8]) {
    out.push(b'"');
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let e = ESCAPE[c as usize];
        if e == 0 {
            continue;
        }
        out.extend_from_slice(&b[start..i]);
        if e == b'u' {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(c >> 4) as usize]);
            out.push(HEX[(c & 0xF) as usize]);
        } else {
            out.push(b'\\');
            out.push(e);
        }
        start = i + 1;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

/// "00", "01", … "99".
const PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

/// The two digits of `n` < 100.
#[inline(always)]
fn pair(n: u64) -> [u8; 2] {
    let i = 2 * n as usize;
    [PAIRS[i], PAIRS[i + 1]]
}

/// An unsigned integer in decimal (numbers below a million, such as byte
/// offsets, in fixed-size pieces).
#[inline]
pub(crate) fn uint(out: &mut Vec<u8>, n: u64) {
    if n < 100 {
        if n < 10 {
            out.push(b'0' + n as u8);
        } else {
            out.extend_from_slice(&pair(n));
        }
    } else if n < 10_000 {
        let (hi, lo) = (n / 100, n % 100);
        if hi < 10 {
            out.push(b'0' + hi as u8);
        } else {
            out.extend_from_slice(&pair(hi));
        }
        out.extend_from_slice(&pair(lo));
    } else if n < 1_000_000 {
        let (hi, mid, lo) = (n / 10_000, n / 100 % 100, n % 100);
        if hi < 10 {
            out.push(b'0' + hi as u8);
        } else {
            out.extend_from_slice(&pair(hi));
        }
        let [a, b] = pair(mid);
        let [c, d] = pair(lo);
        out.extend_from_slice(&[a, b, c, d]);
    } else {
        uint_long(out, n);
    }
}

#[inline(never)]
fn uint_long(out: &mut Vec<u8>, n: u64) {
    let mut buf = [0u8; 20];
    let start = digits_before(&mut buf, 20, n);
    out.extend_from_slice(&buf[start..]);
}

/// Write `n` in decimal into `buf`, ending before `end`; returns where it
/// starts (`buf` must have room: 20 bytes for any `u64`).
#[inline(always)]
fn digits_before(buf: &mut [u8], mut end: usize, mut n: u64) -> usize {
    while n >= 100 {
        let r = (n % 100) as usize;
        n /= 100;
        end -= 2;
        buf[end..end + 2].copy_from_slice(&PAIRS[2 * r..2 * r + 2]);
    }
    if n >= 10 {
        let r = n as usize;
        end -= 2;
        buf[end..end + 2].copy_from_slice(&PAIRS[2 * r..2 * r + 2]);
    } else {
        end -= 1;
        buf[end] = b'0' + n as u8;
    }
    end
}

/// `n` < 1,000,000 in decimal at `buf[at..]`; returns where it ends.
#[inline(always)]
fn small_digits(buf: &mut [u8; 16], at: usize, n: u32) -> usize {
    let len = match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        1000..=9999 => 4,
        10_000..=99_999 => 5,
        _ => 6,
    };
    let end = at + len;
    let (mut e, mut n) = (end, n as usize);
    while n >= 100 {
        let r = n % 100;
        n /= 100;
        e -= 2;
        buf[e] = PAIRS[2 * r];
        buf[e + 1] = PAIRS[2 * r + 1];
    }
    if n >= 10 {
        buf[e - 2] = PAIRS[2 * n];
        buf[e - 1] = PAIRS[2 * n + 1];
    } else {
        buf[e - 1] = b'0' + n as u8;
    }
    end
}

/// `[a,b]`: a list of two unsigned integers (a span). Below a million
/// each (byte offsets), made in 16 bytes put at the end of `out` at once
/// and cut to length.
#[inline]
pub(crate) fn pair_list(out: &mut Vec<u8>, a: u64, b: u64) {
    if a < 1_000_000 && b < 1_000_000 {
        let at = out.len();
        out.extend_from_slice(&[0u8; 16]);
        let buf: &mut [u8; 16] = (&mut out[at..at + 16]).try_into().expect("16 bytes");
        buf[0] = b'[';
        let i = small_digits(buf, 1, a as u32);
        buf[i] = b',';
        let i = small_digits(buf, i + 1, b as u32);
        buf[i] = b']';
        out.truncate(at + i + 1);
        return;
    }
    pair_list_long(out, a, b)
}

#[inline(never)]
fn pair_list_long(out: &mut Vec<u8>, a: u64, b: u64) {
    let mut buf = [0u8; 44];
    let mut i = buf.len() - 1;
    buf[i] = b']';
    i = digits_before(&mut buf, i, b);
    i -= 1;
    buf[i] = b',';
    i = digits_before(&mut buf, i, a);
    i -= 1;
    buf[i] = b'[';
    out.extend_from_slice(&buf[i..]);
}

/// `null` or the string.
pub(crate) fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// `"key":` (a comma before it unless `first`).
#[inline(always)]
pub(crate) fn key(out: &mut Vec<u8>, k: &str, first: bool) {
    let b = k.as_bytes();
    if is_clean(b) {
        out.reserve(b.len() + 4);
        if !first {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(b);
        out.extend_from_slice(b"\":");
    } else {
        if !first {
            out.push(b',');
        }
        escaped(out, b);
        out.push(b':');
    }
}

/// A list written element by element with `each`.
pub(crate) fn list<T>(
    out: &mut Vec<u8>,
    items: impl IntoIterator<Item = T>,
    mut each: impl FnMut(&mut Vec<u8>, T),
) {
    out.push(b'[');
    for (i, x) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(out, x);
    }
    out.push(b']');
}

/// Any JSON value.
pub(crate) fn value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                uint(out, u);
            } else if let Some(i) = n.as_i64() {
                out.push(b'-');
                uint(out, i.unsigned_abs());
            } else {
                serde_json::to_writer(&mut *out, n).expect("a number always serializes");
            }
        }
        Value::String(s) => string(out, s),
        Value::Array(a) => match a.as_slice() {
            // a span
            [Value::Number(x), Value::Number(y)] if x.is_u64() && y.is_u64() => {
                pair_list(out, x.as_u64().unwrap_or(0), y.as_u64().unwrap_or(0))
            }
            _ => list(out, a, value),
        },
        Value::Object(m) => {
            out.push(b'{');
            for (i, (k, x)) in m.iter().enumerate() {
                key(out, k, i == 0);
                value(out, x);
            }
            out.push(b'}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn ours(v: &Value) -> String {
        let mut out = Vec::new();
        value(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn values_are_written_as_serde_json_writes_them() {
        let cases = [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(18446744073709551615u64),
            json!(-1),
            json!(i64::MIN),
            json!(1.5),
            json!(-0.25),
            json!(1e21),
            json!(3.0),
            json!(""),
            json!("plain"),
            json!("quote \" backslash \\ slash / tab \t nl \n cr \r ff \u{c} bs \u{8}"),
            json!("control \u{0} \u{1} \u{1f} del \u{7f} nbsp \u{a0} line sep \u{2028}"),
            json!("naïve 北京 — “curly” 🙂"),
            json!([]),
            json!({}),
            json!([1, "a", null, [2, [3]], {"k": "v"}]),
            json!({"b": 1, "a": [true, {"z\n": "\u{1}"}], "": ""}),
        ];
        for v in cases {
            assert_eq!(ours(&v), serde_json::to_string(&v).unwrap(), "{v:?}");
        }
    }

    #[test]
    fn pairs_of_integers_are_written_as_serde_json_writes_them() {
        // (every length below a million on the fast path, and past it)
        let ns = (0..1200u64).chain([
            9_999,
            10_000,
            99_999,
            100_000,
            654_321,
            999_999,
            1_000_000,
            123_456_789,
            u64::MAX,
        ]);
        let ns: Vec<u64> = ns.collect();
        for (i, &a) in ns.iter().enumerate() {
            let b = ns[(i * 7 + 3) % ns.len()];
            let mut out = b"x".to_vec();
            pair_list(&mut out, a, b);
            assert_eq!(out, format!("x[{a},{b}]").into_bytes());
            assert_eq!(
                ours(&json!([a, b])),
                serde_json::to_string(&[a, b]).unwrap()
            );
        }
        for v in [
            json!([1, -2]),
            json!([1.5, 2]),
            json!([1, 2, 3]),
            json!(["1", 2]),
        ] {
            assert_eq!(ours(&v), serde_json::to_string(&v).unwrap());
        }
    }

    #[test]
    fn small_integers_are_written_as_serde_json_writes_them() {
        for n in (0..1_100_000u64).chain([12_345_678_901, u64::MAX]) {
            let mut out = Vec::new();
            uint(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }

    #[test]
    fn the_word_test_finds_exactly_the_bytes_that_need_escapes() {
        for c in 0..=255u8 {
            for pos in 0..8 {
                let mut w = [b'a'; 8];
                w[pos] = c;
                assert_eq!(
                    needs_escape(u64::from_le_bytes(w)),
                    ESCAPE[c as usize] != 0,
                    "byte {c:#x} at {pos}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn the_clean_test_agrees_with_the_escape_table(
            b in proptest::collection::vec(any::<u8>(), 0..100),
            s in "[a-z\"\\\\\\x00-\\x1f\\x7f é]{0,100}",
            clean in "[a-z é]{0,70}",
            c in any::<u8>()
        ) {
            // one byte anywhere in an otherwise clean string
            for at in [0, clean.len() / 2, clean.len()] {
                let mut one = clean.clone().into_bytes();
                one.insert(at, c);
                prop_assert_eq!(is_clean(&one), ESCAPE[c as usize] == 0);
            }
            for b in [&b[..], s.as_bytes()] {
                prop_assert_eq!(is_clean(b), b.iter().all(|&c| ESCAPE[c as usize] == 0));
            }
        }

        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(s in "\\PC*|[\\x00-\\x7f]*") {
            let mut out = Vec::new();
            string(&mut out, &s);
            prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn any_integer_is_written_as_serde_json_writes_it(u in any::<u64>(), i in any::<i64>()) {
            prop_assert_eq!(ours(&json!(u)), serde_json::to_string(&u).unwrap());
            prop_assert_eq!(ours(&json!(i)), serde_json::to_string(&i).unwrap());
        }
    }
}
