//! Office documents saved as one XML file: parsing only; the checks are in [`super`].
//!
//! - Flat OPC (ECMA-376 Part 2 / Word and PowerPoint "XML Document", `<?mso-application
//!   progid="Word.Document"?>` + `<pkg:package>`): every package part is a
//!   `<pkg:part pkg:name="/word/document.xml">` with either `<pkg:xmlData>` (the XML inline) or
//!   `<pkg:binaryData>` (base64, e.g. `/word/vbaProject.bin`, `/word/embeddings/oleObject1.bin`).
//!   The parts are offered as a [`PartSource`] so the OOXML checks run on them unchanged.
//! - Word 2003 XML (`<w:wordDocument>`, WordprocessingML 2003): `<w:binData w:name="...">`
//!   holds base64 data: `oledata.mso` (a compound file with one stream per embedded object,
//!   `_<ObjectID>`: a short header then a zlib stream of the object's compound file) and
//!   `editdata.mso` (the VBA project as an ActiveMime blob: a header, then a zlib stream of a
//!   compound file).

use std::io::Read;

use crate::engine::Ctx;
use crate::formats::PartSource;

/// Parts kept from one flat package.
const MAX_PARTS: usize = 10_000;

/// Decode base64, skipping whitespace and anything outside the alphabet; stops at `=`.
pub fn base64(s: &str) -> Vec<u8> {
    crate::bytes::base64(s.as_bytes(), crate::bytes::Base64Other::Skip).unwrap_or_default()
}

/// The text between the end of the start tag at `s[0]` (`<x ...>`) and the next `</`.
fn element_body(s: &str) -> (&str, usize) {
    let Some(gt) = s.find('>') else {
        return ("", s.len());
    };
    if s.get(..gt).unwrap_or_default().ends_with('/') {
        return ("", gt.saturating_add(1));
    }
    let body = s.get(gt.saturating_add(1)..).unwrap_or_default();
    match body.find("</") {
        Some(end) => (
            body.get(..end).unwrap_or_default(),
            gt.saturating_add(1).saturating_add(end),
        ),
        None => (body, s.len()),
    }
}

/// The parts of a flat OPC package.
pub struct FlatParts {
    parts: Vec<(String, Vec<u8>)>,
}

impl FlatParts {
    pub fn parse(text: &str) -> FlatParts {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find("<pkg:part ") {
            rest = rest.get(i..).unwrap_or_default();
            let tag_end = rest.find('>').unwrap_or(rest.len());
            let attrs = super::xml::elements(rest.get(..tag_end).unwrap_or_default(), "part");
            let name = attrs
                .first()
                .and_then(|a| super::xml::attr(a, "name"))
                .unwrap_or("")
                .trim_start_matches('/')
                .to_string();
            rest = rest.get(tag_end.min(rest.len())..).unwrap_or_default();
            let next = rest.find("<pkg:part ").unwrap_or(rest.len());
            let body = rest.get(..next).unwrap_or_default();
            let data = if let Some(b) = body.find("<pkg:binaryData") {
                base64(element_body(body.get(b..).unwrap_or_default()).0)
            } else if let Some(x) = body.find("<pkg:xmlData") {
                let inner = body.get(x..).unwrap_or_default();
                let start = inner
                    .find('>')
                    .map(|g| g.saturating_add(1))
                    .unwrap_or(inner.len());
                let end = inner
                    .rfind("</pkg:xmlData>")
                    .unwrap_or(inner.len())
                    .max(start);
                inner
                    .get(start..end)
                    .unwrap_or_default()
                    .as_bytes()
                    .to_vec()
            } else {
                Vec::new()
            };
            if !name.is_empty() && parts.len() < MAX_PARTS {
                parts.push((name, data));
            }
            rest = rest.get(next..).unwrap_or_default();
        }
        FlatParts { parts }
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

impl PartSource for FlatParts {
    fn part_names(&self) -> Vec<String> {
        self.parts.iter().map(|(n, _)| n.clone()).collect()
    }

    fn read_part(&mut self, _ctx: &mut Ctx<'_>, name: &str) -> Option<Result<Vec<u8>, String>> {
        self.parts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| Ok(d.clone()))
    }
}

/// `<w:binData w:name="...">` blocks of a Word 2003 XML document: (name, decoded bytes).
pub fn bin_data(text: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(":binData") {
        let Some(lt) = rest.get(..i).unwrap_or_default().rfind('<') else {
            rest = rest.get(i.saturating_add(8)..).unwrap_or_default();
            continue;
        };
        let tag = rest.get(lt..).unwrap_or_default();
        let tag_end = tag.find('>').unwrap_or(tag.len());
        let attrs = super::xml::elements(tag.get(..tag_end).unwrap_or_default(), "binData");
        let name = attrs
            .first()
            .and_then(|a| super::xml::attr(a, "name"))
            .unwrap_or("")
            .to_string();
        let (body, used) = element_body(tag);
        if out.len() < 1000 {
            out.push((name, base64(body)));
        }
        // Continue after this element, and at least past this `:binData`.
        let next = lt
            .saturating_add(used)
            .max(i.saturating_add(8))
            .min(rest.len());
        rest = rest.get(next..).unwrap_or_default();
    }
    out
}

/// The compound file inside an ActiveMime blob (`editdata.mso`): the first zlib stream in its
/// first 512 bytes that inflates to a compound file, at most `max` bytes.
pub fn active_mime(data: &[u8], max: u64) -> Option<Vec<u8>> {
    if !data.starts_with(b"ActiveMime") {
        return None;
    }
    zlib_cfb(data, 512, max)
}

/// The first zlib stream starting in the first `window` bytes that inflates to a compound
/// file (the streams of `oledata.mso` are a small header then such a stream).
pub fn zlib_cfb(data: &[u8], window: usize, max: u64) -> Option<Vec<u8>> {
    for i in 0..data.len().min(window) {
        if data.get(i) != Some(&0x78) {
            continue;
        }
        let mut out = Vec::new();
        let z = flate2::read::ZlibDecoder::new(data.get(i..)?);
        let _ = z.take(max).read_to_end(&mut out);
        if out.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Some(out);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_parts() {
        assert_eq!(base64("aGVs\r\nbG8="), b"hello");
        assert_eq!(base64("!!"), b"");
        let x = r#"<pkg:package><pkg:part pkg:name="/word/document.xml" pkg:contentType="x"><pkg:xmlData><w:document>hi</w:document></pkg:xmlData></pkg:part><pkg:part pkg:name="/word/vbaProject.bin"><pkg:binaryData>aGVs
bG8=</pkg:binaryData></pkg:part><pkg:part pkg:name="/x"/></pkg:package>"#;
        let p = FlatParts::parse(x);
        assert_eq!(
            p.part_names(),
            vec!["word/document.xml", "word/vbaProject.bin", "x"]
        );
        assert_eq!(p.parts[0].1, b"<w:document>hi</w:document>");
        assert_eq!(p.parts[1].1, b"hello");
        let b = bin_data(
            r#"<w:binData w:name="oledata.mso" xml:space="preserve">aGVs
bG8=</w:binData><w:binData"#,
        );
        assert_eq!(b[0], ("oledata.mso".to_string(), b"hello".to_vec()));
        assert!(active_mime(b"ActiveMime\0\0\x78\x9c", 100).is_none());
    }
}
