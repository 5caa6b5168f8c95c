//! Byte search and base64 decoding shared by the format parsers.

/// `len` bytes at `off`, or `None` when they are not all there.
pub fn slice_at(b: &[u8], off: usize, len: usize) -> Option<&[u8]> {
    b.get(off..off.checked_add(len)?)
}

/// `N` bytes at `off` as an array, or `None` when they are not all there.
pub fn array_at<const N: usize>(b: &[u8], off: usize) -> Option<[u8; N]> {
    b.get(off..)?.first_chunk::<N>().copied()
}

/// The first `N` bytes of `b` as an array, zero-filled when `b` is shorter. For a slice already
/// known to hold `N` bytes (a `chunks_exact(N)` chunk, a `get(o..o + N)` result) this is the
/// plain conversion, without an index that could panic.
pub fn pad<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    for (d, s) in a.iter_mut().zip(b) {
        *d = *s;
    }
    a
}

/// Little-endian `u16` at `off`.
pub fn u16_le(b: &[u8], off: usize) -> Option<u16> {
    array_at(b, off).map(u16::from_le_bytes)
}

/// Little-endian `u32` at `off`.
pub fn u32_le(b: &[u8], off: usize) -> Option<u32> {
    array_at(b, off).map(u32::from_le_bytes)
}

/// Little-endian `u64` at `off`.
pub fn u64_le(b: &[u8], off: usize) -> Option<u64> {
    array_at(b, off).map(u64::from_le_bytes)
}

/// First position of `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    find_from(hay, 0, needle)
}

/// First position of `needle` in `hay` at or after `from`. `None` for an empty needle.
pub fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find(hay.get(from..)?, needle).and_then(|p| from.checked_add(p))
}

/// What base64 decoding does with a byte outside the alphabet (other than `=`, which ends it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base64Other {
    /// Whitespace is skipped; anything else makes the input invalid (`None`).
    Reject,
    /// Skipped (MIME-style lenient decoding).
    Skip,
    /// Ends the data (a base64 run inside other text).
    Stop,
}

/// Decode base64 (RFC 4648; both the standard and the URL-safe alphabet, padding optional).
pub fn base64(s: &[u8], other: Base64Other) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity((s.len() / 4).saturating_mul(3));
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c.saturating_sub(b'A'),
            b'a'..=b'z' => c.saturating_sub(b'a').saturating_add(26),
            b'0'..=b'9' => c.saturating_sub(b'0').saturating_add(52),
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => match other {
                Base64Other::Skip => continue,
                Base64Other::Stop => break,
                Base64Other::Reject if c.is_ascii_whitespace() => continue,
                Base64Other::Reject => return None,
            },
        };
        acc = (acc << 6) | u32::from(v);
        // `bits` stays below 8 between bytes, so it never exceeds 13 here.
        bits = bits.saturating_add(6);
        if let Some(rest) = bits.checked_sub(8) {
            bits = rest;
            let [byte, ..] = (acc >> bits).to_le_bytes();
            out.push(byte);
            acc &= !(u32::MAX << bits);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search() {
        assert_eq!(find(b"abcabc", b"ca"), Some(2));
        assert_eq!(find_from(b"abcabc", 1, b"ab"), Some(3));
        assert_eq!(find(b"abc", b""), None);
        assert_eq!(find_from(b"abc", 10, b"a"), None);
    }

    #[test]
    fn base64_modes() {
        assert_eq!(
            base64(b"TWFu\r\nTWE=", Base64Other::Reject).unwrap(),
            b"ManMa"
        );
        assert!(base64(b"a$b", Base64Other::Reject).is_none());
        assert_eq!(base64(b"aGVs!bG8=", Base64Other::Skip).unwrap(), b"hello");
        assert_eq!(base64(b"aGVs bG8=", Base64Other::Stop).unwrap(), b"hel");
    }
}
