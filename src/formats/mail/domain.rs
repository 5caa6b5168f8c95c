//! Registrable domains ("organisational domains", RFC 7489 §3.2) for comparing sender domains.
//!
//! This is an APPROXIMATION of the Public Suffix List (<https://publicsuffix.org/>): a small
//! built-in table of multi-label public suffixes (Japanese second-level and prefecture forms,
//! plus common country forms such as `co.uk`, `com.au`). Any other name is taken to have a
//! one-label public suffix. Names are lower-cased and a trailing dot is removed; punycode
//! (`xn--`) labels are kept as they are (no IDNA conversion).

/// Multi-label public suffixes known to this table.
const MULTI_SUFFIXES: &[&str] = &[
    // Japan: organisational second-level domains (JPRS).
    "co.jp", "or.jp", "ne.jp", "ac.jp", "ad.jp", "ed.jp", "go.jp", "gr.jp", "lg.jp",
    // United Kingdom, Australia, New Zealand, South Africa.
    "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "net.uk", "nhs.uk", "com.au",
    "net.au", "org.au", "edu.au", "gov.au", "asn.au", "id.au", "co.nz", "org.nz", "net.nz",
    "ac.nz", "govt.nz", "co.za", "org.za", // East and South-East Asia.
    "com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "ac.cn", "co.kr", "or.kr", "ne.kr", "ac.kr",
    "go.kr", "re.kr", "com.tw", "net.tw", "org.tw", "edu.tw", "gov.tw", "idv.tw", "com.hk",
    "net.hk", "org.hk", "edu.hk", "gov.hk", "com.sg", "net.sg", "org.sg", "edu.sg", "gov.sg",
    "co.th", "in.th", "ac.th", "go.th", "or.th", "com.my", "net.my", "org.my", "com.ph", "com.vn",
    "co.id", "or.id", "ac.id", "co.in", "net.in", "org.in", "ac.in", "gov.in", "firm.in",
    // Americas and elsewhere.
    "com.br", "net.br", "org.br", "gov.br", "com.mx", "org.mx", "gob.mx", "com.ar", "com.co",
    "com.tr", "org.tr", "co.il", "org.il", "ac.il", "com.sa", "com.eg", "co.ke", "co.at", "or.at",
    "com.pl", "com.ru", "com.ua",
];

/// The 47 prefectures of Japan: `<pref>.jp` is a public suffix (geographic domains,
/// e.g. `city.shibuya.tokyo.jp`). Only the simple two-level form `<pref>.jp` is handled.
const JP_PREFECTURES: &[&str] = &[
    "hokkaido",
    "aomori",
    "iwate",
    "miyagi",
    "akita",
    "yamagata",
    "fukushima",
    "ibaraki",
    "tochigi",
    "gunma",
    "saitama",
    "chiba",
    "tokyo",
    "kanagawa",
    "niigata",
    "toyama",
    "ishikawa",
    "fukui",
    "yamanashi",
    "nagano",
    "gifu",
    "shizuoka",
    "aichi",
    "mie",
    "shiga",
    "kyoto",
    "osaka",
    "hyogo",
    "nara",
    "wakayama",
    "tottori",
    "shimane",
    "okayama",
    "hiroshima",
    "yamaguchi",
    "tokushima",
    "kagawa",
    "ehime",
    "kochi",
    "fukuoka",
    "saga",
    "nagasaki",
    "kumamoto",
    "oita",
    "miyazaki",
    "kagoshima",
    "okinawa",
];

/// Lower-case, trim, strip one trailing dot and surrounding brackets.
pub fn normalize(domain: &str) -> String {
    let d = domain.trim().trim_matches(|c| c == '[' || c == ']');
    let d = d.strip_suffix('.').unwrap_or(d);
    d.to_lowercase()
}

/// Whether `suffix` (lower-case, dotted) is a public suffix of more than one label in our table.
fn is_multi_suffix(suffix: &str) -> bool {
    if MULTI_SUFFIXES.contains(&suffix) {
        return true;
    }
    if let Some(pref) = suffix.strip_suffix(".jp") {
        return JP_PREFECTURES.contains(&pref);
    }
    false
}

/// Whether `host` is an IP literal (IPv4 dotted quad, or IPv6 in or out of brackets).
pub fn is_ip_literal(host: &str) -> bool {
    let h = host.trim_matches(|c| c == '[' || c == ']');
    if h.contains(':') {
        return h.parse::<std::net::Ipv6Addr>().is_ok();
    }
    h.parse::<std::net::Ipv4Addr>().is_ok()
}

/// The registrable domain of `host`: the public suffix plus one label. IP literals and
/// single-label names are returned whole (normalised). `None` for an empty name.
pub fn registrable(host: &str) -> Option<String> {
    let h = normalize(host);
    if h.is_empty() {
        return None;
    }
    if is_ip_literal(&h) {
        return Some(h);
    }
    let labels: Vec<&str> = h.split('.').filter(|l| !l.is_empty()).collect();
    let n = labels.len();
    if n <= 2 {
        return Some(labels.join("."));
    }
    let tail = |k: usize| labels.get(n.saturating_sub(k)..).unwrap_or(&[]).join(".");
    let last_two = tail(2);
    if is_multi_suffix(&last_two) {
        return Some(tail(3));
    }
    Some(last_two)
}

/// Whether `host` equals `base` or is a subdomain of it (both normalised).
pub fn is_same_or_subdomain(host: &str, base: &str) -> bool {
    let h = normalize(host);
    let b = normalize(base);
    if b.is_empty() {
        return false;
    }
    h == b || h.strip_suffix(&b).is_some_and(|rest| rest.ends_with('.'))
}

/// Whether two hosts share a registrable domain.
pub fn same_registrable(a: &str, b: &str) -> bool {
    match (registrable(a), registrable(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The domain part of an address (`local@domain`), normalised.
pub fn of_address(addr: &str) -> Option<String> {
    let (_, d) = addr
        .trim()
        .trim_matches(|c| c == '<' || c == '>')
        .rsplit_once('@')?;
    let d = normalize(d);
    (!d.is_empty()).then_some(d)
}

/// Generic top-level domains common enough to recognise a domain written in free text
/// (`partner.com`). Any two-letter country code and any `xn--` label also count.
const GENERIC_TLDS: &[&str] = &[
    "com",
    "net",
    "org",
    "info",
    "biz",
    "edu",
    "gov",
    "mil",
    "int",
    "xyz",
    "top",
    "online",
    "site",
    "club",
    "shop",
    "app",
    "dev",
    "cloud",
    "email",
    "link",
    "live",
    "tech",
    "store",
    "icu",
    "vip",
    "work",
    "jobs",
    "mobi",
    "name",
    "pro",
    "asia",
    "tokyo",
    "osaka",
    "nagoya",
    "yokohama",
    "kyoto",
    "okinawa",
    "ryukyu",
    "microsoft",
    "google",
    "amazon",
    "apple",
    "website",
    "space",
    "fun",
    "network",
    "support",
    "services",
    "company",
    "business",
    "center",
    "global",
    "group",
    "world",
    // RFC 2606 reserved names, so documentation and test addresses read as domains too.
    "example",
    "test",
];

fn plausible_tld(tld: &str) -> bool {
    (tld.len() == 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
        || tld.starts_with("xn--")
        || GENERIC_TLDS.contains(&tld)
}

/// Domains written in free text (already NFKC-normalised by the caller): bare domains
/// (`partner.co.jp`), the domain of e-mail addresses, and hosts of URLs. Lower-cased, in order,
/// without duplicates.
pub fn domains_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let is_tok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_';
    for raw in text.split(|c: char| !(is_tok(c) || c == '@')).take(1000) {
        // For an address, the domain is what follows the last '@'.
        let cand = raw.rsplit('@').next().unwrap_or(raw);
        let cand = cand
            .trim_matches(|c| c == '.' || c == '-' || c == '_')
            .to_ascii_lowercase();
        if !cand.contains('.') || cand.len() > 253 {
            continue;
        }
        let labels: Vec<&str> = cand.split('.').collect();
        if labels
            .iter()
            .any(|l| l.is_empty() || l.len() > 63 || l.contains('_'))
        {
            continue;
        }
        let tld = labels.last().copied().unwrap_or("");
        if !(plausible_tld(tld) || is_ip_literal(&cand)) {
            continue;
        }
        if !out.contains(&cand) {
            out.push(cand);
        }
        if out.len() >= 20 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_second_level() {
        assert_eq!(
            registrable("mail.partner.co.jp").as_deref(),
            Some("partner.co.jp")
        );
        assert_eq!(
            registrable("partner.co.jp").as_deref(),
            Some("partner.co.jp")
        );
        assert_eq!(
            registrable("www.u-tokyo.ac.jp").as_deref(),
            Some("u-tokyo.ac.jp")
        );
        assert_eq!(
            registrable("a.b.example.lg.jp").as_deref(),
            Some("example.lg.jp")
        );
    }

    #[test]
    fn prefecture_and_plain_jp() {
        assert_eq!(
            registrable("city.shibuya.tokyo.jp").as_deref(),
            Some("shibuya.tokyo.jp")
        );
        assert_eq!(registrable("www.example.jp").as_deref(), Some("example.jp"));
        // "example.jp" is not a suffix: one label above .jp.
        assert_eq!(registrable("a.example.jp").as_deref(), Some("example.jp"));
    }

    #[test]
    fn generic_and_foreign() {
        assert_eq!(
            registrable("Mail.Example.COM.").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            registrable("shop.example.co.uk").as_deref(),
            Some("example.co.uk")
        );
        assert_eq!(
            registrable("x.y.example.com.au").as_deref(),
            Some("example.com.au")
        );
        assert_eq!(registrable("localhost").as_deref(), Some("localhost"));
        assert_eq!(registrable(""), None);
        assert_eq!(
            registrable("xn--wgv71a.xn--3e0b707e").as_deref(),
            Some("xn--wgv71a.xn--3e0b707e")
        );
    }

    #[test]
    fn domains_in_text() {
        assert_eq!(domains_in("tanaka@partner.co.jp"), ["partner.co.jp"]);
        assert_eq!(domains_in("田中 (Partner.CO.JP)"), ["partner.co.jp"]);
        assert_eq!(
            domains_in("see https://www.bank.example.com/login now"),
            ["www.bank.example.com"]
        );
        assert!(domains_in("Mr.Tanaka").is_empty());
        assert!(domains_in("version 1.2.3").is_empty());
        assert!(domains_in("田中 太郎").is_empty());
        assert_eq!(domains_in("http://192.168.1.10/x"), ["192.168.1.10"]);
    }

    #[test]
    fn ip_literals() {
        assert!(is_ip_literal("192.168.0.1"));
        assert!(is_ip_literal("[::1]"));
        assert!(!is_ip_literal("example.com"));
        assert_eq!(registrable("10.1.2.3").as_deref(), Some("10.1.2.3"));
    }

    #[test]
    fn subdomains_and_addresses() {
        assert!(is_same_or_subdomain(
            "mail.corp.example.jp",
            "corp.example.jp"
        ));
        assert!(is_same_or_subdomain("corp.example.jp", "CORP.example.jp."));
        assert!(!is_same_or_subdomain(
            "evilcorp.example.jp",
            "corp.example.jp"
        ));
        assert!(same_registrable("a.partner.co.jp", "b.partner.co.jp"));
        assert!(!same_registrable("partner.co.jp", "other.co.jp"));
        assert_eq!(
            of_address("Taro@Mail.Partner.co.jp").as_deref(),
            Some("mail.partner.co.jp")
        );
        assert_eq!(of_address("nobody"), None);
    }
}
