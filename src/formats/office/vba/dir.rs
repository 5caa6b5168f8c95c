//! [MS-OVBA] 2.3.4.2 `dir` Stream: Version Independent Project Information (after
//! decompression). A flat sequence of records `Id (u16) | Size (u32) | Data (Size bytes)`:
//!
//! - 2.3.4.2.1.2 PROJECTSYSKIND (0x0001), 2.3.4.2.1.4 PROJECTCODEPAGE (0x0003, u16),
//!   2.3.4.2.1.11 PROJECTVERSION (0x0009) — the one record whose Size field (always 4) does
//!   not count its data: Reserved (u32) then VersionMajor (u32) and VersionMinor (u16).
//! - 2.3.4.2.3 PROJECTMODULES (0x000F) then per module 2.3.4.2.3.2: MODULENAME (0x0019),
//!   MODULENAMEUNICODE (0x0047), MODULESTREAMNAME (0x001A) + Reserved 0x0032 (Unicode name),
//!   MODULEDOCSTRING (0x001C/0x0048), MODULEOFFSET (0x0031, u32 TextOffset), MODULEHELPCONTEXT
//!   (0x001E), MODULECOOKIE (0x002C), MODULETYPE (0x0021 procedural / 0x0022 document, class
//!   or designer), MODULEREADONLY (0x0025), MODULEPRIVATE (0x0028), Terminator (0x002B).
//! - Terminator of the stream: 0x0010.
//!
//! Everything else (references, constants, doc strings) has the plain Id/Size layout and is
//! skipped by its size.

/// One module as declared in the `dir` stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleInfo {
    pub name: String,
    pub stream_name: String,
    /// Where the compressed source starts in the module stream (MODULEOFFSET).
    pub text_offset: u32,
    /// `true` for a document/class module (0x0022), `false` for a procedural one (0x0021).
    pub document_or_class: bool,
}

/// What the analysis needs from the `dir` stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirInfo {
    /// PROJECTCODEPAGE (0 when absent).
    pub code_page: u16,
    pub modules: Vec<ModuleInfo>,
    /// Set when the records ran past the end (modules read so far are kept).
    pub error: Option<String>,
}

/// Most modules kept from one project.
const MAX_MODULES: usize = 1000;

/// Parse a decompressed `dir` stream. `decode` turns MBCS names into text with the project's
/// code page once it is known.
pub fn parse_dir(data: &[u8], decode: fn(u16, &[u8]) -> String) -> DirInfo {
    let mut info = DirInfo::default();
    let mut pos = 0usize;
    let mut cur: Option<ModuleInfo> = None;
    // The Unicode stream name is preferred over the MBCS one when both are present.
    let mut stream_from_unicode = false;
    while pos < data.len() {
        let (Some(id), Some(size)) = (rd_u16(data, pos), rd_u32(data, pos.saturating_add(2)))
        else {
            info.error = Some(format!("truncated record header at offset {pos}"));
            break;
        };
        let mut size = size as usize;
        if id == 0x0009 {
            // PROJECTVERSION: Reserved(4) VersionMajor(4) VersionMinor(2) after the Id.
            size = 6;
        }
        let start = pos.saturating_add(6);
        let end = start.saturating_add(size);
        let Some(body) = data.get(start..end) else {
            info.error = Some(format!(
                "record 0x{id:04X} at offset {pos} runs past the end"
            ));
            break;
        };
        pos = end;
        match id {
            0x0003 => info.code_page = rd_u16(body, 0).unwrap_or(0),
            0x0019 => {
                if let Some(m) = cur.take() {
                    push(&mut info, m);
                }
                cur = Some(ModuleInfo {
                    name: decode(info.code_page, body),
                    ..Default::default()
                });
                stream_from_unicode = false;
            }
            0x0047 => {
                if let Some(m) = cur.as_mut() {
                    let n = utf16(body);
                    if !n.is_empty() {
                        m.name = n;
                    }
                }
            }
            0x001A => {
                if let Some(m) = cur.as_mut() {
                    if !stream_from_unicode {
                        m.stream_name = decode(info.code_page, body);
                    }
                }
            }
            0x0032 => {
                if let Some(m) = cur.as_mut() {
                    let n = utf16(body);
                    if !n.is_empty() {
                        m.stream_name = n;
                        stream_from_unicode = true;
                    }
                }
            }
            0x0031 => {
                if let Some(m) = cur.as_mut() {
                    m.text_offset = rd_u32(body, 0).unwrap_or(0);
                }
            }
            0x0022 => {
                if let Some(m) = cur.as_mut() {
                    m.document_or_class = true;
                }
            }
            0x002B => {
                if let Some(m) = cur.take() {
                    push(&mut info, m);
                }
            }
            0x0010 => break,
            _ => {}
        }
        if info.modules.len() >= MAX_MODULES {
            info.error = Some(format!("more than {MAX_MODULES} modules"));
            break;
        }
    }
    if let Some(m) = cur.take() {
        push(&mut info, m);
    }
    info
}

fn push(info: &mut DirInfo, mut m: ModuleInfo) {
    if m.stream_name.is_empty() {
        m.stream_name = m.name.clone();
    }
    if m.name.is_empty() {
        m.name = m.stream_name.clone();
    }
    info.modules.push(m);
}

fn rd_u16(b: &[u8], off: usize) -> Option<u16> {
    crate::bytes::u16_le(b, off)
}

fn rd_u32(b: &[u8], off: usize) -> Option<u32> {
    crate::bytes::u32_le(b, off)
}

fn utf16(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)))
        .collect();
    String::from_utf16_lossy(&units)
        .trim_end_matches('\0')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: u16, data: &[u8]) -> Vec<u8> {
        let mut v = id.to_le_bytes().to_vec();
        v.extend_from_slice(&(data.len() as u32).to_le_bytes());
        v.extend_from_slice(data);
        v
    }

    fn latin(_cp: u16, b: &[u8]) -> String {
        b.iter().map(|&c| c as char).collect()
    }

    fn u16s(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }

    #[test]
    fn parses_codepage_modules_and_offsets() {
        let mut d = Vec::new();
        d.extend(rec(0x0001, &1u32.to_le_bytes()));
        d.extend(rec(0x0003, &932u16.to_le_bytes()));
        // PROJECTVERSION: Size says 4, but 6 bytes follow.
        d.extend_from_slice(&[0x09, 0x00, 0x04, 0x00, 0x00, 0x00, 1, 0, 0, 0, 2, 0]);
        d.extend(rec(0x000F, &2u16.to_le_bytes()));
        d.extend(rec(0x0013, &0xFFFFu16.to_le_bytes()));
        for (name, off, doc) in [("ThisDocument", 1234u32, true), ("Module1", 77, false)] {
            d.extend(rec(0x0019, name.as_bytes()));
            d.extend(rec(0x0047, &u16s(name)));
            d.extend(rec(0x001A, name.as_bytes()));
            d.extend(rec(0x0032, &u16s(name)));
            d.extend(rec(0x001C, b""));
            d.extend(rec(0x0048, b""));
            d.extend(rec(0x0031, &off.to_le_bytes()));
            d.extend(rec(0x001E, &0u32.to_le_bytes()));
            d.extend(rec(0x002C, &0xFFFFu16.to_le_bytes()));
            d.extend(rec(if doc { 0x0022 } else { 0x0021 }, b""));
            d.extend(rec(0x002B, b""));
        }
        d.extend(rec(0x0010, b""));
        let info = parse_dir(&d, latin);
        assert_eq!(info.code_page, 932);
        assert!(info.error.is_none());
        assert_eq!(info.modules.len(), 2);
        assert_eq!(info.modules[0].name, "ThisDocument");
        assert_eq!(info.modules[0].text_offset, 1234);
        assert!(info.modules[0].document_or_class);
        assert_eq!(info.modules[1].stream_name, "Module1");
        assert_eq!(info.modules[1].text_offset, 77);
        assert!(!info.modules[1].document_or_class);
    }

    #[test]
    fn unicode_name_wins_and_truncation_is_reported() {
        let mut d = Vec::new();
        d.extend(rec(0x0019, b"M?"));
        d.extend(rec(0x0047, &u16s("モジュール")));
        d.extend(rec(0x0031, &5u32.to_le_bytes()));
        // A record claiming more bytes than there are.
        d.extend_from_slice(&[0x2B, 0x00, 0xFF, 0xFF, 0xFF, 0x7F]);
        let info = parse_dir(&d, latin);
        assert!(info.error.is_some());
        assert_eq!(info.modules.len(), 1);
        assert_eq!(info.modules[0].name, "モジュール");
        // No stream name record: falls back to the module name.
        assert_eq!(info.modules[0].stream_name, "モジュール");
    }
}
