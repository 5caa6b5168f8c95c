//! MAPI property storage of an Outlook message ([MS-OXMSG] 2.1–2.4), parsing only.
//!
//! - [MS-OXMSG] 2.1.3 Property stream `__properties_version1.0`: a header (32 bytes for the
//!   top-level message, 24 for an embedded message, 8 for recipient and attachment objects),
//!   then 16-byte entries: property tag (type in the low 16 bits, id in the high 16), flags,
//!   and an 8-byte value (fixed-size types inline; for variable-size types the size).
//! - [MS-OXMSG] 2.1.4 Variable-length properties live in streams `__substg1.0_IIIITTTT`
//!   (IIII = property id, TTTT = type, upper-case hex): 001F UTF-16LE, 001E 8-bit string in
//!   the message's code page, 0102 binary, 000D a sub-storage (embedded message or OLE object).
//! - [MS-OXMSG] 2.2.1 / 2.2.2 recipient (`__recip_version1.0_#XXXXXXXX`) and attachment
//!   (`__attach_version1.0_#XXXXXXXX`) storages; 2.2.2.1 embedded message attachments
//!   (`__substg1.0_3701000D`).
//! - [MS-OXCDATA] 2.2.5.1 One-Off EntryID and 2.3.3 FlatEntryList (PR_REPLY_RECIPIENT_ENTRIES).
//! - Code pages: PR_MESSAGE_CODEPAGE (0x3FFD) or PR_INTERNET_CPID (0x3FDE) ([MS-OXPROPS]),
//!   Windows code page numbers mapped to WHATWG encodings (encoding_rs).
//!
//! Nothing here trusts a size read from the file: streams are read through
//! [`Cfb::read`] with a cap, and every loop is bounded by the data it walks.

use encoding_rs::Encoding;

use crate::formats::office::ole::{Cfb, EntryKind};

pub const PT_I2: u16 = 0x0002;
pub const PT_LONG: u16 = 0x0003;
pub const PT_BOOLEAN: u16 = 0x000B;
pub const PT_OBJECT: u16 = 0x000D;
pub const PT_I8: u16 = 0x0014;
pub const PT_STRING8: u16 = 0x001E;
pub const PT_UNICODE: u16 = 0x001F;
pub const PT_SYSTIME: u16 = 0x0040;
pub const PT_BINARY: u16 = 0x0102;

/// Property stream header sizes ([MS-OXMSG] 2.4.1).
pub const HEADER_TOP: usize = 32;
pub const HEADER_EMBEDDED: usize = 24;
pub const HEADER_OBJECT: usize = 8;

/// Fixed-size property entries read from one property stream, at most.
const MAX_FIXED: usize = 10_000;

/// The properties of one storage (message, recipient or attachment).
pub struct Props<'c, 'a> {
    pub cfb: &'c Cfb<'a>,
    pub storage: usize,
    /// Fixed-size values from the property stream: (id, type, 8 value bytes).
    fixed: Vec<(u16, u16, [u8; 8])>,
    /// Variable-size properties: (id, type, entry index in `cfb.entries`).
    streams: Vec<(u16, u16, usize)>,
    /// Structural problems (damaged streams) met while reading.
    pub problems: Vec<String>,
}

/// Parse `__substg1.0_IIIITTTT` into (id, type).
pub fn substg_tag(name: &str) -> Option<(u16, u16)> {
    let hex = name.strip_prefix("__substg1.0_")?;
    if hex.len() != 8 || !hex.is_ascii() {
        return None;
    }
    let id = u16::from_str_radix(hex.get(..4)?, 16).ok()?;
    let ty = u16::from_str_radix(hex.get(4..)?, 16).ok()?;
    Some((id, ty))
}

impl<'c, 'a> Props<'c, 'a> {
    /// Index the properties of storage `storage`, whose property stream has a `header`-byte header.
    pub fn open(cfb: &'c Cfb<'a>, storage: usize, header: usize) -> Self {
        let mut p = Props {
            cfb,
            storage,
            fixed: Vec::new(),
            streams: Vec::new(),
            problems: Vec::new(),
        };
        let mut prop_stream = None;
        for &i in cfb.child_ids(storage) {
            let Some(e) = cfb.entries.get(i) else {
                continue;
            };
            if e.kind == EntryKind::Stream && e.name.eq_ignore_ascii_case("__properties_version1.0")
            {
                prop_stream = Some(i);
            } else if let Some((id, ty)) = substg_tag(&e.name) {
                p.streams.push((id, ty, i));
            }
        }
        if let Some(e) = prop_stream.and_then(|i| cfb.entries.get(i)) {
            match cfb.read(e, header.saturating_add(MAX_FIXED * 16)) {
                Ok(data) => {
                    for ent in data.get(header..).unwrap_or(&[]).chunks_exact(16) {
                        let tag = u32::from_le_bytes(crate::bytes::pad::<4>(ent));
                        let v = crate::bytes::pad::<8>(ent.get(8..).unwrap_or_default());
                        p.fixed.push(((tag >> 16) as u16, (tag & 0xFFFF) as u16, v));
                    }
                }
                Err(err) => p.problems.push(format!("property stream: {err}")),
            }
        }
        p
    }

    /// Does this storage hold any property at all?
    pub fn is_empty(&self) -> bool {
        self.fixed.is_empty() && self.streams.is_empty()
    }

    /// A 16/32-bit integer or boolean property from the property stream.
    pub fn int(&self, id: u16) -> Option<u32> {
        self.fixed
            .iter()
            .find(|(i, t, _)| *i == id && matches!(*t, PT_I2 | PT_LONG | PT_BOOLEAN))
            .map(|(_, t, v)| match *t {
                PT_LONG => u32::from_le_bytes(crate::bytes::pad::<4>(v)),
                _ => u16::from_le_bytes(crate::bytes::pad::<2>(v)) as u32,
            })
    }

    /// A PT_SYSTIME (FILETIME: 100 ns since 1601-01-01 UTC) property.
    pub fn time(&self, id: u16) -> Option<u64> {
        self.fixed
            .iter()
            .find(|(i, t, _)| *i == id && matches!(*t, PT_SYSTIME | PT_I8))
            .map(|(_, _, v)| u64::from_le_bytes(*v))
            .filter(|&t| t != 0)
    }

    /// The entry index of the stream or storage for (id, type).
    pub fn entry(&self, id: u16, ty: u16) -> Option<usize> {
        self.streams
            .iter()
            .find(|(i, t, _)| *i == id && *t == ty)
            .map(|(_, _, e)| *e)
    }

    /// Bytes of the (id, type) stream, at most `max`. The flag is true when the stream was
    /// longer and was cut.
    pub fn bytes(&mut self, id: u16, ty: u16, max: usize) -> Option<(Vec<u8>, bool)> {
        let idx = self.entry(id, ty)?;
        let e = self.cfb.entries.get(idx)?;
        if e.kind != EntryKind::Stream {
            return None;
        }
        match self.cfb.read(e, max) {
            Ok(d) => Some((d, e.size > max as u64)),
            Err(err) => {
                self.problems
                    .push(format!("property {id:04X}{ty:04X}: {err}"));
                None
            }
        }
    }

    /// A string property: the Unicode form (001F) when present, else the 8-bit form (001E)
    /// decoded with `cp` (see [`decode_8bit`]). Trailing NULs are dropped. `None` when absent
    /// or empty.
    pub fn string(&mut self, id: u16, cp: Option<u32>, max: usize) -> Option<String> {
        let s = if let Some((b, _)) = self.bytes(id, PT_UNICODE, max) {
            utf16le(&b)
        } else {
            let (b, _) = self.bytes(id, PT_STRING8, max)?;
            decode_8bit(trim_nul(&b), cp)
        };
        let s = s.trim_end_matches('\0').to_string();
        (!s.trim().is_empty()).then_some(s)
    }

    /// Child storages whose name starts with `prefix`, in name order.
    pub fn sub_storages(&self, prefix: &str) -> Vec<usize> {
        let mut v: Vec<(String, usize)> = self
            .cfb
            .child_ids(self.storage)
            .iter()
            .filter_map(|&i| self.cfb.entries.get(i).map(|e| (i, e)))
            .filter(|(_, e)| e.kind == EntryKind::Storage && e.name.starts_with(prefix))
            .map(|(i, e)| (e.name.to_ascii_uppercase(), i))
            .collect();
        v.sort();
        v.into_iter().map(|(_, i)| i).collect()
    }
}

fn trim_nul(b: &[u8]) -> &[u8] {
    let mut end = b.len();
    while end > 0 && b.get(end.saturating_sub(1)) == Some(&0) {
        end = end.saturating_sub(1);
    }
    b.get(..end).unwrap_or(&[])
}

/// UTF-16LE to a string (unpaired surrogates become U+FFFD; an odd last byte is dropped).
pub fn utf16le(b: &[u8]) -> String {
    let units = b
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{fffd}'))
        .collect()
}

/// The encoding of 8-bit MAPI strings for a Windows code page. Outlook stores them in the
/// ANSI code page, so the Japanese Internet code pages (ISO-2022-JP 50220–50222) mean
/// Windows-31J (CP932) here.
pub fn ansi_encoding(cp: u32) -> Option<&'static Encoding> {
    match cp {
        50220..=50222 | 50932 => Some(encoding_rs::SHIFT_JIS),
        _ => encoding_for(cp),
    }
}

/// The encoding for a Windows code page number (as used by PR_INTERNET_CPID).
pub fn encoding_for(cp: u32) -> Option<&'static Encoding> {
    use encoding_rs::*;
    Some(match cp {
        932 => SHIFT_JIS,
        50220..=50222 => ISO_2022_JP,
        20932 | 51932 => EUC_JP,
        936 => GBK,
        54936 => GB18030,
        949 | 51949 => EUC_KR,
        950 => BIG5,
        874 => WINDOWS_874,
        866 => IBM866,
        20866 => KOI8_R,
        21866 => KOI8_U,
        65001 => UTF_8,
        1200 => UTF_16LE,
        1201 => UTF_16BE,
        20127 | 28591 | 1252 => WINDOWS_1252,
        1250..=1258 => return Encoding::for_label(format!("windows-{cp}").as_bytes()),
        28592..=28606 => {
            return Encoding::for_label(format!("iso-8859-{}", cp.saturating_sub(28590)).as_bytes())
        }
        _ => return None,
    })
}

/// Decode 8-bit text: strictly with the code page's encoding; if that fails (or there is
/// none), the strict Japanese guess used for unlabelled mail; last, windows-1252 with
/// replacement.
pub fn decode_8bit(b: &[u8], cp: Option<u32>) -> String {
    decode_with(b, cp.and_then(ansi_encoding))
}

pub fn decode_with(b: &[u8], enc: Option<&'static Encoding>) -> String {
    if let Some(enc) = enc {
        if let Some(s) = enc.decode_without_bom_handling_and_without_replacement(b) {
            return s.into_owned();
        }
    }
    if b.is_ascii() {
        return String::from_utf8_lossy(b).into_owned();
    }
    if let Some(s) = crate::formats::mail::parse::guess_decode(b) {
        return s;
    }
    enc.unwrap_or(encoding_rs::WINDOWS_1252)
        .decode_without_bom_handling(b)
        .0
        .into_owned()
}

/// The addresses in a FlatEntryList of One-Off EntryIDs ([MS-OXCDATA] 2.3.3, 2.2.5.1):
/// (display name, address type, address). Other entry ID kinds (address book entries) carry
/// no readable address and are skipped.
pub fn one_off_addresses(b: &[u8], cp: Option<u32>) -> Vec<(String, String, String)> {
    const ONE_OFF_UID: [u8; 16] = [
        0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54,
        0x02,
    ];
    let rd = |o: usize| -> Option<u32> {
        Some(u32::from_le_bytes(
            b.get(o..o.checked_add(4)?)?.try_into().ok()?,
        ))
    };
    let mut out = Vec::new();
    let Some(count) = rd(0) else { return out };
    let mut off = 8usize;
    for _ in 0..count.min(100) {
        let Some(size) = rd(off) else { break };
        let start = off.saturating_add(4);
        let Some(end) = start.checked_add(size as usize) else {
            break;
        };
        let Some(e) = b.get(start..end) else { break };
        if e.get(4..20) == Some(&ONE_OFF_UID[..]) {
            let flags = e
                .get(22..24)
                .map(|f| u16::from_le_bytes(crate::bytes::pad::<2>(f)))
                .unwrap_or(0);
            let rest = e.get(24..).unwrap_or(&[]);
            let fields: Vec<String> = if flags & 0x8000 != 0 {
                let units: Vec<u16> = rest
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)))
                    .collect();
                units
                    .split(|&u| u == 0)
                    .take(3)
                    .map(|s| {
                        char::decode_utf16(s.iter().copied())
                            .map(|r| r.unwrap_or('\u{fffd}'))
                            .collect()
                    })
                    .collect()
            } else {
                rest.split(|&c| c == 0)
                    .take(3)
                    .map(|s| decode_8bit(s, cp))
                    .collect()
            };
            if let [name, ty, addr] = fields.as_slice() {
                out.push((name.clone(), ty.clone(), addr.clone()));
            }
        }
        // Entries are padded to a multiple of 4 bytes.
        off = end.saturating_add(3) & !3;
    }
    out
}

/// A FILETIME as RFC 3339 UTC (`2021-11-05T10:25:17Z`). `None` outside years 1601–9999.
// Civil-from-days (H. Hinnant's algorithm). `days` is at most u64::MAX / 864e9 (about 2.1e7),
// so `z`, `era` and `yoe` stay far inside i64, and `doe` < 146_097; no operation can overflow
// and every divisor is a non-zero constant.
#[allow(clippy::arithmetic_side_effects)]
pub fn filetime_rfc3339(ft: u64) -> Option<String> {
    let secs = ft / 10_000_000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Days from 1601-01-01 to 1970-01-01.
    let z = days.checked_sub(134_774)?.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    if !(1601..=9999).contains(&y) {
        return None;
    }
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_times() {
        assert_eq!(substg_tag("__substg1.0_0037001F"), Some((0x0037, 0x001F)));
        assert_eq!(substg_tag("__substg1.0_3701000D"), Some((0x3701, 0x000D)));
        assert_eq!(substg_tag("__substg1.0_0037001F-00000000"), None);
        assert_eq!(substg_tag("__substg1.0_zz37001F"), None);
        // 2021-11-05T10:25:17Z
        let unix = 1_636_107_917u64;
        assert_eq!(
            filetime_rfc3339((unix + 11_644_473_600) * 10_000_000).as_deref(),
            Some("2021-11-05T10:25:17Z")
        );
        assert_eq!(filetime_rfc3339(u64::MAX), None);
    }

    #[test]
    fn code_pages() {
        let (sj, _, _) = encoding_rs::SHIFT_JIS.encode("日本語 Non Unicode");
        assert_eq!(decode_8bit(&sj, Some(932)), "日本語 Non Unicode");
        assert_eq!(decode_8bit(&sj, Some(50220)), "日本語 Non Unicode");
        assert_eq!(decode_8bit(&sj, None), "日本語 Non Unicode");
        assert_eq!(decode_8bit(b"Fr\xf6sche", Some(1252)), "Fr\u{f6}sche");
        assert_eq!(decode_8bit(b"Fr\xf6sche", None), "Fr\u{f6}sche");
    }

    #[test]
    fn one_off_entry_list() {
        let mut e = vec![0u8; 4];
        e.extend([
            0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F,
            0x54, 0x02,
        ]);
        e.extend([0, 0, 0x00, 0x80]);
        for s in ["Support", "SMTP", "s@x.example"] {
            e.extend(s.encode_utf16().chain([0]).flat_map(|u| u.to_le_bytes()));
        }
        let mut b = 1u32.to_le_bytes().to_vec();
        b.extend(((e.len() + 4) as u32).to_le_bytes());
        b.extend((e.len() as u32).to_le_bytes());
        b.extend(&e);
        assert_eq!(
            one_off_addresses(&b, None),
            vec![("Support".into(), "SMTP".into(), "s@x.example".into())]
        );
        assert!(one_off_addresses(&b[..20], None).is_empty());
        assert!(one_off_addresses(&[0xff; 8], None).is_empty());
    }
}
