//! Entry-name decoding (APPNOTE 6.3.10 4.4.4 bit 11 "Language encoding flag (EFS)", Appendix D;
//! Info-ZIP Unicode Path extra field 0x7075, APPNOTE 4.6.9).
//!
//! Names are UTF-8 when bit 11 is set. Otherwise APPNOTE says IBM437, but in Japan archives made
//! by Windows Explorer and most Japanese tools store CP932 (Shift_JIS) without the flag, so: UTF-8
//! if the bytes are valid UTF-8, else CP932 (encoding_rs `SHIFT_JIS`, which is the WHATWG
//! Shift_JIS = Windows-31J/CP932 mapping).

use encoding_rs::SHIFT_JIS;

/// Decode a stored entry name. `utf8_flag` is general-purpose bit 11.
pub fn decode(raw: &[u8], utf8_flag: bool) -> String {
    if utf8_flag {
        return String::from_utf8_lossy(raw).into_owned();
    }
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => SHIFT_JIS.decode_without_bom_handling(raw).0.into_owned(),
    }
}

/// The Info-ZIP Unicode Path extra field (0x7075) payload: version 1, CRC-32 of the stored
/// name, UTF-8 name. Used only when its CRC matches the stored name (4.6.9: otherwise ignore).
pub fn unicode_path(payload: &[u8], raw_name: &[u8]) -> Option<String> {
    if payload.first() != Some(&1) {
        return None;
    }
    let crc = u32::from_le_bytes(payload.get(1..5)?.try_into().ok()?);
    if crc != crc32fast::hash(raw_name) {
        return None;
    }
    std::str::from_utf8(payload.get(5..)?)
        .ok()
        .map(str::to_string)
}

/// Encode a password candidate as CP932, for archives made on Japanese Windows where a
/// non-ASCII password was typed. `None` when it is ASCII (same bytes) or not representable.
pub fn cp932_password(p: &str) -> Option<Vec<u8>> {
    if p.is_ascii() {
        return None;
    }
    let (bytes, _, had_errors) = SHIFT_JIS.encode(p);
    if had_errors {
        return None;
    }
    Some(bytes.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_utf8_cp932() {
        assert_eq!(decode("会議資料.doc".as_bytes(), true), "会議資料.doc");
        assert_eq!(decode("会議資料.doc".as_bytes(), false), "会議資料.doc");
        let sjis = SHIFT_JIS.encode("会議資料.doc").0.into_owned();
        assert_ne!(sjis, "会議資料.doc".as_bytes());
        assert_eq!(decode(&sjis, false), "会議資料.doc");
        // With the UTF-8 flag the bytes are not reinterpreted as CP932.
        assert_ne!(decode(&sjis, true), "会議資料.doc");
    }

    #[test]
    fn unicode_path_needs_matching_crc() {
        let raw = b"abc.txt";
        let mut p = vec![1u8];
        p.extend_from_slice(&crc32fast::hash(raw).to_le_bytes());
        p.extend_from_slice("日本.txt".as_bytes());
        assert_eq!(unicode_path(&p, raw).as_deref(), Some("日本.txt"));
        assert_eq!(unicode_path(&p, b"other.txt"), None);
    }

    #[test]
    fn cp932_password_only_for_non_ascii() {
        assert_eq!(cp932_password("abc"), None);
        assert_eq!(
            cp932_password("パス").as_deref(),
            Some(&[0x83, 0x70, 0x83, 0x58][..])
        );
    }
}
