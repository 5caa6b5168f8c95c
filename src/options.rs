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

/// Resource budgets, sized for a browser tab. Hitting any of them gives an
/// `archive.limit_exceeded` finding and `complete: false`, never silence.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// How many containers deep (mail > zip > doc = depth 3) the check goes.
    pub max_depth: usize,
    /// Entries in all archives together.
    pub max_entries: usize,
    /// Bytes inflated from all archives and compressed streams together.
    pub max_total_inflated: u64,
    /// Bytes inflated for one entry.
    pub max_entry_inflated: u64,
    /// A compression ratio above this is taken as a bomb. DEFLATE cannot exceed about 1032:1.
    pub max_ratio: u64,
    /// Password trials per encrypted entry (candidates from the body plus `passwords`).
    pub max_password_attempts: usize,
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
        }
    }
}
