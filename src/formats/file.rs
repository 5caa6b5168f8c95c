//! Checks on any file, whatever its format: executables and scripts (`file.executable`),
//! disguised names (`file.double_extension`), and content that contradicts the extension
//! (`file.type_mismatch`).

use crate::detect::{extension, Kind};
use crate::engine::{Ctx, Via};
use crate::report::Location;

/// Extensions Windows runs (or hands to a script host or installer) when the file is opened.
pub const EXECUTABLE_EXTENSIONS: &[&str] = &[
    "exe",
    "com",
    "scr",
    "pif",
    "cpl",
    "dll",
    "msi",
    "msp",
    "msc",
    "js",
    "jse",
    "vbs",
    "vbe",
    "wsf",
    "wsh",
    "wsc",
    "hta",
    "bat",
    "cmd",
    "ps1",
    "psm1",
    "reg",
    "xll",
    "chm",
    "jar",
    "application",
    "appref-ms",
    "gadget",
    "inf",
    "sct",
    "settingcontent-ms",
    "library-ms",
    "lnk",
    "url",
];

/// Extensions of documents a disguised name pretends to be.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "txt", "rtf", "jpg",
    "jpeg", "png", "gif", "bmp", "zip", "csv", "htm", "html", "mp3", "mp4", "wav", "jtd", "odt",
    "ods",
];

/// Bidirectional controls and invisible characters that can make a name read differently than
/// it is. U+202E (RIGHT-TO-LEFT OVERRIDE) is the classic `cod.exe` → `exe.doc` trick.
pub fn is_bidi_or_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

/// The name with invisible and bidirectional characters shown as `<U+202E>`.
pub fn visible(name: &str) -> String {
    let mut s = String::with_capacity(name.len());
    for c in name.chars() {
        if is_bidi_or_invisible(c) || (c.is_control() && c != ' ') {
            s.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            s.push(c);
        }
    }
    s
}

/// Run the file-level checks on one object.
pub fn check(ctx: &mut Ctx<'_>, bytes: &[u8], name: &str, loc: &Location, kind: Kind, via: Via) {
    let ext = extension(name);
    let ext = ext.as_deref();

    // file.executable: by content, or by a name Windows would run.
    let by_content = match kind {
        Kind::Pe => Some("Windows PE executable (MZ/PE header)"),
        Kind::Mz => Some("DOS/Windows executable header (MZ)"),
        Kind::Script => Some("script content"),
        _ if bytes.starts_with(b"ITSF") => Some("compiled HTML help (ITSF)"),
        _ => None,
    };
    let by_name = ext.filter(|e| EXECUTABLE_EXTENSIONS.contains(e));
    match (by_content, by_name) {
        (Some(what), Some(e)) => {
            ctx.finding("file.executable", loc, format!("{what}; name ends .{e}"))
        }
        (Some(what), None) => ctx.finding("file.executable", loc, what),
        (None, Some(e)) => ctx.finding("file.executable", loc, format!("file type .{e}")),
        (None, None) => {}
    }

    check_name(ctx, name, loc);

    // file.type_mismatch: only where the content has a definite type of its own.
    if let Some(e) = ext {
        if let Some(expected) = expected_kinds(e) {
            let definite = !matches!(kind, Kind::Text | Kind::Unknown | Kind::Html | Kind::Mail);
            if definite && !expected.contains(&kind) {
                ctx.finding(
                    "file.type_mismatch",
                    loc,
                    format!("name says .{e}, content is {}", kind.as_str()),
                );
            }
        }
    }
    let _ = via;
}

/// Formats that can carry scripts, executables or macros but that Tenpu does not open yet: their
/// content is not inspected, which the report must say (`file.not_inspected`).
pub fn uninspected_carrier(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Gzip => "gzip archive: its content was not inspected",
        Kind::Rar => "RAR archive: its content was not inspected",
        Kind::SevenZip => "7-Zip archive: its content was not inspected",
        Kind::Cab => "cabinet (CAB) archive: its content was not inspected",
        _ => return None,
    })
}

/// `file.double_extension`: `請求書.pdf.exe`, long runs of spaces before the real extension, or
/// bidirectional-override characters in the name.
pub fn check_name(ctx: &mut Ctx<'_>, name: &str, loc: &Location) {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if base.chars().any(is_bidi_or_invisible) {
        ctx.finding(
            "file.double_extension",
            loc,
            format!(
                "name contains direction/invisible characters: {}",
                visible(base)
            ),
        );
        return;
    }
    let parts: Vec<&str> = base.split('.').collect();
    let [_, .., prev_raw, last] = parts.as_slice() else {
        return;
    };
    let last = last.trim().to_lowercase();
    let prev = prev_raw.trim().to_lowercase();
    if EXECUTABLE_EXTENSIONS.contains(&last.as_str())
        && DOCUMENT_EXTENSIONS.contains(&prev.as_str())
    {
        ctx.finding(
            "file.double_extension",
            loc,
            format!("looks like .{prev} but is .{last}: {}", visible(base)),
        );
    } else if EXECUTABLE_EXTENSIONS.contains(&last.as_str()) && prev_raw.ends_with("   ") {
        ctx.finding(
            "file.double_extension",
            loc,
            format!("spaces hide the real extension .{last}: {}", visible(base)),
        );
    }
}

/// The content types an extension promises, for the extensions where that is definite.
fn expected_kinds(ext: &str) -> Option<&'static [Kind]> {
    Some(match ext {
        "doc" | "dot" | "xls" | "xlt" | "xla" | "ppt" | "pot" | "pps" | "msg" | "msi" | "pub"
        | "vsd" => &[Kind::Ole],
        // A password-protected OOXML file is a Compound File (MS-OFFCRYPTO 2.3.4.4), not a ZIP.
        "docx" | "docm" | "dotx" | "dotm" | "xlsx" | "xlsm" | "xltx" | "xltm" | "xlsb" | "xlam"
        | "pptx" | "pptm" | "ppsx" | "ppsm" | "potx" | "potm" => &[Kind::Zip, Kind::Ole],
        "zip" | "jar" | "odt" | "ods" | "odp" | "apk" => &[Kind::Zip],
        "pdf" => &[Kind::Pdf],
        "rtf" => &[Kind::Rtf],
        "exe" | "dll" | "scr" | "cpl" | "sys" | "ocx" | "xll" | "com" => &[Kind::Pe, Kind::Mz],
        "one" => &[Kind::OneNote],
        "lnk" => &[Kind::Lnk],
        "iso" => &[Kind::Iso, Kind::Udf],
        "img" => &[Kind::Img, Kind::Iso, Kind::Udf],
        "vhd" | "vhdx" => &[Kind::Vhd],
        "gz" | "tgz" => &[Kind::Gzip],
        "rar" => &[Kind::Rar],
        "7z" => &[Kind::SevenZip],
        "cab" => &[Kind::Cab],
        "png" => &[Kind::Png],
        "jpg" | "jpeg" => &[Kind::Jpeg],
        "gif" => &[Kind::Gif],
        "txt" | "csv" | "log" | "eml" | "htm" | "html" | "xml" | "json" => {
            &[Kind::Text, Kind::Html, Kind::Mail]
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Options;

    fn codes(name: &str, bytes: &[u8]) -> Vec<&'static str> {
        let opts = Options::default();
        let mut ctx = Ctx::new(&opts);
        let loc = Location::root(name);
        let kind = crate::detect::sniff(bytes, name);
        check(&mut ctx, bytes, name, &loc, kind, Via::Input);
        ctx.findings().iter().map(|f| f.code).collect()
    }

    #[test]
    fn double_extension_and_rtlo() {
        assert_eq!(
            codes("請求書.pdf.exe", b"x"),
            vec!["file.executable", "file.double_extension"]
        );
        assert!(codes("report\u{202E}fdp.scr", b"x").contains(&"file.double_extension"));
        assert!(codes("請求書.pdf", b"%PDF-1.4").is_empty());
        assert!(codes("v1.2.final.docx", b"PK\x03\x04").is_empty());
    }

    #[test]
    fn mismatch_only_for_definite_content() {
        assert_eq!(
            codes("invoice.pdf", b"PK\x03\x04...."),
            vec!["file.type_mismatch"]
        );
        assert!(codes("notes.txt", b"hello").is_empty());
        assert_eq!(codes("x.doc", b"{\\rtf1"), vec!["file.type_mismatch"]);
        assert!(codes(
            "encrypted.docx",
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        )
        .is_empty());
    }

    #[test]
    fn script_by_name_and_content() {
        assert_eq!(codes("a.vbs", b"MsgBox 1"), vec!["file.executable"]);
        assert_eq!(
            codes("a.txt", b"<HTA:APPLICATION id=x>"),
            vec!["file.executable", "file.type_mismatch"]
        );
    }
}
