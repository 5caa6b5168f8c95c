//! `mail.link_mismatch`: in an HTML body, an `<a href>` whose visible text shows a URL or
//! domain on a different registrable domain than the href's real host (RFC 3986 §3.2.2).
//! Only `http`/`https` targets are compared. The evidence notes targets that are IP literals,
//! punycode (`xn--`) names, or carry userinfo (`https://bank.example@evil.example/`).
//!
//! Link-rewriting gateways (Microsoft Safe Links, Proofpoint URL Defense v3, Google redirect,
//! Barracuda, FireEye) wrap the real target in a parameter; the wrapped URL is compared
//! instead, so a protected link to the shown site is not reported.

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

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = b
                .get(i.saturating_add(1)..i.saturating_add(3))
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i = i.saturating_add(3);
                continue;
            }
        }
        out.push(if c == b'+' { b' ' } else { c });
        i = i.saturating_add(1);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The value of query parameter `name` in `url`, percent-decoded.
fn query_param(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    let q = q.split('#').next().unwrap_or(q);
    q.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        k.eq_ignore_ascii_case(name).then(|| percent_decode(v))
    })
}

/// The URL a known link-rewriting gateway wraps, if `href` is one.
pub fn unwrap_gateway(href: &str, host: &str) -> Option<String> {
    let inner = if host.ends_with("safelinks.protection.outlook.com") {
        query_param(href, "url")
    } else if host == "urldefense.com" || host == "urldefense.proofpoint.com" {
        // v3: https://urldefense.com/v3/__https://real.example/path__;!!...
        match href.split_once("/v3/__") {
            Some((_, rest)) => rest.split("__;").next().map(str::to_string),
            None => query_param(href, "u").map(|u| u.replace("-3A", ":").replace('_', "/")),
        }
    } else if (host == "www.google.com" || host == "google.com") && href.contains("/url?") {
        query_param(href, "q").or_else(|| query_param(href, "url"))
    } else if host == "linkprotect.cudasvc.com" {
        query_param(href, "a")
    } else if host.ends_with(".fireeye.com") {
        query_param(href, "u")
    } else {
        None
    };
    inner.filter(|u| http_host(u).is_some())
}

pub fn check(f: &Facts) -> Vec<Hit> {
    let mut out = Vec::new();
    for body in &f.html_bodies {
        for link in html::links(body) {
            let Some((mut target, mut userinfo)) = http_host(&link.href) else {
                continue;
            };
            let mut via_gateway = None;
            if let Some(inner) = unwrap_gateway(&link.href, &target) {
                if let Some((t, u)) = http_host(&inner) {
                    via_gateway = Some(target);
                    target = t;
                    userinfo = u;
                }
            }
            let text: String = crate::text::fold_width(&link.text);
            let shown = domain::domains_in(&text);
            let Some(target_reg) = domain::registrable(&target) else {
                continue;
            };
            let Some(other) = shown
                .iter()
                .find(|d| domain::registrable(d).is_some_and(|r| r != target_reg))
            else {
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
            let gateway_note;
            if let Some(g) = &via_gateway {
                gateway_note = format!("wrapped by {g}");
                notes.push(&gateway_note);
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
        Facts {
            html_bodies: vec![html.into()],
            ..Default::default()
        }
    }

    #[test]
    fn hosts() {
        assert_eq!(
            http_host("HTTPS://User:pw@Evil.Example:8443/x"),
            Some(("evil.example".into(), true))
        );
        assert_eq!(
            http_host("http://[2001:db8::1]/"),
            Some(("2001:db8::1".into(), false))
        );
        assert_eq!(http_host("mailto:a@b.example"), None);
        assert_eq!(http_host("javascript:alert(1)"), None);
    }

    #[test]
    fn text_url_other_domain_fires() {
        let h = check(&facts(
            r#"<p><a href="http://evil.example/login">https://www.bank.co.jp/login</a></p>"#,
        ));
        assert_eq!(h.len(), 1);
        assert!(
            h[0].evidence.contains("www.bank.co.jp") && h[0].evidence.contains("evil.example"),
            "{}",
            h[0].evidence
        );
    }

    #[test]
    fn ip_punycode_and_userinfo_noted() {
        let h = check(&facts(r#"<a href="http://192.0.2.7/a">www.bank.co.jp</a>"#));
        assert!(h[0].evidence.contains("IP address"), "{}", h[0].evidence);
        let h = check(&facts(
            r#"<a href="https://xn--bnk-sna.example/">bank.example</a>"#,
        ));
        assert!(h[0].evidence.contains("punycode"), "{}", h[0].evidence);
        let h = check(&facts(
            r#"<a href="https://www.bank.co.jp@evil.example/">https://www.bank.co.jp/</a>"#,
        ));
        assert!(
            h[0].evidence.contains("userinfo") && h[0].evidence.contains("goes to evil.example"),
            "{}",
            h[0].evidence
        );
    }

    #[test]
    fn matching_or_plain_text_links_are_fine() {
        assert!(check(&facts(
            r#"<a href="https://www.bank.co.jp/x">bank.co.jp</a>"#
        ))
        .is_empty());
        assert!(check(&facts(
            r#"<a href="https://click.bank.co.jp/x">https://www.bank.co.jp</a>"#
        ))
        .is_empty());
        assert!(check(&facts(
            r#"<a href="https://evil.example/">こちらをクリック</a>"#
        ))
        .is_empty());
        assert!(check(&facts(r#"<a href="mailto:a@b.example">c@d.example</a>"#)).is_empty());
    }

    #[test]
    fn rewriting_gateways_are_unwrapped() {
        let safe = "https://apc01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.partner.co.jp%2Fa&data=05%7C01";
        assert!(check(&facts(&format!(
            "<a href=\"{safe}\">https://www.partner.co.jp/a</a>"
        )))
        .is_empty());
        let bad = "https://apc01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example%2Fa&amp;data=05";
        let h = check(&facts(&format!(
            "<a href=\"{bad}\">https://www.partner.co.jp/a</a>"
        )));
        assert_eq!(h.len(), 1);
        assert!(
            h[0].evidence.contains("goes to evil.example") && h[0].evidence.contains("wrapped by"),
            "{}",
            h[0].evidence
        );
        let pp = "https://urldefense.com/v3/__https://www.partner.co.jp/x__;!!abc$";
        assert!(check(&facts(&format!("<a href=\"{pp}\">www.partner.co.jp</a>"))).is_empty());
        let g = "https://www.google.com/url?q=https://www.partner.co.jp/&sa=D";
        assert!(check(&facts(&format!("<a href=\"{g}\">partner.co.jp</a>"))).is_empty());
    }

    #[test]
    fn entities_in_href_and_full_width_text() {
        let h = check(&facts(
            "<a href=\"http&#58;//evil.example/\">ｗｗｗ．ｂａｎｋ．ｃｏ．ｊｐ</a>",
        ));
        assert_eq!(h.len(), 1, "{h:?}");
    }
}
