//! RTF documents: embedded OLE objects (`rtf.embedded_object`).
//!
//! Specs:
//! - Microsoft Rich Text Format (RTF) Specification 1.9.1: "RTF syntax" (groups, control words
//!   with an optional numeric parameter and one delimiting space, control symbols, `\'hh`,
//!   `\*` ignorable destinations, `\binN` binary runs) and "Objects" (`\object`, `\objclass`,
//!   `\objdata` as hexadecimal, `\objupdate`).
//! - [MS-OLEDS] 2.2.4 ObjectHeader and 2.2.5 EmbeddedObject (the OLE 1.0 header inside
//!   `\objdata`: OLEVersion, FormatID, ClassName, TopicName, ItemName as length-prefixed ANSI
//!   strings, NativeDataSize, NativeData).
//! - The OLE Package native data (the "Packager" format, as oletools' `oleobj.OleNativeStream`
//!   reads it): u16 type, file name and source path (NUL-terminated), u32 type, u32 length and
//!   temp path, u32 size and the file's bytes.
//!
//! The tokenizer follows what Word accepts, as oletools' rtfobj documents it, so the
//! obfuscations of exploit documents still yield the object: any non-hex character inside
//! `\objdata` is skipped, control words inside it are ignored, `\binN` runs are taken as raw
//! bytes, a trailing odd hex digit is dropped, and groups opened by a control word inside the
//! data are separate destinations (their text is not object data). Group depth is bounded
//! ([`MAX_DEPTH`]); deeper groups are flattened into the deepest tracked one.
//!
//! Checks: every object is `rtf.embedded_object` (class, file name, size, `\objupdate`); an
//! Equation Editor object (class `Equation.3` or CLSID 0002CE02-0000-0000-C000-000000000046 in
//! the data, the CVE-2017-11882 carrier) is tagged `equation`. Package payloads and embedded
//! compound files go back to [`Ctx::analyze`].

use crate::bytes::find;
use crate::detect::{self, Kind};
use crate::engine::{Ctx, Via};
use crate::report::Location;

/// Deepest group nesting tracked.
pub const MAX_DEPTH: usize = 1024;
/// Objects reported per document; the rest are counted.
const MAX_OBJECTS: usize = 64;
/// Longest control word accepted (the spec says 32; Word reads longer ones).
const MAX_WORD: usize = 255;

/// CLSID {0002CE02-0000-0000-C000-000000000046} (Microsoft Equation 3.0) as stored.
const EQUATION_CLSID: [u8; 16] = [
    0x02, 0xCE, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
];
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

// ---- parsing ----

/// One `\object` group (or a stray `\objdata`).
#[derive(Debug, Default, Clone)]
pub struct RtfObject {
    /// `\objclass` text.
    pub class: String,
    /// `\objdata` decoded.
    pub data: Vec<u8>,
    /// A lone hex digit left at the end (odd count).
    pub odd_digit: bool,
    /// `\objupdate`: the object is refreshed when the document opens.
    pub objupdate: bool,
    /// The data had non-hex characters, control words or `\bin` runs mixed in.
    pub obfuscated: bool,
    pub has_data: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Dest {
    Normal,
    ObjData(usize),
    ObjClass(usize),
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Group {
    dest: Dest,
    object: Option<usize>,
    /// This group is an `\object` group (its object is created when data or a class shows up,
    /// so junk `\object` words do not use up [`MAX_OBJECTS`]).
    objgroup: bool,
    /// `\objupdate` seen in this object group before the object was created.
    update: bool,
    /// No token seen yet in this group (a control word here opens a destination).
    fresh: bool,
}

/// Parsed objects, plus a count of those past [`MAX_OBJECTS`].
#[derive(Debug, Default)]
pub struct Parsed {
    pub objects: Vec<RtfObject>,
    pub dropped: usize,
    /// Hex digits waiting for their pair, per object.
    pending: Vec<Option<u8>>,
}

impl Parsed {
    fn new_object(&mut self) -> Option<usize> {
        if self.objects.len() >= MAX_OBJECTS {
            self.dropped = self.dropped.saturating_add(1);
            return None;
        }
        self.objects.push(RtfObject::default());
        self.pending.push(None);
        Some(self.objects.len().saturating_sub(1))
    }

    fn hex_digit(&mut self, i: usize, d: u8) {
        let (Some(o), Some(p)) = (self.objects.get_mut(i), self.pending.get_mut(i)) else {
            return;
        };
        match p.take() {
            Some(hi) => o.data.push((hi << 4) | d),
            None => *p = Some(d),
        }
    }
}

fn hexval(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b.saturating_sub(b'0')),
        b'a'..=b'f' => Some(b.saturating_sub(b'a').saturating_add(10)),
        b'A'..=b'F' => Some(b.saturating_sub(b'A').saturating_add(10)),
        _ => None,
    }
}

/// Tokenize `bytes` and collect the objects.
pub fn parse(bytes: &[u8]) -> Parsed {
    let mut p = Parsed::default();
    let mut stack: Vec<Group> = vec![Group {
        dest: Dest::Normal,
        object: None,
        objgroup: false,
        update: false,
        fresh: false,
    }];
    let mut overflow = 0usize;
    let mut i = 0usize;
    let n = bytes.len();
    while i < n {
        let Some(&c) = bytes.get(i) else { break };
        let top = stack.last().copied().unwrap_or(Group {
            dest: Dest::Normal,
            object: None,
            objgroup: false,
            update: false,
            fresh: false,
        });
        match c {
            b'{' => {
                i = i.saturating_add(1);
                if stack.len() >= MAX_DEPTH {
                    overflow = overflow.saturating_add(1);
                    if let Some(g) = stack.last_mut() {
                        g.fresh = true;
                    }
                } else {
                    stack.push(Group {
                        dest: top.dest,
                        object: top.object,
                        objgroup: false,
                        update: false,
                        fresh: true,
                    });
                }
            }
            b'}' => {
                i = i.saturating_add(1);
                if overflow > 0 {
                    overflow = overflow.saturating_sub(1);
                } else if stack.len() > 1 {
                    stack.pop();
                }
            }
            b'\\' => {
                let start = i.saturating_add(1);
                let mut j = start;
                while j < n
                    && j.saturating_sub(start) < MAX_WORD
                    && bytes.get(j).is_some_and(|b| b.is_ascii_alphabetic())
                {
                    j = j.saturating_add(1);
                }
                if j == start {
                    // Control symbol.
                    let sym = bytes.get(start).copied();
                    i = start.saturating_add(1);
                    match sym {
                        Some(b'\'') => {
                            // \'hh: a character; inside object data it is junk.
                            i = i.saturating_add(2).min(n);
                            mark_obfuscated(&mut p, top.dest);
                        }
                        Some(b'*') => {} // ignorable destination marker: the group stays fresh
                        _ => {
                            if let Some(g) = stack.last_mut() {
                                g.fresh = false;
                            }
                        }
                    }
                    continue;
                }
                let word = bytes.get(start..j).unwrap_or(&[]);
                // Optional numeric parameter.
                let mut k = j;
                if bytes.get(k) == Some(&b'-') {
                    k = k.saturating_add(1);
                }
                let digits_start = k;
                while k < n
                    && k.saturating_sub(digits_start) < 10
                    && bytes.get(k).is_some_and(|b| b.is_ascii_digit())
                {
                    k = k.saturating_add(1);
                }
                let param: Option<u64> =
                    std::str::from_utf8(bytes.get(digits_start..k).unwrap_or(&[]))
                        .ok()
                        .and_then(|s| s.parse().ok());
                if bytes.get(k) == Some(&b' ') {
                    k = k.saturating_add(1);
                }
                i = k;
                let fresh = top.fresh;
                if let Some(g) = stack.last_mut() {
                    g.fresh = false;
                }
                match word {
                    b"bin" => {
                        let len = usize::try_from(param.unwrap_or(0))
                            .unwrap_or(usize::MAX)
                            .min(n.saturating_sub(i));
                        let run = bytes.get(i..i.saturating_add(len)).unwrap_or(&[]);
                        if let Dest::ObjData(o) = top.dest {
                            for &b in run {
                                p.hex_digit(o, b >> 4);
                                p.hex_digit(o, b & 15);
                            }
                            mark_obfuscated(&mut p, top.dest);
                        }
                        i = i.saturating_add(len);
                    }
                    b"object" => {
                        if let Some(g) = stack.last_mut() {
                            g.objgroup = true;
                            g.object = None;
                            g.update = false;
                        }
                    }
                    b"objupdate" => match top.object.and_then(|o| p.objects.get_mut(o)) {
                        Some(o) => o.objupdate = true,
                        None => {
                            if let Some(g) = stack.iter_mut().rev().find(|g| g.objgroup) {
                                g.update = true;
                            }
                        }
                    },
                    // Word takes `\objdata` and `\objclass` wherever they appear in the group,
                    // not only right after `{` (rtfobj does the same); the destination lasts
                    // until the group closes.
                    b"objdata" => {
                        let o = object_for(&mut p, &mut stack);
                        if let Some(g) = stack.last_mut() {
                            g.dest = o.map_or(Dest::Other, Dest::ObjData);
                        }
                        if let Some(obj) = o.and_then(|o| p.objects.get_mut(o)) {
                            obj.has_data = true;
                        }
                    }
                    b"objclass" => {
                        let o = object_for(&mut p, &mut stack);
                        if let Some(g) = stack.last_mut() {
                            g.dest = o.map_or(Dest::Other, Dest::ObjClass);
                        }
                    }
                    _ if fresh && top.dest != Dest::Normal => {
                        // A destination opened inside object data or class: not part of it.
                        if let Some(g) = stack.last_mut() {
                            g.dest = Dest::Other;
                        }
                        mark_obfuscated(&mut p, top.dest);
                    }
                    _ => mark_obfuscated(&mut p, top.dest),
                }
            }
            b'\r' | b'\n' => i = i.saturating_add(1),
            _ => {
                i = i.saturating_add(1);
                if let Some(g) = stack.last_mut() {
                    g.fresh = false;
                }
                match top.dest {
                    Dest::ObjData(o) => match hexval(c) {
                        Some(d) => p.hex_digit(o, d),
                        None if c == b' ' || c == b'\t' => {}
                        None => mark_obfuscated(&mut p, top.dest),
                    },
                    Dest::ObjClass(o) => {
                        if let Some(obj) = p.objects.get_mut(o) {
                            if obj.class.len() < 256 {
                                obj.class.push(c as char);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    for (o, pend) in p.objects.iter_mut().zip(&p.pending) {
        o.odd_digit = pend.is_some();
        o.class = o.class.trim().to_string();
    }
    p
}

/// The object of the innermost `\object` group, created on first use (or a new one for a
/// stray `\objdata`), recorded on every group up to that one.
fn object_for(p: &mut Parsed, stack: &mut [Group]) -> Option<usize> {
    if let Some(o) = stack.last().and_then(|g| g.object) {
        return Some(o);
    }
    let o = p.new_object()?;
    let from = stack
        .iter()
        .rposition(|g| g.objgroup)
        .unwrap_or(stack.len().saturating_sub(1));
    let update = stack.get(from).is_some_and(|g| g.objgroup && g.update);
    for g in stack.iter_mut().skip(from) {
        g.object = Some(o);
    }
    if let Some(obj) = p.objects.get_mut(o) {
        obj.objupdate = update;
    }
    Some(o)
}

fn mark_obfuscated(p: &mut Parsed, dest: Dest) {
    if let Dest::ObjData(o) = dest {
        if let Some(obj) = p.objects.get_mut(o) {
            obj.obfuscated = true;
        }
    }
}

/// The OLE 1.0 EmbeddedObject ([MS-OLEDS] 2.2.5).
#[derive(Debug, Clone)]
pub struct Ole1<'a> {
    pub version: u32,
    pub format_id: u32,
    pub class: String,
    pub native: &'a [u8],
    /// NativeDataSize was larger than the data present.
    pub truncated: bool,
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    crate::bytes::u32_le(b, at)
}

/// A LengthPrefixedAnsiString: u32 length (including the NUL), then the bytes.
fn lp_string(b: &[u8], at: &mut usize) -> Option<String> {
    let len = u32_at(b, *at)? as usize;
    let start = at.checked_add(4)?;
    let end = start.checked_add(len)?;
    let s = b.get(start..end)?;
    *at = end;
    let s = s.split(|&c| c == 0).next().unwrap_or(&[]);
    Some(String::from_utf8_lossy(s).into_owned())
}

pub fn parse_ole1(b: &[u8]) -> Option<Ole1<'_>> {
    let version = u32_at(b, 0)?;
    let format_id = u32_at(b, 4)?;
    if format_id != 1 && format_id != 2 {
        return None;
    }
    let mut at = 8usize;
    let class = lp_string(b, &mut at)?;
    if format_id == 2 {
        // TopicName and ItemName.
        lp_string(b, &mut at)?;
        lp_string(b, &mut at)?;
    } else {
        // A linked object: no native data.
        return Some(Ole1 {
            version,
            format_id,
            class,
            native: &[],
            truncated: false,
        });
    }
    let size = u32_at(b, at)? as usize;
    let start = at.checked_add(4)?;
    let rest = b.get(start..).unwrap_or(&[]);
    let native = rest.get(..size).unwrap_or(rest);
    Some(Ole1 {
        version,
        format_id,
        class,
        native,
        truncated: native.len() < size,
    })
}

/// An OLE Package's embedded file.
#[derive(Debug, Clone)]
pub struct Package<'a> {
    pub filename: String,
    pub source_path: String,
    pub temp_path: String,
    pub payload: &'a [u8],
    pub truncated: bool,
}

fn cstr(b: &[u8], at: &mut usize, max: usize) -> Option<String> {
    let rest = b.get(*at..)?;
    let len = rest.iter().take(max).position(|&c| c == 0)?;
    let s = rest.get(..len)?;
    *at = at.checked_add(len)?.checked_add(1)?;
    // Package strings are ANSI (the system code page; CP932 on Japanese Windows). Valid UTF-8
    // (ASCII included) is taken as it is.
    if let Ok(t) = std::str::from_utf8(s) {
        return Some(t.to_string());
    }
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(s);
    Some(text.into_owned())
}

/// Package native data (see the module header). `with_size`: the data starts with its own u32
/// total size (the `\x01Ole10Native` stream form).
pub fn parse_package(b: &[u8], with_size: bool) -> Option<Package<'_>> {
    let mut at: usize = if with_size { 4 } else { 0 };
    at = at.saturating_add(2); // type
    let filename = cstr(b, &mut at, 1024)?;
    let source_path = cstr(b, &mut at, 1024)?;
    at = at.checked_add(8)?; // u32 type, u32 temp path length
    let temp_path = cstr(b, &mut at, 1024)?;
    let size = u32_at(b, at)? as usize;
    let rest = b.get(at.checked_add(4)?..).unwrap_or(&[]);
    let payload = rest.get(..size).unwrap_or(rest);
    Some(Package {
        filename,
        source_path,
        temp_path,
        payload,
        truncated: payload.len() < size,
    })
}

fn is_equation(class: &str, data: &[u8]) -> bool {
    class.to_ascii_lowercase().starts_with("equation.3") || find(data, &EQUATION_CLSID).is_some()
}

/// A file name safe to show and to use as a location segment.
fn base_name(name: &str) -> String {
    let base = name.rsplit(['\\', '/']).next().unwrap_or(name).trim();
    if base.is_empty() {
        "package".into()
    } else {
        crate::engine::clip(base, 200)
    }
}

// ---- checks ----

pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let parsed = parse(bytes);
    for (n, obj) in parsed.objects.iter().enumerate() {
        report_object(ctx, n.saturating_add(1), obj, loc);
    }
    if parsed.dropped > 0 {
        ctx.finding(
            "rtf.embedded_object",
            loc,
            format!(
                "{} more objects (only the first {MAX_OBJECTS} are inspected)",
                parsed.dropped
            ),
        );
        ctx.incomplete();
    }
}

fn report_object(ctx: &mut Ctx<'_>, n: usize, obj: &RtfObject, loc: &Location) {
    let mut ev: Vec<String> = Vec::new();
    let mut tags: Vec<&'static str> = Vec::new();
    let ole1 = parse_ole1(&obj.data);
    let class = match (&ole1, obj.class.is_empty()) {
        (Some(o), true) => o.class.clone(),
        (Some(o), false) if !o.class.eq_ignore_ascii_case(&obj.class) => {
            format!("{} (OLE header says {})", obj.class, o.class)
        }
        _ => obj.class.clone(),
    };
    ev.push(format!(
        "object {n}: class {}",
        if class.is_empty() {
            "(none)".into()
        } else {
            format!("\"{}\"", crate::engine::clip(&class, 80))
        }
    ));
    if is_equation(&class, &obj.data) {
        tags.push("equation");
        ev.push("Equation Editor object (the CVE-2017-11882 exploit carrier)".into());
    }
    if obj.objupdate {
        tags.push("objupdate");
        ev.push("updates automatically when the document opens (\\objupdate)".into());
    }
    if obj.obfuscated {
        ev.push(
            "object data obfuscated (junk characters, control words or \\bin runs inside)".into(),
        );
    }
    // What to hand on: (bytes, name).
    let mut child: Option<(&[u8], String)> = None;
    match &ole1 {
        Some(o) if o.format_id == 1 => ev.push("linked object (no data embedded)".into()),
        Some(o) => {
            ev.push(format!(
                "{} bytes of native data{}",
                o.native.len(),
                if o.truncated { " (truncated)" } else { "" }
            ));
            if o.class.eq_ignore_ascii_case("package") {
                tags.push("package");
                match parse_package(o.native, false) {
                    Some(pkg) => {
                        let name = base_name(&pkg.filename);
                        ev.push(format!(
                            "package file \"{}\" ({} bytes{}), source path \"{}\", temp path \"{}\"",
                            crate::engine::clip(&pkg.filename, 120),
                            pkg.payload.len(),
                            if pkg.truncated { ", truncated" } else { "" },
                            crate::engine::clip(&pkg.source_path, 120),
                            crate::engine::clip(&pkg.temp_path, 120)
                        ));
                        child = Some((pkg.payload, name));
                    }
                    None => ev.push("package data could not be parsed".into()),
                }
            } else if o.native.starts_with(CFB_MAGIC) {
                tags.push("ole2");
                child = Some((o.native, format!("object{n}")));
            } else if !matches!(detect::sniff(o.native, ""), Kind::Unknown | Kind::Text) {
                child = Some((o.native, format!("object{n}")));
            }
        }
        None if obj.data.is_empty() => ev.push(if obj.has_data {
            "object data is empty".into()
        } else {
            "no object data".into()
        }),
        None => {
            ev.push(format!(
                "{} bytes of object data without an OLE 1.0 header",
                obj.data.len()
            ));
            // Raw compound file somewhere near the start.
            let head = obj.data.get(..4096).unwrap_or(&obj.data);
            if let Some(at) = find(head, CFB_MAGIC) {
                tags.push("ole2");
                child = Some((obj.data.get(at..).unwrap_or(&[]), format!("object{n}")));
            }
        }
    }
    ctx.finding_tagged("rtf.embedded_object", loc, ev.join("; "), tags);
    if let Some((data, name)) = child {
        if !data.is_empty() {
            let c = loc.child(name.clone());
            ctx.analyze(data, &name, &c, Via::Embedded);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    fn ole1(class: &str, native: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&0x0501u32.to_le_bytes());
        v.extend_from_slice(&2u32.to_le_bytes());
        for s in [class, "", ""] {
            v.extend_from_slice(&((s.len() + 1) as u32).to_le_bytes());
            v.extend_from_slice(s.as_bytes());
            v.push(0);
        }
        v.extend_from_slice(&(native.len() as u32).to_le_bytes());
        v.extend_from_slice(native);
        v
    }

    #[test]
    fn obfuscated_hex_decodes() {
        let data = ole1("Package", b"xyz");
        let h = hex(&data);
        let (a, b) = h.split_at(10);
        let rtf = format!("{{\\rtf1{{\\object\\objemb\\objupdate{{\\*\\objclass Package}}{{\\*\\objdata {a}\\junkword zz \r\n{{\\*\\x 4142}}{b}\\bin2 \x01\x02 7}}}}}}");
        let p = parse(rtf.as_bytes());
        assert_eq!(p.objects.len(), 1);
        let o = &p.objects[0];
        assert_eq!(o.class, "Package");
        assert!(o.objupdate && o.obfuscated && o.odd_digit);
        let mut expect = data.clone();
        expect.extend_from_slice(&[1, 2]);
        assert_eq!(o.data, expect);
        let parsed = parse_ole1(&o.data).unwrap();
        assert_eq!(parsed.class, "Package");
        assert_eq!(parsed.native, b"xyz");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut s = String::from("{\\rtf1");
        for _ in 0..5000 {
            s.push('{');
        }
        s.push_str("{\\object{\\*\\objdata 0102}}");
        let p = parse(s.as_bytes());
        assert_eq!(p.objects.len(), 1);
        assert_eq!(p.objects[0].data, vec![1, 2]);
        assert!(parse(b"\\bin99999999999 ").objects.is_empty());
        assert!(parse(b"}}}}{\\objdata").objects.len() == 1);
    }
}
