//! Excel 4.0 (XLM) macro formulas: parsing only; the checks are in [`super`].
//!
//! BIFF8 macro sheets ([MS-XLS]):
//! - 2.4.21 BOF: `dt` (u16 at offset 2) 0x0040 starts a macro sheet substream; the substream
//!   ends at its EOF (0x000A). 2.4.117 FilePass stops the walk (the rest is encrypted).
//! - 2.4.127 Formula (0x0006): cell (6 bytes), FormulaValue (8), flags (2), chn (4), then
//!   CellParsedFormula (2.5.198.3): `cce` (u16) and `rgce` (cce bytes of Ptg tokens).
//! - 2.5.198.25 Ptg: each token's size follows from its type; the walk stops at a token it
//!   cannot size. 2.5.198.63 PtgFunc (0x21/0x41/0x61, iftab u16) and 2.5.198.64 PtgFuncVar
//!   (0x22/0x42/0x62, cparams u8, tab u16 with fCeFunc in bit 15: a command-equivalent Cetab
//!   index instead of an Ftab index). 2.5.198.80 PtgStr (0x17: ShortXLUnicodeString).
//! - 2.5.198.17 Ftab / 2.5.198.? Cetab: only the indices that matter for macro analysis are
//!   named here; the rest are reported as `function #n`.
//!
//! `.xlsb` macro sheets ([MS-XLSB]): the same tokens in 2.5.97 Formulas, with 4-byte rows in
//! references and PtgStr as a 2-byte count of UTF-16 characters; cell formulas in the records
//! listed at [`xlsb_macro_formulas`].
//!
//! SYLK (`ID;P` text spreadsheets, Multiplan/Excel "Symbolic Link" format): one record per
//! line, fields separated by `;` (`;;` is a literal semicolon), each field starting with a
//! letter. `C` records are cells (`E` = formula, `K` = value), `NN` records define names
//! (`N` = name, `E` = what it refers to).

use std::collections::BTreeMap;

/// Function names of [MS-XLS] 2.5.198.17 Ftab that matter for XLM analysis.
fn ftab(i: u16) -> Option<&'static str> {
    Some(match i {
        1 => "IF",
        53 => "GOTO",
        54 => "HALT",
        55 => "RETURN",
        88 => "SET.NAME",
        108 => "SET.VALUE",
        110 => "EXEC",
        111 => "CHAR",
        132 => "FOPEN",
        133 => "FCLOSE",
        136 => "FREAD",
        137 => "FWRITELN",
        138 => "FWRITE",
        148 => "INDIRECT",
        149 => "REGISTER",
        150 => "CALL",
        171 => "FOR",
        172 => "WHILE",
        174 => "NEXT",
        175 => "INITIATE",
        176 => "REQUEST",
        177 => "POKE",
        178 => "EXECUTE",
        179 => "TERMINATE",
        185 => "GET.CELL",
        186 => "GET.WORKSPACE",
        187 => "GET.WINDOW",
        188 => "GET.DOCUMENT",
        255 => "(user-defined function)",
        _ => return None,
    })
}

/// Command equivalents ([MS-XLS] Cetab) named here.
fn cetab(i: u16) -> Option<&'static str> {
    Some(match i {
        118 => "ALERT",
        _ => return None,
    })
}

/// Functions that run programs or native code.
pub const EXEC_FUNCTIONS: &[&str] = &["EXEC", "CALL", "REGISTER", "EXECUTE"];

/// Functions only macro sheets use (a SYLK formula calling one is an XLM macro).
const MACRO_ONLY: &[&str] = &[
    "EXEC",
    "CALL",
    "REGISTER",
    "HALT",
    "RETURN",
    "GOTO",
    "RUN",
    "ALERT",
    "FOPEN",
    "FWRITE",
    "FWRITELN",
    "FREAD",
    "FCLOSE",
    "FORMULA",
    "FORMULA.FILL",
    "FORMULA.ARRAY",
    "SET.VALUE",
    "SET.NAME",
    "GET.WORKSPACE",
    "GET.CELL",
    "GET.WINDOW",
    "GET.DOCUMENT",
    "EXECUTE",
    "INITIATE",
    "POKE",
    "REQUEST",
    "TERMINATE",
    "URLDOWNLOADTOFILEA",
    "URLDOWNLOADTOFILE",
    "SHELLEXECUTEA",
    "WINEXEC",
    "UNREGISTER",
    "ON.TIME",
    "FILE.DELETE",
    "SAVE.AS",
    "CLOSE",
];

/// What the formulas of the macro sheets call.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Formulas {
    /// Formula cells read.
    pub cells: usize,
    /// Function name → calls.
    pub functions: BTreeMap<String, usize>,
    /// String constants (first ones, clipped).
    pub strings: Vec<String>,
    /// A token could not be sized in this many formulas (the rest of each was skipped).
    pub unparsed: usize,
}

impl Formulas {
    fn call(&mut self, name: String) {
        if self.functions.len() < 200 || self.functions.contains_key(&name) {
            let n = self.functions.entry(name).or_insert(0);
            *n = n.saturating_add(1);
        }
    }
    fn string(&mut self, s: String) {
        if self.strings.len() < 20 && !s.trim().is_empty() && !self.strings.contains(&s) {
            self.strings.push(s.chars().take(120).collect());
        }
    }
    /// Does any formula call EXEC, CALL, REGISTER or EXECUTE?
    pub fn executes(&self) -> bool {
        self.functions
            .keys()
            .any(|f| EXEC_FUNCTIONS.contains(&f.as_str()))
    }
    /// `EXEC ×2, HALT` for the evidence.
    pub fn summary(&self) -> String {
        self.functions
            .iter()
            .map(|(n, c)| {
                if *c > 1 {
                    format!("{n} ×{c}")
                } else {
                    n.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    crate::bytes::u16_le(b, off)
}

/// Walk the Ptg tokens of one BIFF8 formula.
pub fn scan_rgce(rgce: &[u8], f: &mut Formulas) {
    scan_tokens(rgce, f, false);
}

/// Walk the Ptg tokens of one formula; `xlsb` for the [MS-XLSB] 2.5.97 sizes (4-byte rows,
/// UTF-16 strings with a 2-byte count).
fn scan_tokens(rgce: &[u8], f: &mut Formulas, xlsb: bool) {
    let mut p = 0usize;
    while let Some(&ptg) = rgce.get(p) {
        p = p.saturating_add(1);
        let size = match ptg {
            0x01 | 0x02 => 4,
            0x03..=0x16 => 0,
            0x17 => {
                let (cch, high) = if xlsb {
                    (u16_at(rgce, p).unwrap_or(0) as usize, true)
                } else {
                    (
                        rgce.get(p).copied().unwrap_or(0) as usize,
                        rgce.get(p.saturating_add(1)).copied().unwrap_or(0) & 1 == 1,
                    )
                };
                let start = p.saturating_add(2);
                let s = if high {
                    let units: Vec<u16> = rgce
                        .get(start..start.saturating_add(cch.saturating_mul(2)).min(rgce.len()))
                        .unwrap_or(&[])
                        .chunks_exact(2)
                        .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)))
                        .collect();
                    String::from_utf16_lossy(&units)
                } else {
                    let b = rgce
                        .get(start..start.saturating_add(cch).min(rgce.len()))
                        .unwrap_or(&[]);
                    encoding_rs::WINDOWS_1252.decode(b).0.into_owned()
                };
                f.string(s);
                2usize.saturating_add(if high { cch.saturating_mul(2) } else { cch })
            }
            0x19 => {
                let grbit = rgce.get(p).copied().unwrap_or(0);
                let w = u16_at(rgce, p.saturating_add(1)).unwrap_or(0) as usize;
                if grbit & 0x04 != 0 {
                    3usize.saturating_add(w.saturating_add(1).saturating_mul(2))
                } else {
                    3
                }
            }
            0x1C | 0x1D => 1,
            0x1E => 2,
            0x1F => 8,
            0x20..=0x7F => match ptg & 0x1F | 0x20 {
                0x20 if !xlsb => 7,
                0x21 => {
                    if let Some(i) = u16_at(rgce, p) {
                        f.call(
                            ftab(i)
                                .map(str::to_string)
                                .unwrap_or_else(|| format!("function #{i}")),
                        );
                    }
                    2
                }
                0x22 => {
                    if let Some(t) = u16_at(rgce, p.saturating_add(1)) {
                        let i = t & 0x7FFF;
                        let name = if t & 0x8000 != 0 {
                            cetab(i)
                                .map(str::to_string)
                                .unwrap_or_else(|| format!("command #{i}"))
                        } else {
                            ftab(i)
                                .map(str::to_string)
                                .unwrap_or_else(|| format!("function #{i}"))
                        };
                        f.call(name);
                    }
                    3
                }
                0x23 => 4,
                0x24 | 0x2A | 0x2C => {
                    if xlsb {
                        6
                    } else {
                        4
                    }
                }
                0x25 | 0x2B | 0x2D => {
                    if xlsb {
                        12
                    } else {
                        8
                    }
                }
                0x26..=0x28 => 6,
                0x29 => 2,
                0x39 => 6,
                0x3A | 0x3C => {
                    if xlsb {
                        8
                    } else {
                        6
                    }
                }
                0x3B | 0x3D => {
                    if xlsb {
                        14
                    } else {
                        10
                    }
                }
                // PtgArray in .xlsb: not sized here; the walk stops (counted below).
                _ => {
                    f.unparsed = f.unparsed.saturating_add(1);
                    return;
                }
            },
            _ => {
                f.unparsed = f.unparsed.saturating_add(1);
                return;
            }
        };
        p = p.saturating_add(size);
    }
}

/// The formulas of every macro sheet substream of a BIFF8 `Workbook` stream.
pub fn biff8_macro_formulas(stream: &[u8]) -> Formulas {
    let mut f = Formulas::default();
    let mut pos = 0usize;
    let mut in_macro = false;
    while let (Some(rt), Some(len)) = (u16_at(stream, pos), u16_at(stream, pos.saturating_add(2))) {
        let start = pos.saturating_add(4);
        let Some(body) = stream.get(start..start.saturating_add(len as usize)) else {
            break;
        };
        pos = start.saturating_add(len as usize);
        match rt {
            0x0809 => in_macro = u16_at(body, 2) == Some(0x0040),
            0x000A => in_macro = false,
            0x002F => break,
            0x0006 if in_macro => {
                f.cells = f.cells.saturating_add(1);
                let cce = u16_at(body, 20).unwrap_or(0) as usize;
                let rgce = body
                    .get(22..22usize.saturating_add(cce).min(body.len()))
                    .unwrap_or(&[]);
                scan_rgce(rgce, &mut f);
            }
            _ => {}
        }
    }
    f
}

/// The formulas of an `.xlsb` macro sheet part (`xl/macrosheets/*.bin`, [MS-XLSB] 2.4.683
/// BrtFmlaString (8), 2.4.684 BrtFmlaNum (9), 2.4.682 BrtFmlaBool (10), 2.4.685 BrtFmlaError
/// (11): Cell (8 bytes), the cached value, grbitFlags (u16), then CellParsedFormula: cce (u32)
/// and rgce).
pub fn xlsb_macro_formulas(part: &[u8]) -> Formulas {
    let mut f = Formulas::default();
    for (ty, body) in super::xlsb::records(part) {
        let value_len = match ty {
            8 => {
                let cch = body
                    .get(8..12)
                    .map(|b| u32::from_le_bytes(crate::bytes::pad::<4>(b)) as usize)
                    .unwrap_or(0);
                cch.saturating_mul(2).saturating_add(4)
            }
            9 => 8,
            10 | 11 => 1,
            _ => continue,
        };
        f.cells = f.cells.saturating_add(1);
        let at = 8usize.saturating_add(value_len).saturating_add(2);
        let cce = body
            .get(at..at.saturating_add(4))
            .map(|b| u32::from_le_bytes(crate::bytes::pad::<4>(b)) as usize)
            .unwrap_or(0);
        let start = at.saturating_add(4);
        let rgce = body
            .get(start..start.saturating_add(cce).min(body.len()))
            .unwrap_or(&[]);
        scan_tokens(rgce, &mut f, true);
    }
    f
}

/// What a SYLK file holds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Sylk {
    /// Defined names (`NN;N<name>`).
    pub names: Vec<String>,
    /// Formulas (`C;...;E<formula>`), first ones.
    pub formulas: Vec<String>,
    pub formula_count: usize,
    /// Function names called by the formulas (upper case) → calls.
    pub functions: BTreeMap<String, usize>,
    /// Formulas that call a DDE server (`cmd|'/c calc'!A0`), as `=formula`.
    pub dde: Vec<String>,
}

impl Sylk {
    pub fn auto_open(&self) -> bool {
        self.names.iter().any(|n| {
            n.get(..9)
                .is_some_and(|p| p.eq_ignore_ascii_case("Auto_Open"))
        })
    }
    pub fn macro_functions(&self) -> Vec<&str> {
        self.functions
            .keys()
            .filter(|k| MACRO_ONLY.contains(&k.as_str()))
            .map(|k| k.as_str())
            .collect()
    }
    pub fn executes(&self) -> bool {
        self.functions
            .keys()
            .any(|f| EXEC_FUNCTIONS.contains(&f.as_str()))
    }
}

/// Split a SYLK record into fields, `;;` being a literal `;`.
fn sylk_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ';' {
            if chars.peek() == Some(&';') {
                cur.push(';');
                chars.next();
            } else {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

/// Names called in a formula: identifiers (letters, digits, `.`, `_`) followed by `(`,
/// outside string literals.
pub fn formula_functions(formula: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut ident = String::new();
    let mut in_str = false;
    for c in formula.chars() {
        if c == '"' {
            in_str = !in_str;
            ident.clear();
            continue;
        }
        if in_str {
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            if ident.len() < 64 {
                ident.push(c);
            }
        } else {
            if c == '(' && ident.starts_with(|c: char| c.is_ascii_alphabetic()) && out.len() < 1000
            {
                out.push(ident.to_ascii_uppercase());
            }
            ident.clear();
        }
    }
    out
}

/// Parse a SYLK file.
pub fn parse_sylk(text: &str) -> Sylk {
    let mut s = Sylk::default();
    for line in text.lines().take(2_000_000) {
        let fields = sylk_fields(line.trim_end_matches('\r'));
        let Some(kind) = fields.first() else { continue };
        match kind.as_str() {
            "C" => {
                for fld in fields.iter().skip(1) {
                    if let Some(formula) = fld.strip_prefix('E') {
                        s.formula_count = s.formula_count.saturating_add(1);
                        for name in formula_functions(formula) {
                            if s.functions.len() < 500 || s.functions.contains_key(&name) {
                                let n = s.functions.entry(name).or_insert(0);
                                *n = n.saturating_add(1);
                            }
                        }
                        let as_cell = format!("={formula}");
                        if s.dde.len() < 20 && super::dde::formula_is_dde(&as_cell) {
                            s.dde.push(as_cell.chars().take(300).collect());
                        }
                        if s.formulas.len() < 50 {
                            s.formulas.push(formula.chars().take(200).collect());
                        }
                    }
                }
            }
            "NN" => {
                if let Some(n) = fields.iter().skip(1).find_map(|f| f.strip_prefix('N')) {
                    if s.names.len() < 1000 {
                        s.names.push(n.chars().take(200).collect());
                    }
                }
            }
            _ => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ptg_walk_names_functions_and_strings() {
        // EXEC("calc.exe") then HALT(): ptgStr, ptgFuncVar(1 arg, 110), ptgFuncVar(0, 54),
        // ALERT as a command equivalent, a ref and an attr on the way.
        let mut r = vec![0x24, 1, 0, 2, 0, 0x19, 0x01, 0, 0];
        r.extend_from_slice(&[0x17, 8, 0]);
        r.extend_from_slice(b"calc.exe");
        r.extend_from_slice(&[0x42, 1, 110, 0]);
        r.extend_from_slice(&[0x22, 0, 54, 0]);
        r.extend_from_slice(&[0x42, 1, 0x76, 0x80]);
        r.extend_from_slice(&[0x41, 150, 0]);
        let mut f = Formulas::default();
        scan_rgce(&r, &mut f);
        assert_eq!(f.summary(), "ALERT, CALL, EXEC, HALT");
        assert_eq!(f.strings, vec!["calc.exe".to_string()]);
        assert!(f.executes());
        // An unknown token stops the walk; truncation does not panic.
        let mut g = Formulas::default();
        scan_rgce(&[0x18, 1, 2, 3, 0x42, 1, 110, 0], &mut g);
        assert_eq!(g.unparsed, 1);
        assert!(g.functions.is_empty());
        for n in 0..r.len() {
            scan_rgce(&r[..n], &mut Formulas::default());
        }
    }

    #[test]
    fn xlsb_formula_records() {
        // BrtFmlaBool (10): cell 8 bytes, value 1, grbit 2, cce 4, rgce.
        let mut rgce = vec![0x17, 3, 0];
        rgce.extend("cmd".encode_utf16().flat_map(|u| u.to_le_bytes()));
        rgce.extend_from_slice(&[0x24, 0, 0, 0, 0, 0, 0]);
        rgce.extend_from_slice(&[0x42, 1, 110, 0, 0x42, 0, 54, 0]);
        let mut body = vec![0u8; 8];
        body.push(1);
        body.extend_from_slice(&[0, 0]);
        body.extend_from_slice(&(rgce.len() as u32).to_le_bytes());
        body.extend_from_slice(&rgce);
        body.extend_from_slice(&0u32.to_le_bytes());
        let mut part = vec![10u8, body.len() as u8];
        part.extend_from_slice(&body);
        let f = xlsb_macro_formulas(&part);
        assert_eq!(f.cells, 1);
        assert_eq!(f.summary(), "EXEC, HALT");
        assert_eq!(f.strings, vec!["cmd".to_string()]);
        for n in 0..part.len() {
            let _ = xlsb_macro_formulas(&part[..n]);
        }
    }

    #[test]
    fn sylk_names_and_formulas() {
        let s = parse_sylk("ID;PWXL;N;E\r\nNN;NAuto_Open;ER1C1\r\nC;Y1;X1;KFALSE;EALERT(\"a;;b(\")\r\nC;Y2;EEXEC(\"calc\")\r\nC;Y3;K1;ESUM(R1C1:R2C1)\r\nE\r\n");
        assert!(s.auto_open());
        assert_eq!(s.formula_count, 3);
        assert_eq!(s.formulas[0], "ALERT(\"a;b(\")");
        assert_eq!(s.macro_functions(), vec!["ALERT", "EXEC"]);
        assert!(s.executes());
        assert!(s.dde.is_empty());
        let d = parse_sylk("ID;P\nC;Y1;X1;Ecmd|' /c calc'!A0\nE\n");
        assert_eq!(d.dde, vec!["=cmd|' /c calc'!A0".to_string()]);
        let plain = parse_sylk("ID;P\nC;Y1;X1;K1\nC;Y2;X1;ESUM(R1C1)\nE\n");
        assert!(!plain.auto_open() && plain.macro_functions().is_empty());
    }
}
