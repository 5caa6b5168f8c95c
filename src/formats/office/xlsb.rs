//! Excel binary workbooks in OOXML packages (`.xlsb`, [MS-XLSB]): parsing only.
//!
//! - 2.1.4 Record: record type as 1–2 bytes and record size as 1–4 bytes, each a little-endian
//!   base-128 number (7 bits per byte, high bit = more bytes follow).
//! - 2.4.720 BrtBundleSh (156) in `xl/workbook.bin`: hsState (u32, 2 bits: 0 visible, 1 hidden,
//!   2 very hidden), iTabID (u32), strRelID (XLNullableWideString: u32 count, 0xFFFFFFFF =
//!   null, UTF-16LE), strName (XLWideString).
//! - 2.4.159 BrtName (39): flags (u32), chKey (u8), itab (u32), name (XLNameWideString); a
//!   name `Auto_Open` runs a macro sheet when the workbook opens.
//! - 2.4.29 BrtBeginSupBook (360) in `xl/externalLinks/*.bin`: sbt (u16: 0 workbook, 1 DDE,
//!   2 OLE), then for DDE the service and topic as XLWideStrings.

/// Records looked at in one part.
const MAX_RECORDS: usize = 1_000_000;

/// One record: type and body.
pub fn records(b: &[u8]) -> impl Iterator<Item = (u32, &[u8])> + '_ {
    let mut pos = 0usize;
    let mut n = 0usize;
    std::iter::from_fn(move || {
        if n >= MAX_RECORDS {
            return None;
        }
        n = n.saturating_add(1);
        let mut ty = 0u32;
        for shift in [0u32, 7] {
            let c = *b.get(pos)?;
            pos = pos.saturating_add(1);
            ty |= ((c & 0x7F) as u32) << shift;
            if c & 0x80 == 0 {
                break;
            }
        }
        let mut size = 0u32;
        for shift in [0u32, 7, 14, 21] {
            let c = *b.get(pos)?;
            pos = pos.saturating_add(1);
            size |= ((c & 0x7F) as u32) << shift;
            if c & 0x80 == 0 {
                break;
            }
        }
        let end = pos.checked_add(size as usize)?;
        let body = b.get(pos..end)?;
        pos = end;
        Some((ty, body))
    })
}

/// An XLWideString at `off`; the string and the offset after it.
fn wide(b: &[u8], off: usize) -> Option<(String, usize)> {
    let n = u32::from_le_bytes(b.get(off..off.checked_add(4)?)?.try_into().ok()?);
    if n == 0xFFFF_FFFF {
        return Some((String::new(), off.saturating_add(4)));
    }
    let n = (n as usize).min(32_767);
    let start = off.saturating_add(4);
    let end = start.checked_add(n.saturating_mul(2))?;
    let units: Vec<u16> = b
        .get(start..end)?
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)))
        .collect();
    Some((String::from_utf16_lossy(&units), end))
}

/// A sheet of `xl/workbook.bin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    pub rel_id: String,
    /// 0 visible, 1 hidden, 2 very hidden.
    pub state: u8,
}

/// Sheets and whether `Auto_Open` is defined, from `xl/workbook.bin`.
pub fn workbook(b: &[u8]) -> (Vec<Sheet>, bool) {
    let mut sheets = Vec::new();
    let mut auto_open = false;
    for (ty, body) in records(b) {
        match ty {
            156 => {
                let state = body.first().copied().unwrap_or(0) & 3;
                let Some((rel_id, p)) = wide(body, 8) else {
                    continue;
                };
                let name = wide(body, p).map(|(s, _)| s).unwrap_or_default();
                if sheets.len() < 10_000 {
                    sheets.push(Sheet {
                        name,
                        rel_id,
                        state,
                    });
                }
            }
            39 => {
                if let Some((name, _)) = wide(body, 9) {
                    auto_open |= name
                        .get(..9)
                        .is_some_and(|p| p.eq_ignore_ascii_case("Auto_Open"))
                        || name
                            .strip_prefix("_xlnm.")
                            .and_then(|n| n.get(..9))
                            .is_some_and(|p| p.eq_ignore_ascii_case("Auto_Open"));
                }
            }
            _ => {}
        }
    }
    (sheets, auto_open)
}

/// `service topic` of every DDE supporting link (BrtBeginSupBook sbt=1) in an external link part.
pub fn dde_links(b: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for (ty, body) in records(b) {
        if ty != 360 || body.get(..2) != Some(&[1, 0]) {
            continue;
        }
        let Some((svc, p)) = wide(body, 2) else {
            continue;
        };
        let topic = wide(body, p).map(|(s, _)| s).unwrap_or_default();
        out.push(format!("{svc} {topic}").trim().to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(ty: u32, body: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        let mut t = ty;
        loop {
            let c = (t & 0x7F) as u8;
            t >>= 7;
            if t == 0 {
                v.push(c);
                break;
            }
            v.push(c | 0x80);
        }
        let mut s = body.len();
        loop {
            let c = (s & 0x7F) as u8;
            s >>= 7;
            if s == 0 {
                v.push(c);
                break;
            }
            v.push(c | 0x80);
        }
        v.extend_from_slice(body);
        v
    }

    fn ws(s: &str) -> Vec<u8> {
        let u: Vec<u16> = s.encode_utf16().collect();
        let mut v = (u.len() as u32).to_le_bytes().to_vec();
        v.extend(u.iter().flat_map(|x| x.to_le_bytes()));
        v
    }

    #[test]
    fn workbook_sheets_names_and_dde() {
        let mut sh = vec![2, 0, 0, 0, 1, 0, 0, 0];
        sh.extend(ws("rId1"));
        sh.extend(ws("Macro1"));
        let mut name = vec![0x20, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF];
        name.extend(ws("Auto_Open"));
        let mut b = rec(131, &[]);
        b.extend(rec(156, &sh));
        b.extend(rec(39, &name));
        let (s, auto) = workbook(&b);
        assert!(auto);
        assert_eq!(
            s,
            vec![Sheet {
                name: "Macro1".into(),
                rel_id: "rId1".into(),
                state: 2
            }]
        );
        let mut sb = vec![1, 0];
        sb.extend(ws("cmd"));
        sb.extend(ws("/c calc.exe"));
        let l = rec(360, &sb);
        assert_eq!(dde_links(&l), vec!["cmd /c calc.exe".to_string()]);
        for n in 0..b.len() {
            let _ = workbook(&b[..n]);
        }
    }
}
