//! Office documents: OLE/CFB ([MS-CFB]), VBA projects ([MS-OVBA]), BIFF8 ([MS-XLS]), Word's
//! FIB ([MS-DOC]), encrypted packages ([MS-OFFCRYPTO]) and OOXML (ECMA-376).
//!
//! Parsing lives in the submodules ([`ole`], [`vba`], [`xls`], [`ppt`], [`ooxml`], [`xml`]); this file
//! runs the checks and records findings:
//!
//! | code | when |
//! |---|---|
//! | `office.vba_macro` | a VBA project storage (evidence: module names), at the document |
//! | `office.vba_autoexec` | an auto-exec entry point in a module, at `document > module` |
//! | `office.vba_suspicious` | keyword by category (`execute`, `download`, `write`, `obfuscation`), at the module |
//! | `office.xlm_macro` | a BIFF BoundSheet8 with dt=1, or an `xl/macrosheets/` part / xlMacrosheet relationship (with hidden / very hidden state); a defined name `Auto_Open` |
//! | `office.encrypted` | `EncryptionInfo` + `EncryptedPackage`, Word FIB fEncrypted, BIFF FilePass, PowerPoint CurrentUserAtom — plus incomplete |
//! | `office.external_relationship` | an external relationship to another machine (not hyperlinks, not local paths); tagged with its type when it is attachedTemplate, oleObject, frame or subDocument |
//! | `office.malformed` | the container or a stream could not be read — plus incomplete |
//!
//! VBA projects are found as storages with a `dir` stream (`Macros/VBA` in .doc,
//! `_VBA_PROJECT_CUR/VBA` in .xls, any other), inside PowerPoint's `PowerPoint Document` stream,
//! and in OOXML `vbaProject.bin` parts (by name or by relationship type).
//!
//! Not handled here yet: embedded objects (ObjectPool, Ole10Native, ExOleObjStg other than
//! VBA), DDE fields, Word 2003 XML / MHTML (`editdata.mso`), SYLK, VBA stomping (p-code
//! without source). They are parsed past without error.

mod crypto;
pub mod ole;
pub mod ooxml;
pub mod ppt;
pub mod vba;
pub mod xls;
pub mod xml;

use std::collections::{BTreeSet, HashMap};

use crate::engine::Ctx;
use crate::formats::PartSource;
use crate::report::Location;

use ole::{Cfb, EntryKind};

/// Findings kept per keyword per module (further hits of the same keyword are dropped).
/// Keeps a macro with 500 `Chr()` lines from flooding the report.
const MAX_PER_KEYWORD: usize = 3;
/// Characters of a source line kept in the evidence.
const LINE_CLIP: usize = 160;
/// Bytes read from a small header stream (FIB, EncryptionInfo).
const SMALL_READ: usize = 64 << 10;
/// Bytes read from a Workbook stream (the globals substream comes first and is small, but the
/// stream is read whole; it is a slice of the input so this only bounds copying).
const WORKBOOK_READ: usize = 64 << 20;
/// One compressed storage (VBA project) inflated from a PowerPoint stream, at most.
const MAX_PPT_STORAGE: u64 = 32 << 20;

/// An OLE2 / Compound File (`.doc`, `.xls`, `.ppt`, ...).
pub fn analyze_ole(ctx: &mut Ctx<'_>, bytes: &[u8], name: &str, loc: &Location) {
    let _ = name;
    let cfb = match Cfb::open(bytes) {
        Ok(c) => c,
        Err(e) => {
            malformed(ctx, loc, format!("compound file could not be read: {e}"));
            return;
        }
    };
    if let Some(first) = cfb.problems.first() {
        let more = cfb.problems.len().saturating_sub(1);
        let tail = if more > 0 {
            format!(" (and {more} more problems)")
        } else {
            String::new()
        };
        malformed(ctx, loc, format!("compound file structure damaged: {first}{tail}"));
    }
    check_encryption(ctx, &cfb, loc);
    check_workbook(ctx, &cfb, loc);
    let ppt_encrypted = check_ppt_encryption(ctx, &cfb, loc);
    for storage in vba::find_projects(&cfb) {
        analyze_project(ctx, &cfb, storage, loc);
    }
    if !ppt_encrypted {
        check_ppt_vba(ctx, &cfb, loc);
    }
    // An Outlook message ([MS-OXMSG] 2.1: `__substg1.0_*` property streams and
    // `__attach_version1.0_*` attachment storages at the root). Its text and attachments are not
    // read by this version, so the report must not look complete.
    if cfb.children(0).any(|e| e.name().starts_with("__substg1.0_") || e.name().starts_with("__attach_version1.0_")) {
        crate::formats::msg::analyze(ctx, &cfb, loc);
    }
}

/// PowerPoint keeps its VBA project as a compound file inside the `PowerPoint Document` stream
/// (see [`ppt`]). Embedded storages that are not VBA projects are left for the embedded-object
/// checks.
fn check_ppt_vba(ctx: &mut Ctx<'_>, cfb: &Cfb<'_>, loc: &Location) {
    let Some(doc) = cfb
        .find(&["PowerPoint Document"])
        .filter(|e| e.kind == EntryKind::Stream)
    else {
        return;
    };
    let data = match cfb.read(doc, WORKBOOK_READ) {
        Ok(d) => d,
        Err(e) => {
            malformed(ctx, loc, format!("PowerPoint Document stream: {e}"));
            return;
        }
    };
    let max = ctx
        .opts
        .limits
        .max_entry_inflated
        .min(ctx.inflate_remaining())
        .min(MAX_PPT_STORAGE);
    let (storages, err) = ppt::embedded_storages(&data, max, &mut |n| ctx.charge_inflated(n));
    match err {
        Some(ppt::WalkError::Limit(what)) => ctx.limit_hit(loc, what),
        Some(ppt::WalkError::Malformed(e)) => malformed(ctx, loc, format!("PowerPoint Document stream: {e}")),
        None => {}
    }
    for bytes in storages {
        let Ok(inner) = Cfb::open(&bytes) else { continue };
        for storage in vba::find_projects(&inner) {
            analyze_project(ctx, &inner, storage, loc);
        }
    }
}

/// An OOXML package (a ZIP with `[Content_Types].xml`).
pub fn analyze_ooxml(ctx: &mut Ctx<'_>, parts: &mut dyn PartSource, loc: &Location) {
    let mut names = parts.part_names();
    names.sort();
    names.dedup();

    // Relationships first: external targets are reported, and internal ones tell which parts
    // are VBA projects and macro sheets whatever their names (Office follows the relationship
    // types, so a renamed part works just as well).
    let lower: HashMap<String, &String> = names
        .iter()
        .map(|n| (n.trim_start_matches('/').to_lowercase(), n))
        .collect();
    let mut vba_parts: BTreeSet<String> = names
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin"))
        .cloned()
        .collect();
    let mut macro_parts: BTreeSet<String> = names.iter().filter(|n| ooxml::is_macrosheet(n)).cloned().collect();
    for part in names.iter().filter(|n| n.to_ascii_lowercase().ends_with(".rels")) {
        let Some(data) = read_part(ctx, parts, part, loc) else {
            continue;
        };
        let base = ooxml::rels_base(part);
        for rel in ooxml::relationships(&data) {
            if rel.external {
                // Hyperlinks wait for a click; local paths fetch nothing from outside.
                if rel.kind.eq_ignore_ascii_case("hyperlink") || !ooxml::is_remote(&rel.target) {
                    continue;
                }
                let ev = format!("{} → {} (in {part})", rel.kind, rel.target);
                match ooxml::injection_tag(&rel.kind) {
                    Some(tag) => ctx.finding_tagged("office.external_relationship", loc, ev, vec![tag]),
                    None => ctx.finding("office.external_relationship", loc, ev),
                }
                continue;
            }
            let kind = rel.kind.to_ascii_lowercase();
            let set = match kind.as_str() {
                "vbaproject" => &mut vba_parts,
                "xlmacrosheet" | "xlintlmacrosheet" => &mut macro_parts,
                _ => continue,
            };
            if let Some(actual) = lower.get(&ooxml::resolve(&base, &rel.target).to_lowercase()) {
                set.insert((*actual).clone());
            }
        }
    }

    // VBA projects.
    for part in &vba_parts {
        let Some(data) = read_part(ctx, parts, part, loc) else {
            continue;
        };
        match Cfb::open(&data) {
            Err(e) => {
                ctx.finding("office.vba_macro", loc, format!("VBA project {part} (unreadable)"));
                malformed(ctx, loc, format!("{part}: {e}"));
            }
            Ok(cfb) => {
                if let Some(first) = cfb.problems.first() {
                    malformed(ctx, loc, format!("{part}: compound file structure damaged: {first}"));
                }
                let projects = vba::find_projects(&cfb);
                if projects.is_empty() {
                    ctx.finding(
                        "office.vba_macro",
                        loc,
                        format!("VBA project {part} (no VBA storage inside)"),
                    );
                    malformed(ctx, loc, format!("{part}: no VBA project storage (dir stream) found"));
                }
                for storage in projects {
                    analyze_project(ctx, &cfb, storage, loc);
                }
            }
        }
    }

    // Excel 4.0 macro sheets, with names and states from the workbook when it can be read.
    if !macro_parts.is_empty() {
        let wb = lower.get("xl/workbook.xml").map(|s| (*s).clone());
        let wb_rels = lower.get("xl/_rels/workbook.xml.rels").map(|s| (*s).clone());
        let wb = wb.and_then(|w| read_part(ctx, parts, &w, loc));
        let wb_rels = wb_rels.and_then(|r| read_part(ctx, parts, &r, loc));
        let sheets = match (&wb, &wb_rels) {
            (Some(w), Some(r)) => ooxml::workbook_sheets(w, r),
            _ => Default::default(),
        };
        if wb.as_deref().is_some_and(ooxml::auto_open_defined) {
            ctx.finding(
                "office.xlm_macro",
                loc,
                "defined name Auto_Open: an Excel 4.0 macro runs when the workbook opens",
            );
        }
        for p in &macro_parts {
            let key = p.trim_start_matches('/').to_lowercase();
            let ev = match sheets.get(&key) {
                Some(s) => format!(
                    "Excel 4.0 macro sheet \"{}\" ({}) in {p}",
                    s.name,
                    state_words(&s.state)
                ),
                None => format!("Excel 4.0 macro sheet {p}"),
            };
            ctx.finding("office.xlm_macro", loc, ev);
        }
    }
}

fn read_part(ctx: &mut Ctx<'_>, parts: &mut dyn PartSource, part: &str, loc: &Location) -> Option<Vec<u8>> {
    match parts.read_part(ctx, part)? {
        Ok(d) => Some(d),
        Err(e) => {
            malformed(ctx, loc, format!("part {part} could not be read: {e}"));
            None
        }
    }
}

fn state_words(state: &str) -> &'static str {
    match state.to_ascii_lowercase().as_str() {
        "hidden" => "hidden",
        "veryhidden" => "very hidden",
        _ => "visible",
    }
}

fn malformed(ctx: &mut Ctx<'_>, loc: &Location, ev: String) {
    ctx.finding("office.malformed", loc, ev);
    ctx.incomplete();
}

/// Encrypted OOXML in a CFB ([MS-OFFCRYPTO] 2.3.4: EncryptionInfo + EncryptedPackage streams,
/// decrypted by [`crypto`] when a password works), encrypted Word binary documents ([MS-DOC]
/// 2.5.2 FibBase: wIdent 0xA5EC, fEncrypted 0x0100, fObfuscated 0x8000 in the flags word at
/// offset 0x0A).
fn check_encryption(ctx: &mut Ctx<'_>, cfb: &Cfb<'_>, loc: &Location) {
    let info = cfb.find(&["EncryptionInfo"]).filter(|e| e.kind == EntryKind::Stream);
    let pkg = cfb.find(&["EncryptedPackage"]).filter(|e| e.kind == EntryKind::Stream);
    if let (Some(info), Some(pkg)) = (info, pkg) {
        decrypt_package(ctx, cfb, info, pkg, loc);
    }
    if let Some(wd) = cfb.find(&["WordDocument"]).filter(|e| e.kind == EntryKind::Stream) {
        match cfb.read(wd, SMALL_READ) {
            Ok(fib) => {
                let ident = fib.get(0..2).map(|b| u16::from_le_bytes([b[0], b[1]]));
                let flags = fib.get(0x0A..0x0C).map(|b| u16::from_le_bytes([b[0], b[1]]));
                if let (Some(0xA5EC), Some(flags)) = (ident, flags) {
                    if flags & 0x0100 != 0 {
                        let how = if flags & 0x8000 != 0 {
                            "XOR obfuscation"
                        } else {
                            "RC4 encryption"
                        };
                        ctx.finding(
                            "office.encrypted",
                            loc,
                            format!("password-encrypted Word document (FIB fEncrypted, {how}); its contents cannot be inspected"),
                        );
                        ctx.incomplete();
                    }
                }
            }
            Err(e) => malformed(ctx, loc, format!("WordDocument stream: {e}")),
        }
    }
}

/// Excel's built-in password: a workbook "encrypted" with it opens without asking, so Office
/// documents sent with it are encrypted only to hide from scanners ([MS-OFFCRYPTO] 2.3.6.1
/// names it for binary workbooks; Excel uses it for OOXML too).
const EXCEL_DEFAULT_PASSWORD: &str = "VelvetSweatshop";
/// Password candidates tried per encrypted package besides Excel's default password. Each
/// trial is a key derivation of 50,000 (Standard) or `spinCount` (Agile, 100,000 in Office)
/// hash rounds: tens of milliseconds natively, several times that in WebAssembly.
const MAX_OFFICE_CANDIDATES: usize = 8;
/// Hash rounds spent on password trials per package: a descriptor with a huge `spinCount`
/// gets fewer trials (at least one).
const MAX_TRIAL_ROUNDS: u64 = 10_000_000;

/// Try Excel's default password and the password candidates on an encrypted OOXML package;
/// analyse the decrypted package at `document > (decrypted)`, or report `office.encrypted`.
fn decrypt_package(
    ctx: &mut Ctx<'_>,
    cfb: &Cfb<'_>,
    info_entry: &ole::Entry,
    pkg_entry: &ole::Entry,
    loc: &Location,
) {
    let encrypted = |ctx: &mut Ctx<'_>, how: &str, why: String| {
        ctx.finding(
            "office.encrypted",
            loc,
            format!("password-encrypted Office document (EncryptedPackage, {how}); its contents cannot be inspected{why}"),
        );
        ctx.incomplete();
    };
    let data = match cfb.read(info_entry, SMALL_READ) {
        Ok(d) => d,
        Err(e) => return encrypted(ctx, "unknown encryption", format!(" (EncryptionInfo stream: {e})")),
    };
    let how = crypto::scheme_name(&data);
    let info = match crypto::parse_info(&data) {
        Ok(i) => i,
        Err(crypto::InfoError::Unsupported(s)) => return encrypted(ctx, how, format!(" ({s}: not supported)")),
        Err(crypto::InfoError::Malformed(s)) => return encrypted(ctx, how, format!(" ({s})")),
    };

    // Excel's default first, then the candidates (body first, then the user's).
    let max_trials = (MAX_TRIAL_ROUNDS / u64::from(info.trial_cost().max(1))).max(1);
    let mut candidates: Vec<Option<crate::engine::Password>> = vec![None];
    candidates.extend(
        ctx.passwords()
            .into_iter()
            .filter(|p| p.value != EXCEL_DEFAULT_PASSWORD)
            .take(MAX_OFFICE_CANDIDATES)
            .map(Some),
    );
    let offered = candidates.len();
    candidates.truncate(usize::try_from(max_trials).unwrap_or(usize::MAX));
    let mut opened = None;
    for c in &candidates {
        let pw = c.as_ref().map_or(EXCEL_DEFAULT_PASSWORD, |p| p.value.as_str());
        if let Some(key) = info.try_password(pw) {
            opened = Some((c.clone(), key));
            break;
        }
    }
    let Some((who, key)) = opened else {
        let others = candidates.len().saturating_sub(1);
        let mut why = match others {
            0 => "; Excel's default password did not open it and there were no password candidates".to_string(),
            1 => "; neither Excel's default password nor the 1 password candidate opened it".to_string(),
            n => format!("; neither Excel's default password nor any of {n} password candidates opened it"),
        };
        if candidates.len() < offered {
            why.push_str(&format!(
                " ({} candidates left untried: {} hash rounds per trial)",
                offered.saturating_sub(candidates.len()),
                info.trial_cost()
            ));
        }
        return encrypted(ctx, how, why);
    };

    let max = ctx.opts.limits.max_entry_inflated.min(ctx.inflate_remaining());
    let read_cap = usize::try_from(max.saturating_add(8 + 16)).unwrap_or(usize::MAX);
    let raw = match cfb.read(pkg_entry, read_cap) {
        Ok(d) => d,
        Err(e) => return malformed(ctx, loc, format!("EncryptedPackage stream: {e}")),
    };
    let (plain, short) = match info.decrypt_package(&key, &raw, max) {
        Ok(v) => v,
        Err(crypto::PackageError::TooLarge(n)) => {
            return ctx.limit_hit(loc, format!("decrypted Office package of {n} bytes over the decompression budget"))
        }
        Err(crypto::PackageError::Malformed(e)) => return malformed(ctx, loc, e),
    };
    drop(raw);
    if !ctx.charge_inflated(plain.len() as u64) {
        return ctx.limit_hit(loc, "decrypted Office package over the total decompression budget");
    }
    if short {
        malformed(ctx, loc, "EncryptedPackage holds less data than its StreamSize declares: the decrypted package is cut short".into());
    }
    match &who {
        None => ctx.note(
            loc,
            format!("encrypted with Excel's built-in default password \"{EXCEL_DEFAULT_PASSWORD}\" ({how}): it opens without asking for a password; decrypted and inspected"),
        ),
        Some(p) if p.from_body => ctx.finding_secret(
            "office.opened_with_body_password",
            loc,
            format!("password after \"{}\" ({how})", p.label),
            p.value.clone(),
        ),
        Some(p) => ctx.note(loc, format!("decrypted with a password given by the user ({}, {how})", p.label)),
    }
    let name = loc.segments().last().cloned().unwrap_or_default();
    ctx.analyze(&plain, &name, &loc.child(DECRYPTED), crate::engine::Via::Embedded);
}

/// The location segment of a decrypted package, below the encrypted document.
pub const DECRYPTED: &str = "(decrypted)";

/// PowerPoint binary: the `Current User` stream's CurrentUserAtom ([MS-PPT] 2.3.2) has
/// headerToken 0xF3D1C4DF when the presentation is encrypted (0xE391C05F when not).
fn check_ppt_encryption(ctx: &mut Ctx<'_>, cfb: &Cfb<'_>, loc: &Location) -> bool {
    let Some(cu) = cfb.find(&["Current User"]).filter(|e| e.kind == EntryKind::Stream) else {
        return false;
    };
    if cfb.find(&["PowerPoint Document"]).is_none() {
        return false;
    }
    let Ok(data) = cfb.read(cu, SMALL_READ) else {
        return false;
    };
    let token = data.get(12..16).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    if token == Some(0xF3D1_C4DF) {
        ctx.finding(
            "office.encrypted",
            loc,
            "password-encrypted PowerPoint presentation (CurrentUserAtom headerToken); its contents cannot be inspected",
        );
        ctx.incomplete();
        return true;
    }
    false
}

/// Excel binary workbooks: macro sheets and FilePass ([MS-XLS], see [`xls`]).
fn check_workbook(ctx: &mut Ctx<'_>, cfb: &Cfb<'_>, loc: &Location) {
    let stream = cfb
        .find(&["Workbook"])
        .or_else(|| cfb.find(&["Book"]))
        .filter(|e| e.kind == EntryKind::Stream);
    let Some(stream) = stream else { return };
    let data = match cfb.read(stream, WORKBOOK_READ) {
        Ok(d) => d,
        Err(e) => {
            malformed(ctx, loc, format!("{} stream: {e}", stream.name()));
            return;
        }
    };
    let g = xls::scan_globals(&data);
    for s in g.sheets.iter().filter(|s| s.dt == 1) {
        ctx.finding(
            "office.xlm_macro",
            loc,
            format!("Excel 4.0 macro sheet \"{}\" ({})", s.name, xls::state_name(s.state)),
        );
    }
    if g.auto_open {
        ctx.finding(
            "office.xlm_macro",
            loc,
            "defined name Auto_Open: an Excel 4.0 macro runs when the workbook opens",
        );
    }
    if g.filepass {
        ctx.finding(
            "office.encrypted",
            loc,
            "password-encrypted Excel workbook (FILEPASS record); its sheets and macros cannot be inspected",
        );
        ctx.incomplete();
    }
    if let Some(e) = g.error {
        malformed(ctx, loc, format!("{} stream: {e}", stream.name()));
    }
}

/// Read one VBA project and run the macro checks on its modules.
fn analyze_project(ctx: &mut Ctx<'_>, cfb: &Cfb<'_>, storage: usize, doc_loc: &Location) {
    let project = vba::read_project(cfb, storage, &mut |n| ctx.charge_inflated(n));
    report_project(ctx, &project, doc_loc);
}

/// The checks on a read project: `office.vba_macro` at the document, auto-exec and suspicious
/// keywords at each module.
pub fn report_project(ctx: &mut Ctx<'_>, project: &vba::Project, doc_loc: &Location) {
    let names: Vec<&str> = project.modules.iter().map(|m| m.name.as_str()).collect();
    let ev = if names.is_empty() {
        format!("VBA project in {} (no modules could be listed)", project.storage)
    } else {
        format!("VBA project in {}: modules {}", project.storage, names.join(", "))
    };
    ctx.finding("office.vba_macro", doc_loc, ev);
    if let Some(e) = &project.error {
        malformed(ctx, doc_loc, format!("VBA project {}: {e}", project.storage));
    }
    if project.limit_hit {
        ctx.limit_hit(
            doc_loc,
            format!("VBA source of {} over the decompression budget", project.storage),
        );
    }
    for m in &project.modules {
        let mloc = doc_loc.child(m.name.clone());
        if let Some(e) = &m.error {
            malformed(ctx, &mloc, format!("module {}: {e}", m.name));
        }
        if m.source.is_empty() {
            continue;
        }
        ctx.object(&mloc, &m.name, "vba", m.source.as_bytes());
        let mut per_kw: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for hit in vba::keywords::scan(&m.source) {
            let count = per_kw.entry(hit.keyword.to_ascii_lowercase()).or_insert(0);
            *count += 1;
            if *count > MAX_PER_KEYWORD {
                continue;
            }
            let line = crate::engine::clip(&hit.line, LINE_CLIP);
            let ev = format!("{} ({}): {line}", hit.keyword, hit.desc);
            match hit.category {
                None => ctx.finding("office.vba_autoexec", &mloc, ev),
                Some(cat) => ctx.finding_tagged("office.vba_suspicious", &mloc, ev, vec![cat]),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random bytes through every parser: no panic, bounded output.
    #[test]
    fn random_input_never_panics() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..3000 {
            let len = (rnd() % 700) as usize;
            let mut b: Vec<u8> = (0..len).map(|_| rnd() as u8).collect();
            // Give the parsers a valid start now and then so they get further in.
            match round % 4 {
                0 if !b.is_empty() => b[0] = 1,
                1 if b.len() > 4 => b[..4].copy_from_slice(&[0x09, 0x08, 0x10, 0x00]),
                _ => {}
            }
            let d = vba::decompress::decompress(&b, 1 << 16);
            assert!(d.data.len() <= 1 << 16);
            let _ = vba::dir::parse_dir(&b, vba::decode_cp);
            let _ = xls::scan_globals(&b);
            let _ = ppt::embedded_storages(&b, 1 << 16, &mut |_| true);
            let text = String::from_utf8_lossy(&b);
            let _ = xml::elements(&text, "Relationship");
            let _ = vba::keywords::scan(&text);
            let _ = ole::Cfb::open(&[&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..], &b].concat());
        }
    }
}

/// A SYLK spreadsheet (`ID;P`), which can carry Excel 4.0 macros.
pub fn analyze_sylk(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let _ = bytes;
    ctx.not_inspected(loc, "SYLK spreadsheet: Excel 4.0 macros inside were not inspected");
}
