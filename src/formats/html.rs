//! HTML attachments: HTML smuggling, credential forms and remote redirects
//! (`file.html_smuggling`).
//!
//! References: WHATWG HTML Living Standard — 4.6.5 the `download` attribute of `a`, 4.10.3 the
//! `form` element and its `action`, 4.10.5.1.6 `input type=password`, 4.2.5.3 `meta http-equiv`
//! "refresh"; W3C File API — `Blob`, `URL.createObjectURL`; RFC 2397 `data:` URLs; RFC 4648
//! base64. The technique: MITRE ATT&CK T1027.006 (HTML Smuggling).
//!
//! Only HTML *attachments* come here (`detect.rs` gives `Kind::Html`); HTML mail bodies are
//! checked by the mail module. No single API is reported on its own — every web page uses some
//! of them — only combinations:
//! - `smuggling`: a file built in the browser and offered for saving: (`new Blob(` or
//!   `atob(` + `Uint8Array`) with (`URL.createObjectURL` or `msSaveOrOpenBlob`) and a trigger
//!   (`.download`, `.click()`, `msSaveOrOpenBlob`); or a large base64 / `String.fromCharCode`
//!   payload (at least [`BIG_BASE64`] characters / [`BIG_CHARCODES`] codes) decoded with
//!   `atob`/`fromCharCode` and a trigger; or an `<a download>` whose `href` is a non-image
//!   `data:` URL.
//! - `credential_form`: a password input in a page that posts to an absolute URL (a form
//!   `action`, or `fetch`/`XMLHttpRequest`/`$.ajax`/`$.post` with an absolute URL). An
//!   attachment has no origin of its own, so any absolute target is "another domain".
//! - `redirect`: `<meta http-equiv=refresh>` to a remote URL, or `location.href =` /
//!   `location.replace(` / `location.assign(` / `window.location =` with a literal remote URL.
//!
//! A large base64 payload that decodes (bounded, [`MAX_DECODE`]) to a known file type is handed to
//! [`Ctx::analyze`] as `smuggled.<ext>`.

use crate::bytes::{find, find_from};
use crate::detect::{self, Kind};
use crate::engine::{clip, Ctx, Via};
use crate::report::Location;

/// Base64 run length that counts as an embedded payload.
pub const BIG_BASE64: usize = 4096;
/// Char codes in one `fromCharCode(...)` call that count as a payload.
pub const BIG_CHARCODES: usize = 200;
/// Base64 characters decoded at most.
const MAX_DECODE: usize = 48 * 1024 * 1024;

fn has(hay: &[u8], needle: &str) -> bool {
    find(hay, needle.as_bytes()).is_some()
}

fn is_b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

/// The longest base64 run (start, length), ignoring `=` padding.
fn longest_base64(b: &[u8]) -> (usize, usize) {
    let (mut best, mut cur_start, mut cur) = ((0usize, 0usize), 0usize, 0usize);
    for (i, &c) in b.iter().enumerate() {
        if is_b64(c) {
            if cur == 0 {
                cur_start = i;
            }
            cur = cur.saturating_add(1);
            if cur > best.1 {
                best = (cur_start, cur);
            }
        } else {
            cur = 0;
        }
    }
    best
}

/// Decode standard base64 (no whitespace inside the run), bounded.
fn base64_decode(s: &[u8]) -> Vec<u8> {
    let s = s.get(..s.len().min(MAX_DECODE)).unwrap_or(s);
    crate::bytes::base64(s, crate::bytes::Base64Other::Stop).unwrap_or_default()
}

/// Largest count of numeric arguments in one `fromcharcode(` call (lower-cased input).
fn max_charcodes(low: &[u8]) -> usize {
    let mut best = 0usize;
    let mut i = 0usize;
    let mut calls = 0usize;
    let mut scanned = 0usize;
    while let Some(p) = find_from(low, i, b"fromcharcode(") {
        i = p.saturating_add(13);
        calls = calls.saturating_add(1);
        if calls > 256 {
            break;
        }
        let mut n = 0usize;
        let mut in_num = false;
        // At most 8 MiB looked at over all calls.
        let room = (8usize << 20).saturating_sub(scanned);
        let args = low.get(i..).unwrap_or(&[]);
        let args = args.get(..room.min(args.len())).unwrap_or(&[]);
        let used = args
            .iter()
            .position(|&c| c == b')')
            .map_or(args.len(), |p| p.saturating_add(1));
        scanned = scanned.saturating_add(used);
        for &c in args.get(..used).unwrap_or(&[]) {
            match c {
                b')' => break,
                b'0'..=b'9' | b'x' | b'a'..=b'f' => {
                    if !in_num {
                        n = n.saturating_add(1);
                        in_num = true;
                    }
                }
                _ => in_num = false,
            }
        }
        best = best.max(n);
    }
    best
}

/// The literal URL after `at` (skipping spaces, `=`, `(`, quotes), if it is absolute http(s).
fn remote_url_after(orig: &[u8], low: &[u8], at: usize) -> Option<String> {
    let mut i = at;
    let mut steps = 0usize;
    while let Some(&c) = low.get(i) {
        if !(c.is_ascii_whitespace() || matches!(c, b'=' | b'(' | b'"' | b'\'' | b'`'))
            || steps > 16
        {
            break;
        }
        i = i.saturating_add(1);
        steps = steps.saturating_add(1);
    }
    let rest = low.get(i..)?;
    if !(rest.starts_with(b"http://") || rest.starts_with(b"https://") || rest.starts_with(b"//")) {
        return None;
    }
    let end = rest
        .iter()
        .take(300)
        .position(|&c| {
            matches!(
                c,
                b'"' | b'\'' | b'`' | b' ' | b'>' | b')' | b';' | b'\n' | b'\r'
            )
        })
        .unwrap_or(rest.len().min(300));
    let u = orig.get(i..i.saturating_add(end))?;
    Some(clip(&String::from_utf8_lossy(u), 100))
}

/// What the scan found.
#[derive(Debug, Default)]
pub struct Signals {
    pub smuggling: Vec<String>,
    pub credential: Vec<String>,
    pub redirect: Vec<String>,
    /// The payload to decode: base64 run (start, len).
    pub payload: Option<(usize, usize)>,
}

pub fn scan(b: &[u8]) -> Signals {
    let low = b.to_ascii_lowercase();
    let low = low.as_slice();
    let mut s = Signals::default();

    // ---- smuggling ----
    let atob = has(low, "atob(");
    let blob = has(low, "new blob(") || has(low, "new blob (");
    let u8a = has(low, "uint8array");
    let objurl = has(low, "createobjecturl");
    let mssave = has(low, "mssaveoropenblob") || has(low, "mssaveblob");
    let download = has(low, ".download") || has(low, "'download'") || has(low, "\"download\"");
    let click = has(low, ".click()") || has(low, "new mouseevent");
    let (b64_at, b64_len) = longest_base64(b);
    let big_b64 = b64_len >= BIG_BASE64;
    let charcodes = max_charcodes(low);
    let big_cc = charcodes >= BIG_CHARCODES;
    let trigger = download || click || mssave;
    let builds = (blob || (atob && u8a)) && (objurl || mssave) && trigger;
    let drops = ((atob && big_b64) || big_cc) && trigger && (blob || objurl || mssave || download);
    let mut data_dl = false;
    let mut i = 0usize;
    while let Some(p) = find_from(low, i, b"data:application/") {
        i = p.saturating_add(17);
        // An <a ... download ...> around it.
        let lo = low.get(p.saturating_sub(600)..p).unwrap_or(&[]);
        if let Some(a) = lo.windows(2).rposition(|w| w == b"<a") {
            let tag_end = find_from(low, p, b">")
                .unwrap_or(low.len())
                .min(p.saturating_add(600));
            let tag = [
                lo.get(a..).unwrap_or(&[]),
                low.get(p..tag_end).unwrap_or(&[]),
            ]
            .concat();
            if find(&tag, b"download").is_some() {
                data_dl = true;
                break;
            }
        }
    }
    if builds || drops || data_dl {
        let mut what: Vec<&str> = Vec::new();
        for (on, n) in [
            (atob, "atob()"),
            (blob, "new Blob()"),
            (u8a, "Uint8Array"),
            (objurl, "URL.createObjectURL"),
            (mssave, "msSaveOrOpenBlob"),
            (download, "download attribute"),
            (click, "scripted click"),
            (data_dl, "<a download> with a data: URL"),
        ] {
            if on {
                what.push(n);
            }
        }
        s.smuggling
            .push(format!("builds a file in the browser: {}", what.join(", ")));
        if big_b64 {
            s.smuggling
                .push(format!("base64 payload of {b64_len} characters"));
        }
        // The file being built is most likely the longest base64 run, whatever its size.
        if b64_len >= 64 {
            s.payload = Some((b64_at, b64_len));
        }
        if big_cc {
            s.smuggling
                .push(format!("String.fromCharCode with {charcodes} codes"));
        }
    }

    // ---- credential forms ----
    let password =
        has(low, "type=\"password\"") || has(low, "type='password'") || has(low, "type=password");
    if password {
        let mut i = 0usize;
        while let Some(p) = find_from(low, i, b"<form") {
            i = p.saturating_add(5);
            let end = find_from(low, p, b">")
                .unwrap_or(low.len())
                .min(p.saturating_add(2000));
            if let Some(a) = find(low.get(p..end).unwrap_or(&[]), b"action") {
                if let Some(u) = remote_url_after(b, low, p.saturating_add(a).saturating_add(6)) {
                    s.credential.push(format!("password form posts to {u}"));
                    break;
                }
            }
        }
        if s.credential.is_empty() {
            let sender = [
                "fetch(",
                "xmlhttprequest",
                "$.ajax",
                "$.post",
                ".open(\"post\"",
                ".open('post'",
            ]
            .into_iter()
            .find(|k| has(low, k));
            if let Some(key) = sender {
                // An absolute URL in a string literal anywhere in the page.
                let mut j = 0usize;
                let mut found = None;
                while let Some(p) = find_from(low, j, b"http") {
                    j = p.saturating_add(4);
                    if p > 0 && matches!(low.get(p.saturating_sub(1)), Some(b'"' | b'\'' | b'`')) {
                        found = remote_url_after(b, low, p);
                        if found.is_some() {
                            break;
                        }
                    }
                }
                if let Some(u) = found {
                    s.credential.push(format!(
                        "password field sent by script ({}) to {u}",
                        key.trim_end_matches('(')
                    ));
                }
            }
        }
    }

    // ---- redirects ----
    let mut i = 0usize;
    while let Some(p) = find_from(low, i, b"http-equiv") {
        i = p.saturating_add(10);
        let end = find_from(low, p, b">")
            .unwrap_or(low.len())
            .min(p.saturating_add(1000));
        let tag = low.get(p..end).unwrap_or(&[]);
        if find(tag, b"refresh").is_some() {
            if let Some(u) = find(tag, b"url=")
                .and_then(|q| remote_url_after(b, low, p.saturating_add(q).saturating_add(4)))
            {
                s.redirect.push(format!("meta refresh to {u}"));
                break;
            }
        }
    }
    for key in [
        "location.href",
        "location.replace",
        "location.assign",
        "window.location",
        "document.location",
        "top.location",
    ] {
        let mut i = 0usize;
        while let Some(p) = find_from(low, i, key.as_bytes()) {
            i = p.saturating_add(key.len());
            if let Some(u) = remote_url_after(b, low, i) {
                s.redirect.push(format!("{key} to {u}"));
                break;
            }
        }
        if s.redirect.len() >= 3 {
            break;
        }
    }
    s
}

/// Extension for a decoded payload of this kind, if it is worth checking.
fn ext_for(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Zip => "zip",
        Kind::Ole => "doc",
        Kind::Pe | Kind::Mz => "exe",
        Kind::Iso | Kind::Udf => "iso",
        Kind::Vhd => "vhd",
        Kind::Img => "img",
        Kind::Lnk => "lnk",
        Kind::OneNote => "one",
        Kind::Pdf => "pdf",
        Kind::Rtf => "rtf",
        Kind::Rar => "rar",
        Kind::SevenZip => "7z",
        Kind::Gzip => "gz",
        Kind::Cab => "cab",
        Kind::Script => "hta",
        Kind::Html => "html",
        _ => return None,
    })
}

pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let s = scan(bytes);
    for (tag, items) in [
        ("smuggling", &s.smuggling),
        ("credential_form", &s.credential),
        ("redirect", &s.redirect),
    ] {
        if !items.is_empty() {
            ctx.finding_tagged("file.html_smuggling", loc, items.join("; "), vec![tag]);
        }
    }
    if let Some((at, len)) = s.payload {
        let Some(run) = bytes.get(at..at.saturating_add(len)) else {
            return;
        };
        let decoded = base64_decode(run);
        let kind = detect::sniff(&decoded, "");
        if let Some(ext) = ext_for(kind) {
            let name = format!("smuggled.{ext}");
            let child = loc.child(name.clone());
            ctx.analyze(&decoded, &name, &child, Via::Embedded);
        } else if run.len() >= MAX_DECODE {
            ctx.note(loc, "base64 payload only partly decoded (size limit)");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_roundtrip() {
        assert_eq!(base64_decode(b"UEsDBA"), b"PK\x03\x04");
        assert_eq!(base64_decode(b"aGVsbG8="), b"hello");
        assert_eq!(longest_base64(b"xx ABCD== y"), (3, 4));
    }

    #[test]
    fn single_apis_are_not_enough() {
        let page = b"<html><script>var a = atob('aGk='); link.download = 'x'; URL.createObjectURL(x)</script></html>";
        let s = scan(page);
        assert!(s.smuggling.is_empty(), "{:?}", s.smuggling);
        let s =
            scan(b"<a href=\"https://example.jp/\">x</a><script>location.href = '/next'</script>");
        assert!(s.redirect.is_empty());
        let s = scan(b"<meta http-equiv=\"refresh\" content=\"0; URL='https://evil.example/p'\">");
        assert_eq!(s.redirect, vec!["meta refresh to https://evil.example/p"]);
        assert_eq!(max_charcodes(b"string.fromcharcode(72, 0x69,  33)"), 3);
    }
}
