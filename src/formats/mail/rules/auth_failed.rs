//! `mail.auth_failed`: the receiving server's recorded sender-authentication results say
//! SPF, DKIM or DMARC failed. Read only: no DNS lookups, no signature verification.
//!
//! Sources: the TOPMOST `Authentication-Results` header (RFC 8601 §2.2; the one added by the
//! final receiving server; lower ones may come from earlier hops or from the sender) and the
//! topmost `Received-SPF` header (RFC 7208 §9.1).
//!
//! Decision: `fail` counts for all three methods; for SPF `softfail` also counts (it is what
//! a forged sender gets from the common `~all` policy) and is tagged `softfail` so policy can
//! weigh it lower. `none`, `neutral`, `pass`, `temperror` and `permerror` are not failures
//! (the latter two say the check could not be made, not that the sender is forged). A DKIM
//! `fail` is ignored when another DKIM signature in the same header passed.

use super::Hit;
use crate::formats::mail::parse::Facts;

/// One `method=result` with its properties, from an Authentication-Results value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodResult {
    pub method: String,
    pub result: String,
    /// `ptype.property=value` pairs, e.g. `smtp.mailfrom=evil.example`.
    pub props: Vec<String>,
}

/// Remove RFC 5322 comments `( ... )` (nested, with `\` quoting), keeping quoted strings.
fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' if depth == 0 => {
                in_quote = !in_quote;
                out.push(c);
            }
            '(' if !in_quote => depth = depth.saturating_add(1),
            ')' if !in_quote && depth > 0 => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push(' ');
                }
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Parse an Authentication-Results value (`authserv-id; method=result props; ...`).
pub fn parse_auth_results(v: &str) -> Vec<MethodResult> {
    let v = strip_comments(v);
    let mut out = Vec::new();
    // The first ';'-separated element is the authserv-id (and optional version).
    for stmt in v.split(';').skip(1).take(50) {
        let mut words = stmt.split_whitespace();
        let Some(first) = words.next() else { continue };
        let Some((method, result)) = first.split_once('=') else {
            continue;
        };
        let method = method
            .split('/')
            .next()
            .unwrap_or(method)
            .trim()
            .to_ascii_lowercase();
        let result = result.trim().to_ascii_lowercase();
        let props = words
            .filter(|w| w.contains('=') && w.contains('.'))
            .take(4)
            .map(str::to_string)
            .collect();
        out.push(MethodResult {
            method,
            result,
            props,
        });
    }
    out
}

/// The result keyword of a Received-SPF value (`fail (comment) key=value ...`).
pub fn parse_received_spf(v: &str) -> Option<String> {
    let v = strip_comments(v);
    let first = v.split_whitespace().next()?;
    Some(first.trim_end_matches(';').to_ascii_lowercase())
}

fn is_failure(method: &str, result: &str) -> bool {
    match method {
        "spf" => matches!(result, "fail" | "softfail"),
        "dkim" | "dmarc" => result == "fail",
        _ => false,
    }
}

pub fn check(f: &Facts) -> Vec<Hit> {
    let mut parts: Vec<String> = Vec::new();
    let mut tags: Vec<&'static str> = Vec::new();
    if let Some(top) = f.auth_results.first() {
        let results = parse_auth_results(top);
        let dkim_pass = results
            .iter()
            .any(|r| r.method == "dkim" && r.result == "pass");
        for r in &results {
            if !is_failure(&r.method, &r.result) || (r.method == "dkim" && dkim_pass) {
                continue;
            }
            let mut s = format!("{}={}", r.method, r.result);
            if !r.props.is_empty() {
                s.push_str(&format!(" ({})", r.props.join(" ")));
            }
            if !parts.contains(&s) {
                parts.push(s);
            }
            push_tags(&mut tags, &r.method, &r.result);
        }
    }
    if let Some(spf) = f.received_spf.first().and_then(|v| parse_received_spf(v)) {
        if is_failure("spf", &spf) && !parts.iter().any(|p| p.starts_with("spf=")) {
            parts.push(format!("Received-SPF: {spf}"));
            push_tags(&mut tags, "spf", &spf);
        }
    }
    if parts.is_empty() {
        return Vec::new();
    }
    let mut h = Hit::new(
        "mail.auth_failed",
        crate::engine::clip(&parts.join("; "), 300),
    );
    h.tags = tags;
    vec![h]
}

fn push_tags(tags: &mut Vec<&'static str>, method: &str, result: &str) {
    let t = match method {
        "spf" => "spf",
        "dkim" => "dkim",
        _ => "dmarc",
    };
    if !tags.contains(&t) {
        tags.push(t);
    }
    if result == "softfail" && !tags.contains(&"softfail") {
        tags.push("softfail");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(ar: &[&str], spf: &[&str]) -> Facts {
        Facts {
            auth_results: ar.iter().map(|s| s.to_string()).collect(),
            received_spf: spf.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn parses_methods_and_comments() {
        let r = parse_auth_results(
            "mx.example.jp; spf=fail (sender IP is 192.0.2.1; see ...) smtp.mailfrom=evil.example; dkim=none; dmarc=fail action=none header.from=partner.co.jp",
        );
        assert_eq!(r.len(), 3, "{r:?}");
        assert_eq!(r[0].method, "spf");
        assert_eq!(r[0].result, "fail");
        assert_eq!(r[0].props, ["smtp.mailfrom=evil.example"]);
        assert_eq!(r[2].props, ["header.from=partner.co.jp"]);
    }

    #[test]
    fn failures_fire_with_method_and_result() {
        let h = check(&facts(&["mx.example.jp; spf=pass smtp.mailfrom=a.example; dkim=pass; dmarc=fail header.from=partner.co.jp"], &[]));
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].evidence, "dmarc=fail (header.from=partner.co.jp)");
        assert_eq!(h[0].tags, ["dmarc"]);
        let h = check(&facts(&["mx; spf=softfail smtp.mailfrom=x.example"], &[]));
        assert_eq!(h[0].tags, ["spf", "softfail"]);
        let h = check(&facts(
            &[],
            &["fail (mx: domain of x.example does not designate 192.0.2.1) client-ip=192.0.2.1;"],
        ));
        assert_eq!(h[0].evidence, "Received-SPF: fail");
    }

    #[test]
    fn non_failures_and_lower_headers_ignored() {
        assert!(check(&facts(
            &["mx; spf=none; dkim=neutral; dmarc=none"],
            &["neutral"]
        ))
        .is_empty());
        assert!(check(&facts(&["mx; none"], &[])).is_empty());
        assert!(check(&facts(
            &["mx; spf=pass; dkim=pass", "earlier.hop; spf=fail"],
            &[]
        ))
        .is_empty());
        // Two DKIM signatures, one passes.
        assert!(check(&facts(
            &["mx; dkim=fail header.d=a.example; dkim=pass header.d=b.example"],
            &[]
        ))
        .is_empty());
        assert!(check(&facts(&["mx; spf=permerror; dkim=temperror"], &[])).is_empty());
    }
}
