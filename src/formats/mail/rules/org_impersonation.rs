//! `mail.org_impersonation`: the display name or subject carries one of the organisation's
//! names (`Options::org_names`, NFKC and case-insensitive, spaces ignored), but the sender's
//! domain is not one of `Options::trusted_domains` nor a subdomain of one. Runs only when both
//! lists are configured.

use super::{q, Hit};
use crate::formats::mail::domain;
use crate::formats::mail::parse::Facts;

fn fold(s: &str) -> String {
    crate::text::fold_width(s)
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect()
}

pub fn check(f: &Facts, trusted: &[String], org_names: &[String]) -> Vec<Hit> {
    let trusted: Vec<&String> = trusted.iter().filter(|t| !t.trim().is_empty()).collect();
    let names: Vec<(&String, String)> = org_names
        .iter()
        .map(|n| (n, fold(n)))
        .filter(|(_, f)| !f.is_empty())
        .collect();
    if trusted.is_empty() || names.is_empty() {
        return Vec::new();
    }
    let sender = f.from_domain.as_deref().unwrap_or("");
    if !sender.is_empty()
        && trusted
            .iter()
            .any(|t| domain::is_same_or_subdomain(sender, t))
    {
        return Vec::new();
    }
    let shown_sender = if sender.is_empty() {
        "(no sender address)"
    } else {
        sender
    };
    for (field, value) in [
        ("display name", f.from_name.as_deref()),
        ("subject", f.subject.as_deref()),
    ] {
        let Some(value) = value else { continue };
        let folded = fold(value);
        if let Some((name, _)) = names.iter().find(|(_, n)| folded.contains(n.as_str())) {
            return vec![Hit::new(
                "mail.org_impersonation",
                format!("{field} {} names {}, but the sender domain {shown_sender} is not a trusted domain", q(value), q(name)),
            )];
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(name: &str, addr: &str, subject: &str) -> Facts {
        Facts {
            from_name: Some(name.into()),
            from_address: Some(addr.into()),
            from_domain: domain::of_address(addr),
            subject: Some(subject.into()),
            ..Default::default()
        }
    }
    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn fires_on_untrusted_sender_using_the_name() {
        let h = check(
            &facts("日本医師会 事務局", "info@evil.example", "お知らせ"),
            &s(&["med.or.jp"]),
            &s(&["日本医師会"]),
        );
        assert_eq!(h.len(), 1);
        assert!(h[0].evidence.contains("evil.example"));
        // Subject, full-width and case-insensitive.
        let h = check(
            &facts("x", "a@evil.example", "【ＡＣＭＥ　Ｃｏｒｐ】請求書"),
            &s(&["acme corp"]),
            &s(&["acme corp"]),
        );
        assert_eq!(h.len(), 1, "{h:?}");
    }

    #[test]
    fn trusted_domain_and_subdomain_are_fine() {
        let t = s(&["med.or.jp"]);
        let n = s(&["日本医師会"]);
        assert!(check(&facts("日本医師会", "a@med.or.jp", "x"), &t, &n).is_empty());
        assert!(check(&facts("日本医師会", "a@mail.med.or.jp", "x"), &t, &n).is_empty());
        assert_eq!(
            check(&facts("日本医師会", "a@fakemed.or.jp", "x"), &t, &n).len(),
            1
        );
    }

    #[test]
    fn needs_configuration() {
        let f = facts("日本医師会", "a@evil.example", "x");
        assert!(check(&f, &[], &s(&["日本医師会"])).is_empty());
        assert!(check(&f, &s(&["med.or.jp"]), &[]).is_empty());
        assert!(check(
            &facts("田中", "a@evil.example", "x"),
            &s(&["med.or.jp"]),
            &s(&["日本医師会"])
        )
        .is_empty());
    }
}
