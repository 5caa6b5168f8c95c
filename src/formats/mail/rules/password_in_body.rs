//! `mail.password_in_body`: a password for an attachment is written in the body (the
//! Emotet password-ZIP pattern). Candidates come from [`crate::formats::mail::password`];
//! the finding names the label it followed and the body line, never the value (the value is
//! the finding's secret, which the page masks). Reported only when the mail has attachments.

use super::Hit;
use crate::formats::mail::parse::Facts;
use crate::formats::mail::password::{self, Candidate};

/// Candidates from every text body (HTML bodies were converted to text by the parser when
/// there was no plain body; HTML-only bodies are converted here too), de-duplicated.
pub fn candidates(f: &Facts) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut texts: Vec<String> = f.text_bodies.clone();
    if f.text_bodies.is_empty() {
        texts.extend(
            f.html_bodies
                .iter()
                .map(|h| crate::formats::mail::html::to_text(h)),
        );
    }
    for t in &texts {
        for c in password::extract(t) {
            if !out.iter().any(|o| o.value == c.value) {
                out.push(c);
            }
        }
    }
    out
}

pub fn check(f: &Facts, cands: &[Candidate]) -> Vec<Hit> {
    if f.attachment_count == 0 {
        return Vec::new();
    }
    cands
        .iter()
        .map(|c| {
            let mut h = Hit::new(
                "mail.password_in_body",
                format!(
                    "password written after \"{}\" (body line {})",
                    c.label, c.line
                ),
            );
            h.secret = Some(c.value.clone());
            h
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_with_attachment_and_hides_value() {
        let f = Facts {
            text_bodies: vec![
                "お世話になっております。\n添付ファイルの解凍パスワード：Zx81qq\n".into(),
            ],
            attachment_count: 1,
            ..Default::default()
        };
        let c = candidates(&f);
        let h = check(&f, &c);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].secret.as_deref(), Some("Zx81qq"));
        assert!(!h[0].evidence.contains("Zx81qq"));
        assert!(
            h[0].evidence.contains("解凍パスワード"),
            "{}",
            h[0].evidence
        );
        assert!(h[0].evidence.contains("line 2"));
    }

    #[test]
    fn no_attachment_no_finding_and_html_only_body() {
        let f = Facts {
            text_bodies: vec!["PW: abc123".into()],
            ..Default::default()
        };
        assert!(check(&f, &candidates(&f)).is_empty());
        let f = Facts {
            html_bodies: vec!["<p>パスワード：<b>k9k9k9</b></p>".into()],
            attachment_count: 2,
            ..Default::default()
        };
        let c = candidates(&f);
        assert_eq!(c[0].value, "k9k9k9");
        assert_eq!(check(&f, &c).len(), 1);
    }
}
