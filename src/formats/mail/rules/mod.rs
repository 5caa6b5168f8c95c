//! The `mail.*` checks. Each rule reads [`Facts`] (and the options where it needs them) and
//! returns [`Hit`]s; `super::analyze` turns them into findings. Rules never pick severities
//! (that is `crate::policy`).

use super::parse::Facts;

pub mod auth_failed;
pub mod display_name_spoof;
pub mod fake_reply;
pub mod link_mismatch;
pub mod org_impersonation;
pub mod password_in_body;
pub mod reply_to_mismatch;

/// One thing a rule saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub code: &'static str,
    pub evidence: String,
    pub tags: Vec<&'static str>,
    pub secret: Option<String>,
}

impl Hit {
    pub fn new(code: &'static str, evidence: impl Into<String>) -> Self {
        Hit {
            code,
            evidence: evidence.into(),
            tags: Vec::new(),
            secret: None,
        }
    }
}

/// Every header and body rule except `password_in_body` (which also feeds the password list).
pub fn run(f: &Facts, opts: &crate::options::Options) -> Vec<Hit> {
    let mut v = Vec::new();
    v.extend(display_name_spoof::check(f));
    v.extend(org_impersonation::check(
        f,
        &opts.trusted_domains,
        &opts.org_names,
    ));
    v.extend(fake_reply::check(f));
    v.extend(reply_to_mismatch::check(f));
    v.extend(auth_failed::check(f));
    v.extend(link_mismatch::check(f));
    v
}

/// Quote a value for evidence, clipped.
pub(crate) fn q(s: &str) -> String {
    format!("\"{}\"", crate::engine::clip(s, 80))
}
