//! `mail.link_mismatch`: in an HTML body, an `<a href>` whose visible text shows a URL or
//! domain on a different registrable domain than the href's real host (RFC 3986 §3.2.2).
//! Only `http`/`https` targets are compared. The evidence notes targets that are IP literals,
//! punycode (`xn--`) names, or carry userinfo (`https://bank.example@evil.example/`).

use unicode_normalization::UnicodeNormalization;

use super::Hit;
use crate::engine::clip;
use crate::formats::mail::domain;
use crate::formats::mail::html;
use crate::formats::mail::parse::Facts;

const MAX_HITS: usize = 5;

/// Host of an http(s) URL, and whether it carried userinfo. `None` for other schemes.
pub fn http_host(url: &str) -> Option<(String, bool)> {
    let u = url.trim().trim_matches(|c: char| c.is_control());
    let lower = u.to_ascii_lowercase();
    let rest = if lower.starts_with("http://") {
        u.get(7..)?
    } else if lower.starts_with("https://") {
        u.get(8..)?
    } else if lower.starts_with("//") {
        u.get(2..)?
    } else {
        return None;
    };
    let rest = rest.trim_start_matches(['/', '\\']);
    let auth_end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let authority = rest.get(..auth_end)?;
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((_, h)) => (true, h),
        None => (false, authority),
    };
    let host = if let Some(v6) = hostport.strip_prefix('[') {
        format!("[{}]", v6.split(']').next().unwrap_or(""))
    } else {
        hostport.split(':').next().unwrap_or("").to_string()
    };
    let host = domain::normalize(&host);
    if host.is_empty() {
        return None;
    }
    Some((host, userinfo))
}

pub fn check(f: &Facts) -> Vec<Hit> {
    let mut out = Vec::new();
    for body in &f.html_bodies {
        for link in html::links(body) {
            let Some((target, userinfo)) = http_host(&link.href) else { continue };
            let text: String = link.text.nfkc().collect();
            let shown = domain::domains_in(&text);
            let Some(target_reg) = domain::registrable(&target) else { continue };
            let Some(other) = shown.iter().find(|d| domain::registrable(d).is_some_and(|r| r != target_reg)) else {
                continue;
            };
            let mut notes = Vec::new();
            if domain::is_ip_literal(&target) {
                notes.push("IP address");
            }
            if target.split('.').any(|l| l.starts_with("xn--")) {
                notes.push("punycode");
            }
            if userinfo {
                notes.push("userinfo before the host");
            }
            let mut ev = format!("link text shows {other}, but it goes to {target}");
            if !notes.is_empty() {
                ev.push_str(&format!(" ({})", notes.join(", ")));
            }
            ev.push_str(&format!(": {}", clip(&link.href, 100)));
            let hit = Hit::new("mail.link_mismatch", ev);
            if !out.contains(&hit) {
                out.push(hit);
            }
            if out.len() >= MAX_HITS {
                return out;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(html: &str) -> Facts {
        Facts { html_bodies: vec![html.into()], ..Default::default() }
    }

    #[test]
    fn hosts() {
        assert_eq!(http_host("HTTPS://User:pw@Evil.Example:8443/x"), Some(("evil.example".into(), true)));
        assert_eq!(http_host("http://[2001:db8::1]/"), Some(("2001:db8::1".into(), false)));
        assert_eq!(http_host("mailto:a@b.example"), None);
        assert_eq!(http_host("javascript:alert(1)"), None);
    }

    #[test]
    fn text_url_other_domain_fires() {
        let h = check(&facts(r#"<p><a href="http://evil.example/login">https://www.bank.co.jp/login</a></p>"#));
        assert_eq!(h.len(), 1);
        assert!(h[0].evidence.contains("www.bank.co.jp") && h[0].evidence.contains("evil.example"), "{}", h[0].evidence);
    }

    #[test]
    fn ip_punycode_and_userinfo_noted() {
        let h = check(&facts(r#"<a href="http://192.0.2.7/a">www.bank.co.jp</a>"#));
        assert!(h[0].evidence.contains("IP address"), "{}", h[0].evidence);
        let h = check(&facts(r#"<a href="https://xn--bnk-sna.example/">bank.example</a>"#));
        assert!(h[0].evidence.contains("punycode"), "{}", h[0].evidence);
        let h = check(&facts(r#"<a href="https://www.bank.co.jp@evil.example/">https://www.bank.co.jp/</a>"#));
        assert!(h[0].evidence.contains("userinfo") && h[0].evidence.contains("goes to evil.example"), "{}", h[0].evidence);
    }

    #[test]
    fn matching_or_plain_text_links_are_fine() {
        assert!(check(&facts(r#"<a href="https://www.bank.co.jp/x">bank.co.jp</a>"#)).is_empty());
        assert!(check(&facts(r#"<a href="https://click.bank.co.jp/x">https://www.bank.co.jp</a>"#)).is_empty());
        assert!(check(&facts(r#"<a href="https://evil.example/">こちらをクリック</a>"#)).is_empty());
        assert!(check(&facts(r#"<a href="mailto:a@b.example">c@d.example</a>"#)).is_empty());
    }

    #[test]
    fn entities_in_href_and_full_width_text() {
        let h = check(&facts("<a href=\"http&#58;//evil.example/\">ｗｗｗ．ｂａｎｋ．ｃｏ．ｊｐ</a>"));
        assert_eq!(h.len(), 1, "{h:?}");
    }
}
