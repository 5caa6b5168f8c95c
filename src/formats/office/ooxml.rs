//! OOXML packages (ECMA-376, Office Open XML), read through a [`PartSource`].
//!
//! - Part 2 (OPC) 9.3 Relationships: `*.rels` parts with `<Relationship Type Target
//!   TargetMode="External">`. External targets of type attachedTemplate (Word, 17.15.1.87
//!   attachedTemplate), oleObject, frame and subDocument are fetched when the document opens:
//!   remote template injection. Only targets on another machine are reported (a URL with a
//!   scheme, `\\\\host\\share` UNC paths, `file://host/`): a local path such as
//!   `file:///C:/Users/.../Templates/社内.dotx` is what Word writes for a document made from the
//!   author's own template, and nothing is fetched from outside. Hyperlinks are not reported
//!   (ordinary document links, only followed on a click); other external types with a remote
//!   target (linked workbooks, remote images) are reported untagged.
//! - `vbaProject.bin` ([MS-OFFMACRO2] / [MS-OVBA]): a compound file with the VBA project.
//! - Excel 4.0 macro sheets: parts under `xl/macrosheets/` (and `xl/intlmacrosheets/`),
//!   listed in `xl/workbook.xml` as `<sheet name state r:id>` (ECMA-376 Part 1, 18.2.19).

use std::collections::HashMap;

use super::xml;

/// One relationship with an external target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalRel {
    /// The `.rels` part it was found in.
    pub part: String,
    /// The last segment of the relationship type URI (`attachedTemplate`, `hyperlink`, ...).
    pub kind: String,
    pub target: String,
}

/// One relationship of a `.rels` part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rel {
    /// The last segment of the relationship type URI (`vbaProject`, `attachedTemplate`, ...).
    pub kind: String,
    pub target: String,
    pub external: bool,
}

/// Every relationship of one `.rels` part.
pub fn relationships(bytes: &[u8]) -> Vec<Rel> {
    let text = xml::text(bytes);
    xml::elements(&text, "Relationship")
        .into_iter()
        .map(|a| {
            let ty = xml::attr(&a, "Type").unwrap_or("");
            Rel {
                kind: ty.trim().rsplit('/').next().unwrap_or("").to_string(),
                target: xml::attr(&a, "Target").unwrap_or("").trim().to_string(),
                external: xml::attr(&a, "TargetMode")
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("External")),
            }
        })
        .collect()
}

/// External relationships of one `.rels` part.
pub fn external_rels(part: &str, bytes: &[u8]) -> Vec<ExternalRel> {
    relationships(bytes)
        .into_iter()
        .filter(|r| r.external)
        .map(|r| ExternalRel {
            part: part.to_string(),
            kind: r.kind,
            target: r.target,
        })
        .collect()
}

/// The folder that targets of a `.rels` part are relative to: `word/_rels/document.xml.rels`
/// → `word/`, `_rels/.rels` → ``.
pub fn rels_base(rels_part: &str) -> String {
    let p = rels_part.trim_start_matches('/');
    match p.rfind("_rels/") {
        Some(i) => p.get(..i).unwrap_or("").to_string(),
        None => String::new(),
    }
}

/// Does this target fetch from another machine? URLs with a scheme other than `file:`, UNC
/// paths (`\\host\share`, `//host/share`) and `file://host/...`. Local drive and relative
/// paths do not.
pub fn is_remote(target: &str) -> bool {
    let t = target.trim().to_ascii_lowercase();
    if t.starts_with("\\\\") || t.starts_with("//") {
        return true;
    }
    if let Some(rest) = t.strip_prefix("file:") {
        let rest = rest.trim_start_matches('/');
        let slashes = t.len().saturating_sub(5).saturating_sub(rest.len());
        // file:///C:/x or file://localhost/C:/x are local; file://host/share is not.
        if slashes >= 3 || rest.starts_with("localhost") {
            return false;
        }
        let host_is_drive = rest
            .as_bytes()
            .get(1)
            .is_some_and(|&c| c == b':' || c == b'|');
        return !host_is_drive;
    }
    // A scheme: letters then ':' (two or more letters, so `C:` is not one).
    match t.find(':') {
        Some(i) if i >= 2 => t
            .get(..i)
            .unwrap_or_default()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')),
        _ => false,
    }
}

/// The four relationship types that fetch content when the document opens, as the tag
/// strings the policy knows.
pub fn injection_tag(kind: &str) -> Option<&'static str> {
    ["attachedTemplate", "oleObject", "frame", "subDocument"]
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(kind))
}

/// A sheet listed in `xl/workbook.xml`: name and state, keyed by the part it points at.
pub struct SheetInfo {
    pub name: String,
    pub state: String,
}

/// Map part names (`xl/macrosheets/sheet1.xml`) to their sheet names and states, from
/// `xl/workbook.xml` and `xl/_rels/workbook.xml.rels`.
pub fn workbook_sheets(workbook: &[u8], rels: &[u8]) -> HashMap<String, SheetInfo> {
    let rels_text = xml::text(rels);
    let mut targets: HashMap<String, String> = HashMap::new();
    for a in xml::elements(&rels_text, "Relationship") {
        if let (Some(id), Some(t)) = (xml::attr(&a, "Id"), xml::attr(&a, "Target")) {
            targets.insert(id.to_string(), resolve("xl/", t));
        }
    }
    let wb = xml::text(workbook);
    let mut out = HashMap::new();
    for a in xml::elements(&wb, "sheet") {
        let Some(id) = xml::attr(&a, "id") else {
            continue;
        };
        let Some(part) = targets.get(id) else {
            continue;
        };
        out.insert(
            part.to_lowercase(),
            SheetInfo {
                name: xml::attr(&a, "name").unwrap_or("").to_string(),
                state: xml::attr(&a, "state").unwrap_or("visible").to_string(),
            },
        );
    }
    out
}

/// Does `xl/workbook.xml` define `Auto_Open` (`_xlnm.Auto_Open`, or a name starting with it)?
/// That name runs an Excel 4.0 macro when the workbook opens.
pub fn auto_open_defined(workbook: &[u8]) -> bool {
    let wb = xml::text(workbook);
    xml::elements(&wb, "definedName").iter().any(|a| {
        let n = xml::attr(a, "name").unwrap_or("");
        let n = n.strip_prefix("_xlnm.").unwrap_or(n);
        n.get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("Auto_Open"))
    })
}

/// Resolve a relationship target against the source part's folder (`xl/`): `/xl/a.xml` is
/// absolute, `macrosheets/sheet1.xml` relative, `../x` climbs.
pub fn resolve(base_dir: &str, target: &str) -> String {
    let mut segs: Vec<&str> = Vec::new();
    let full = if let Some(abs) = target.strip_prefix('/') {
        abs.to_string()
    } else {
        format!("{base_dir}{target}")
    };
    for s in full.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    segs.join("/")
}

/// Is this part an Excel 4.0 macro sheet?
pub fn is_macrosheet(part: &str) -> bool {
    let p = part.trim_start_matches('/').to_ascii_lowercase();
    (p.starts_with("xl/macrosheets/") || p.starts_with("xl/intlmacrosheets/"))
        && !p.contains("/_rels/")
        && !p.ends_with('/')
        // .xlsb keeps a cell index beside each sheet ([MS-XLSB] 2.1.7.3 binaryIndex part).
        && !p.rsplit('/').next().is_some_and(|n| n.starts_with("binaryindex"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_only_and_kind() {
        let r = br#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="https://x.example/a.dotm" TargetMode="External"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
        let v = external_rels("word/_rels/settings.xml.rels", r);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].kind, "attachedTemplate");
        assert_eq!(v[0].target, "https://x.example/a.dotm");
        assert_eq!(injection_tag(&v[0].kind), Some("attachedTemplate"));
        assert_eq!(injection_tag("hyperlink"), None);
    }

    #[test]
    fn remote_targets() {
        for t in [
            "http://192.0.2.1/a.dotm",
            "HTTPS://x.example/t",
            "\\\\10.0.0.1\\share\\t.dotm",
            "//host/share/t.dotm",
            "file://host/share/t.dotm",
            "mhtml:http://x/y!z",
        ] {
            assert!(is_remote(t), "{t}");
        }
        for t in [
            "file:///C:\\Users\\a\\Templates\\社内.dotx",
            "file:///C:/x.dotm",
            "file://localhost/C:/x",
            "C:\\x\\y.dotx",
            "../Sales/Book2.xlsx",
            "Feuil8",
            "",
        ] {
            assert!(!is_remote(t), "{t}");
        }
    }

    #[test]
    fn sheet_states_by_part() {
        let wb = br#"<workbook><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/><sheet name="Macro1" sheetId="2" state="veryHidden" r:id="rId2"/></sheets></workbook>"#;
        let rels = br#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="/xl/macrosheets/sheet1.xml"/></Relationships>"#;
        let m = workbook_sheets(wb, rels);
        let s = m.get("xl/macrosheets/sheet1.xml").unwrap();
        assert_eq!(s.name, "Macro1");
        assert_eq!(s.state, "veryHidden");
        assert_eq!(m.get("xl/worksheets/sheet1.xml").unwrap().state, "visible");
        assert_eq!(
            resolve("xl/", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(rels_base("word/_rels/document.xml.rels"), "word/");
        assert_eq!(rels_base("_rels/.rels"), "");
        assert_eq!(
            resolve(&rels_base("word/_rels/document.xml.rels"), "x/macros.bin"),
            "word/x/macros.bin"
        );
        assert!(!auto_open_defined(wb));
        assert!(auto_open_defined(
            br#"<definedNames><definedName name="_xlnm.Auto_Open">M!$A$1</definedName>"#
        ));
        assert!(is_macrosheet("xl/macrosheets/sheet1.xml"));
        assert!(!is_macrosheet("xl/macrosheets/_rels/sheet1.xml.rels"));
        assert!(!is_macrosheet("xl/worksheets/sheet1.xml"));
    }
}
