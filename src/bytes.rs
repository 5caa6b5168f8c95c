//! Byte search and base64 decoding shared by the format parsers.

/// First position of `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    find_from(hay, 0, needle)
}

/// First position of `needle` in `hay` at or after `from`. `None` for an empty needle.
pub fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = from;
    loop {
        let h = hay.get(at..)?;
        let p = h.iter().position(|&c| c == first)?;
        let start = at.checked_add(p)?;
        if hay.get(start + 1..start + needle.len()) == Some(rest) {
            return Some(start);
        }
        at = start + 1;
    }
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
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
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
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
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
