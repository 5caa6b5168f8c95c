//! `mail.display_name_spoof`: the From display name (RFC 5322 §3.4 `display-name`) shows an
//! e-mail address or domain whose registrable domain differs from the real sender's.
//! The name is NFKC-normalised first, so `＠` and `．` count.

use super::{q, Hit};
use crate::formats::mail::domain;
use crate::formats::mail::parse::Facts;

pub fn check(f: &Facts) -> Vec<Hit> {
    let (Some(name), Some(sender)) = (f.from_name.as_deref(), f.from_domain.as_deref()) else {
        return Vec::new();
    };
    let norm: String = crate::text::fold_width(name);
    let Some(sender_reg) = domain::registrable(sender) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for shown in domain::domains_in(&norm) {
        if domain::registrable(&shown).is_some_and(|r| r != sender_reg) {
            out.push(Hit::new(
                "mail.display_name_spoof",
                format!(
                    "display name {} shows {shown}, but the sender address is on {sender}",
                    q(name)
                ),
            ));
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(name: &str, addr: &str) -> Facts {
        Facts {
            from_name: Some(name.into()),
            from_address: Some(addr.into()),
            from_domain: domain::of_address(addr),
            ..Default::default()
        }
    }

    #[test]
    fn address_in_name_on_other_domain() {
        let h = check(&facts("tanaka@partner.co.jp", "x@evil.example"));
        assert_eq!(h.len(), 1);
        assert!(h[0].evidence.contains("partner.co.jp"), "{}", h[0].evidence);
        assert!(h[0].evidence.contains("evil.example"));
    }

    #[test]
    fn domain_in_parentheses_and_full_width() {
        assert_eq!(
            check(&facts("田中 (partner.co.jp)", "a@b.example")).len(),
            1
        );
        assert_eq!(
            check(&facts(
                "田中　ｔａｎａｋａ＠ｐａｒｔｎｅｒ．ｃｏ．ｊｐ",
                "a@b.example"
            ))
            .len(),
            1
        );
    }

    #[test]
    fn same_registrable_domain_is_fine() {
        assert!(check(&facts("tanaka@partner.co.jp", "tanaka@mail.partner.co.jp")).is_empty());
        assert!(check(&facts("田中 太郎", "tanaka@evil.example")).is_empty());
        assert!(check(&facts("Mr.Tanaka", "tanaka@evil.example")).is_empty());
        // Same second label but a different registrable domain under co.jp.
        assert_eq!(check(&facts("x@other.co.jp", "x@partner.co.jp")).len(), 1);
    }
}
