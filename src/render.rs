//! The readable plain-text report, in Japanese or English. The CLI prints it, and the page's
//! "copy report" button copies the same text.

use std::fmt::Write as _;

use crate::codes::{self, Lang};
use crate::report::{Report, Severity};

fn sev_label(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::High, Lang::Ja) => "危険",
        (Severity::Medium, Lang::Ja) => "注意",
        (Severity::Low, Lang::Ja) => "軽微",
        (Severity::Info, Lang::Ja) => "情報",
        (Severity::High, Lang::En) => "high",
        (Severity::Medium, Lang::En) => "medium",
        (Severity::Low, Lang::En) => "low",
        (Severity::Info, Lang::En) => "info",
    }
}

/// Mask a secret for display: first and last character kept.
pub fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    match chars.as_slice() {
        [] => String::new(),
        [_] | [_, _] => "*".repeat(chars.len()),
        [first, middle @ .., last] => format!("{first}{}{last}", "*".repeat(middle.len())),
    }
}

/// One block for one report: verdict, what to do, then findings grouped by location.
pub fn text(report: &Report, lang: Lang, show_secrets: bool) -> String {
    let mut out = String::new();
    let vt = codes::verdict_text(report.verdict.as_str());
    let label = vt
        .map(|v| v.label.get(lang))
        .unwrap_or(report.verdict.as_str());
    let _ = writeln!(out, "{}: {}", report.file, label);
    if let Some(v) = vt {
        let _ = writeln!(out, "  {}", v.action.get(lang));
    }
    if !report.complete {
        let _ = writeln!(
            out,
            "  {}",
            match lang {
                Lang::Ja => "※ 一部を検査できませんでした（下記参照）。",
                Lang::En => "Note: part of it could not be inspected (see below).",
            }
        );
    }
    for m in &report.mails {
        let from = match (&m.from_name, &m.from_address) {
            (Some(n), Some(a)) => format!("\"{n}\" <{a}>"),
            (None, Some(a)) => a.clone(),
            (Some(n), None) => n.clone(),
            (None, None) => "-".into(),
        };
        let (lf, ls) = match lang {
            Lang::Ja => ("差出人", "件名"),
            Lang::En => ("From", "Subject"),
        };
        let _ = writeln!(out, "  [{}] {lf}: {from}", m.location);
        if let Some(s) = &m.subject {
            let _ = writeln!(out, "  [{}] {ls}: {s}", m.location);
        }
    }
    let mut last_loc: Option<String> = None;
    for f in &report.findings {
        let loc = f.location.to_string();
        if last_loc.as_deref() != Some(loc.as_str()) {
            let _ = writeln!(out, "  {loc}");
            last_loc = Some(loc);
        }
        let title = codes::info(f.code)
            .map(|c| c.title.get(lang))
            .unwrap_or(f.code);
        let _ = writeln!(
            out,
            "    [{}] {} ({})",
            sev_label(f.severity, lang),
            title,
            f.code
        );
        if !f.evidence.is_empty() {
            let _ = writeln!(out, "        {}", f.evidence);
        }
        if let Some(s) = &f.secret {
            let shown = if show_secrets { s.clone() } else { mask(s) };
            let label = match lang {
                Lang::Ja => "パスワード",
                Lang::En => "password",
            };
            let _ = writeln!(out, "        {label}: {shown}");
        }
    }
    if report.findings.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            match lang {
                Lang::Ja => "検査したもの:",
                Lang::En => "Inspected:",
            }
        );
        for o in &report.objects {
            let _ = writeln!(out, "    {} ({}, {} bytes)", o.location, o.kind, o.size);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn masks_keep_ends() {
        assert_eq!(mask("infected"), "i******d");
        assert_eq!(mask("ab"), "**");
        assert_eq!(mask("パスワード"), "パ***ド");
    }
}
