//! ZIP archives (PKWARE APPNOTE.TXT 6.3.10; WinZip AE-1/AE-2 AES; ECMA-376 Part 2 OPC for
//! OOXML packages).
//!
//! Parsing lives in [`archive`] (our own central-directory reader plus one-entry extraction
//! through the `zip` crate) and [`names`] (entry-name decoding); [`limits`] holds the zip-bomb
//! checks on the central directory. This file runs the checks and the walk:
//!
//! 1. Read the central directory before inflating anything; structural problems are
//!    `archive.malformed`.
//! 2. Charge the entries; past `max_entries` → `archive.limit_exceeded` (the first ones are still
//!    inspected). Overlapping entries and impossible declared ratios → `archive.limit_exceeded`,
//!    and those entries are not inflated.
//! 3. OOXML (`[Content_Types].xml` present): hand the package to the office module through
//!    [`PartSource`]. Otherwise every file entry is inflated through the caps and budgets and
//!    handed back to [`Ctx::analyze`].
//! 4. Encrypted entries: every password candidate (body first) until one passes the CRC-32 /
//!    AES authentication check; one `archive.opened_with_body_password` per archive, or one
//!    `archive.encrypted` per archive listing what stayed closed.

pub mod archive;
pub mod limits;
pub mod names;

use std::collections::HashMap;

use crate::detect::Kind;
use crate::engine::{Ctx, Password, Via};
use crate::formats::{padding, PartSource};
use crate::report::Location;

use archive::{Directory, Entry, ReadError};

/// Analyse one ZIP archive found at `loc`.
pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], name: &str, loc: &Location) {
    let _ = name;
    // Parse one record past the entry budget, so "over the limit" can be told apart.
    let max_parse = ctx.opts.limits.max_entries.saturating_add(1);
    let dir = match archive::parse(bytes, max_parse) {
        Ok(d) => d,
        Err(why) => {
            ctx.finding("archive.malformed", loc, why);
            ctx.incomplete();
            return;
        }
    };
    let mut zip = Zip::new(bytes, dir, loc.clone());
    zip.directory_checks(ctx);
    if zip.is_ooxml() {
        ctx.set_kind(loc, "ooxml");
        crate::formats::office::analyze_ooxml(ctx, &mut zip, loc);
        // The office module decides which parts to read; the names of all of them are still
        // checked, so a `[Content_Types].xml` added to an archive does not hide `x.exe` in it.
        for part in zip.part_names() {
            let child = loc.child(part.clone());
            crate::formats::file::check(ctx, &[], &part, &child, Kind::Unknown, Via::ArchiveEntry);
        }
    } else {
        zip.walk(ctx);
    }
    zip.finish(ctx);
}

/// Why an entry is not inflated at all.
#[derive(Debug, Clone)]
enum Block {
    Overlap,
    Bomb(String),
    OverCount,
}

/// Why reading an entry failed (the finding is recorded by the caller).
enum Fail {
    /// Over a limit; `archive_level` for the total budget (recorded once on the archive).
    Limit {
        archive_level: bool,
        what: String,
    },
    Malformed(String),
    /// Encrypted and no candidate opened it.
    Locked,
}

/// Entry-level `archive.malformed` findings listed per archive before they are only counted.
const MAX_ENTRY_FINDINGS: usize = 20;

const TOTAL_BUDGET: &str =
    "total inflated size budget used up; the remaining entries were not inflated";

/// One archive being walked.
struct Zip<'b> {
    bytes: &'b [u8],
    dir: Directory,
    loc: Location,
    blocked: Vec<Option<Block>>,
    /// Decoded name → first entry with it.
    by_name: HashMap<String, usize>,
    /// The password that opened an entry of this archive, tried first for the others.
    password: Option<Password>,
    body_reported: bool,
    user_noted: bool,
    /// Encrypted entries no candidate opened.
    locked: Vec<String>,
    candidates_tried: usize,
    failed_trials: usize,
    /// The failed-trial budget ran out: later entries were not tried at all.
    trials_exhausted: bool,
    entry_findings: usize,
    dropped_malformed: usize,
    dropped_limit: usize,
}

impl<'b> Zip<'b> {
    fn new(bytes: &'b [u8], dir: Directory, loc: Location) -> Self {
        let blocked = vec![None; dir.entries.len()];
        let mut by_name = HashMap::new();
        for (i, e) in dir.entries.iter().enumerate() {
            by_name.entry(e.name.clone()).or_insert(i);
        }
        Zip {
            bytes,
            dir,
            loc,
            blocked,
            by_name,
            password: None,
            body_reported: false,
            user_noted: false,
            locked: Vec::new(),
            candidates_tried: 0,
            failed_trials: 0,
            trials_exhausted: false,
            entry_findings: 0,
            dropped_malformed: 0,
            dropped_limit: 0,
        }
    }

    fn is_ooxml(&self) -> bool {
        self.dir
            .entries
            .iter()
            .any(|e| e.name.eq_ignore_ascii_case("[Content_Types].xml"))
    }

    fn block(&mut self, i: usize, b: Block) {
        if let Some(slot) = self.blocked.get_mut(i) {
            if slot.is_none() {
                *slot = Some(b);
            }
        }
    }

    /// Structure, entry count, overlap and declared-ratio checks. Nothing is inflated here.
    fn directory_checks(&mut self, ctx: &mut Ctx<'_>) {
        for p in &self.dir.problems {
            ctx.finding("archive.malformed", &self.loc, p.clone());
        }
        if !self.dir.problems.is_empty() {
            ctx.incomplete();
        }

        let n = self.dir.entries.len();
        let mut allowed = 0usize;
        while allowed < n && ctx.charge_entries(1) {
            allowed = allowed.saturating_add(1);
        }
        if allowed < n || self.dir.cut {
            ctx.limit_hit(
                &self.loc,
                format!(
                    "too many entries: the archive lists {}{} (end record says {}); limit {} entries in all, only the first {} inspected",
                    n,
                    if self.dir.cut { "+" } else { "" },
                    self.dir.declared,
                    ctx.opts.limits.max_entries,
                    allowed
                ),
            );
            for i in allowed..n {
                self.block(i, Block::OverCount);
            }
        }

        let overlap = limits::overlapping(&self.dir.entries);
        let count = overlap.iter().filter(|&&o| o).count();
        if count > 0 {
            let declared: u64 = self
                .dir
                .entries
                .iter()
                .zip(&overlap)
                .filter(|(_, &o)| o)
                .fold(0u64, |s, (e, _)| s.saturating_add(e.uncompressed));
            ctx.limit_hit(
                &self.loc,
                format!(
                    "overlapping entries (zip bomb): {count} entries share data ranges, declaring {declared} bytes in all from a {} byte archive; not inflated",
                    self.bytes.len()
                ),
            );
            for (i, o) in overlap.iter().enumerate() {
                if *o {
                    self.block(i, Block::Overlap);
                }
            }
        }

        let max_ratio = ctx.opts.limits.max_ratio;
        for i in 0..allowed {
            let Some(e) = self.dir.entries.get(i) else {
                break;
            };
            let mut issues: Vec<String> = Vec::new();
            if !e.is_dir() && self.by_name.get(&e.name).is_some_and(|&first| first != i) {
                issues.push("two entries have this name (extractors differ on which one you get); both inspected".into());
            }
            if e.name_raw.contains(&0) {
                issues.push(
                    "entry name contains a NUL byte (tools disagree on where the name ends)".into(),
                );
            }
            if e.extra_broken {
                issues.push("extra field records do not add up to the extra field length".into());
            }
            if !e.local_mismatch.is_empty() {
                issues.push(format!(
                    "local header differs from the central directory ({}); read as the central directory says",
                    e.local_mismatch.join(", ")
                ));
            }
            let child = self.loc.child(e.name.clone());
            for why in issues {
                self.entry_malformed(ctx, &child, why);
            }
            let Some(e) = self.dir.entries.get(i) else {
                break;
            };
            if e.is_dir() {
                continue;
            }
            if let Some(ev) = limits::declared_bomb(e, max_ratio) {
                let child = self.loc.child(e.name.clone());
                self.entry_finding(ctx, "archive.limit_exceeded", &child, ev.clone());
                self.block(i, Block::Bomb(ev));
            }
        }
    }

    /// Inflate every file entry (not for OOXML) and hand it to [`Ctx::analyze`].
    fn walk(&mut self, ctx: &mut Ctx<'_>) {
        for i in 0..self.dir.entries.len() {
            let Some(e) = self.dir.entries.get(i) else {
                break;
            };
            if e.is_dir() {
                continue;
            }
            let name = e.name.clone();
            let declared = e.uncompressed;
            let child = self.loc.child(name.clone());
            if ctx.work_exhausted() {
                unread(ctx, &name, &child, declared, crate::engine::WORK_OUT_NOTE);
                continue;
            }
            match self.blocked.get(i).cloned().flatten() {
                Some(Block::OverCount) => continue, // not listed: the limit finding says how many
                Some(Block::Overlap) => {
                    unread(
                        ctx,
                        &name,
                        &child,
                        declared,
                        "not inflated: its data overlaps another entry (zip bomb)",
                    );
                    continue;
                }
                Some(Block::Bomb(_)) => {
                    unread(
                        ctx,
                        &name,
                        &child,
                        declared,
                        "not inflated: impossible compression ratio (zip bomb)",
                    );
                    continue;
                }
                None => {}
            }
            if self.padded_entry(ctx, i) {
                continue;
            }
            match self.read_entry(ctx, i) {
                Ok((data, pw)) => {
                    ctx.analyze(&data, &name, &child, Via::ArchiveEntry);
                    if let Some(p) = pw {
                        ctx.note(&child, decrypted_note(&p));
                    }
                }
                Err(f) => self.failed(ctx, f, &name, &child, declared),
            }
        }
    }

    /// `file.padded` for a large entry that is a document followed by one repeated byte
    /// (see [`padding`]): read a bounded front and a bounded sample of the run, never the whole
    /// entry, and hand the front to [`Ctx::analyze`]. `true` when the entry was handled here;
    /// `false` sends it through the normal read (and its size limits).
    /// Unencrypted stored and deflated entries only; the CRC-32 cannot be checked on a part.
    fn padded_entry(&mut self, ctx: &mut Ctx<'_>, i: usize) -> bool {
        let Some(e) = self.dir.entries.get(i).cloned() else {
            return false;
        };
        if e.uncompressed < padding::ZIP_MIN_DECLARED {
            return false;
        }
        let (name, declared, compressed) = (e.name.clone(), e.uncompressed, e.compressed);
        let ratio = declared.checked_div(compressed.max(1)).unwrap_or(0);
        let mut scan = padding::RunScan::new(padding::FRONT_KEEP);
        let eof: bool;
        let mut pw: Option<Password> = None;
        if e.effective_method() == 0 && !e.is_encrypted() {
            // Stored: the bytes are in the input already; scanning them inflates nothing.
            let Some(data) = e.data.clone().ok().and_then(|r| self.bytes.get(r)) else {
                return false;
            };
            scan.feed(data);
            eof = true;
        } else {
            if ratio < padding::ZIP_MIN_RATIO {
                return false;
            }
            if e.is_encrypted() {
                // The candidate whose first bytes are a recognised document (a wrong password
                // yields garbage or a broken stream). Not found: the normal read reports it.
                match self.padded_password(ctx, &e) {
                    Some(p) => pw = Some(p),
                    None => return false,
                }
            }
            let cap = padding::FRONT_KEEP
                .saturating_add(padding::TAIL_SAMPLE)
                .min(ctx.opts.limits.max_entry_inflated)
                .min(declared);
            let mut sink = |chunk: &[u8]| {
                if !ctx.charge_inflated(chunk.len() as u64) {
                    return false;
                }
                scan.feed(chunk);
                // A document starts with its own header, not with a run: an entry that is one
                // byte value from its first byte on (a bomb of zeros) or whose start is not a
                // recognised type is not padding, and the normal read handles it.
                if scan.total >= 64 * 1024
                    && (scan.run.is_some_and(|(s, _)| s == 0)
                        || !padding::recognised(&scan.kept, &name))
                {
                    return false;
                }
                let decided = scan.run_len() >= padding::TAIL_SAMPLE
                    && scan
                        .run
                        .is_some_and(|(s, _)| s > 0 && s <= scan.kept.len() as u64);
                !decided
            };
            let password = pw.as_ref().map(|p| p.value.as_bytes().to_vec());
            match archive::stream(self.bytes, &e, password.as_deref(), cap, &mut sink) {
                Ok((_, end)) => eof = end,
                Err(_) => return false, // the normal read reports what is wrong
            }
        }
        let Some((start, byte)) = scan.run else {
            return false;
        };
        // The run covers the rest of what was read, and the declared (or, read whole, actual)
        // size leaves at least MIN_TAIL of it.
        let end = if eof {
            scan.total
        } else {
            declared.max(scan.total)
        };
        if end.saturating_sub(start) < padding::MIN_TAIL
            || (!eof && scan.run_len() < padding::TAIL_SAMPLE.min(end.saturating_sub(start)))
        {
            return false;
        }
        let Some((front, kind)) = scan.front(&name) else {
            return false;
        };
        let front = front.to_vec();
        let child = self.loc.child(name.clone());
        let unread_rest = end.saturating_sub(scan.total);
        let how = if unread_rest == 0 {
            format!(
                "the run goes on to the end ({} read)",
                padding::size(scan.total)
            )
        } else {
            format!(
                "the run goes on through the {} inflated to check; the remaining {} were not inflated",
                padding::size(scan.total),
                padding::size(unread_rest)
            )
        };
        ctx.finding_tagged(
            "file.padded",
            &child,
            format!(
                "{} document declared as {} in the archive ({} compressed, {ratio}:1): the content ends at offset {start}, then byte 0x{byte:02X} repeats; {how}",
                kind.as_str(),
                padding::size(declared),
                padding::size(compressed),
            ),
            vec![kind.as_str()],
        );
        ctx.analyze(&front, &name, &child, Via::ArchiveEntry);
        ctx.note(
            &child,
            format!(
                "padded entry: only the first {} (before the padding) were checked",
                padding::size(front.len() as u64)
            ),
        );
        if let Some(p) = pw {
            ctx.note(&child, decrypted_note(&p));
            self.password = Some(p.clone());
            self.credit(ctx, &p);
        }
        if unread_rest > 0 {
            ctx.incomplete();
        }
        true
    }

    /// For a padded encrypted entry: the first candidate (the archive's known password first)
    /// that decrypts the start of the entry to a recognised file type. Costs one trial each.
    fn padded_password(&mut self, ctx: &mut Ctx<'_>, e: &Entry) -> Option<Password> {
        let mut candidates: Vec<Password> = self.password.iter().cloned().collect();
        for p in ctx.passwords() {
            if !candidates.iter().any(|c| c.value == p.value) {
                candidates.push(p);
            }
        }
        for p in candidates {
            if !ctx.charge_work(trial_work(e)) {
                return None;
            }
            let mut head = Vec::new();
            let mut sink = |chunk: &[u8]| {
                head.extend_from_slice(
                    chunk
                        .get(..4096usize.saturating_sub(head.len()).min(chunk.len()))
                        .unwrap_or(&[]),
                );
                head.len() < 4096
            };
            if archive::stream(self.bytes, e, Some(p.value.as_bytes()), 4096, &mut sink).is_ok()
                && !matches!(
                    crate::detect::sniff(&head, &e.name),
                    Kind::Unknown | Kind::Text
                )
            {
                return Some(p);
            }
        }
        None
    }

    /// Record why entry `name` was not read.
    fn failed(&mut self, ctx: &mut Ctx<'_>, f: Fail, name: &str, child: &Location, declared: u64) {
        match f {
            Fail::Limit {
                archive_level,
                what,
            } => {
                if archive_level {
                    ctx.limit_hit(&self.loc, what);
                } else {
                    self.entry_finding(ctx, "archive.limit_exceeded", child, what);
                }
                unread(
                    ctx,
                    name,
                    child,
                    declared,
                    "not inspected: over a size limit",
                );
            }
            Fail::Malformed(why) => {
                self.entry_malformed(ctx, child, why.clone());
                unread(ctx, name, child, declared, format!("not readable: {why}"));
            }
            Fail::Locked => {
                self.locked.push(name.to_string());
                unread(
                    ctx,
                    name,
                    child,
                    declared,
                    "encrypted: no password candidate opened it",
                );
            }
        }
    }

    /// Read entry `i` through the caps, trying passwords if it is encrypted. Charges the
    /// inflated bytes. Returns the password used, if any.
    fn read_entry(
        &mut self,
        ctx: &mut Ctx<'_>,
        i: usize,
    ) -> Result<(Vec<u8>, Option<Password>), Fail> {
        let Some(e) = self.dir.entries.get(i).cloned() else {
            return Err(Fail::Malformed("no such entry".into()));
        };
        let per_entry = ctx.opts.limits.max_entry_inflated;
        if e.uncompressed > per_entry {
            return Err(Fail::Limit {
                archive_level: false,
                what: format!(
                    "entry declares {} bytes, over the per-entry limit of {} bytes; not inflated",
                    e.uncompressed, per_entry
                ),
            });
        }
        let remaining = ctx.inflate_remaining();
        if e.uncompressed > remaining {
            return Err(Fail::Limit {
                archive_level: true,
                what: TOTAL_BUDGET.into(),
            });
        }
        let cap = per_entry.min(remaining);
        let over = |cap_is_entry: bool| {
            if cap_is_entry {
                Fail::Limit {
                    archive_level: false,
                    what: format!("entry inflates past the per-entry limit of {per_entry} bytes"),
                }
            } else {
                Fail::Limit {
                    archive_level: true,
                    what: TOTAL_BUDGET.into(),
                }
            }
        };
        let (data, pw) = if e.is_encrypted() {
            self.decrypt(&e, ctx, cap).map_err(|f| match f {
                Some(err) => classify(err, cap == per_entry, &over),
                None => Fail::Locked,
            })?
        } else {
            let d = archive::extract(self.bytes, &e, None, cap)
                .map_err(|err| classify(err, cap == per_entry, &over))?;
            (d, None)
        };
        if !ctx.charge_inflated(data.len() as u64) {
            return Err(Fail::Limit {
                archive_level: true,
                what: TOTAL_BUDGET.into(),
            });
        }
        if let Some(p) = &pw {
            self.credit(ctx, p);
        }
        Ok((data, pw))
    }

    /// Try the cached password, then every candidate (body first). `Err(None)`: none opened it;
    /// `Err(Some(e))`: a failure no password can fix (unsupported, over a limit).
    fn decrypt(
        &mut self,
        e: &Entry,
        ctx: &mut Ctx<'_>,
        cap: u64,
    ) -> Result<(Vec<u8>, Option<Password>), Option<ReadError>> {
        archive::supported(e).map_err(Some)?;
        let mut candidates: Vec<Password> = self.password.iter().cloned().collect();
        for p in ctx.passwords() {
            if !candidates.iter().any(|c| c.value == p.value) {
                candidates.push(p);
            }
        }
        self.candidates_tried = self.candidates_tried.max(candidates.len());
        // Failed trials cost a key derivation each (AES: PBKDF2, 1000 rounds); bound them per
        // archive so thousands of encrypted entries times many candidates stay cheap.
        let budget = ctx
            .opts
            .limits
            .max_password_attempts
            .saturating_mul(4)
            .max(16);
        for p in candidates {
            let mut variants = vec![p.value.as_bytes().to_vec()];
            variants.extend(names::cp932_password(&p.value));
            for v in variants {
                if self.failed_trials >= budget {
                    self.trials_exhausted = true;
                    return Err(None);
                }
                if !ctx.charge_work(trial_work(e)) {
                    return Err(None);
                }
                match archive::extract(self.bytes, e, Some(&v), cap) {
                    Ok(d) => {
                        self.password = Some(p.clone());
                        return Ok((d, Some(p)));
                    }
                    Err(ReadError::WrongPassword(_))
                    | Err(ReadError::Corrupt(_))
                    | Err(ReadError::NeedPassword) => {
                        self.failed_trials = self.failed_trials.saturating_add(1);
                    }
                    Err(other) => return Err(Some(other)),
                }
            }
        }
        Err(None)
    }

    /// An `archive.malformed` / `archive.limit_exceeded` finding on one entry. Past
    /// [`MAX_ENTRY_FINDINGS`] per archive they are only counted and summarised once by
    /// [`Zip::finish`], so a hostile archive cannot flood the report.
    fn entry_finding(
        &mut self,
        ctx: &mut Ctx<'_>,
        code: &'static str,
        child: &Location,
        why: String,
    ) {
        ctx.incomplete();
        if self.entry_findings < MAX_ENTRY_FINDINGS {
            self.entry_findings = self.entry_findings.saturating_add(1);
            ctx.finding(code, child, why);
        } else if code == "archive.limit_exceeded" {
            self.dropped_limit = self.dropped_limit.saturating_add(1);
        } else {
            self.dropped_malformed = self.dropped_malformed.saturating_add(1);
        }
    }

    fn entry_malformed(&mut self, ctx: &mut Ctx<'_>, child: &Location, why: String) {
        self.entry_finding(ctx, "archive.malformed", child, why);
    }

    /// A password opened an entry: the body-password finding (once per archive) or a note.
    fn credit(&mut self, ctx: &mut Ctx<'_>, p: &Password) {
        if p.from_body {
            if !self.body_reported {
                self.body_reported = true;
                ctx.finding_secret(
                    "archive.opened_with_body_password",
                    &self.loc,
                    format!("password after \"{}\"", p.label),
                    p.value.clone(),
                );
            }
        } else if !self.user_noted {
            self.user_noted = true;
            ctx.note(
                &self.loc,
                format!("opened with a password given by the user ({})", p.label),
            );
        }
    }

    /// Archive-level findings collected during the walk.
    fn finish(&mut self, ctx: &mut Ctx<'_>) {
        for (code, n) in [
            ("archive.malformed", self.dropped_malformed),
            ("archive.limit_exceeded", self.dropped_limit),
        ] {
            if n > 0 {
                ctx.finding(
                    code,
                    &self.loc,
                    format!("{n} more entries like this (only the first {MAX_ENTRY_FINDINGS} entry findings are listed)"),
                );
            }
        }
        if self.locked.is_empty() {
            return;
        }
        let mut tried = match self.candidates_tried {
            0 => "no password candidates".to_string(),
            1 => "1 password candidate tried".to_string(),
            n => format!("{n} password candidates tried"),
        };
        if self.trials_exhausted {
            tried.push_str(&format!(
                "; stopped after {} failed trials",
                self.failed_trials
            ));
        }
        let n = self.locked.len();
        ctx.finding(
            "archive.encrypted",
            &self.loc,
            format!(
                "{n} encrypted entr{} not opened ({tried}): {}",
                if n == 1 { "y" } else { "ies" },
                self.locked.join(", ")
            ),
        );
        ctx.incomplete();
    }
}

fn classify(err: ReadError, cap_is_entry: bool, over: &dyn Fn(bool) -> Fail) -> Fail {
    match err {
        ReadError::OverCap => over(cap_is_entry),
        ReadError::Unsupported(m) => Fail::Malformed(m),
        ReadError::Corrupt(m) => Fail::Malformed(m),
        ReadError::NeedPassword | ReadError::WrongPassword(_) => Fail::Locked,
    }
}

/// Work units of one password trial on `e` ([`crate::Limits::work`]).
fn trial_work(e: &Entry) -> u64 {
    if e.aes.is_some() {
        crate::engine::WORK_PER_AES_TRIAL
    } else {
        crate::engine::WORK_PER_ZIPCRYPTO_TRIAL
    }
}

fn decrypted_note(p: &Password) -> String {
    if p.from_body {
        format!(
            "decrypted with the password from the mail body (after \"{}\")",
            p.label
        )
    } else {
        format!("decrypted with a password given by the user ({})", p.label)
    }
}

/// An entry that was not read: record it, and still run the name checks (an encrypted
/// `請求書.pdf.exe` shows its name even when its content stays closed).
fn unread(ctx: &mut Ctx<'_>, name: &str, loc: &Location, declared: u64, note: impl Into<String>) {
    ctx.object_unread(loc, name, "unknown", declared, note);
    crate::formats::file::check(ctx, &[], name, loc, Kind::Unknown, Via::ArchiveEntry);
}

/// OOXML parts, read through the same caps, budgets and password candidates as entries.
/// A part that cannot be read (over a limit, malformed, encrypted) gets its finding recorded
/// here as well as the `Err` returned, so nothing is silent whatever the caller does.
impl PartSource for Zip<'_> {
    fn part_names(&self) -> Vec<String> {
        self.dir
            .entries
            .iter()
            .filter(|e| !e.is_dir())
            .map(|e| e.name.clone())
            .collect()
    }

    fn read_part(&mut self, ctx: &mut Ctx<'_>, name: &str) -> Option<Result<Vec<u8>, String>> {
        let i = match self.by_name.get(name) {
            Some(&i) => i,
            None => self
                .dir
                .entries
                .iter()
                .position(|e| e.name.eq_ignore_ascii_case(name))?,
        };
        let e = self.dir.entries.get(i)?;
        let (part, declared) = (e.name.clone(), e.uncompressed);
        let child = self.loc.child(part.clone());
        match self.blocked.get(i).cloned().flatten() {
            Some(Block::OverCount) => {
                return Some(Err("not inspected: over the entry limit".into()))
            }
            Some(Block::Overlap) => {
                return Some(Err("not inflated: overlaps another entry (zip bomb)".into()))
            }
            Some(Block::Bomb(ev)) => return Some(Err(ev)),
            None => {}
        }
        match self.read_entry(ctx, i) {
            Ok((data, _)) => Some(Ok(data)),
            Err(f) => {
                let why = match &f {
                    Fail::Limit { what, .. } => what.clone(),
                    Fail::Malformed(w) => w.clone(),
                    Fail::Locked => "encrypted: no password candidate opened it".into(),
                };
                self.failed(ctx, f, &part, &child, declared);
                Some(Err(why))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Options;
    use std::io::{Cursor, Write};
    use zip::unstable::write::FileOptionsExt;
    use zip::write::SimpleFileOptions;

    fn zip_crypto(entries: &[(&str, &[u8])], pw: &str) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (n, d) in entries {
            let o = SimpleFileOptions::default()
                .with_deprecated_encryption(pw.as_bytes())
                .unwrap();
            w.start_file(*n, o).unwrap();
            w.write_all(d).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn run(z: &[u8], opts: &Options, body: &[(&str, &str)]) -> crate::Report {
        let mut ctx = Ctx::new(opts);
        for (label, value) in body {
            ctx.add_password(Password {
                value: value.to_string(),
                label: label.to_string(),
                from_body: true,
            });
        }
        ctx.analyze(z, "x.zip", &Location::root("x.zip"), Via::Input);
        ctx.finish("x.zip")
    }

    #[test]
    fn body_password_opens_once_per_archive() {
        let z = zip_crypto(
            &[
                ("a.txt", b"first text file"),
                ("b.txt", b"second text file"),
            ],
            "s3cret",
        );
        let r = run(
            &z,
            &Options::default(),
            &[("PW", "nope"), ("パスワード", "s3cret")],
        );
        let hits: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.code == "archive.opened_with_body_password")
            .collect();
        assert_eq!(hits.len(), 1, "{:#?}", r.findings);
        assert_eq!(hits[0].evidence, "password after \"パスワード\"");
        assert_eq!(hits[0].secret.as_deref(), Some("s3cret"));
        assert_eq!(hits[0].location.to_string(), "x.zip");
        assert!(r.complete);
        assert!(!r.findings.iter().any(|f| f.code == "archive.encrypted"));
        // Both entries were read (they have a SHA-256).
        let read = r
            .objects
            .iter()
            .filter(|o| o.location.depth() == 2 && !o.sha256.is_empty())
            .count();
        assert_eq!(read, 2);
    }

    #[test]
    fn user_password_gives_a_note_not_the_body_finding() {
        let z = zip_crypto(&[("a.txt", b"first text file")], "s3cret");
        let opts = Options {
            passwords: vec!["s3cret".into()],
            ..Default::default()
        };
        let r = run(&z, &opts, &[]);
        assert!(!r
            .findings
            .iter()
            .any(|f| f.code == "archive.opened_with_body_password"));
        let archive = r.objects.iter().find(|o| o.location.depth() == 1).unwrap();
        assert!(
            archive.notes.iter().any(|n| n.contains("--password")),
            "{:?}",
            archive.notes
        );
        assert!(r.complete);
    }

    #[test]
    fn cp932_encoded_password_is_tried() {
        let sjis = encoding_rs::SHIFT_JIS.encode("ひみつ").0.into_owned();
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = SimpleFileOptions::default()
            .with_deprecated_encryption(&sjis)
            .unwrap();
        w.start_file("a.txt", o).unwrap();
        w.write_all(b"hello").unwrap();
        let z = w.finish().unwrap().into_inner();
        let r = run(&z, &Options::default(), &[("パスワード", "ひみつ")]);
        assert!(
            r.findings
                .iter()
                .any(|f| f.code == "archive.opened_with_body_password"),
            "{:#?}",
            r.findings
        );
    }

    #[test]
    fn part_source_reads_through_budgets_and_blocks() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (n, d) in [
            ("[Content_Types].xml", &b"<Types/>"[..]),
            ("word/document.xml", &[b'x'; 5000][..]),
            ("word/media/", &b""[..]),
        ] {
            if n.ends_with('/') {
                w.add_directory(n, SimpleFileOptions::default()).unwrap();
            } else {
                w.start_file(n, SimpleFileOptions::default()).unwrap();
                w.write_all(d).unwrap();
            }
        }
        let z = w.finish().unwrap().into_inner();
        let opts = Options::default();
        let mut ctx = Ctx::new(&opts);
        let loc = Location::root("x.docx");
        let dir = archive::parse(&z, 100).unwrap();
        let mut parts = Zip::new(&z, dir, loc.clone());
        parts.directory_checks(&mut ctx);
        assert!(parts.is_ooxml());
        assert_eq!(
            parts.part_names(),
            vec!["[Content_Types].xml", "word/document.xml"]
        );
        let before = ctx.inflate_remaining();
        assert_eq!(
            parts.read_part(&mut ctx, "word/document.xml"),
            Some(Ok(vec![b'x'; 5000]))
        );
        assert_eq!(before - ctx.inflate_remaining(), 5000);
        assert_eq!(
            parts.read_part(&mut ctx, "[content_types].XML"),
            Some(Ok(b"<Types/>".to_vec()))
        );
        assert_eq!(parts.read_part(&mut ctx, "word/missing.xml"), None);

        // Over the total budget: Err, and the limit finding is recorded here.
        let small = Options {
            limits: crate::Limits {
                max_total_inflated: 100,
                ..Default::default()
            },
            ..Default::default()
        };
        let mut ctx = Ctx::new(&small);
        let dir = archive::parse(&z, 100).unwrap();
        let mut parts = Zip::new(&z, dir, loc.clone());
        parts.directory_checks(&mut ctx);
        assert!(matches!(
            parts.read_part(&mut ctx, "word/document.xml"),
            Some(Err(_))
        ));
        assert!(ctx
            .findings()
            .iter()
            .any(|f| f.code == "archive.limit_exceeded"));
    }
}
