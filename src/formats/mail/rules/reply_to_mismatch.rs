//! `mail.reply_to_mismatch`: a Reply-To address (RFC 5322 §3.6.2) on a different registrable
//! domain than the From address.

use super::Hit;
use crate::formats::mail::domain;
use crate::formats::mail::parse::Facts;

pub fn check(f: &Facts) -> Vec<Hit> {
    let Some(from) = f.from_domain.as_deref() else {
        return Vec::new();
    };
    for r in &f.reply_to {
        let Some(d) = domain::of_address(r) else {
            continue;
        };
        if !domain::same_registrable(&d, from) {
            return vec![Hit::new(
                "mail.reply_to_mismatch",
                format!(
                    "Reply-To {} is on {d}, From is on {from}",
                    crate::engine::clip(r, 80)
                ),
            )];
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(from: &str, reply: &[&str]) -> Facts {
        Facts {
            from_address: Some(from.into()),
            from_domain: domain::of_address(from),
            reply_to: reply.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn other_domain_fires() {
        let h = check(&facts("a@partner.co.jp", &["b@gmail.com"]));
        assert_eq!(h.len(), 1);
        assert!(h[0].evidence.contains("gmail.com") && h[0].evidence.contains("partner.co.jp"));
    }

    #[test]
    fn same_org_is_fine() {
        assert!(check(&facts("a@partner.co.jp", &["b@mail.partner.co.jp"])).is_empty());
        assert!(check(&facts("a@partner.co.jp", &[])).is_empty());
        assert!(check(&Facts {
            reply_to: vec!["x@y.example".into()],
            ..Default::default()
        })
        .is_empty());
    }
}
