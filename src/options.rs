//! What the caller configures, and the resource budgets of one check.

use serde::Deserialize;

/// Options of one check. Everything has a default; the page deserialises this from JS.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Options {
    /// The organisation's own legitimate sender domains (subdomains count too).
    pub trusted_domains: Vec<String>,
    /// Names the organisation is known by (e.g. `日本医師会`), matched in display names and subjects.
    pub org_names: Vec<String>,
    /// Extra passwords to try on encrypted archives, beyond the ones found in the mail body.
    pub passwords: Vec<String>,
    pub limits: Limits,
}

/// Resource budgets of one check, sized for a browser tab. **This is the one place where every
/// budget is documented**; format modules only read these fields (their own fixed internal caps,
/// such as MIME parts per mail, are listed at the end).
///
/// What happens when any budget is hit: the check records a finding saying *what* was hit
/// (`archive.limit_exceeded`, or `check.limit_exceeded` for [`Limits::work`]; an encrypted
/// archive whose password trials ran out is `archive.encrypted`), marks the report
/// `complete: false`, and goes on with what it still may inspect. An incomplete report is never
/// `no_findings` ([`crate::policy::verdict`]); the finding itself weighs `medium`, so the verdict
/// is at least `suspicious`. Nothing is silently skipped.
///
/// Reference points (defaults of mail-gateway scanners, which run on servers with far more
/// memory than a tab): ClamAV 1.x `clamd.conf` — `MaxScanSize` 400M (data scanned per input),
/// `MaxFileSize` 100M (per file, input or contained), `MaxRecursion` 17, `MaxFiles` 10000,
/// `MaxScanTime` 120000 ms; amavisd-new's sample configuration — `$MAXLEVELS` 14,
/// `$MAXFILES` 1500, `$MIN_EXPANSION_QUOTA` 100 KiB, `$MAX_EXPANSION_QUOTA` 300 MiB. Tenpu stays
/// below the expansion quotas (256 MiB) because the inflated bytes live in the tab's memory,
/// and replaces the wall-clock `MaxScanTime` by a deterministic work budget (no clock in the core:
/// the same input always gets the same report; the page's 60 s watchdog is the last line).
///
/// Measured with these defaults (`tests/corpus_budget.rs`, `tests/browser/robustness.test.mjs`,
/// README "Limits and robustness"), peak heap besides the input bytes: the 1,169 corpus files at
/// most 24.6 MiB (page: wasm memory 36.8 MiB); a 600 MB padded document 0.2 MiB bare and
/// 33 MiB in a ZIP; the largest mail and HTML page the work budget lets parse about 131 MiB; a
/// 240 MB entry inflated whole 256 MiB. The bound stated for a check is 512 MiB plus the input.
///
/// Fixed internal caps (not configurable, each documented in its module): MIME parts per mail
/// 1,000, MIME nesting 32, body text scanned 1 MiB (`formats::mail::parse`); Office password
/// candidates 8 besides Excel's default, 10,000,000 hash rounds per encrypted document, Agile
/// `spinCount` at most 10,000,000 (`formats::office`); embedded objects per document 256;
/// embedded Outlook messages 8; disk-image directory depth 32 and files 10,000; a padded ZIP entry
/// is never inflated past 48 MiB.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// How many containers deep the check goes: the input is depth 1, so `mail > zip > doc` is
    /// depth 3 and a macro module inside that doc depth 4. Default **8**. Hit: the deeper object
    /// is listed (`not inspected: nesting too deep`) but not opened; `archive.limit_exceeded`
    /// "nesting depth over 8". Why 8: Emotet-style chains are mail > zip > doc > macro (4), an
    /// archive in an archive adds one or two; ClamAV allows 17 and Amavis 14 on servers, but each
    /// level may hold up to the inflation budget in memory at once.
    pub max_depth: usize,
    /// Archive entries (ZIP entries, disk-image files, OneNote embedded files, Outlook
    /// attachments) in all containers of one check together. Default **10,000** (ClamAV
    /// `MaxFiles`). Hit: entries past the limit are not inspected; `archive.limit_exceeded`
    /// saying how many the archive lists and how many were inspected.
    pub max_entries: usize,
    /// Bytes inflated, decrypted or decompressed from all archives and compressed streams of one
    /// check together (ZIP entries, PDF streams, VBA modules, decrypted Office packages, ...).
    /// Default **256 MiB**. Hit: the entry or stream is not inflated further;
    /// `archive.limit_exceeded` "total inflated bytes over the limit". Why: below ClamAV's
    /// `MaxScanSize` (400M) and Amavis' 300 MiB quota, because everything inflated lives in the
    /// tab's memory (one entry inflated to nearly this size peaks at about 256 MiB of heap).
    pub max_total_inflated: u64,
    /// Bytes inflated for one entry or stream. Default **256 MiB** (ClamAV `MaxFileSize` is
    /// 100M; one real document rarely passes 100 MB, but a padded one may and its front is still
    /// read). Hit: that entry is not inspected (or only its start, for padded files);
    /// `archive.limit_exceeded` on the entry.
    pub max_entry_inflated: u64,
    /// Declared uncompressed size over compressed size above which a ZIP entry is taken as a
    /// bomb and never inflated. Default **1,100:1**: DEFLATE cannot exceed about 1,032:1
    /// (258-byte matches coded in 2 bits), so a larger ratio is not a real file. Hit:
    /// `archive.limit_exceeded` "impossible compression ratio" on the entry, not inflated.
    /// (Overlapping entries, another bomb construction, are refused regardless of limits.)
    pub max_ratio: u64,
    /// Password candidates tried per encrypted object (candidates from mail bodies first, then
    /// [`crate::Options::passwords`]); a ZIP archive also stops after 4 × this many failed
    /// trials in all (each failed WinZip AES trial is a PBKDF2 key derivation). Default **64**.
    /// Hit: the entries that stayed closed get `archive.encrypted` ("stopped after N failed
    /// trials"), incomplete. Why 64: a body rarely carries more than a few candidates; 64 AES
    /// trials cost about 50 ms natively.
    pub max_password_attempts: usize,
    /// Deterministic work budget of one check, in units of about one byte of work: each object
    /// handed to the walk costs its size plus 4,096 (hashing, sniffing, scanning), and text
    /// formats that are parsed as a whole cost more per byte before parsing starts
    /// ([`crate::engine::work_per_byte`]: HTML 32, mail 24, RTF and SYLK 16, PDF 8); each byte
    /// inflated, decrypted or decompressed costs 1; each password trial costs its key
    /// derivation at 128 units per hash block (WinZip AES 1,024,000; Office Agile with
    /// `spinCount` 100,000 about 12,800,000). A unit is about 1–4 ns of native work. Default **2,000,000,000** (≈ 2 GB of work). Hit:
    /// `check.limit_exceeded` at the object being checked when it ran out, incomplete; what was
    /// being read stops and every later object is only listed ("not inspected: the check's work
    /// budget was used up"). Why: no clock in the core, so the same input always gets the same
    /// report. The largest real files use a small part of it (the corpus: at most 140 million
    /// units, libzip's `manyfiles-zip.zip`; a 600 MB padded document about 600 million; a 34 MB
    /// mail, the most Gmail accepts with base64, about 820 million), while a hostile file built
    /// to keep the core busy stops after a few seconds natively (measured in `tests/limits.rs`:
    /// 102,400 WinZip AES trials), long before the page's 60 s watchdog: HTML over about 60 MB,
    /// mail over about 80 MB (whose parse would also take about 2.2× its size in memory), about
    /// 1,950 AES trials or 15 million Office key-derivation rounds. ClamAV's nearest equivalent
    /// is the wall-clock `MaxScanTime` (120 s); its `MaxHTMLNormalize` (10M) likewise bounds
    /// HTML work.
    pub work: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 8,
            max_entries: 10_000,
            max_total_inflated: 256 * 1024 * 1024,
            max_entry_inflated: 256 * 1024 * 1024,
            max_ratio: 1100,
            max_password_attempts: 64,
            work: 2_000_000_000,
        }
    }
}
