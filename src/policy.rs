//! The verdict policy, in one place.
//!
//! Detectors only say *what* they saw (a code plus tags). This module decides how much each
//! finding weighs and what the overall verdict is. Both functions are pure.
//!
//! | verdict       | when |
//! |---------------|------|
//! | `dangerous`   | any `high` finding: auto-exec macros; VBA with execute or download keywords; XLM macro sheets; executables, scripts and shortcuts (as attachments, in archives, anywhere); remote template injection; active content in other carriers |
//! | `suspicious`  | any `low`/`medium` finding: spoofing signs, macros without auto-exec, an embedded ordinary document (`office.embedded_object` tagged `document`; an OLE Package is `high`), encrypted content that stayed closed, limits hit (`archive.limit_exceeded`, `check.limit_exceeded` for the work budget: every budget of `Limits` also marks the report incomplete), a container that failed to parse; or the report is incomplete |
//! | `no_findings` | everything was inspected and nothing above `info` was found |
//!
//! mraptor's rule (auto-exec **and** (write **or** execute)) is covered: auto-exec alone is already
//! `high` here, because in a mail attachment an auto-exec macro has no innocent use.

use crate::report::{Finding, Severity, Verdict};

/// The weight of a finding with this code and these tags.
pub fn severity(code: &str, tags: &[&str]) -> Severity {
    use Severity::*;
    match code {
        // Mail: signs of spoofing and thread hijacking.
        "mail.display_name_spoof" | "mail.org_impersonation" => Medium,
        "mail.fake_reply" | "mail.reply_to_mismatch" | "mail.link_mismatch" => Low,
        "mail.auth_failed" => Medium,
        // A password in the body is what lets an encrypted archive past mail-server antivirus.
        "mail.password_in_body" => Medium,
        "mail.malformed" => Low,

        // Archives.
        "archive.opened_with_body_password" => Medium,
        "archive.encrypted" | "archive.limit_exceeded" | "archive.malformed" => Medium,

        // Office documents.
        "office.vba_autoexec" | "office.xlm_macro" => High,
        "office.vba_suspicious" => {
            if tags.iter().any(|t| matches!(*t, "execute" | "download")) {
                High
            } else {
                Medium
            }
        }
        "office.vba_macro" => Medium,
        "office.external_relationship" => {
            if tags.iter().any(|t| {
                matches!(
                    *t,
                    "attachedTemplate" | "oleObject" | "subDocument" | "frame"
                )
            }) {
                High
            } else {
                Medium
            }
        }
        "office.encrypted" | "office.malformed" => Medium,
        "office.opened_with_body_password" => Medium,
        // An OLE Package (a file) is high; an embedded ordinary document or picture is medium
        // (its own content is checked and weighs on its own).
        "office.embedded_object" => {
            if tags.contains(&"document") {
                Medium
            } else {
                High
            }
        }
        "office.dde" => High,

        // Files.
        "file.executable" | "file.shortcut" | "file.html_smuggling" | "file.padded" => High,
        "file.double_extension" => High,
        "file.type_mismatch" => Medium,
        "file.disk_image" => Medium,
        "file.not_inspected" => Low,
        "onenote.embedded_file" => Medium,
        // Equation Editor objects are the CVE-2017-11882 carrier; other objects (packages,
        // documents) are weighed by what they carry, which is checked in its own right.
        "rtf.embedded_object" => {
            if tags.contains(&"equation") {
                High
            } else {
                Medium
            }
        }
        // PDF: a program launch, or JavaScript that runs on opening, is an attack; JavaScript,
        // embedded files, forms that submit and rich media are worth a look; ordinary links and
        // open actions (go to a page) are everyday business PDFs and only listed (`info`). An
        // encrypted PDF whose streams stayed closed is `low` (and the report is incomplete when
        // names could hide in those streams).
        "pdf.active_content" => {
            let has = |t: &str| tags.contains(&t);
            if has("launch") || (has("javascript") && has("auto")) {
                High
            } else if tags.iter().any(|t| {
                matches!(
                    *t,
                    "javascript" | "embedded" | "xfa" | "submitform" | "richmedia"
                )
            }) {
                Medium
            } else if has("encrypted") {
                Low
            } else {
                Info
            }
        }

        "check.limit_exceeded" | "check.failed" => Medium,
        // Unknown codes are never silently ignored.
        _ => Medium,
    }
}

/// The overall verdict over all findings. `complete == false` alone is `suspicious`.
pub fn verdict(findings: &[Finding], complete: bool) -> Verdict {
    let max = findings.iter().map(|f| f.severity).max();
    match max {
        Some(Severity::High) => Verdict::Dangerous,
        Some(Severity::Medium) | Some(Severity::Low) => Verdict::Suspicious,
        _ if !complete => Verdict::Suspicious,
        _ => Verdict::NoFindings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Location;

    fn f(code: &'static str, tags: Vec<&'static str>) -> Finding {
        Finding {
            code,
            severity: severity(code, &tags),
            location: Location::root("x"),
            path: vec!["x".into()],
            evidence: String::new(),
            tags,
            secret: None,
        }
    }

    #[test]
    fn empty_and_complete_is_no_findings() {
        assert_eq!(verdict(&[], true), Verdict::NoFindings);
    }

    #[test]
    fn incomplete_is_never_no_findings() {
        assert_eq!(verdict(&[], false), Verdict::Suspicious);
    }

    #[test]
    fn autoexec_is_dangerous_plain_macro_suspicious() {
        assert_eq!(
            verdict(&[f("office.vba_autoexec", vec![])], true),
            Verdict::Dangerous
        );
        assert_eq!(
            verdict(&[f("office.vba_macro", vec![])], true),
            Verdict::Suspicious
        );
    }

    #[test]
    fn suspicious_keywords_weigh_by_category() {
        assert_eq!(
            severity("office.vba_suspicious", &["execute"]),
            Severity::High
        );
        assert_eq!(
            severity("office.vba_suspicious", &["download", "write"]),
            Severity::High
        );
        assert_eq!(
            severity("office.vba_suspicious", &["obfuscation"]),
            Severity::Medium
        );
    }

    #[test]
    fn issue4_document_weights() {
        assert_eq!(
            severity("rtf.embedded_object", &["equation"]),
            Severity::High
        );
        assert_eq!(
            severity("rtf.embedded_object", &["package"]),
            Severity::Medium
        );
        assert_eq!(severity("pdf.active_content", &["launch"]), Severity::High);
        assert_eq!(
            severity("pdf.active_content", &["auto", "javascript"]),
            Severity::High
        );
        assert_eq!(
            severity("pdf.active_content", &["javascript"]),
            Severity::Medium
        );
        assert_eq!(
            severity("pdf.active_content", &["auto", "uri"]),
            Severity::Info
        );
        assert_eq!(
            severity("pdf.active_content", &["encrypted"]),
            Severity::Low
        );
    }

    #[test]
    fn embedded_package_high_embedded_document_medium() {
        assert_eq!(severity("office.embedded_object", &[]), Severity::High);
        assert_eq!(
            severity("office.embedded_object", &["document"]),
            Severity::Medium
        );
        assert_eq!(severity("office.dde", &[]), Severity::High);
    }

    #[test]
    fn limit_hits_are_never_no_findings() {
        // Every budget of `Limits` reports through one of these codes (and marks the report
        // incomplete); each weighs at least medium on its own, so even a report that stayed
        // complete is suspicious.
        for code in [
            "archive.limit_exceeded",
            "check.limit_exceeded",
            "archive.encrypted",
        ] {
            assert!(severity(code, &[]) >= Severity::Medium, "{code}");
            for complete in [true, false] {
                assert_eq!(
                    verdict(&[f(code, vec![])], complete),
                    Verdict::Suspicious,
                    "{code}"
                );
            }
        }
        // Only `info` findings, but incomplete (a limit hit whose finding was deduplicated
        // away): still suspicious.
        assert_eq!(
            verdict(&[f("pdf.active_content", vec!["uri"])], false),
            Verdict::Suspicious
        );
    }

    #[test]
    fn unknown_code_counts() {
        assert_eq!(
            verdict(&[f("new.thing", vec![])], true),
            Verdict::Suspicious
        );
    }
}
