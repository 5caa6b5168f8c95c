//! BIFF5/BIFF8 workbook globals ([MS-XLS]): enough to see macro sheets and encryption.
//!
//! - 2.1.4 Record: `type (u16) | size (u16) | data`, read with bounds until the globals
//!   substream's EOF (0x000A).
//! - 2.4.21 BOF (0x0809): `vers` 0x0600 = BIFF8, 0x0500 = BIFF5.
//! - 2.4.28 BoundSheet8 (0x0085): lbPlyPos (u32), hsState (2 bits: 0 visible, 1 hidden,
//!   2 very hidden), dt (u8: 0 worksheet or dialog, 1 macro sheet, 2 chart, 6 VBA module),
//!   stName (ShortXLUnicodeString in BIFF8; a byte-counted code page string in BIFF5).
//! - 2.4.117 FilePass (0x002F): the rest of the stream is encrypted (XOR or RC4), so nothing
//!   after it can be read (BoundSheet8 beyond lbPlyPos is encrypted too).
//! - 2.4.52 CodePage (0x0042): the code page of BIFF5 strings.
//! - 2.4.150 Lbl (0x0018, BIFF8): a defined name; fBuiltin (flags bit 0x0020) with name char
//!   0x01 is `Auto_Open` (2.5.105 built-in names), which runs a macro sheet on opening. A plain
//!   name starting `Auto_Open` works the same and is a known evasion.

/// One sheet declared in the globals substream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    /// 0 visible, 1 hidden, 2 very hidden.
    pub state: u8,
    /// 0 worksheet, 1 macro sheet, 2 chart, 6 VBA module.
    pub dt: u8,
}

#[derive(Debug, Default)]
pub struct Globals {
    pub sheets: Vec<Sheet>,
    pub filepass: bool,
    /// A defined name `Auto_Open` (built-in or spelled out) exists.
    pub auto_open: bool,
    pub error: Option<String>,
}

const MAX_SHEETS: usize = 10_000;

pub fn state_name(state: u8) -> &'static str {
    match state & 3 {
        0 => "visible",
        1 => "hidden",
        2 => "very hidden",
        _ => "unknown state",
    }
}

/// Scan the globals substream of a `Workbook` (BIFF8) or `Book` (BIFF5) stream.
pub fn scan_globals(stream: &[u8]) -> Globals {
    let mut g = Globals::default();
    let mut pos = 0usize;
    let mut biff5 = false;
    let mut code_page: u16 = 1252;
    let mut first = true;
    while pos < stream.len() {
        let (Some(rt), Some(len)) = (u16_at(stream, pos), u16_at(stream, pos.saturating_add(2)))
        else {
            g.error = Some(format!("truncated record header at offset {pos}"));
            break;
        };
        let start = pos.saturating_add(4);
        let Some(body) = stream.get(start..start.saturating_add(len as usize)) else {
            g.error = Some(format!(
                "record 0x{rt:04X} at offset {pos} runs past the end of the stream"
            ));
            break;
        };
        pos = start.saturating_add(len as usize);
        if first {
            first = false;
            if rt != 0x0809 {
                g.error = Some(format!(
                    "stream does not start with a BOF record (0x{rt:04X})"
                ));
                break;
            }
            biff5 = u16_at(body, 0) == Some(0x0500);
            continue;
        }
        match rt {
            0x000A => break,
            0x002F => {
                g.filepass = true;
                break;
            }
            0x0042 => code_page = u16_at(body, 0).unwrap_or(1252),
            0x0018 if !biff5 => {
                let flags = u16_at(body, 0).unwrap_or(0);
                let cch = body.get(3).copied().unwrap_or(0) as usize;
                let high = body.get(14).copied().unwrap_or(0) & 1 == 1;
                let chars = body.get(15..).unwrap_or(&[]);
                let name: String = if high {
                    let units: Vec<u16> = chars
                        .chunks_exact(2)
                        .take(cch)
                        .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)))
                        .collect();
                    String::from_utf16_lossy(&units)
                } else {
                    chars.iter().take(cch).map(|&c| c as char).collect()
                };
                let builtin_auto_open = flags & 0x0020 != 0 && name.starts_with('\u{1}');
                let spelled = name
                    .get(..9)
                    .is_some_and(|p| p.eq_ignore_ascii_case("Auto_Open"));
                g.auto_open |= builtin_auto_open || spelled;
            }
            0x0085 => {
                let state = body.get(4).copied().unwrap_or(0) & 3;
                let dt = body.get(5).copied().unwrap_or(0);
                let cch = body.get(6).copied().unwrap_or(0) as usize;
                let name = if biff5 {
                    let b = body.get(7..).unwrap_or(&[]);
                    super::vba::decode_cp(code_page, b.get(..cch.min(b.len())).unwrap_or(&[]))
                } else {
                    let high = body.get(7).copied().unwrap_or(0) & 1 == 1;
                    let b = body.get(8..).unwrap_or(&[]);
                    if high {
                        let units: Vec<u16> = b
                            .chunks_exact(2)
                            .take(cch)
                            .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)))
                            .collect();
                        String::from_utf16_lossy(&units)
                    } else {
                        b.iter().take(cch).map(|&c| c as char).collect()
                    }
                };
                if g.sheets.len() < MAX_SHEETS {
                    g.sheets.push(Sheet { name, state, dt });
                }
            }
            _ => {}
        }
    }
    g
}

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    crate::bytes::u16_le(b, off)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(rt: u16, data: &[u8]) -> Vec<u8> {
        let mut v = rt.to_le_bytes().to_vec();
        v.extend_from_slice(&(data.len() as u16).to_le_bytes());
        v.extend_from_slice(data);
        v
    }

    fn bof() -> Vec<u8> {
        rec(
            0x0809,
            &[0x00, 0x06, 0x05, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        )
    }

    fn boundsheet(name: &str, state: u8, dt: u8) -> Vec<u8> {
        let mut d = vec![0, 0, 0, 0, state, dt, name.len() as u8, 0];
        d.extend_from_slice(name.as_bytes());
        rec(0x0085, &d)
    }

    #[test]
    fn finds_macro_sheet_and_state() {
        let mut s = bof();
        s.extend(boundsheet("Sheet1", 0, 0));
        s.extend(boundsheet("Macro1", 2, 1));
        s.extend(rec(0x000A, &[]));
        s.extend(boundsheet("After", 0, 1));
        let g = scan_globals(&s);
        assert!(g.error.is_none());
        assert!(!g.filepass);
        assert_eq!(g.sheets.len(), 2);
        assert_eq!(
            g.sheets[1],
            Sheet {
                name: "Macro1".into(),
                state: 2,
                dt: 1
            }
        );
        assert_eq!(state_name(g.sheets[1].state), "very hidden");
    }

    #[test]
    fn builtin_auto_open_name() {
        let mut s = bof();
        // Lbl: fBuiltin, cch 1, name char 0x01 (Auto_Open), then a formula.
        let mut lbl = vec![
            0x20, 0x00, 0x00, 0x01, 0x0B, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01,
        ];
        lbl.extend_from_slice(&[0x3A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        s.extend(rec(0x0018, &lbl));
        s.extend(rec(0x000A, &[]));
        assert!(scan_globals(&s).auto_open);
        let mut s = bof();
        let mut lbl = vec![
            0x00, 0x00, 0x00, 0x0B, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
        ];
        lbl.extend_from_slice(b"auto_open77");
        s.extend(rec(0x0018, &lbl));
        assert!(scan_globals(&s).auto_open);
        assert!(!scan_globals(&bof()).auto_open);
    }

    #[test]
    fn filepass_stops_and_truncation_is_an_error() {
        let mut s = bof();
        s.extend(rec(0x002F, &[1, 0, 1, 0]));
        s.extend(boundsheet("Macro1", 0, 1));
        let g = scan_globals(&s);
        assert!(g.filepass);
        assert!(g.sheets.is_empty());
        let mut s = bof();
        s.extend_from_slice(&[0x85, 0x00, 0xFF, 0x00, 1]);
        assert!(scan_globals(&s).error.is_some());
        assert!(scan_globals(&[1, 2, 3, 4]).error.is_some());
    }
}
