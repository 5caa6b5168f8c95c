//! Entry points for the cargo-fuzz targets in `fuzz/` and for `tests/regressions.rs`. Not part
//! of the API: one function per target, each taking arbitrary bytes and running one parser the
//! way the engine does (a fresh [`Ctx`] with default [`Options`] where the parser needs one).
//!
//! Each function checks the invariants of its parser and panics when one is broken, so a fuzzer
//! reports it as a crash: the whole check returns a report with at least the root object, and a
//! report that is not complete is never `no_findings`.

use crate::detect::Kind;
use crate::engine::Ctx;
use crate::formats;
use crate::formats::office::ole::{Cfb, EntryKind};
use crate::formats::office::vba;
use crate::options::Options;
use crate::report::{Location, Report, Verdict};

/// Output cap for the bare decompressors (the engine uses the check's inflation budget).
const MAX_OUT: usize = 16 << 20;

/// A target's function: runs one input, panics when an invariant breaks.
pub type Target = fn(&[u8]);

/// Every fuzz target by name, with the function that runs it.
pub const TARGETS: &[(&str, Target)] = &[
    ("check", |d| drop(check(d))),
    ("mime", |d| drop(mime(d))),
    ("msg", |d| drop(msg(d))),
    ("zip", |d| drop(zip(d))),
    ("vba_decompress", vba_decompress),
    ("biff", biff),
    ("lnk", |d| drop(lnk(d))),
    ("iso", |d| drop(iso(d))),
    ("onenote", |d| drop(onenote(d))),
    ("rtf", |d| drop(rtf(d))),
    ("pdf", |d| drop(pdf(d))),
    ("ole", ole),
];

/// File names the `check` target gives its input, chosen by the input's last byte (the first
/// bytes are the magic the fuzzer should keep; the last byte rarely matters to a format).
pub const CHECK_NAMES: &[&str] = &[
    "mail.eml",
    "請求書.zip",
    "document.doc",
    "book.xls",
    "message.msg",
    "shortcut.lnk",
    "disk.iso",
    "notes.one",
    "letter.rtf",
    "file.pdf",
    "invoice.pdf.exe",
    "script.vbs",
    "page.html",
    "link.url",
    "sheet.slk",
    "",
];

/// The name `check` uses for `data`.
pub fn check_name(data: &[u8]) -> &'static str {
    let i = usize::from(data.last().copied().unwrap_or(0))
        .checked_rem(CHECK_NAMES.len())
        .unwrap_or(0);
    CHECK_NAMES.get(i).copied().unwrap_or("")
}

/// The whole entry point, [`crate::check`], with default options.
pub fn check(data: &[u8]) -> Report {
    let r = crate::check(data, check_name(data), &Options::default());
    assert_report(&r);
    assert!(!r.objects.is_empty(), "a report without the root object");
    r
}

/// The invariants of every report: the verdict follows the policy.
pub fn assert_report(r: &Report) {
    if !r.complete {
        assert_ne!(
            r.verdict,
            Verdict::NoFindings,
            "an incomplete report said no_findings"
        );
    }
    assert_eq!(
        r.verdict,
        crate::policy::verdict(&r.findings, r.complete),
        "verdict does not follow the findings"
    );
}

/// Run `f` on a fresh context the way [`crate::engine::Ctx::analyze`] would dispatch.
fn with_ctx(root: &str, f: impl FnOnce(&mut Ctx<'_>, &Location)) -> Report {
    let opts = Options::default();
    let mut ctx = Ctx::new(&opts);
    let loc = Location::root(root);
    f(&mut ctx, &loc);
    let r = ctx.finish(root);
    assert_report(&r);
    r
}

/// A mail ([`formats::mail::analyze`]), whatever the bytes look like.
pub fn mime(data: &[u8]) -> Report {
    with_ctx("mail", |ctx, loc| formats::mail::analyze(ctx, data, loc))
}

/// An Outlook message: the compound file opened, then [`formats::msg::analyze`] on its root.
/// Bytes that are not a compound file go to the compressed-RTF (LZFu) reader instead.
pub fn msg(data: &[u8]) -> Report {
    with_ctx("mail", |ctx, loc| match Cfb::open(data) {
        Ok(cfb) => {
            let _ = formats::msg::is_message_cfb(&cfb);
            formats::msg::analyze(ctx, &cfb, loc);
        }
        Err(_) => {
            if let Ok(rtf) = formats::msg::lzfu::decompress(data, MAX_OUT) {
                assert!(rtf.len() <= MAX_OUT, "LZFu went over its cap");
                let _ = formats::msg::lzfu::rtf_to_text(&rtf, Some(932));
            }
        }
    })
}

/// A ZIP: the own central directory parser, then [`formats::zip::analyze`] (entries, passwords,
/// OOXML, nested files).
pub fn zip(data: &[u8]) -> Report {
    let _ = formats::zip::archive::parse(data, 10_000);
    with_ctx("archive.zip", |ctx, loc| {
        formats::zip::analyze(ctx, data, "archive.zip", loc)
    })
}

/// MS-OVBA decompression of a CompressedContainer, then the `dir` stream parser and the
/// keyword scan on what came out.
pub fn vba_decompress(data: &[u8]) {
    let out = vba::decompress::decompress(data, MAX_OUT);
    assert!(out.data.len() <= MAX_OUT, "decompression went over its cap");
    let _ = vba::dir::parse_dir(&out.data, vba::decode_cp);
    let _ = vba::dir::parse_dir(data, vba::decode_cp);
    let text = String::from_utf8_lossy(&out.data);
    let _ = vba::keywords::scan(&text);
}

/// A BIFF8/BIFF5 `Workbook` stream: the globals record walk (sheets, FilePass, Auto_Open names)
/// and the macro-sheet formula scan (XLM), and the `.xlsb` record readers on the same bytes.
pub fn biff(data: &[u8]) {
    let _ = formats::office::xls::scan_globals(data);
    let f = formats::office::xlm::biff8_macro_formulas(data);
    let _ = f.summary();
    let _ = formats::office::xlm::xlsb_macro_formulas(data);
    let _ = formats::office::xlsb::workbook(data);
    let _ = formats::office::xlsb::dde_links(data);
}

/// A Shell Link: [`formats::shortcut::parse_lnk`] and the checks.
pub fn lnk(data: &[u8]) -> Report {
    if let Some(l) = formats::shortcut::parse_lnk(data) {
        let _ = l.target();
    }
    with_ctx("shortcut.lnk", |ctx, loc| {
        formats::shortcut::analyze(ctx, data, Kind::Lnk, loc)
    })
}

/// The system area (sectors 0-15) an ISO 9660 / UDF image starts with.
const SYSTEM_AREA: usize = 0x8000;

/// An ISO 9660 or UDF image. An input starting with a volume descriptor (`?CD001`, `?BEA01`)
/// gets the 32 KiB system area put in front, so the fuzzer need not carry it.
pub fn iso(data: &[u8]) -> Report {
    let img: std::borrow::Cow<'_, [u8]> = match data.get(1..6) {
        Some(b"CD001") | Some(b"BEA01") => {
            let mut v = vec![0u8; SYSTEM_AREA];
            v.extend_from_slice(data);
            v.into()
        }
        _ => data.into(),
    };
    let _ = formats::disk::parse_iso(&img);
    let _ = formats::disk::parse_udf(&img);
    let r = with_ctx("disk.iso", |ctx, loc| {
        formats::disk::analyze(ctx, &img, Kind::Iso, loc)
    });
    with_ctx("disk.iso", |ctx, loc| {
        formats::disk::analyze(ctx, &img, Kind::Udf, loc)
    });
    r
}

/// A OneNote section ([`formats::onenote::analyze`]).
pub fn onenote(data: &[u8]) -> Report {
    with_ctx("notes.one", |ctx, loc| {
        formats::onenote::analyze(ctx, data, loc)
    })
}

/// An RTF document ([`formats::rtf::analyze`]).
pub fn rtf(data: &[u8]) -> Report {
    with_ctx("letter.rtf", |ctx, loc| {
        formats::rtf::analyze(ctx, data, loc)
    })
}

/// A PDF ([`formats::pdf::analyze`]).
pub fn pdf(data: &[u8]) -> Report {
    with_ctx("file.pdf", |ctx, loc| formats::pdf::analyze(ctx, data, loc))
}

/// The own compound file reader: open, read every stream, read every VBA project.
pub fn ole(data: &[u8]) {
    let Ok(cfb) = Cfb::open(data) else {
        return;
    };
    for (i, e) in cfb.entries.iter().enumerate() {
        let _ = cfb.path_of(i);
        if e.kind == EntryKind::Stream {
            let _ = cfb.read(e, MAX_OUT);
        }
    }
    let mut budget = MAX_OUT as u64;
    for storage in vba::find_projects(&cfb) {
        let _ = vba::read_project(&cfb, storage, &mut |n| match budget.checked_sub(n) {
            Some(left) => {
                budget = left;
                true
            }
            None => false,
        });
    }
}
