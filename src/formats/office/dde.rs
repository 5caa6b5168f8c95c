//! DDE (Dynamic Data Exchange) commands in documents: parsing only; the checks are in
//! [`super`].
//!
//! - Word binary ([MS-DOC]): the document text is read through the piece table. 2.5.1 Fib:
//!   FibBase (32 bytes; wIdent 0xA5EC, flags at 0x0A with fWhichTblStm 0x0200 and fEncrypted
//!   0x0100), `csw` + FibRgW97, `cslw` + FibRgLw97, `cbRgFcLcb` + FibRgFcLcb97 whose 34th pair
//!   (index 33) is fcClx/lcbClx (2.5.6). 2.9.38 Clx: Prc entries (clxt 0x01, cbGrpprl u16) then
//!   Pcdt (clxt 0x02, lcb u32, PlcPcd). 2.9.177 PlcPcd: n+1 CPs (u32) and n Pcd (8 bytes).
//!   2.9.178 Pcd / 2.9.73 FcCompressed: fc (30 bits) + fCompressed (bit 30): compressed text is
//!   one byte per character at fc/2, otherwise UTF-16LE at fc. 2.8.25 fields: field begin
//!   0x13, separator 0x14, end 0x15; the instruction is between begin and separator/end.
//! - WordprocessingML (ECMA-376 Part 1, 17.16 fields): `w:fldChar w:fldCharType="begin"`,
//!   `w:instrText` (one instruction can be split over many runs), `separate`, `end`; and
//!   `w:fldSimple w:instr="..."`. Word 2003 XML and flat OPC (`pkg:package`) use the same
//!   elements. 17.16.5.15 DDE / 17.16.5.16 DDEAUTO: `DDEAUTO app topic [item]`.
//! - SpreadsheetML (ECMA-376 Part 1, 18.14.4 ddeLink): `<ddeLink ddeService ddeTopic>` in
//!   `xl/externalLinks/*.xml`. Excel 2003 XML: `<SupBook><Path>service|topic</Path>`.
//! - CSV and formula cells: a cell starting `=`, `+`, `-` or `@` that calls `service|topic!item`
//!   (`=cmd|'/c calc.exe'!A0`) or `DDE(`/`DDEAUTO(`.

use super::xml;

/// Characters of one field instruction kept.
const MAX_INSTR: usize = 2000;
/// Characters of Word document text read through the piece table.
const MAX_TEXT_CHARS: usize = 32 << 20;
/// Pieces of a piece table looked at.
const MAX_PIECES: usize = 100_000;
/// Field instructions kept per document.
const MAX_FIELDS: usize = 10_000;

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    crate::bytes::u16_le(b, off)
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    crate::bytes::u32_le(b, off)
}

/// What the FIB says about a Word binary document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fib {
    /// The table stream is `1Table` (else `0Table`).
    pub table1: bool,
    pub encrypted: bool,
    pub fc_clx: u32,
    pub lcb_clx: u32,
}

/// Parse the FIB at the start of the `WordDocument` stream.
pub fn parse_fib(word: &[u8]) -> Result<Fib, String> {
    if u16_at(word, 0) != Some(0xA5EC) {
        return Err("WordDocument stream does not start with a FIB (wIdent)".into());
    }
    let flags = u16_at(word, 0x0A).ok_or("FIB truncated")?;
    let csw = u16_at(word, 32).ok_or("FIB truncated")? as usize;
    let lw_at = 34usize.saturating_add(csw.saturating_mul(2));
    let cslw = u16_at(word, lw_at).ok_or("FIB truncated")? as usize;
    let fc_at = lw_at
        .saturating_add(2)
        .saturating_add(cslw.saturating_mul(4));
    let cb = u16_at(word, fc_at).ok_or("FIB truncated")? as usize;
    let table1 = flags & 0x0200 != 0;
    let encrypted = flags & 0x0100 != 0;
    if cb <= 33 {
        // No fcClx: no piece table, so no text Word could show or run (lcb_clx 0).
        return Ok(Fib {
            table1,
            encrypted,
            fc_clx: 0,
            lcb_clx: 0,
        });
    }
    let clx = fc_at.saturating_add(2).saturating_add(33 * 8);
    Ok(Fib {
        table1,
        encrypted,
        fc_clx: u32_at(word, clx).ok_or("FIB truncated before fcClx")?,
        lcb_clx: u32_at(word, clx.saturating_add(4)).ok_or("FIB truncated before lcbClx")?,
    })
}

/// The document text of a Word binary document, through the piece table in the table stream.
pub fn doc_text(word: &[u8], fib: &Fib, table: &[u8]) -> Result<String, String> {
    let start = fib.fc_clx as usize;
    let clx = start
        .checked_add(fib.lcb_clx as usize)
        .and_then(|end| table.get(start..end))
        .ok_or("Clx lies outside the table stream")?;
    // Skip the Prc entries.
    let mut p = 0usize;
    let mut guard = 0usize;
    while clx.get(p) == Some(&0x01) {
        let cb = u16_at(clx, p.saturating_add(1)).ok_or("Clx truncated")? as usize;
        p = p.saturating_add(3).saturating_add(cb);
        guard = guard.saturating_add(1);
        if guard > 100_000 {
            return Err("Clx has too many Prc entries".into());
        }
    }
    if clx.get(p) != Some(&0x02) {
        return Err("Clx has no piece table (Pcdt)".into());
    }
    let lcb = u32_at(clx, p.saturating_add(1)).ok_or("Pcdt truncated")? as usize;
    let plc = clx
        .get(p.saturating_add(5)..p.saturating_add(5).saturating_add(lcb).min(clx.len()))
        .ok_or("Pcdt truncated")?;
    if plc.len() < 4 {
        return Err("empty piece table".into());
    }
    let n = (plc.len().saturating_sub(4) / 12).min(MAX_PIECES);
    let mut text = String::new();
    let mut chars = 0usize;
    for i in 0..n {
        let (Some(cp0), Some(cp1)) = (
            u32_at(plc, i.saturating_mul(4)),
            u32_at(plc, i.saturating_add(1).saturating_mul(4)),
        ) else {
            break;
        };
        let count = cp1.saturating_sub(cp0) as usize;
        let pcd = n
            .saturating_add(1)
            .saturating_mul(4)
            .saturating_add(i.saturating_mul(8));
        let Some(fc) = u32_at(plc, pcd.saturating_add(2)) else {
            break;
        };
        let compressed = fc & 0x4000_0000 != 0;
        let count = count.min(MAX_TEXT_CHARS.saturating_sub(chars));
        if compressed {
            let off = ((fc & 0x3FFF_FFFF) / 2) as usize;
            let Some(b) = word.get(off..off.saturating_add(count).min(word.len())) else {
                continue;
            };
            text.push_str(&encoding_rs::WINDOWS_1252.decode(b).0);
            chars = chars.saturating_add(b.len());
        } else {
            let off = (fc & 0x3FFF_FFFF) as usize;
            let Some(b) =
                word.get(off..off.saturating_add(count.saturating_mul(2)).min(word.len()))
            else {
                continue;
            };
            let units: Vec<u16> = b
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)))
                .collect();
            chars = chars.saturating_add(units.len());
            text.push_str(&String::from_utf16_lossy(&units));
        }
        if chars >= MAX_TEXT_CHARS {
            break;
        }
    }
    Ok(text)
}

/// Collects field instructions from begin / instruction text / separate / end events, with
/// nesting.
#[derive(Default)]
struct Fields {
    stack: Vec<(String, bool)>,
    out: Vec<String>,
}

impl Fields {
    fn begin(&mut self) {
        if self.stack.len() < 64 {
            self.stack.push((String::new(), true));
        }
    }
    fn text(&mut self, s: &str) {
        if let Some((buf, true)) = self.stack.last_mut() {
            for c in s.chars() {
                if buf.len() >= MAX_INSTR {
                    break;
                }
                buf.push(c);
            }
        }
    }
    fn emit(&mut self, instr: String) {
        if self.out.len() < MAX_FIELDS && !instr.trim().is_empty() {
            self.out.push(instr);
        }
    }
    fn separate(&mut self) {
        if let Some((buf, collecting)) = self.stack.last_mut() {
            if *collecting {
                *collecting = false;
                let s = std::mem::take(buf);
                self.emit(s);
            }
        }
    }
    fn end(&mut self) {
        self.separate();
        self.stack.pop();
    }
    fn finish(mut self) -> Vec<String> {
        while !self.stack.is_empty() {
            self.end();
        }
        self.out
    }
}

/// Field instructions in Word document text (0x13 begin, 0x14 separator, 0x15 end).
pub fn text_fields(text: &str) -> Vec<String> {
    let mut f = Fields::default();
    let mut run = String::new();
    for c in text.chars() {
        match c {
            '\u{13}' | '\u{14}' | '\u{15}' => {
                f.text(&run);
                run.clear();
                match c {
                    '\u{13}' => f.begin(),
                    '\u{14}' => f.separate(),
                    _ => f.end(),
                }
            }
            c => {
                if run.len() < MAX_INSTR {
                    run.push(c);
                } else if !f.stack.is_empty() {
                    f.text(&run);
                    run.clear();
                }
            }
        }
    }
    f.text(&run);
    f.finish()
}

/// Field instructions of WordprocessingML text (a `document.xml` part, Word 2003 XML, flat OPC):
/// `fldChar` begin/separate/end with `instrText` runs between, and `fldSimple instr`.
pub fn xml_fields(xml_text: &str) -> Vec<String> {
    let mut f = Fields::default();
    let mut simple = Vec::new();
    let mut rest = xml_text;
    while let Some(lt) = rest.find('<') {
        rest = rest.get(lt.saturating_add(1)..).unwrap_or_default();
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = rest.get(..end).unwrap_or_default();
        let local = name.rsplit(':').next().unwrap_or(name);
        match local {
            "fldChar" => {
                let attrs = xml::elements(&format!("<{}", tag_text(rest)), local);
                let ty = attrs
                    .first()
                    .and_then(|a| xml::attr(a, "fldCharType"))
                    .unwrap_or("");
                match ty {
                    "begin" => f.begin(),
                    "separate" => f.separate(),
                    "end" => f.end(),
                    _ => {}
                }
            }
            "instrText" => {
                let tag = tag_text(rest);
                if !tag.ends_with('/') {
                    let body = rest.get(tag.len().min(rest.len())..).unwrap_or_default();
                    let body = body.strip_prefix('>').unwrap_or(body);
                    let close = body.find('<').unwrap_or(body.len());
                    f.text(&xml::unescape(body.get(..close).unwrap_or_default()));
                }
            }
            "fldSimple" => {
                let attrs = xml::elements(&format!("<{}", tag_text(rest)), local);
                if let Some(i) = attrs.first().and_then(|a| xml::attr(a, "instr")) {
                    if simple.len() < MAX_FIELDS {
                        simple.push(i.chars().take(MAX_INSTR).collect::<String>());
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = f.finish();
    out.extend(simple);
    out
}

/// The start tag from its name to its `>` (exclusive).
fn tag_text(s: &str) -> &str {
    s.get(..s.find('>').unwrap_or(s.len())).unwrap_or_default()
}

/// Is this field instruction a DDE command? Returns the instruction as evidence.
pub fn is_dde_instruction(instr: &str) -> bool {
    let t = instr.trim_start().trim_start_matches('\\');
    let word: String = t.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    word.eq_ignore_ascii_case("DDE") || word.eq_ignore_ascii_case("DDEAUTO")
}

/// `ddeService ddeTopic` of every `ddeLink` in a SpreadsheetML external link part.
pub fn dde_links(xml_text: &str) -> Vec<String> {
    xml::elements(xml_text, "ddeLink")
        .iter()
        .map(|a| {
            let s = xml::attr(a, "ddeService").unwrap_or("");
            let t = xml::attr(a, "ddeTopic").unwrap_or("");
            format!("{s} {t}").trim().to_string()
        })
        .collect()
}

/// Excel 2003 XML (`<?mso-application progid="Excel.Sheet"?>`): `<SupBook><Path>` values that
/// name a DDE server (`service|topic`), and `ss:Formula` attributes that call one.
pub fn spreadsheet2003_dde(xml_text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml_text;
    while let Some(i) = rest.find("<Path>").or_else(|| rest.find(":Path>")) {
        let body = rest.get(i..).unwrap_or_default();
        let Some(gt) = body.find('>') else { break };
        let body = body.get(gt.saturating_add(1)..).unwrap_or_default();
        let end = body.find('<').unwrap_or(body.len());
        let v = xml::unescape(body.get(..end).unwrap_or_default());
        if v.contains('|') {
            out.push(v.chars().take(MAX_INSTR).collect());
        }
        rest = body.get(end..).unwrap_or_default();
        if out.len() >= MAX_FIELDS {
            break;
        }
    }
    for a in xml::elements(xml_text, "Cell") {
        if let Some(f) = xml::attr(&a, "Formula") {
            if formula_is_dde(f) {
                out.push(f.chars().take(MAX_INSTR).collect());
            }
        }
    }
    out
}

/// A formula (or CSV cell) that calls a DDE server: `=cmd|'/c calc'!A0`, `@SUM(cmd|...)`,
/// `=DDE("cmd";"/c calc";"x")`.
pub fn formula_is_dde(cell: &str) -> bool {
    let t = cell.trim_start_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
    if !t.starts_with(['=', '+', '-', '@']) {
        return false;
    }
    let up = t.to_ascii_uppercase();
    if up.contains("DDE(") || up.contains("DDEAUTO(") {
        return true;
    }
    match t.find('|') {
        Some(bar) => {
            // The service name right before the bar is a word; the item follows a `!`.
            let before = t.get(..bar).unwrap_or_default().trim_end();
            let svc_ok = before
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '\'' || c == '"');
            svc_ok && t.get(bar..).unwrap_or_default().contains('!')
        }
        None => false,
    }
}

/// Cells of a CSV text (comma, semicolon or tab separated; quotes respected) that call a DDE
/// server.
pub fn csv_dde(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines().take(1_000_000) {
        let mut cell = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        let mut cells = Vec::new();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    cell.push('"');
                    chars.next();
                }
                '"' => quoted = !quoted,
                ',' | ';' | '\t' if !quoted => cells.push(std::mem::take(&mut cell)),
                c => {
                    if cell.len() < MAX_INSTR {
                        cell.push(c);
                    }
                }
            }
        }
        cells.push(cell);
        for c in cells {
            if formula_is_dde(&c) && out.len() < MAX_FIELDS {
                out.push(c);
            }
        }
        // A cell may also hold the whole line when the separators are unusual.
        if out.is_empty() && formula_is_dde(line) {
            out.push(line.chars().take(MAX_INSTR).collect());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_text_fields() {
        let t = "Hello \u{13} DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc.exe\" \u{14}result\u{15} end \u{13}PAGE\u{15}";
        let f = text_fields(t);
        assert_eq!(f.len(), 2);
        assert!(is_dde_instruction(&f[0]));
        assert!(f[0].contains("cmd.exe"));
        assert!(!is_dde_instruction(&f[1]));
        // Nested and unterminated: no panic.
        let f = text_fields(
            "\u{13}IF \u{13}DDE a b\u{15} x\u{13}\u{13}\u{14}\u{15}\u{15}\u{15}\u{15}\u{13}DDE z",
        );
        assert!(f.iter().any(|s| s.trim() == "DDE a b"));
    }

    #[test]
    fn xml_fields_split_over_runs() {
        let x = r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DDE</w:instrText></w:r><w:r><w:instrText>AUTO c:\\windows\\system32\\cmd.exe "/k calc.exe"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:fldSimple w:instr=" DDE cmd &quot;/c x&quot;"/></w:p>"#;
        let f = xml_fields(x);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f[0].contains("DDEAUTO c:"), "{f:?}");
        assert!(is_dde_instruction(&f[0]) && is_dde_instruction(&f[1]));
        assert_eq!(f[1], " DDE cmd \"/c x\"");
        assert!(xml_fields("<w:instrText").is_empty());
    }

    #[test]
    fn formulas_and_csv() {
        assert!(formula_is_dde(
            "=cmd|'/k \\..\\..\\..\\Windows\\System32\\calc.exe'!A0"
        ));
        assert!(formula_is_dde("@SUM(cmd|'/c calc'!A0)"));
        assert!(formula_is_dde("=DDE(\"cmd\";\"/c calc\";\"x\")"));
        assert!(!formula_is_dde("=A1|B1"));
        assert!(!formula_is_dde("a|b!c"));
        assert!(!formula_is_dde("=SUM(A1:A3)"));
        let c = csv_dde("name,value\n\"x, y\",=cmd|' /C calc'!A0\n");
        assert_eq!(c, vec!["=cmd|' /C calc'!A0".to_string()]);
        assert!(csv_dde("a,b\n1,2\n-3,=1+2\n").is_empty());
        let x = r#"<ExcelWorkbook><SupBook><Path>cmd|/c calc.exe</Path></SupBook><SupBook><Path>C:\x\book.xls</Path></SupBook></ExcelWorkbook><Cell ss:Formula="=cmd|'/c calc'!A0"/>"#;
        assert_eq!(
            spreadsheet2003_dde(x),
            vec![
                "cmd|/c calc.exe".to_string(),
                "=cmd|'/c calc'!A0".to_string()
            ]
        );
        assert_eq!(
            dde_links(r#"<ddeLink ddeService="cmd" ddeTopic="/c calc.exe"><ddeItems/></ddeLink>"#),
            vec!["cmd /c calc.exe".to_string()]
        );
    }

    #[test]
    fn piece_table() {
        // FIB: csw 14, cslw 22, cbRgFcLcb 93, fcClx at index 33.
        let mut w = vec![0u8; 1024];
        w[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
        w[0x0A..0x0C].copy_from_slice(&0x0200u16.to_le_bytes());
        w[32..34].copy_from_slice(&14u16.to_le_bytes());
        w[62..64].copy_from_slice(&22u16.to_le_bytes());
        w[152..154].copy_from_slice(&93u16.to_le_bytes());
        let text = b"\x13DDEAUTO cmd \"/c calc\"\x14x\x15";
        w[0x300..0x300 + text.len()].copy_from_slice(text);
        let wide: Vec<u8> = "\u{13}DDE 시스템\u{15}"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        w[0x380..0x380 + wide.len()].copy_from_slice(&wide);
        let mut table = vec![0u8; 16];
        table.extend_from_slice(&[0x01, 2, 0, 9, 9]);
        let n_wide = wide.len() as u32 / 2;
        let mut plc = Vec::new();
        for cp in [0u32, text.len() as u32, text.len() as u32 + n_wide] {
            plc.extend_from_slice(&cp.to_le_bytes());
        }
        for fc in [(0x300u32 * 2) | 0x4000_0000, 0x380] {
            plc.extend_from_slice(&[0, 0]);
            plc.extend_from_slice(&fc.to_le_bytes());
            plc.extend_from_slice(&[0, 0]);
        }
        table.push(0x02);
        table.extend_from_slice(&(plc.len() as u32).to_le_bytes());
        table.extend_from_slice(&plc);
        let lcb = table.len() as u32 - 16;
        let clx_at = 154 + 33 * 8;
        w[clx_at..clx_at + 4].copy_from_slice(&16u32.to_le_bytes());
        w[clx_at + 4..clx_at + 8].copy_from_slice(&lcb.to_le_bytes());
        let fib = parse_fib(&w).unwrap();
        assert!(fib.table1 && !fib.encrypted);
        let t = doc_text(&w, &fib, &table).unwrap();
        let f = text_fields(&t);
        assert_eq!(
            f,
            vec![
                "DDEAUTO cmd \"/c calc\"".to_string(),
                "DDE 시스템".to_string()
            ]
        );
        for n in 0..table.len() {
            let _ = doc_text(&w, &fib, &table[..n]);
        }
        assert!(parse_fib(&w[..100]).is_err());
    }
}
