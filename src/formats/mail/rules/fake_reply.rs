//! `mail.fake_reply`: the subject starts with a reply or forward prefix but the message has
//! neither `In-Reply-To` nor `References` (RFC 5322 §3.6.4: a reply SHOULD carry both).
//!
//! Prefixes (after NFKC, so `Ｒｅ：` reads `Re:`): `Re`, `Fw`, `Fwd`, `返信`, `転送`, any case,
//! as `Re:`, `Re[2]:`, `Re(2):`, `Re^2:`, `[Re]`, `【転送】`, `(Fw)`, and chains (`Re: Fw:`).

use super::{q, Hit};
use crate::formats::mail::parse::Facts;

const WORDS: &[&str] = &["fwd", "fw", "re", "返信", "転送"];
const OPEN_CLOSE: &[(char, char)] = &[
    ('[', ']'),
    ('【', '】'),
    ('(', ')'),
    ('〔', '〕'),
    ('<', '>'),
    ('〈', '〉'),
];

/// The reply/forward prefix the subject starts with, as written (normalised), if any.
pub fn reply_prefix(subject: &str) -> Option<String> {
    let s: String = crate::text::fold_width(subject);
    let mut rest = s.trim_start();
    let start_len = rest.len();
    for _ in 0..10 {
        match one_prefix(rest) {
            Some(r) => rest = r.trim_start(),
            None => break,
        }
    }
    let used = start_len.saturating_sub(rest.len());
    if used == 0 {
        return None;
    }
    let t = s.trim_start();
    Some(t.get(..used).unwrap_or(t).trim_end().to_string())
}

fn word_at(s: &str) -> Option<&str> {
    let lower = s.to_lowercase();
    for w in WORDS {
        if lower.starts_with(w) {
            // Same byte length for these ASCII and kana words.
            let rest = s.get(w.len()..)?;
            // "Reminder", "Fwd123": an ASCII word must end here.
            if w.is_ascii() && rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                return None;
            }
            return Some(rest);
        }
    }
    None
}

/// Strip one prefix from the start of `s`; the remainder, or `None`.
fn one_prefix(s: &str) -> Option<&str> {
    // Bracketed: "[Re]", "【転送】", "[Re:]", "(Fw)".
    for &(open, close) in OPEN_CLOSE {
        if let Some(inner) = s.strip_prefix(open) {
            let inner = inner.trim_start();
            if let Some(after) = word_at(inner) {
                let after = after.trim_start().trim_start_matches(':').trim_start();
                if let Some(r) = after.strip_prefix(close) {
                    return Some(r.trim_start().strip_prefix(':').unwrap_or(r));
                }
            }
        }
    }
    // Plain: "Re:", "RE :", "Re[2]:", "Re(3):", "Re^2:", "返信:".
    let mut after = word_at(s)?;
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(inner) = after.strip_prefix(open) {
            let end = inner.find(close)?;
            if !inner.get(..end)?.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            after = inner.get(end.saturating_add(1)..)?;
        }
    }
    if let Some(inner) = after.strip_prefix('^') {
        after = inner.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    after.trim_start_matches([' ', '\t']).strip_prefix(':')
}

pub fn check(f: &Facts) -> Vec<Hit> {
    let Some(subject) = f.subject.as_deref() else {
        return Vec::new();
    };
    if f.in_reply_to.is_some() || f.has_references {
        return Vec::new();
    }
    match reply_prefix(subject) {
        Some(p) => vec![Hit::new(
            "mail.fake_reply",
            format!(
                "subject {} starts with {} but the mail has neither In-Reply-To nor References",
                q(subject),
                q(&p)
            ),
        )],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_recognised() {
        for s in [
            "Re: 会議",
            "RE: x",
            "re:x",
            "Fw: x",
            "FW: x",
            "Fwd: x",
            "返信: x",
            "転送：x",
            "Ｒｅ：会議",
            "ＲＥ：x",
            "[Re] x",
            "【転送】 x",
            "【返信】x",
            "Re[2]: x",
            "Re(3): x",
            "Re^2: x",
            "Re: Fw: x",
            "  RE : x",
            "(Fw) x",
            "[RE:] x",
        ] {
            assert!(reply_prefix(s).is_some(), "{s}");
        }
        assert_eq!(reply_prefix("Re: Fw: 見積").as_deref(), Some("Re: Fw:"));
    }

    #[test]
    fn not_prefixes() {
        for s in [
            "Reminder: x",
            "Regarding x",
            "返信不要のお知らせ",
            "Report",
            "Fwd123: x",
            "Re x",
            "re-check",
            "[重要] Re: x",
        ] {
            assert!(reply_prefix(s).is_none(), "{s}");
        }
    }

    #[test]
    fn fires_only_without_thread_headers() {
        let mut f = Facts {
            subject: Some("Re: 請求書の件".into()),
            ..Default::default()
        };
        let h = check(&f);
        assert_eq!(h.len(), 1);
        assert!(h[0].evidence.contains("\"Re:\""), "{}", h[0].evidence);
        f.in_reply_to = Some("<a@b>".into());
        assert!(check(&f).is_empty());
        f.in_reply_to = None;
        f.has_references = true;
        assert!(check(&f).is_empty());
        assert!(check(&Facts {
            subject: Some("請求書".into()),
            ..Default::default()
        })
        .is_empty());
    }
}
