//! The report the core returns: findings, what was inspected, and the verdict.
//!
//! Everything here is plain data (serde-serialisable) so the CLI prints it as JSON and the page
//! receives the same structure through wasm-bindgen.

use serde::Serialize;

/// How much a single finding weighs. The verdict is derived from these by [`crate::policy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Recorded for the reader; does not change the verdict.
    Info,
    /// A weak sign; makes the verdict at least `suspicious`.
    Low,
    /// A clear sign of risk; `suspicious`.
    Medium,
    /// Known attack technique or active content; `dangerous`.
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// The overall answer. There is deliberately no "safe".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    NoFindings,
    Suspicious,
    Dangerous,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NoFindings => "no_findings",
            Verdict::Suspicious => "suspicious",
            Verdict::Dangerous => "dangerous",
        }
    }
}

/// Where something is, as the user sees it: `mail > 会議資料.zip > 会議資料.doc > Module1`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct Location(pub Vec<String>);

impl Location {
    pub fn root(name: impl Into<String>) -> Self {
        Location(vec![name.into()])
    }

    /// A new location one level below this one.
    pub fn child(&self, name: impl Into<String>) -> Self {
        let mut v = self.0.clone();
        v.push(name.into());
        Location(v)
    }

    pub fn depth(&self) -> usize {
        self.0.len()
    }

    pub fn segments(&self) -> &[String] {
        &self.0
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(" > "))
    }
}

impl Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// One thing Tenpu noticed.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `office.vba_autoexec` (see [`crate::codes`]).
    pub code: &'static str,
    /// Set by [`crate::policy::severity`] from the code and tags, never by the detector.
    pub severity: Severity,
    pub location: Location,
    /// The same location split into its segments (for the page's tree).
    pub path: Vec<String>,
    /// Short evidence: the keyword and source line, the differing domain, the limit hit.
    pub evidence: String,
    /// Sub-categories that refine the code, e.g. `execute`, `download` for `office.vba_suspicious`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<&'static str>,
    /// A value the page masks until the user asks (a password that opened an archive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// One inspected object: the input itself, an attachment, an archive entry, a macro module.
#[derive(Debug, Clone, Serialize)]
pub struct Object {
    pub location: Location,
    pub path: Vec<String>,
    pub name: String,
    /// Detected type (by content): `mail`, `zip`, `ole`, `ooxml`, `pe`, `pdf`, `text`, ...
    pub kind: &'static str,
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes (empty when the bytes could not be read).
    pub sha256: String,
    /// Extra facts: `encrypted`, `opened with password`, `declared 5 GB`, ...
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// What the page shows about a mail: the sender as displayed against the real address.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MailSummary {
    pub location: Location,
    pub from_name: Option<String>,
    pub from_address: Option<String>,
    pub from_domain: Option<String>,
    pub reply_to: Option<String>,
    pub to: Vec<String>,
    pub subject: Option<String>,
    pub date: Option<String>,
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub has_references: bool,
    pub attachments: Vec<String>,
    /// The plain-text body (or text extracted from HTML), cut to a few thousand characters.
    /// Shown only as text by the page.
    pub body_preview: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub file: String,
    pub verdict: Verdict,
    /// `false` when anything was left uninspected (encrypted, malformed, over a limit).
    pub complete: bool,
    pub findings: Vec<Finding>,
    pub objects: Vec<Object>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mails: Vec<MailSummary>,
}
