//! The recursive walk: one [`Ctx`] per check collects findings and objects, holds the budgets,
//! and dispatches each file (the input, an attachment, an archive entry) to its format module.

use sha2::{Digest, Sha256};

use crate::detect::{self, Kind};
use crate::formats;
use crate::options::Options;
use crate::policy;
use crate::report::{Finding, Location, MailSummary, Object, Report};

/// How an object reached the checker. Some checks weigh differently by route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The file the user gave.
    Input,
    /// An attachment of a mail.
    MailAttachment,
    /// An entry of an archive or container.
    ArchiveEntry,
    /// An object embedded in a document (OLE package, OneNote file data, ...).
    Embedded,
}

/// A password candidate, found in a mail body or given by the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Password {
    pub value: String,
    /// What it followed in the body (`パスワード`, `PW`, ...) or `--password`.
    pub label: String,
    /// `true` when it came from a mail body (as opposed to the user's options).
    pub from_body: bool,
}

/// State of one check.
pub struct Ctx<'o> {
    pub opts: &'o Options,
    findings: Vec<Finding>,
    objects: Vec<Object>,
    mails: Vec<MailSummary>,
    complete: bool,
    passwords: Vec<Password>,
    inflated: u64,
    entries: usize,
    /// Work units charged so far ([`Ctx::charge_work`]).
    work: u64,
    /// The work budget ran out: nothing more is analysed.
    work_out: bool,
    /// The object being analysed (where a work-budget finding is recorded).
    current: Location,
}

impl<'o> Ctx<'o> {
    pub fn new(opts: &'o Options) -> Self {
        let passwords = opts
            .passwords
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| Password {
                value: p.clone(),
                label: "--password".into(),
                from_body: false,
            })
            .collect();
        Ctx {
            opts,
            findings: Vec::new(),
            objects: Vec::new(),
            mails: Vec::new(),
            complete: true,
            passwords,
            inflated: 0,
            entries: 0,
            work: 0,
            work_out: false,
            current: Location::default(),
        }
    }

    // ---- findings ----

    /// Record a finding. Severity comes from [`policy::severity`]. Exact duplicates are dropped.
    pub fn finding(&mut self, code: &'static str, loc: &Location, evidence: impl Into<String>) {
        self.finding_full(code, loc, evidence.into(), Vec::new(), None);
    }

    /// A finding refined by tags (e.g. the keyword categories of `office.vba_suspicious`).
    pub fn finding_tagged(
        &mut self,
        code: &'static str,
        loc: &Location,
        evidence: impl Into<String>,
        tags: Vec<&'static str>,
    ) {
        self.finding_full(code, loc, evidence.into(), tags, None);
    }

    /// A finding carrying a value the page masks until asked (a password).
    pub fn finding_secret(
        &mut self,
        code: &'static str,
        loc: &Location,
        evidence: impl Into<String>,
        secret: String,
    ) {
        self.finding_full(code, loc, evidence.into(), Vec::new(), Some(secret));
    }

    fn finding_full(
        &mut self,
        code: &'static str,
        loc: &Location,
        evidence: String,
        mut tags: Vec<&'static str>,
        secret: Option<String>,
    ) {
        tags.sort_unstable();
        tags.dedup();
        let evidence = clip(&evidence, 600);
        if self.findings.iter().any(|f| {
            f.code == code && &f.location == loc && f.evidence == evidence && f.tags == tags
        }) {
            return;
        }
        self.findings.push(Finding {
            code,
            severity: policy::severity(code, &tags),
            location: loc.clone(),
            path: loc.segments().to_vec(),
            evidence,
            tags,
            secret,
        });
    }

    /// Something could not be inspected. The caller also records a finding saying what.
    pub fn incomplete(&mut self) {
        self.complete = false;
    }

    /// A resource limit was hit: `archive.limit_exceeded` with what was hit, and incomplete.
    pub fn limit_hit(&mut self, loc: &Location, what: impl Into<String>) {
        self.finding("archive.limit_exceeded", loc, what);
        self.incomplete();
    }

    /// A format that can carry active content but that this version does not open:
    /// `file.not_inspected` with what it is, and incomplete.
    pub fn not_inspected(&mut self, loc: &Location, what: impl Into<String>) {
        self.finding("file.not_inspected", loc, what);
        self.incomplete();
    }

    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    // ---- objects and mails ----

    /// Record an inspected object with its size, detected kind and SHA-256.
    pub fn object(&mut self, loc: &Location, name: &str, kind: &'static str, bytes: &[u8]) {
        let sha256 = hex(&Sha256::digest(bytes));
        self.objects.push(Object {
            location: loc.clone(),
            path: loc.segments().to_vec(),
            name: name.to_string(),
            kind,
            size: bytes.len() as u64,
            sha256,
            notes: Vec::new(),
        });
    }

    /// Record an object whose bytes could not be read (encrypted entry, over a limit).
    pub fn object_unread(
        &mut self,
        loc: &Location,
        name: &str,
        kind: &'static str,
        size: u64,
        note: impl Into<String>,
    ) {
        self.objects.push(Object {
            location: loc.clone(),
            path: loc.segments().to_vec(),
            name: name.to_string(),
            kind,
            size,
            sha256: String::new(),
            notes: vec![note.into()],
        });
    }

    /// Add a note to the object at `loc` (the most recent one there).
    pub fn note(&mut self, loc: &Location, note: impl Into<String>) {
        if let Some(o) = self.objects.iter_mut().rev().find(|o| &o.location == loc) {
            o.notes.push(note.into());
        }
    }

    /// Refine the detected kind of the object at `loc` (a ZIP that turned out to be OOXML).
    pub fn set_kind(&mut self, loc: &Location, kind: &'static str) {
        if let Some(o) = self.objects.iter_mut().rev().find(|o| &o.location == loc) {
            o.kind = kind;
        }
    }

    pub fn mail(&mut self, summary: MailSummary) {
        self.mails.push(summary);
    }

    // ---- passwords ----

    /// Add a candidate (from a mail body). Duplicates are ignored, except that a value the user
    /// also gave with `--password` is marked as found in the body: the body still carried it.
    pub fn add_password(&mut self, p: Password) {
        if p.value.is_empty() {
            return;
        }
        match self.passwords.iter_mut().find(|q| q.value == p.value) {
            Some(q) if p.from_body && !q.from_body => *q = p,
            Some(_) => {}
            None => self.passwords.push(p),
        }
    }

    /// Every candidate to try on an encrypted object, body candidates first, capped by
    /// `max_password_attempts`.
    pub fn passwords(&self) -> Vec<Password> {
        let mut v: Vec<Password> = self
            .passwords
            .iter()
            .filter(|p| p.from_body)
            .cloned()
            .collect();
        v.extend(self.passwords.iter().filter(|p| !p.from_body).cloned());
        v.truncate(self.opts.limits.max_password_attempts);
        v
    }

    // ---- budgets ----

    /// Charge `n` inflated bytes against the total budget (and `n` units of work: inflating is
    /// work). `false` when the inflation budget would go over.
    pub fn charge_inflated(&mut self, n: u64) -> bool {
        // Work is charged too; running out of work does not fail this call (the caller would
        // report it as the inflation budget): the walk stops at the next object instead.
        self.charge_work(n);
        match self.inflated.checked_add(n) {
            Some(total) if total <= self.opts.limits.max_total_inflated => {
                self.inflated = total;
                true
            }
            _ => false,
        }
    }

    /// Inflated bytes still allowed for this check.
    pub fn inflate_remaining(&self) -> u64 {
        self.opts
            .limits
            .max_total_inflated
            .saturating_sub(self.inflated)
    }

    /// Charge `n` archive entries. `false` when it would go over.
    pub fn charge_entries(&mut self, n: usize) -> bool {
        match self.entries.checked_add(n) {
            Some(total) if total <= self.opts.limits.max_entries => {
                self.entries = total;
                true
            }
            _ => false,
        }
    }

    /// Charge `n` units of work against [`crate::Limits::work`] (see there for what a unit is:
    /// about one byte read, inflated or decompressed; key derivations by their hash rounds).
    /// `false` once the budget is used up: the caller stops what it is doing. The first time,
    /// a `check.limit_exceeded` finding is recorded at the object being analysed and the report
    /// becomes incomplete; from then on [`Ctx::analyze`] lists objects without analysing them.
    pub fn charge_work(&mut self, n: u64) -> bool {
        if self.work_out {
            return false;
        }
        match self.work.checked_add(n) {
            Some(total) if total <= self.opts.limits.work => {
                self.work = total;
                true
            }
            _ => {
                self.work_out = true;
                let loc = self.current.clone();
                self.finding(
                    "check.limit_exceeded",
                    &loc,
                    format!(
                        "work budget of {} units used up (bytes read, inflated and decompressed, password trials); the rest was not inspected",
                        self.opts.limits.work
                    ),
                );
                self.incomplete();
                false
            }
        }
    }

    /// `true` once the work budget has run out (see [`Ctx::charge_work`]).
    pub fn work_exhausted(&self) -> bool {
        self.work_out
    }

    // ---- the walk ----

    /// Inspect one file: record it, run the file checks, and hand it to its format module.
    /// Every container module calls this for what it contains, so nesting is handled once.
    pub fn analyze(&mut self, bytes: &[u8], name: &str, loc: &Location, via: Via) {
        if loc.depth() > self.opts.limits.max_depth {
            self.object_unread(
                loc,
                name,
                "unknown",
                bytes.len() as u64,
                "not inspected: nesting too deep",
            );
            self.limit_hit(
                loc,
                format!("nesting depth over {}", self.opts.limits.max_depth),
            );
            return;
        }
        // Work: the object's bytes (hashing, sniffing, scanning) plus a fixed cost per object.
        let before = std::mem::replace(&mut self.current, loc.clone());
        let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if !self.charge_work(len.saturating_add(WORK_PER_OBJECT)) {
            self.object_unread(loc, name, "unknown", len, WORK_OUT_NOTE);
            self.current = before;
            return;
        }
        self.analyze_object(bytes, name, loc, via);
        self.current = before;
    }

    fn analyze_object(&mut self, bytes: &[u8], name: &str, loc: &Location, via: Via) {
        let kind = detect::sniff(bytes, name);
        self.object(loc, name, kind.as_str(), bytes);
        formats::file::check(self, bytes, name, loc, kind, via);
        let (bytes, kind) = formats::padding::trim(self, bytes, name, kind, loc);
        // Text formats cost more per byte than hashing and sniffing (see `work_per_byte`):
        // charge the difference before parsing, so a huge HTML page or mail stops here.
        let extra = work_per_byte(kind).saturating_sub(1);
        let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if extra > 0 && !self.charge_work(len.saturating_mul(extra)) {
            self.note(loc, WORK_OUT_NOTE);
            return;
        }
        match kind {
            Kind::Mail => formats::mail::analyze(self, bytes, loc),
            Kind::Zip => formats::zip::analyze(self, bytes, name, loc),
            Kind::Ole => formats::office::analyze_ole(self, bytes, name, loc),
            Kind::Lnk | Kind::Url => formats::shortcut::analyze(self, bytes, kind, loc),
            Kind::Iso | Kind::Udf | Kind::Vhd | Kind::Img => {
                formats::disk::analyze(self, bytes, kind, loc)
            }
            Kind::OneNote => formats::onenote::analyze(self, bytes, loc),
            Kind::Rtf => formats::rtf::analyze(self, bytes, loc),
            Kind::Pdf => formats::pdf::analyze(self, bytes, loc),
            Kind::Html => formats::html::analyze(self, bytes, loc),
            Kind::Sylk => formats::office::analyze_sylk(self, bytes, loc),
            Kind::Text => formats::office::analyze_text(self, bytes, name, loc),
            other => {
                if let Some(what) = formats::file::uninspected_carrier(other) {
                    self.not_inspected(loc, what);
                }
            }
        }
    }

    pub fn finish(mut self, file: &str) -> Report {
        // Deterministic order: by location, then severity (highest first), then code.
        self.findings.sort_by(|a, b| {
            a.path
                .cmp(&b.path)
                .then(b.severity.cmp(&a.severity))
                .then(a.code.cmp(b.code))
        });
        let verdict = policy::verdict(&self.findings, self.complete);
        Report {
            file: file.to_string(),
            verdict,
            complete: self.complete,
            findings: self.findings,
            objects: self.objects,
            mails: self.mails,
        }
    }
}

/// Work units per byte of an object of this kind, parsing included ([`crate::Limits::work`]).
/// Measured natively (release) against hashing and sniffing a byte (1 unit): the HTML checks
/// about 30×, mail parsing (mail-parser, several decoded copies) about 10× and the most memory
/// (about 2.2× its size at peak), RTF and SYLK about 12×, PDF about 6×; everything else reads
/// through ranges and is charged as it inflates or decrypts.
pub fn work_per_byte(kind: Kind) -> u64 {
    match kind {
        Kind::Html => 32,
        Kind::Mail => 24,
        Kind::Rtf | Kind::Sylk => 16,
        Kind::Pdf => 8,
        _ => 1,
    }
}

/// The note on an object listed but not inspected because the work budget ran out.
pub const WORK_OUT_NOTE: &str = "not inspected: the check's work budget was used up";

/// Work units charged per object handed to [`Ctx::analyze`], besides its bytes: the fixed cost
/// of recording it, sniffing its type and running the file checks.
pub const WORK_PER_OBJECT: u64 = 4096;
/// Work units per hash-function block in a password key derivation (PBKDF2-HMAC-SHA1 for WinZip
/// AES, the `spinCount` loop of Office encryption). Measured natively (release): a byte of
/// hashing or inflating costs about 1–4 ns, a SHA-1 block inside PBKDF2 about 90 ns, a SHA-512
/// `spinCount` round about 60 ns; 128 units keep trials no cheaper in units than in time.
pub const WORK_PER_HASH_BLOCK: u64 = 128;
/// Work units of one WinZip AES password trial: PBKDF2-HMAC-SHA1 with 1,000 iterations
/// (APPNOTE 7.2, AE-2) derives up to 66 bytes (4 SHA-1 outputs), 2 blocks per iteration
/// (about 0.7 ms natively).
pub const WORK_PER_AES_TRIAL: u64 = 1000 * 2 * 4 * WORK_PER_HASH_BLOCK;
/// Work units of one ZipCrypto password trial (12-byte header decryption; what is inflated
/// after a header that checks out is charged as inflation).
pub const WORK_PER_ZIPCRYPTO_TRIAL: u64 = 256;

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len().saturating_mul(2));
    for b in bytes {
        for nibble in [b >> 4, b & 15] {
            s.push(HEX.get(usize::from(nibble)).map_or('?', |&c| c as char));
        }
    }
    s
}

/// Cut `s` to at most `max` characters, marking the cut.
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_string(),
    }
}
