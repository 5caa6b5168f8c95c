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
//! | `office.embedded_object` | an OLE Package (`\x01Ole10Native`, see [`oleobj`]) in any storage (ObjectPool/_*, MBD*, PowerPoint ExOleObjStg, OOXML `*/embeddings/*.bin`): evidence file name, size, detected type; the file is checked as `document > name`. Tagged `document` (medium) for an embedded document or other object that is not a package: `Package`/`CONTENTS` streams, WordDocument/Workbook storages, OOXML embedded parts — checked as `document > part` when they are bytes |
//! | `office.dde` | a DDE/DDEAUTO field instruction in Word binary text (piece table) or WordprocessingML (`instrText`, `fldSimple`, also Word 2003 XML and flat OPC), an Excel `ddeLink` / `.xlsb` DDE SupBook / Excel 2003 XML `SupBook` path, a CSV cell or SYLK formula calling `service\|topic!item` (see [`dde`]) |
//! | `office.xlm_macro` (formulas) | the function names the macro sheets' formulas call (BIFF8 Formula records, OOXML macro sheet `<f>`), SYLK names and formulas (see [`xlm`]); `.xlsb` sheet states from `workbook.bin` (see [`xlsb`]); tagged `exec` when EXEC/CALL/REGISTER/EXECUTE are called and `auto_open` when Auto_Open is defined |
//!
//! VBA projects are found as storages with a `dir` stream (`Macros/VBA` in .doc,
//! `_VBA_PROJECT_CUR/VBA` in .xls, any other), inside PowerPoint's `PowerPoint Document` stream,
//! and in OOXML `vbaProject.bin` parts (by name or by relationship type).
//!
//! One-file XML documents (flat OPC `pkg:package`, Word 2003 XML `w:binData`) are read by
//! [`flat`] from [`analyze_text`].
//!
//! Not handled here yet: MHTML (`.mht` Word documents), defined names of BIFF5 workbooks (Excel
//! 5 `Auto_Open`), embedded documents kept as storages are checked in
//! place (macros, DDE, XLM formulas) but not re-assembled as files, VBA stomping (p-code
//! without source).

mod crypto;
pub mod dde;
pub mod flat;
pub mod ole;
pub mod oleobj;
pub mod ooxml;
pub mod ppt;
pub mod vba;
pub mod xlm;
pub mod xls;
pub mod xlsb;
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
        malformed(
            ctx,
            loc,
            format!("compound file structure damaged: {first}{tail}"),
        );
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
    check_embedded(ctx, &cfb, loc, "");
    check_word_dde(ctx, &cfb, 0, loc);
    check_xlm_formulas(ctx, &cfb, 0, loc);
    // An Outlook message ([MS-OXMSG] 2.1: `__substg1.0_*` property streams and
    // `__attach_version1.0_*` attachment storages at the root). Its text and attachments are not
    // read by this version, so the report must not look complete.
    if cfb.children(0).any(|e| {
        e.name().starts_with("__substg1.0_") || e.name().starts_with("__attach_version1.0_")
    }) {
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
        Some(ppt::WalkError::Malformed(e)) => {
            malformed(ctx, loc, format!("PowerPoint Document stream: {e}"))
        }
        None => {}
    }
    for (i, bytes) in storages.iter().enumerate() {
        let Ok(inner) = Cfb::open(bytes) else {
            continue;
        };
        let projects = vba::find_projects(&inner);
        if projects.is_empty() {
            // An embedded OLE object ([MS-PPT] 2.10.34 ExOleObjStg), not the VBA project.
            embedded_bytes(
                ctx,
                bytes,
                &format!("ExOleObjStg{}", i.saturating_add(1)),
                loc,
            );
        }
        for storage in projects {
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
    let mut macro_parts: BTreeSet<String> = names
        .iter()
        .filter(|n| ooxml::is_macrosheet(n))
        .cloned()
        .collect();
    for part in names
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with(".rels"))
    {
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
                    Some(tag) => {
                        ctx.finding_tagged("office.external_relationship", loc, ev, vec![tag])
                    }
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
                ctx.finding(
                    "office.vba_macro",
                    loc,
                    format!("VBA project {part} (unreadable)"),
                );
                malformed(ctx, loc, format!("{part}: {e}"));
            }
            Ok(cfb) => {
                if let Some(first) = cfb.problems.first() {
                    malformed(
                        ctx,
                        loc,
                        format!("{part}: compound file structure damaged: {first}"),
                    );
                }
                let projects = vba::find_projects(&cfb);
                if projects.is_empty() {
                    ctx.finding(
                        "office.vba_macro",
                        loc,
                        format!("VBA project {part} (no VBA storage inside)"),
                    );
                    malformed(
                        ctx,
                        loc,
                        format!("{part}: no VBA project storage (dir stream) found"),
                    );
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
        let wb_rels = lower
            .get("xl/_rels/workbook.xml.rels")
            .map(|s| (*s).clone());
        let wb = wb.and_then(|w| read_part(ctx, parts, &w, loc));
        let wb_rels = wb_rels.and_then(|r| read_part(ctx, parts, &r, loc));
        let mut sheets = match (&wb, &wb_rels) {
            (Some(w), Some(r)) => ooxml::workbook_sheets(w, r),
            _ => Default::default(),
        };
        let mut auto_open = wb.as_deref().is_some_and(ooxml::auto_open_defined);
        if wb.is_none() {
            // .xlsb: the same from xl/workbook.bin.
            let (s, a) = xlsb_sheets(ctx, parts, &lower, loc);
            sheets = s;
            auto_open = a;
        }
        if auto_open {
            ctx.finding(
                "office.xlm_macro",
                loc,
                "defined name Auto_Open: an Excel 4.0 macro runs when the workbook opens",
            );
        }
        for p in &macro_parts {
            let key = p.trim_start_matches('/').to_lowercase();
            let mut ev = match sheets.get(&key) {
                Some(s) => format!(
                    "Excel 4.0 macro sheet \"{}\" ({}) in {p}",
                    s.name,
                    state_words(&s.state)
                ),
                None => format!("Excel 4.0 macro sheet {p}"),
            };
            let mut tags = Vec::new();
            if let Some(f) = macrosheet_formulas(ctx, parts, p, loc) {
                ev.push_str(&format!("; {}", xlm_formula_words(&f)));
                if f.executes() {
                    tags.push("exec");
                }
                if auto_open {
                    tags.push("auto_open");
                }
            }
            ctx.finding_tagged("office.xlm_macro", loc, ev, tags);
        }
    }

    check_ooxml_objects(ctx, parts, &names, loc);
}

fn read_part(
    ctx: &mut Ctx<'_>,
    parts: &mut dyn PartSource,
    part: &str,
    loc: &Location,
) -> Option<Vec<u8>> {
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
    let info = cfb
        .find(&["EncryptionInfo"])
        .filter(|e| e.kind == EntryKind::Stream);
    let pkg = cfb
        .find(&["EncryptedPackage"])
        .filter(|e| e.kind == EntryKind::Stream);
    if let (Some(info), Some(pkg)) = (info, pkg) {
        decrypt_package(ctx, cfb, info, pkg, loc);
    }
    if let Some(wd) = cfb
        .find(&["WordDocument"])
        .filter(|e| e.kind == EntryKind::Stream)
    {
        match cfb.read(wd, SMALL_READ) {
            Ok(fib) => {
                let ident = fib
                    .get(0..2)
                    .map(|b| u16::from_le_bytes(crate::bytes::pad::<2>(b)));
                let flags = fib
                    .get(0x0A..0x0C)
                    .map(|b| u16::from_le_bytes(crate::bytes::pad::<2>(b)));
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
        Err(e) => {
            return encrypted(
                ctx,
                "unknown encryption",
                format!(" (EncryptionInfo stream: {e})"),
            )
        }
    };
    let how = crypto::scheme_name(&data);
    let info = match crypto::parse_info(&data) {
        Ok(i) => i,
        Err(crypto::InfoError::Unsupported(s)) => {
            return encrypted(ctx, how, format!(" ({s}: not supported)"))
        }
        Err(crypto::InfoError::Malformed(s)) => return encrypted(ctx, how, format!(" ({s})")),
    };

    // Excel's default first, then the candidates (body first, then the user's).
    let max_trials = MAX_TRIAL_ROUNDS
        .checked_div(u64::from(info.trial_cost()))
        .unwrap_or(MAX_TRIAL_ROUNDS)
        .max(1);
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
        let pw = c
            .as_ref()
            .map_or(EXCEL_DEFAULT_PASSWORD, |p| p.value.as_str());
        let rounds = u64::from(info.trial_cost()).saturating_add(1);
        if !ctx.charge_work(rounds.saturating_mul(crate::engine::WORK_PER_HASH_BLOCK)) {
            break;
        }
        if let Some(key) = info.try_password(pw) {
            opened = Some((c.clone(), key));
            break;
        }
    }
    let Some((who, key)) = opened else {
        let others = candidates.len().saturating_sub(1);
        let mut why = match others {
            0 => "; Excel's default password did not open it and there were no password candidates"
                .to_string(),
            1 => "; neither Excel's default password nor the 1 password candidate opened it"
                .to_string(),
            n => format!(
                "; neither Excel's default password nor any of {n} password candidates opened it"
            ),
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

    let max = ctx
        .opts
        .limits
        .max_entry_inflated
        .min(ctx.inflate_remaining());
    let read_cap = usize::try_from(max.saturating_add(8 + 16)).unwrap_or(usize::MAX);
    let raw = match cfb.read(pkg_entry, read_cap) {
        Ok(d) => d,
        Err(e) => return malformed(ctx, loc, format!("EncryptedPackage stream: {e}")),
    };
    let (plain, short) = match info.decrypt_package(&key, &raw, max) {
        Ok(v) => v,
        Err(crypto::PackageError::TooLarge(n)) => {
            return ctx.limit_hit(
                loc,
                format!("decrypted Office package of {n} bytes over the decompression budget"),
            )
        }
        Err(crypto::PackageError::Malformed(e)) => return malformed(ctx, loc, e),
    };
    drop(raw);
    if !ctx.charge_inflated(plain.len() as u64) {
        return ctx.limit_hit(
            loc,
            "decrypted Office package over the total decompression budget",
        );
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
    ctx.analyze(
        &plain,
        &name,
        &loc.child(DECRYPTED),
        crate::engine::Via::Embedded,
    );
}

/// The location segment of a decrypted package, below the encrypted document.
pub const DECRYPTED: &str = "(decrypted)";

/// PowerPoint binary: the `Current User` stream's CurrentUserAtom ([MS-PPT] 2.3.2) has
/// headerToken 0xF3D1C4DF when the presentation is encrypted (0xE391C05F when not).
fn check_ppt_encryption(ctx: &mut Ctx<'_>, cfb: &Cfb<'_>, loc: &Location) -> bool {
    let Some(cu) = cfb
        .find(&["Current User"])
        .filter(|e| e.kind == EntryKind::Stream)
    else {
        return false;
    };
    if cfb.find(&["PowerPoint Document"]).is_none() {
        return false;
    }
    let Ok(data) = cfb.read(cu, SMALL_READ) else {
        return false;
    };
    let token = data
        .get(12..16)
        .map(|b| u32::from_le_bytes(crate::bytes::pad::<4>(b)));
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
            format!(
                "Excel 4.0 macro sheet \"{}\" ({})",
                s.name,
                xls::state_name(s.state)
            ),
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
        format!(
            "VBA project in {} (no modules could be listed)",
            project.storage
        )
    } else {
        format!(
            "VBA project in {}: modules {}",
            project.storage,
            names.join(", ")
        )
    };
    ctx.finding("office.vba_macro", doc_loc, ev);
    if let Some(e) = &project.error {
        malformed(
            ctx,
            doc_loc,
            format!("VBA project {}: {e}", project.storage),
        );
    }
    if project.limit_hit {
        ctx.limit_hit(
            doc_loc,
            format!(
                "VBA source of {} over the decompression budget",
                project.storage
            ),
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
            *count = (*count).saturating_add(1);
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

// ---------------------------------------------------------------- embedded objects, DDE, XLM formulas

/// Embedded objects looked at per compound file.
const MAX_EMBEDDED: usize = 256;
/// Bytes read from one embedded object stream or Word text stream.
const EMBED_READ: usize = 64 << 20;
/// `office.dde` findings per document.
const MAX_DDE: usize = 20;
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const NATIVE: &str = "\u{1}Ole10Native";

/// A stream directly inside storage `storage` (0 = the root), by name.
fn child_stream<'c>(cfb: &'c Cfb<'_>, storage: usize, name: &str) -> Option<&'c ole::Entry> {
    cfb.children(storage)
        .find(|e| e.kind == EntryKind::Stream && e.name.eq_ignore_ascii_case(name))
}

/// A CFB path for evidence: control characters (`\x01Ole10Native`) dropped, prefixed with the
/// part or record it came from.
fn shown_path(prefix: &str, path: &str) -> String {
    let p: String = path.chars().filter(|c| !c.is_control()).collect();
    if prefix.is_empty() {
        p
    } else {
        format!("{prefix}/{p}")
    }
}

/// Every `\x01Ole10Native` stream (OLE Package or other OLE 1.0 object), and storages that
/// hold an embedded document ([MS-OLEDS] 2.3; ObjectPool/_*, MBD*, ...). `prefix` names the
/// container the compound file came from (an OOXML part), for the evidence.
fn check_embedded(ctx: &mut Ctx<'_>, cfb: &Cfb<'_>, loc: &Location, prefix: &str) {
    let mut seen = 0usize;
    let mut native_parents = BTreeSet::new();
    for (i, e) in cfb.entries.iter().enumerate() {
        if e.kind != EntryKind::Stream || e.name != NATIVE {
            continue;
        }
        seen = seen.saturating_add(1);
        if seen > MAX_EMBEDDED {
            ctx.limit_hit(loc, format!("more than {MAX_EMBEDDED} embedded objects"));
            return;
        }
        native_parents.insert(e.parent);
        let shown = shown_path(prefix, &cfb.path_of(i));
        match cfb.read(e, EMBED_READ) {
            Ok(d) => {
                if (d.len() as u64) < e.size {
                    ctx.limit_hit(loc, format!("embedded object {shown} larger than {EMBED_READ} bytes; only its start was checked"));
                }
                report_native(ctx, &d, &shown, loc);
            }
            Err(err) => malformed(ctx, loc, format!("embedded object {shown}: {err}")),
        }
    }
    // Embedded documents kept as storages (a workbook in a Word document, ...).
    for (i, e) in cfb.entries.iter().enumerate() {
        if e.kind != EntryKind::Storage || native_parents.contains(&i) {
            continue;
        }
        const DOC_STREAMS: &[(&str, &str)] = &[
            ("WordDocument", "Word document"),
            ("Workbook", "Excel workbook"),
            ("Book", "Excel 5 workbook"),
            ("PowerPoint Document", "PowerPoint presentation"),
            ("Package", "Office Open XML document"),
            ("CONTENTS", "object"),
            ("EmbeddedOdf", "OpenDocument document"),
            (
                "Equation Native",
                "Equation Editor (Equation.3) object — the editor exploited by CVE-2017-11882",
            ),
        ];
        let Some((stream, what)) = DOC_STREAMS
            .iter()
            .find_map(|(n, w)| child_stream(cfb, i, n).map(|s| (s, *w)))
        else {
            continue;
        };
        seen = seen.saturating_add(1);
        if seen > MAX_EMBEDDED {
            ctx.limit_hit(loc, format!("more than {MAX_EMBEDDED} embedded objects"));
            return;
        }
        let shown = shown_path(prefix, &cfb.path_of(i));
        if matches!(
            stream.name.as_str(),
            "WordDocument" | "Workbook" | "Book" | "PowerPoint Document"
        ) {
            ctx.finding_tagged(
                "office.embedded_object",
                loc,
                format!("embedded {what} in storage {shown} (its macros, DDE fields and Excel 4.0 formulas are checked with this document)"),
                vec!["document"],
            );
            check_word_dde(ctx, cfb, i, loc);
            check_xlm_formulas(ctx, cfb, i, loc);
            continue;
        }
        match cfb.read(stream, EMBED_READ) {
            Ok(d) => {
                let label = format!("{shown}/{}", stream.name);
                let kind = crate::detect::sniff(&d, &label).as_str();
                ctx.finding_tagged(
                    "office.embedded_object",
                    loc,
                    format!("embedded {what} in {label}: {kind}, {} bytes", d.len()),
                    vec!["document"],
                );
                ctx.analyze(
                    &d,
                    &label,
                    &loc.child(label.clone()),
                    crate::engine::Via::Embedded,
                );
            }
            Err(err) => malformed(ctx, loc, format!("embedded object {shown}: {err}")),
        }
    }
}

/// One `\x01Ole10Native` stream: an OLE Package (a file: reported and checked as
/// `document > file name`), a link to a file, or another OLE 1.0 object's native data.
fn report_native(ctx: &mut Ctx<'_>, stream: &[u8], shown: &str, loc: &Location) {
    match oleobj::parse_package(stream) {
        Some(p) if p.link => {
            ctx.finding(
                "office.embedded_object",
                loc,
                format!(
                    "OLE Package in {shown} links to the file {} (label \"{}\")",
                    p.source_path, p.label
                ),
            );
        }
        Some(p) => {
            let name = p.file_name();
            let kind = crate::detect::sniff(p.data, &name).as_str();
            let mut ev = format!(
                "OLE Package in {shown}: file \"{}\", {} bytes, {kind}",
                crate::formats::file::visible(&name),
                p.data.len()
            );
            if !p.source_path.is_empty() {
                ev.push_str(&format!("; embedded from {}", p.source_path));
            }
            ctx.finding("office.embedded_object", loc, ev);
            if p.truncated {
                malformed(
                    ctx,
                    loc,
                    format!("OLE Package in {shown}: the file \"{name}\" is cut short"),
                );
            }
            ctx.analyze(
                p.data,
                &name,
                &loc.child(name.clone()),
                crate::engine::Via::Embedded,
            );
        }
        None => {
            let data = oleobj::native_data(stream);
            let kind = crate::detect::sniff(data, "").as_str();
            ctx.finding_tagged(
                "office.embedded_object",
                loc,
                format!(
                    "embedded OLE 1.0 object in {shown}: {kind}, {} bytes",
                    data.len()
                ),
                vec!["document"],
            );
            let label = shown.to_string();
            ctx.analyze(
                data,
                &label,
                &loc.child(label.clone()),
                crate::engine::Via::Embedded,
            );
        }
    }
}

/// An embedded object given as bytes (an OOXML `embeddings/` part, a PowerPoint
/// ExOleObjStg): a compound file with OLE Packages is opened here; anything else is an
/// embedded document, reported and checked as `document > label`.
fn embedded_bytes(ctx: &mut Ctx<'_>, data: &[u8], label: &str, loc: &Location) {
    if data.starts_with(CFB_MAGIC) {
        if let Ok(inner) = Cfb::open(data) {
            if inner
                .entries
                .iter()
                .any(|e| e.kind == EntryKind::Stream && e.name == NATIVE)
            {
                check_embedded(ctx, &inner, loc, label);
                return;
            }
        }
    }
    let kind = crate::detect::sniff(data, label).as_str();
    ctx.finding_tagged(
        "office.embedded_object",
        loc,
        format!("embedded object {label}: {kind}, {} bytes", data.len()),
        vec!["document"],
    );
    ctx.analyze(
        data,
        label,
        &loc.child(label.to_string()),
        crate::engine::Via::Embedded,
    );
}

/// DDE fields in a Word binary document in storage `storage` (see [`dde`]).
fn check_word_dde(ctx: &mut Ctx<'_>, cfb: &Cfb<'_>, storage: usize, loc: &Location) {
    let Some(wd) = child_stream(cfb, storage, "WordDocument") else {
        return;
    };
    let Ok(word) = cfb.read(wd, EMBED_READ) else {
        return; // reported by the encryption check
    };
    let fib = match dde::parse_fib(&word) {
        Ok(f) => f,
        Err(e) => {
            if word.starts_with(&[0xEC, 0xA5]) {
                malformed(
                    ctx,
                    loc,
                    format!("Word document text could not be read for DDE fields: {e}"),
                );
            }
            return;
        }
    };
    // Encrypted: reported by the encryption check. No piece table (lcbClx 0): the document has
    // no text Word would show, so no field that could run.
    if fib.encrypted || fib.lcb_clx == 0 {
        return;
    }
    let table_name = if fib.table1 { "1Table" } else { "0Table" };
    let Some(table) =
        child_stream(cfb, storage, table_name).and_then(|t| cfb.read(t, EMBED_READ).ok())
    else {
        malformed(ctx, loc, format!("Word document: its table stream {table_name} is missing or unreadable; DDE fields were not checked"));
        return;
    };
    match dde::doc_text(&word, &fib, &table) {
        Ok(text) => report_dde(
            ctx,
            loc,
            "DDE field in the Word document",
            dde::text_fields(&text)
                .into_iter()
                .filter(|i| dde::is_dde_instruction(i)),
        ),
        Err(e) => malformed(
            ctx,
            loc,
            format!("Word document text could not be read for DDE fields: {e}"),
        ),
    }
}

fn report_dde(ctx: &mut Ctx<'_>, loc: &Location, what: &str, cmds: impl Iterator<Item = String>) {
    for (n, c) in cmds.enumerate() {
        if n >= MAX_DDE {
            break;
        }
        let c: String = c.split_whitespace().collect::<Vec<_>>().join(" ");
        ctx.finding(
            "office.dde",
            loc,
            format!("{what}: {}", crate::engine::clip(&c, 300)),
        );
    }
}

/// Excel 4.0 formulas of the macro sheets in the `Workbook` stream of storage `storage`.
fn check_xlm_formulas(ctx: &mut Ctx<'_>, cfb: &Cfb<'_>, storage: usize, loc: &Location) {
    let Some(wb) = child_stream(cfb, storage, "Workbook") else {
        return;
    };
    let Ok(data) = cfb.read(wb, WORKBOOK_READ) else {
        return;
    };
    let f = xlm::biff8_macro_formulas(&data);
    if f.cells == 0 {
        return;
    }
    let auto_open = xls::scan_globals(&data).auto_open;
    report_xlm_formulas(ctx, loc, &f, auto_open, "");
}

fn report_xlm_formulas(
    ctx: &mut Ctx<'_>,
    loc: &Location,
    f: &xlm::Formulas,
    auto_open: bool,
    part: &str,
) {
    let mut tags = Vec::new();
    if f.executes() {
        tags.push("exec");
    }
    if auto_open {
        tags.push("auto_open");
    }
    let ev = format!("Excel 4.0 macro {}{part}", xlm_formula_words(f));
    ctx.finding_tagged("office.xlm_macro", loc, ev, tags);
}

/// `formulas (3 cells) call: EXEC, HALT; strings "calc.exe"`.
fn xlm_formula_words(f: &xlm::Formulas) -> String {
    let mut ev = format!(
        "formulas ({} cells) call: {}",
        f.cells,
        if f.functions.is_empty() {
            "no functions".to_string()
        } else {
            f.summary()
        }
    );
    if !f.strings.is_empty() {
        let s: Vec<String> = f
            .strings
            .iter()
            .take(8)
            .map(|s| format!("\"{s}\""))
            .collect();
        ev.push_str(&format!("; strings {}", s.join(", ")));
    }
    if f.unparsed > 0 {
        ev.push_str(&format!("; {} formulas only partly decoded", f.unparsed));
    }
    ev
}

/// `.xlsb`: sheet names and states from `xl/workbook.bin` ([MS-XLSB] BrtBundleSh), keyed like
/// [`ooxml::workbook_sheets`], and whether Auto_Open is defined.
fn xlsb_sheets(
    ctx: &mut Ctx<'_>,
    parts: &mut dyn PartSource,
    lower: &HashMap<String, &String>,
    loc: &Location,
) -> (HashMap<String, ooxml::SheetInfo>, bool) {
    let mut out = HashMap::new();
    let wb = lower.get("xl/workbook.bin").map(|s| (*s).clone());
    let rels = lower
        .get("xl/_rels/workbook.bin.rels")
        .map(|s| (*s).clone());
    let Some(wb) = wb.and_then(|w| read_part(ctx, parts, &w, loc)) else {
        return (out, false);
    };
    let rels = rels
        .and_then(|r| read_part(ctx, parts, &r, loc))
        .unwrap_or_default();
    let rel_text = xml::text(&rels);
    let targets: HashMap<String, String> = xml::elements(&rel_text, "Relationship")
        .iter()
        .filter_map(|a| {
            Some((
                xml::attr(a, "Id")?.to_string(),
                ooxml::resolve("xl/", xml::attr(a, "Target")?),
            ))
        })
        .collect();
    let (sheets, auto_open) = xlsb::workbook(&wb);
    for s in sheets {
        if let Some(part) = targets.get(&s.rel_id) {
            let state = match s.state {
                1 => "hidden",
                2 => "veryHidden",
                _ => "visible",
            };
            out.insert(
                part.to_lowercase(),
                ooxml::SheetInfo {
                    name: s.name,
                    state: state.to_string(),
                },
            );
        }
    }
    (out, auto_open)
}

/// Function names in the formulas of an OOXML macro sheet part: `<f>` elements (`.xlsm`) or
/// formula records (`.xlsb`); `None` when it has no formulas.
fn macrosheet_formulas(
    ctx: &mut Ctx<'_>,
    parts: &mut dyn PartSource,
    part: &str,
    loc: &Location,
) -> Option<xlm::Formulas> {
    let lower = part.to_ascii_lowercase();
    if lower.ends_with(".bin") {
        let data = read_part(ctx, parts, part, loc)?;
        let f = xlm::xlsb_macro_formulas(&data);
        return (f.cells > 0).then_some(f);
    }
    if !lower.ends_with(".xml") {
        return None;
    }
    let data = read_part(ctx, parts, part, loc)?;
    let text = xml::text(&data);
    let mut f = xlm::Formulas::default();
    for formula in element_texts(&text, "f").into_iter().take(1_000_000) {
        f.cells = f.cells.saturating_add(1);
        for name in xlm::formula_functions(&formula) {
            if f.functions.len() < 200 || f.functions.contains_key(&name) {
                let n = f.functions.entry(name).or_insert(0);
                *n = n.saturating_add(1);
            }
        }
    }
    (f.cells > 0).then_some(f)
}

/// The text content of every element with this local name (no nested elements expected).
fn element_texts(text: &str, local: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        rest = rest.get(lt.saturating_add(1)..).unwrap_or_default();
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = rest.get(..end).unwrap_or_default();
        if name.rsplit(':').next() != Some(local) {
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        if rest.get(..gt).unwrap_or_default().ends_with('/') {
            continue;
        }
        let body = rest.get(gt.saturating_add(1)..).unwrap_or_default();
        let close = body.find('<').unwrap_or(body.len());
        out.push(xml::unescape(body.get(..close).unwrap_or_default()));
        rest = body.get(close..).unwrap_or_default();
    }
    out
}

/// OOXML: DDE fields in Word parts, DDE links in Excel external links, embedded objects
/// (`*/embeddings/*`).
fn check_ooxml_objects(
    ctx: &mut Ctx<'_>,
    parts: &mut dyn PartSource,
    names: &[String],
    loc: &Location,
) {
    let mut embedded = 0usize;
    for part in names {
        let l = part.trim_start_matches('/').to_ascii_lowercase();
        if l.ends_with('/') || l.contains("/_rels/") {
            continue;
        }
        if l.starts_with("word/") && l.ends_with(".xml") {
            let Some(data) = read_part(ctx, parts, part, loc) else {
                continue;
            };
            let fields = dde::xml_fields(&xml::text(&data));
            report_dde(
                ctx,
                loc,
                &format!("DDE field in {part}"),
                fields.into_iter().filter(|i| dde::is_dde_instruction(i)),
            );
        } else if l.starts_with("xl/externallinks/") {
            let Some(data) = read_part(ctx, parts, part, loc) else {
                continue;
            };
            let links = if l.ends_with(".bin") {
                xlsb::dde_links(&data)
            } else {
                dde::dde_links(&xml::text(&data))
            };
            report_dde(ctx, loc, &format!("DDE link in {part}"), links.into_iter());
        } else if l.contains("/embeddings/") {
            embedded = embedded.saturating_add(1);
            if embedded > MAX_EMBEDDED {
                ctx.limit_hit(loc, format!("more than {MAX_EMBEDDED} embedded objects"));
                return;
            }
            let Some(data) = read_part(ctx, parts, part, loc) else {
                continue;
            };
            embedded_bytes(ctx, &data, part, loc);
        }
    }
}

/// A file of type text: CSV cells that call DDE, and Word / Excel 2003 XML and flat OPC
/// documents (DDE fields and links). Other text is left alone.
pub fn analyze_text(ctx: &mut Ctx<'_>, bytes: &[u8], name: &str, loc: &Location) {
    let ext = crate::detect::extension(name).unwrap_or_default();
    if ext == "csv" {
        let text = xml::text(bytes);
        report_dde(
            ctx,
            loc,
            "DDE formula in a CSV cell",
            dde::csv_dde(&text).into_iter(),
        );
        return;
    }
    // Decide from the head (UTF-16 files decode as a whole, they are rare) before copying.
    let head_bytes = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        bytes
    } else {
        bytes.get(..8192).unwrap_or(bytes)
    };
    let head: String = xml::text(head_bytes)
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    if !head.contains("<pkg:package")
        && !head.contains("progid=\"word.document\"")
        && !head.contains("<w:worddocument")
        && !head.contains("progid=\"excel.sheet\"")
        && !head.contains("urn:schemas-microsoft-com:office:spreadsheet")
    {
        return;
    }
    let text = xml::text(bytes);
    let word = head.contains("progid=\"word.document\"")
        || head.contains("<w:worddocument")
        || head.contains("<pkg:package");
    let excel = head.contains("progid=\"excel.sheet\"")
        || head.contains("urn:schemas-microsoft-com:office:spreadsheet");
    if head.contains("<pkg:package") {
        // Flat OPC: the package's parts get the OOXML checks (VBA, macro sheets, DDE,
        // embedded objects, external relationships).
        let mut parts = flat::FlatParts::parse(&text);
        if !parts.is_empty() {
            ctx.set_kind(loc, "ooxml");
            analyze_ooxml(ctx, &mut parts, loc);
            return;
        }
    }
    if word {
        let fields = dde::xml_fields(&text);
        report_dde(
            ctx,
            loc,
            "DDE field in the Word XML document",
            fields.into_iter().filter(|i| dde::is_dde_instruction(i)),
        );
        word2003_bin_data(ctx, &text, loc);
    }
    if excel {
        report_dde(
            ctx,
            loc,
            "DDE link in the Excel XML workbook",
            dde::spreadsheet2003_dde(&text).into_iter(),
        );
    }
}

/// A SYLK spreadsheet (`ID;P`), which can carry Excel 4.0 macros (see [`xlm`]).
pub fn analyze_sylk(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let text = xml::text(bytes);
    let s = xlm::parse_sylk(&text);
    let macro_fns = s.macro_functions();
    if s.auto_open() || !macro_fns.is_empty() {
        let mut tags = Vec::new();
        if s.executes() {
            tags.push("exec");
        }
        if s.auto_open() {
            tags.push("auto_open");
        }
        let names: Vec<&str> = s.names.iter().take(10).map(|n| n.as_str()).collect();
        let calls: Vec<String> = s.functions.keys().take(30).cloned().collect();
        let mut ev = format!(
            "SYLK spreadsheet with Excel 4.0 macro formulas ({} formulas)",
            s.formula_count
        );
        if !names.is_empty() {
            ev.push_str(&format!("; defined names {}", names.join(", ")));
        }
        if !calls.is_empty() {
            ev.push_str(&format!("; calls {}", calls.join(", ")));
        }
        if let Some(first) = s.formulas.iter().find(|f| {
            xlm::formula_functions(f)
                .iter()
                .any(|n| macro_fns.contains(&n.as_str()))
        }) {
            ev.push_str(&format!("; e.g. {first}"));
        }
        ctx.finding_tagged("office.xlm_macro", loc, ev, tags);
    }
    report_dde(
        ctx,
        loc,
        "DDE formula in the SYLK file",
        s.dde.iter().cloned(),
    );
}

/// Word 2003 XML `w:binData`: `oledata.mso` (embedded objects in a compound file) and
/// `editdata.mso` (the VBA project, ActiveMime) — see [`flat`].
fn word2003_bin_data(ctx: &mut Ctx<'_>, text: &str, loc: &Location) {
    for (name, data) in flat::bin_data(text) {
        let lname = name.to_ascii_lowercase();
        if lname.ends_with("editdata.mso") {
            let max = ctx
                .opts
                .limits
                .max_entry_inflated
                .min(ctx.inflate_remaining());
            match flat::active_mime(&data, max) {
                Some(cfb_bytes) => {
                    if !ctx.charge_inflated(cfb_bytes.len() as u64) {
                        ctx.limit_hit(loc, format!("{name}: over the decompression budget"));
                        continue;
                    }
                    match Cfb::open(&cfb_bytes) {
                        Ok(cfb) => {
                            for storage in vba::find_projects(&cfb) {
                                analyze_project(ctx, &cfb, storage, loc);
                            }
                        }
                        Err(e) => malformed(ctx, loc, format!("{name}: {e}")),
                    }
                }
                None => {
                    ctx.finding(
                        "office.vba_macro",
                        loc,
                        format!("VBA project in {name} (ActiveMime; could not be unpacked)"),
                    );
                    malformed(
                        ctx,
                        loc,
                        format!("{name}: ActiveMime data could not be unpacked"),
                    );
                }
            }
        } else if lname.ends_with(".mso") && data.starts_with(CFB_MAGIC) {
            // oledata.mso: each stream is one object, zlib-compressed after a short header.
            let mut found = false;
            if let Ok(cfb) = Cfb::open(&data) {
                for e in cfb
                    .entries
                    .iter()
                    .filter(|e| e.kind == EntryKind::Stream)
                    .take(MAX_EMBEDDED)
                {
                    let Ok(stream) = cfb.read(e, EMBED_READ) else {
                        continue;
                    };
                    let max = ctx
                        .opts
                        .limits
                        .max_entry_inflated
                        .min(ctx.inflate_remaining());
                    let Some(obj) = flat::zlib_cfb(&stream, 64, max) else {
                        continue;
                    };
                    if !ctx.charge_inflated(obj.len() as u64) {
                        ctx.limit_hit(loc, format!("{name}: over the decompression budget"));
                        break;
                    }
                    found = true;
                    embedded_bytes(ctx, &obj, &shown_path(&name, &e.name), loc);
                }
            }
            if !found {
                embedded_bytes(ctx, &data, &name, loc);
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
        let mut rnd = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        for round in 0..3000 {
            let len = (rnd() % 700) as usize;
            let mut b: Vec<u8> = (0..len).map(|_| rnd() as u8).collect();
            // Give the parsers a valid start now and then so they get further in.
            match round % 6 {
                0 if !b.is_empty() => b[0] = 1,
                1 if b.len() > 4 => b[..4].copy_from_slice(&[0x09, 0x08, 0x10, 0x00]),
                2 if b.len() > 6 => b[4..6].copy_from_slice(&[2, 0]),
                3 if b.len() > 2 => b[..2].copy_from_slice(&[0xEC, 0xA5]),
                4 => {
                    // Markup-shaped noise for the XML scanners.
                    for (i, c) in b.iter_mut().enumerate() {
                        *c = b"<w:instrText fldChar pkg:part binData>=|!\"\x13\x14\x15"
                            [(*c as usize + i) % 40];
                    }
                }
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
            let _ = ole::Cfb::open(
                &[&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..], &b].concat(),
            );
            // Embedded objects, DDE, XLM formulas, SYLK, xlsb records, flat XML.
            let _ = oleobj::parse_package(&b);
            let _ = oleobj::native_data(&b);
            let _ = dde::text_fields(&text);
            let _ = dde::xml_fields(&text);
            let _ = dde::csv_dde(&text);
            let _ = dde::spreadsheet2003_dde(&text);
            if let Ok(fib) = dde::parse_fib(&b) {
                let _ = dde::doc_text(&b, &fib, &b);
            }
            xlm::scan_rgce(&b, &mut xlm::Formulas::default());
            let _ = xlm::biff8_macro_formulas(&b);
            let _ = xlm::xlsb_macro_formulas(&b);
            let _ = xlm::parse_sylk(&text);
            let _ = xlsb::workbook(&b);
            let _ = xlsb::dde_links(&b);
            let _ = flat::FlatParts::parse(&text);
            let _ = flat::bin_data(&text);
            let _ = flat::base64(&text);
            let _ = element_texts(&text, "f");
        }
    }
}
