//! PDF documents: active content (`pdf.active_content`) and embedded files.
//!
//! Specs (ISO 32000-1:2008):
//! - 7.3 Objects: 7.3.5 name objects (`#xx` escapes are decoded before matching, so
//!   `/J#61vaScript` is `/JavaScript`), 7.3.4 strings (literal and hexadecimal), 7.3.8 streams.
//! - 7.4 Filters: 7.4.4 FlateDecode (zlib). Other filters are not decoded.
//! - 7.5 File structure: 7.5.7 object streams (`/Type /ObjStm`), where names can hide compressed.
//! - 7.6 Encryption: strings and streams are encrypted, names and dictionaries are not.
//! - 12.6 Actions: 12.6.3 trigger events (`/OpenAction`, `/AA`), 12.6.4 action types (`/Launch`,
//!   `/URI`, `/SubmitForm`, `/JavaScript` with `/JS`, `/RichMedia`...).
//! - 7.11.4 Embedded file streams (`/Type /EmbeddedFile`, file specifications with `/EF`,
//!   `/F` and `/UF`), 12.7.8 XFA forms.
//!
//! This is a tolerant scanner, not a renderer: it does not follow the cross-reference table (which
//! attackers break on purpose). It reads every name in the file and in every decoded object
//! stream, and every stream between `stream` and `endstream`.
//!
//! Weighing (see `policy.rs`): `/Launch`, or JavaScript together with an automatic trigger
//! (`/OpenAction` with an action, `/AA` with a page-open event), is `high`; JavaScript, embedded files, XFA, SubmitForm and RichMedia
//! are `medium`; a PDF with only links (`/URI`) and open actions is `info` — ordinary business
//! PDFs have hyperlinks and "open at page 1" actions, and flagging them would teach users to
//! ignore the tool; the links are still listed.
//!
//! Encrypted PDFs (`/Encrypt`): names stay readable and are still checked, but strings and
//! streams cannot be read without decrypting (not done). The finding says so (tag `encrypted`,
//! `low`), and the report is incomplete when object streams or embedded files stayed closed —
//! `file.not_inspected` would be wrong, as most of the structure was inspected.

use crate::bytes::find_from;
use crate::engine::{clip, Ctx, Via};
use crate::report::Location;

/// Streams looked at per document.
const MAX_STREAMS: usize = 4096;
/// Inflated bytes per stream.
const MAX_STREAM_OUT: u64 = 64 * 1024 * 1024;
/// URI targets listed.
const MAX_URIS: usize = 5;
/// Embedded files handed on.
const MAX_EMBEDDED: usize = 64;

/// Names that matter, and the tag each gives.
const NAMES: &[(&str, &str)] = &[
    ("JavaScript", "javascript"),
    ("JS", "javascript"),
    // `auto` only when the trigger runs an action on opening (see `Scan::trigger`).
    ("OpenAction", ""),
    ("AA", ""),
    ("Launch", "launch"),
    ("EmbeddedFile", "embedded"),
    ("EmbeddedFiles", "embedded"),
    ("XFA", "xfa"),
    ("URI", "uri"),
    ("SubmitForm", "submitform"),
    ("RichMedia", "richmedia"),
    ("Encrypt", "encrypted"),
];

// ---- parsing ----

fn is_ws(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn hexval(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b.saturating_sub(b'0')),
        b'a'..=b'f' => Some(b.saturating_sub(b'a').saturating_add(10)),
        b'A'..=b'F' => Some(b.saturating_sub(b'A').saturating_add(10)),
        _ => None,
    }
}

/// A name read at `at` (just after the `/`): decoded bytes, whether it had `#xx` escapes, and
/// where it ends.
fn read_name(b: &[u8], at: usize) -> (Vec<u8>, bool, usize) {
    let mut out = Vec::new();
    let mut escaped = false;
    let mut i = at;
    while let Some(&c) = b.get(i) {
        if is_ws(c) || is_delim(c) || out.len() > 127 {
            break;
        }
        if c == b'#' {
            if let (Some(h), Some(l)) = (
                b.get(i.saturating_add(1)).copied().and_then(hexval),
                b.get(i.saturating_add(2)).copied().and_then(hexval),
            ) {
                out.push((h << 4) | l);
                escaped = true;
                i = i.saturating_add(3);
                continue;
            }
        }
        out.push(c);
        i = i.saturating_add(1);
    }
    (out, escaped, i)
}

/// Every name in `b`, decoded, with its escaped flag and end offset.
fn names(b: &[u8]) -> impl Iterator<Item = (Vec<u8>, bool, usize)> + '_ {
    let mut i = 0usize;
    std::iter::from_fn(move || {
        let rel = b.get(i..)?.iter().position(|&c| c == b'/')?;
        let start = i.checked_add(rel)?.checked_add(1)?;
        let (n, esc, end) = read_name(b, start);
        i = end.max(start);
        Some((n, esc, end))
    })
}

/// A string object at `at` (after whitespace): literal `( )` with escapes and nesting, or hex.
fn read_string(b: &[u8], at: usize) -> Option<Vec<u8>> {
    let mut i = at;
    while b.get(i).is_some_and(|&c| is_ws(c)) {
        i = i.saturating_add(1);
    }
    match b.get(i)? {
        b'(' => {
            let mut out = Vec::new();
            let mut depth = 1usize;
            i = i.saturating_add(1);
            while let Some(&c) = b.get(i) {
                if out.len() > 4096 {
                    break;
                }
                i = i.saturating_add(1);
                match c {
                    b'\\' => {
                        let e = *b.get(i)?;
                        i = i.saturating_add(1);
                        match e {
                            b'n' => out.push(b'\n'),
                            b'r' => out.push(b'\r'),
                            b't' => out.push(b'\t'),
                            b'b' => out.push(8),
                            b'f' => out.push(12),
                            b'0'..=b'7' => {
                                let mut v = u32::from(e.saturating_sub(b'0'));
                                for _ in 0..2 {
                                    match b.get(i) {
                                        Some(&d @ b'0'..=b'7') => {
                                            v = v
                                                .saturating_mul(8)
                                                .saturating_add(u32::from(d.saturating_sub(b'0')));
                                            i = i.saturating_add(1);
                                        }
                                        _ => break,
                                    }
                                }
                                out.push((v & 0xFF) as u8);
                            }
                            b'\r' | b'\n' => {}
                            other => out.push(other),
                        }
                    }
                    b'(' => {
                        depth = depth.saturating_add(1);
                        out.push(c);
                    }
                    b')' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            break;
                        }
                        out.push(c);
                    }
                    _ => out.push(c),
                }
            }
            Some(out)
        }
        b'<' if b.get(i.saturating_add(1)) != Some(&b'<') => {
            let mut out = Vec::new();
            let mut hi: Option<u8> = None;
            i = i.saturating_add(1);
            while let Some(&c) = b.get(i) {
                i = i.saturating_add(1);
                if c == b'>' || out.len() > 4096 {
                    break;
                }
                if let Some(v) = hexval(c) {
                    match hi.take() {
                        Some(h) => out.push((h << 4) | v),
                        None => hi = Some(v),
                    }
                }
            }
            if let Some(h) = hi {
                out.push(h << 4);
            }
            Some(out)
        }
        _ => None,
    }
}

/// PDF text string (7.9.2.2): UTF-16BE with a BOM, UTF-8 with a BOM, else PDFDocEncoding
/// (read as Latin-1, which it matches for printable ASCII).
fn text(s: &[u8]) -> String {
    if let Some(rest) = s.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes(crate::bytes::pad::<2>(c)))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = s.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    match std::str::from_utf8(s) {
        Ok(t) => t.to_string(),
        Err(_) => s.iter().map(|&c| c as char).collect(),
    }
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::rfind(hay, needle)
}

/// One `stream ... endstream`: its dictionary text, its data, and its object number.
#[derive(Debug)]
pub struct Stream<'a> {
    pub dict: &'a [u8],
    pub data: &'a [u8],
    pub obj: Option<u32>,
}

/// Every stream, found by its keywords (the `/Length` is not trusted).
pub fn streams(b: &[u8]) -> Vec<Stream<'_>> {
    let mut out = Vec::new();
    let mut i = 0usize;
    while out.len() < MAX_STREAMS {
        let Some(kw) = find_from(b, i, b"stream") else {
            break;
        };
        i = kw.saturating_add(6);
        // Not `endstream`, and followed by an end of line.
        if kw >= 3 && b.get(kw.saturating_sub(3)..kw) == Some(b"end") {
            continue;
        }
        let start = match (b.get(i), b.get(i.saturating_add(1))) {
            (Some(b'\r'), Some(b'\n')) => i.saturating_add(2),
            (Some(b'\n'), _) | (Some(b'\r'), _) => i.saturating_add(1),
            _ => continue,
        };
        let end = find_from(b, start, b"endstream").unwrap_or(b.len());
        let mut data_end = end;
        if data_end > start && b.get(data_end.saturating_sub(1)) == Some(&b'\n') {
            data_end = data_end.saturating_sub(1);
        }
        if data_end > start && b.get(data_end.saturating_sub(1)) == Some(&b'\r') {
            data_end = data_end.saturating_sub(1);
        }
        // The dictionary: back to the `obj` keyword (bounded window).
        let win_start = kw.saturating_sub(64 * 1024);
        let window = b.get(win_start..kw).unwrap_or(&[]);
        let (dict_start, obj) = match rfind(window, b"obj") {
            Some(p) => (
                win_start.saturating_add(p).saturating_add(3),
                object_number(b.get(..win_start.saturating_add(p)).unwrap_or(&[])),
            ),
            None => (win_start, None),
        };
        out.push(Stream {
            dict: b.get(dict_start..kw).unwrap_or(&[]),
            data: b.get(start..data_end).unwrap_or(&[]),
            obj,
        });
        i = end.max(start);
    }
    out
}

/// `N G` before an `obj` keyword: N.
fn object_number(before: &[u8]) -> Option<u32> {
    let t = before.strip_suffix(b" ").unwrap_or(before);
    let mut parts = t.rsplit(|&c| is_ws(c)).filter(|p| !p.is_empty());
    let _gen = parts.next()?;
    let num = parts.next()?;
    std::str::from_utf8(num).ok()?.parse().ok()
}

fn dict_names(dict: &[u8]) -> Vec<Vec<u8>> {
    names(dict).map(|(n, _, _)| n).take(256).collect()
}

/// Inflate a FlateDecode stream up to `cap` bytes. Tolerant: what came out before an error is
/// kept. Returns the data and whether the cap was hit.
fn inflate(data: &[u8], cap: u64) -> (Vec<u8>, bool) {
    use std::io::Read;
    let mut out = Vec::new();
    let zlib = data.first().is_some_and(|&c| c & 0x0F == 8);
    let mut reader: Box<dyn Read> = if zlib {
        Box::new(flate2::read::ZlibDecoder::new(data))
    } else {
        Box::new(flate2::read::DeflateDecoder::new(data))
    };
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => return (out, false),
            Ok(n) => {
                out.extend_from_slice(buf.get(..n).unwrap_or(&[]));
                if out.len() as u64 > cap {
                    out.truncate(usize::try_from(cap).unwrap_or(usize::MAX));
                    return (out, true);
                }
            }
        }
    }
}

/// Embedded file names by the object number of their stream: `/EF << /F N 0 R >>` in a file
/// specification, with its `/UF` (preferred) or `/F` string.
fn filespec_names(b: &[u8], map: &mut Vec<(u32, String)>) {
    let mut i = 0usize;
    let mut tries = 0usize;
    while map.len() < MAX_EMBEDDED * 4 && tries < MAX_LOOKUPS {
        tries = tries.saturating_add(1);
        let Some(ef) = find_from(b, i, b"/EF") else {
            break;
        };
        i = ef.saturating_add(3);
        if b.get(i).is_some_and(|&c| c.is_ascii_alphanumeric()) {
            continue;
        }
        // /F N G R inside the /EF dictionary.
        let Some(f) = find_from(
            b.get(..i.saturating_add(200).min(b.len())).unwrap_or(&[]),
            i,
            b"/F",
        ) else {
            continue;
        };
        let tail = b
            .get(f.saturating_add(2)..f.saturating_add(40).min(b.len()))
            .unwrap_or(&[]);
        let tail = String::from_utf8_lossy(tail);
        let mut it = tail.split_whitespace();
        let Some(num) = it.next().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        // The name: /UF or /F followed by a string, around the /EF key.
        let lo = ef.saturating_sub(2048);
        let hi = ef.saturating_add(512).min(b.len());
        let around = b.get(lo..hi).unwrap_or(&[]);
        let mut name = None;
        for key in [&b"/UF"[..], &b"/F"[..]] {
            let mut j = 0usize;
            while let Some(p) = find_from(around, j, key) {
                j = p.saturating_add(key.len());
                if let Some(s) = read_string(around, j).filter(|s| !s.is_empty()) {
                    name = Some(text(&s));
                    break;
                }
            }
            if name.is_some() {
                break;
            }
        }
        if let Some(n) = name {
            map.push((num, n));
        }
    }
}

// ---- checks ----

#[derive(Default)]
struct Scan {
    /// Name → (count, escaped count).
    counts: Vec<(&'static str, usize, usize)>,
    uris: Vec<String>,
    launch_targets: Vec<String>,
    /// An action runs by itself on opening: `/OpenAction` with an action (not a plain
    /// destination array), or `/AA` with a page-open / page-visible event (`/O`, `/PO`, `/PV`).
    /// Form-field events (`/K`, `/F`, `/V`, `/C`: keystroke, format, validate, calculate) are
    /// what ordinary fillable forms use, and do not count.
    auto: bool,
    /// Look-ups around names done so far (bounded by [`MAX_LOOKUPS`], so a file repeating `/AA`
    /// or `/URI` a million times stays linear).
    lookups: usize,
}

/// Bounded look-ups (trigger dictionaries, URI and launch strings, file specifications).
const MAX_LOOKUPS: usize = 2000;

/// The keys of the dictionary starting after `at` (skipping whitespace), top level only.
fn dict_keys(b: &[u8], at: usize) -> Option<Vec<Vec<u8>>> {
    let mut i = at;
    while b.get(i).is_some_and(|&c| is_ws(c)) {
        i = i.saturating_add(1);
    }
    if b.get(i..i.saturating_add(2)) != Some(b"<<") {
        return None;
    }
    i = i.saturating_add(2);
    let mut depth = 1usize;
    let mut keys = Vec::new();
    let mut expect_key = true;
    let end = i.saturating_add(4096).min(b.len());
    while i < end {
        let c = *b.get(i)?;
        if b.get(i..i.saturating_add(2)) == Some(b"<<") {
            depth = depth.saturating_add(1);
            i = i.saturating_add(2);
            expect_key = false;
        } else if b.get(i..i.saturating_add(2)) == Some(b">>") {
            depth = depth.saturating_sub(1);
            i = i.saturating_add(2);
            if depth == 0 {
                break;
            }
            expect_key = depth == 1;
        } else if c == b'/' {
            let (n, _, e) = read_name(b, i.saturating_add(1));
            if depth == 1 && expect_key {
                keys.push(n);
                expect_key = false;
            } else if depth == 1 {
                expect_key = true;
            }
            i = e.max(i.saturating_add(1));
        } else if c == b'R' && depth == 1 {
            expect_key = true;
            i = i.saturating_add(1);
        } else {
            i = i.saturating_add(1);
        }
    }
    Some(keys)
}

impl Scan {
    fn trigger(&mut self, name: &str, b: &[u8], end: usize) {
        match name {
            "OpenAction" => {
                let mut i = end;
                while b.get(i).is_some_and(|&c| is_ws(c)) {
                    i = i.saturating_add(1);
                }
                // `[page /Fit]` is a destination; a dictionary or a reference is an action.
                if b.get(i) != Some(&b'[') {
                    self.auto = true;
                }
            }
            "AA" => {
                if let Some(keys) = dict_keys(b, end) {
                    if keys
                        .iter()
                        .any(|k| matches!(k.as_slice(), b"O" | b"PO" | b"PV"))
                    {
                        self.auto = true;
                    }
                }
            }
            _ => {}
        }
    }
}

impl Scan {
    fn names_in(&mut self, b: &[u8]) {
        for (n, esc, end) in names(b) {
            let Some(&(name, _)) = NAMES.iter().find(|(k, _)| k.as_bytes() == n.as_slice()) else {
                continue;
            };
            match self.counts.iter_mut().find(|(k, _, _)| *k == name) {
                Some(e) => {
                    e.1 = e.1.saturating_add(1);
                    e.2 = e.2.saturating_add(usize::from(esc));
                }
                None => self.counts.push((name, 1, usize::from(esc))),
            }
            if matches!(name, "OpenAction" | "AA" | "URI" | "Launch") {
                self.lookups = self.lookups.saturating_add(1);
                if self.lookups > MAX_LOOKUPS {
                    continue;
                }
            }
            if !self.auto {
                self.trigger(name, b, end);
            }
            if name == "URI" && self.uris.len() < MAX_URIS {
                if let Some(s) = read_string(b, end) {
                    let u = clip(text(&s).trim(), 100);
                    if !u.is_empty() && !self.uris.contains(&u) {
                        self.uris.push(u);
                    }
                }
            }
            if name == "Launch" && self.launch_targets.len() < 3 {
                // /F or /Win << /F (...) >> shortly after.
                let win = b
                    .get(end..end.saturating_add(300).min(b.len()))
                    .unwrap_or(&[]);
                if let Some(p) = find_from(win, 0, b"/F") {
                    if let Some(s) = read_string(win, p.saturating_add(2)).filter(|s| !s.is_empty())
                    {
                        self.launch_targets.push(clip(&text(&s), 100));
                    }
                }
            }
        }
    }

    fn tags(&self) -> Vec<&'static str> {
        let mut t: Vec<&'static str> = self
            .counts
            .iter()
            .filter_map(|(k, _, _)| NAMES.iter().find(|(n, _)| n == k).map(|(_, t)| *t))
            .filter(|t| !t.is_empty())
            .collect();
        if self.auto {
            t.push("auto");
        }
        t
    }
}

pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let mut scan = Scan::default();
    scan.names_in(bytes);
    let encrypted = scan.counts.iter().any(|(k, _, _)| *k == "Encrypt");
    let mut notes: Vec<String> = Vec::new();
    let mut closed = 0usize; // object streams / embedded files that could not be read
    let mut budget_out = false;
    let mut embedded: Vec<(Option<u32>, Vec<u8>)> = Vec::new();
    let mut spec_names: Vec<(u32, String)> = Vec::new();
    filespec_names(bytes, &mut spec_names);
    let mut objstm = 0usize;

    for s in streams(bytes) {
        let dn = dict_names(s.dict);
        let has = |n: &[u8]| dn.iter().any(|x| x.as_slice() == n);
        let is_objstm = has(b"ObjStm");
        let is_embedded = has(b"EmbeddedFile");
        if !is_objstm && !is_embedded {
            continue;
        }
        objstm = objstm.saturating_add(usize::from(is_objstm));
        let flate = has(b"FlateDecode") || has(b"Fl");
        let other_filter = dn.iter().any(|x| {
            matches!(
                x.as_slice(),
                b"ASCIIHexDecode"
                    | b"ASCII85Decode"
                    | b"LZWDecode"
                    | b"RunLengthDecode"
                    | b"AHx"
                    | b"A85"
                    | b"LZW"
                    | b"RL"
                    | b"Crypt"
            )
        });
        if encrypted || other_filter || budget_out {
            closed = closed.saturating_add(1);
            continue;
        }
        let data = if flate {
            let cap = MAX_STREAM_OUT.min(ctx.inflate_remaining());
            let (out, over) = inflate(s.data, cap);
            if !ctx.charge_inflated(out.len() as u64) || over {
                budget_out = true;
                ctx.limit_hit(loc, "PDF stream inflates past the size budget; the rest of the streams were not decoded");
                closed = closed.saturating_add(1);
                continue;
            }
            out
        } else {
            s.data.to_vec()
        };
        if is_objstm {
            scan.names_in(&data);
            filespec_names(&data, &mut spec_names);
        } else if embedded.len() < MAX_EMBEDDED {
            embedded.push((s.obj, data));
        } else {
            closed = closed.saturating_add(1);
        }
    }

    if scan.counts.is_empty() && embedded.is_empty() {
        if closed > 0 {
            ctx.finding("pdf.active_content", loc, format!("{closed} object streams could not be decoded (filters not supported); names inside them were not checked"));
            ctx.incomplete();
        }
        return;
    }

    let mut tags = scan.tags();
    let mut parts: Vec<String> = Vec::new();
    let listed: Vec<String> = scan
        .counts
        .iter()
        .filter(|(k, _, _)| *k != "Encrypt")
        .map(|(k, n, esc)| {
            let mut s = format!("/{k}");
            if *n > 1 {
                s.push_str(&format!(" ×{n}"));
            }
            if *esc > 0 {
                s.push_str(" (written with #xx escapes)");
            }
            s
        })
        .collect();
    if !listed.is_empty() {
        parts.push(format!("names: {}", listed.join(", ")));
    }
    if scan.counts.iter().any(|(_, _, e)| *e > 0) {
        tags.push("obfuscated");
    }
    if !scan.launch_targets.is_empty() {
        parts.push(format!("launches: {}", scan.launch_targets.join(", ")));
    }
    if !scan.uris.is_empty() {
        parts.push(format!("links: {}", scan.uris.join(", ")));
    }
    if objstm > 0 && !encrypted {
        notes.push(format!("{objstm} object streams decoded"));
    }
    if !embedded.is_empty() {
        tags.push("embedded");
        parts.push(format!("{} embedded files", embedded.len()));
    }
    if encrypted {
        parts.push("encrypted: names were checked, but strings and streams (object streams, embedded files) could not be read".into());
    }
    if closed > 0 {
        parts.push(format!(
            "{closed} object streams or embedded files could not be decoded"
        ));
    }
    ctx.finding_tagged("pdf.active_content", loc, parts.join("; "), tags);
    if closed > 0 {
        ctx.incomplete();
    }
    for n in notes {
        ctx.note(loc, n);
    }
    for (k, (obj, data)) in embedded.iter().enumerate() {
        let name = obj
            .and_then(|o| {
                spec_names
                    .iter()
                    .find(|(n, _)| *n == o)
                    .map(|(_, s)| s.clone())
            })
            .map(|s| s.rsplit(['\\', '/']).next().unwrap_or(&s).to_string())
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| format!("embedded{}", k.saturating_add(1)));
        let name = clip(&name, 200);
        let child = loc.child(name.clone());
        ctx.analyze(data, &name, &child, Via::Embedded);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decode_escapes() {
        let v: Vec<_> = names(b"<</J#61vaScript/JS(x)/A#x>>")
            .map(|(n, e, _)| (String::from_utf8(n).unwrap(), e))
            .collect();
        assert_eq!(
            v,
            vec![
                ("JavaScript".to_string(), true),
                ("JS".to_string(), false),
                ("A#x".to_string(), false)
            ]
        );
    }

    #[test]
    fn triggers() {
        let mut s = Scan::default();
        s.names_in(b"<</OpenAction [3 0 R /Fit]>> <</AA <</K 5 0 R /F <</S/JavaScript>> >> >>");
        assert!(!s.auto);
        s.names_in(b"<</AA <</K 5 0 R /O 6 0 R>> >>");
        assert!(s.auto);
        let mut s = Scan::default();
        s.names_in(b"<</OpenAction 4 0 R>>");
        assert!(s.auto);
    }

    #[test]
    fn strings_and_numbers() {
        assert_eq!(read_string(b" (a\\(b\\)c\\101)", 0).unwrap(), b"a(b)cA");
        assert_eq!(read_string(b"<414>", 0).unwrap(), b"A@");
        assert_eq!(text(&[0xFE, 0xFF, 0x30, 0x42]), "あ");
        assert_eq!(object_number(b"xref\n12 0 "), Some(12));
    }

    #[test]
    fn streams_by_keyword() {
        let pdf = b"1 0 obj <</Type/EmbeddedFile>> stream\r\nABC\r\nendstream endobj 2 0 obj<<>>stream\nxy\nendstream";
        let s = streams(pdf);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].data, b"ABC");
        assert_eq!(s[0].obj, Some(1));
        assert_eq!(s[1].data, b"xy");
        assert_eq!(s[1].obj, Some(2));
    }
}
