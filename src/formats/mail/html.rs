//! A small, tolerant HTML tag scanner for mail bodies: visible text and `<a href>` links.
//!
//! Not a conforming HTML parser (WHATWG HTML §13.2 tokenization is far larger); it follows the
//! tokenizer closely enough for mail: tags with quoted or unquoted attributes (§13.1.2.3),
//! comments, `<!...>`/`<?...>` markup, raw-text elements (`script`, `style`) skipped, and
//! character references (§13.1.4) decoded for the common named ones and numeric forms.
//! Everything is bounded by the input length; malformed markup never fails, it only
//! yields less.

/// One `<a href>` with its visible text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    pub text: String,
}

/// Most links considered in one body.
const MAX_LINKS: usize = 2000;

/// Decode character references (`&amp;`, `&#x41;`, `&#65;`) in `s`.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(rest.get(..pos).unwrap_or(""));
        let after = rest.get(pos.saturating_add(1)..).unwrap_or("");
        // A reference is at most ~32 chars up to ';' (we also accept a few without ';').
        let end = after
            .char_indices()
            .take(34)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let mut consumed = None;
        if let Some(end) = end {
            let name = after.get(..end).unwrap_or("");
            if let Some(c) = decode_reference(name) {
                out.push(c);
                consumed = Some(end.saturating_add(1));
            }
        } else {
            // Legacy: `&amp` / `&nbsp` / `&lt` / `&gt` / `&quot` without ';'.
            for (n, c) in [
                ("amp", '&'),
                ("nbsp", '\u{a0}'),
                ("lt", '<'),
                ("gt", '>'),
                ("quot", '"'),
            ] {
                if after.starts_with(n) {
                    out.push(c);
                    consumed = Some(n.len());
                    break;
                }
            }
        }
        match consumed {
            Some(n) => rest = after.get(n..).unwrap_or(""),
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_reference(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let v = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        return Some(match char::from_u32(v) {
            Some('\0') | None => '\u{fffd}',
            Some(c) => c,
        });
    }
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "sol" => '/',
        "colon" => ':',
        "period" => '.',
        "commat" => '@',
        "copy" => '©',
        "reg" => '®',
        "yen" => '¥',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        "shy" => '\u{ad}',
        _ => return None,
    })
}

/// A token of the scanner.
enum Token<'a> {
    Text(&'a str),
    /// Start or end tag: lower-cased name, whether it is an end tag, raw attribute text.
    Tag {
        name: String,
        end: bool,
        attrs: &'a str,
    },
}

/// Split `html` into text runs and tags. Comments, doctype and processing instructions are
/// dropped; the content of `script`/`style`/`title`-like raw-text elements is skipped.
fn tokenize(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            out.push(Token::Text(rest));
            break;
        };
        if lt > 0 {
            out.push(Token::Text(rest.get(..lt).unwrap_or("")));
        }
        let tail = rest.get(lt..).unwrap_or("");
        if let Some(after) = tail.strip_prefix("<!--") {
            rest = match after.find("-->") {
                Some(e) => after.get(e.saturating_add(3)..).unwrap_or(""),
                None => "",
            };
            continue;
        }
        if tail.starts_with("<!") || tail.starts_with("<?") {
            rest = match tail.find('>') {
                Some(e) => tail.get(e.saturating_add(1)..).unwrap_or(""),
                None => "",
            };
            continue;
        }
        let body = tail.get(1..).unwrap_or("");
        let (end, body) = match body.strip_prefix('/') {
            Some(b) => (true, b),
            None => (false, body),
        };
        let name_len = body
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .map(|(i, _)| i)
            .unwrap_or(body.len());
        if name_len == 0 || !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // Not a tag: a literal '<'.
            out.push(Token::Text("<"));
            rest = body_after_lt(tail);
            continue;
        }
        let name = body.get(..name_len).unwrap_or("").to_ascii_lowercase();
        let after_name = body.get(name_len..).unwrap_or("");
        let close = find_tag_end(after_name);
        let attrs = after_name.get(..close).unwrap_or("");
        rest = after_name.get(close.saturating_add(1)..).unwrap_or("");
        let raw_text = !end
            && matches!(
                name.as_str(),
                "script" | "style" | "textarea" | "xmp" | "noscript"
            );
        out.push(Token::Tag {
            name: name.clone(),
            end,
            attrs,
        });
        if raw_text {
            // Skip to the matching end tag (ASCII case-insensitive), in linear time.
            let at = rest.match_indices("</").map(|(p, _)| p).find(|&p| {
                rest.get(p.saturating_add(2)..p.saturating_add(2).saturating_add(name.len()))
                    .is_some_and(|n| n.eq_ignore_ascii_case(&name))
            });
            rest = match at {
                Some(p) => rest.get(p..).unwrap_or(""),
                None => "",
            };
        }
    }
    out
}

fn body_after_lt(tail: &str) -> &str {
    tail.get(1..).unwrap_or("")
}

/// Index of the `>` ending a tag, honouring quoted attribute values; the end of input if none.
fn find_tag_end(s: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return i,
            None => {}
        }
    }
    s.len()
}

/// The value of attribute `want` (lower-case) in a tag's raw attribute text, entity-decoded.
pub fn attribute(attrs: &str, want: &str) -> Option<String> {
    let b = attrs;
    let mut rest = b;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let name_end = rest
            .char_indices()
            .find(|&(_, c)| c.is_whitespace() || c == '=' || c == '/' || c == '>')
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let name = rest.get(..name_end).unwrap_or("").to_ascii_lowercase();
        rest = rest.get(name_end..).unwrap_or("").trim_start();
        let mut value = None;
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            if let Some(q) = r.chars().next().filter(|&c| c == '"' || c == '\'') {
                let inner = r.get(1..).unwrap_or("");
                let end = inner.find(q).unwrap_or(inner.len());
                value = Some(inner.get(..end).unwrap_or(""));
                rest = inner.get(end.saturating_add(1)..).unwrap_or("");
            } else {
                let end = r.find(char::is_whitespace).unwrap_or(r.len());
                value = Some(r.get(..end).unwrap_or(""));
                rest = r.get(end..).unwrap_or("");
            }
        }
        if name.is_empty() {
            // Stray character: skip one and go on.
            let mut chars = rest.chars();
            chars.next();
            rest = chars.as_str();
            continue;
        }
        if name == want {
            return Some(decode_entities(value.unwrap_or("")));
        }
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "br" | "p"
            | "div"
            | "tr"
            | "li"
            | "ul"
            | "ol"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "hr"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "title"
            | "dt"
            | "dd"
            | "center"
            | "address"
            | "form"
    )
}

/// Visible text of an HTML body: tags removed, block elements as line breaks, entities decoded,
/// whitespace within lines collapsed.
pub fn to_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len() / 2);
    let mut in_head = false;
    for t in tokenize(html) {
        match t {
            Token::Text(s) => {
                if !in_head {
                    raw.push_str(&decode_entities(s));
                }
            }
            Token::Tag { name, end, .. } => {
                if name == "head" {
                    in_head = !end;
                } else if name == "body" {
                    in_head = false;
                }
                if is_block(&name) {
                    raw.push('\n');
                } else if name == "td" || name == "th" {
                    raw.push(' ');
                }
            }
        }
    }
    let mut out = String::with_capacity(raw.len());
    let mut blank = 0usize;
    for line in raw.lines() {
        let collapsed = line
            .split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if collapsed.is_empty() {
            blank = blank.saturating_add(1);
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(&collapsed);
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// Every `<a href>` with its visible text (nested tags dropped, entities decoded).
pub fn links(html: &str) -> Vec<Link> {
    let mut out = Vec::new();
    let mut open: Option<(String, String)> = None;
    for t in tokenize(html) {
        match t {
            Token::Text(s) => {
                if let Some((_, text)) = open.as_mut() {
                    if text.len() < 4096 {
                        text.push_str(&decode_entities(s));
                    }
                }
            }
            Token::Tag { name, end, attrs } => {
                if name != "a" {
                    if let Some((_, text)) = open.as_mut() {
                        if is_block(&name) {
                            text.push(' ');
                        }
                    }
                    continue;
                }
                // Any <a> or </a> closes the open link.
                if let Some((href, text)) = open.take() {
                    out.push(Link {
                        href,
                        text: squash(&text),
                    });
                    if out.len() >= MAX_LINKS {
                        return out;
                    }
                }
                if !end {
                    if let Some(href) = attribute(attrs, "href") {
                        open = Some((href.trim().to_string(), String::new()));
                    }
                }
            }
        }
    }
    if let Some((href, text)) = open.take() {
        out.push(Link {
            href,
            text: squash(&text),
        });
    }
    out
}

fn squash(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a&amp;b &lt;x&gt; &#65;&#x42; &bogus; &amp"),
            "a&b <x> AB &bogus; &"
        );
        assert_eq!(decode_entities("&#xFFFFFFFF;"), "\u{fffd}");
        assert_eq!(decode_entities("&#0;"), "\u{fffd}");
    }

    #[test]
    fn text_skips_script_style_head_and_comments() {
        let h =
            "<html><head><title>T</title><style>p{}</style></head><body><!-- c --><p>一行目</p>\
                 <script>var a='<p>x</p>';</script><div>二&nbsp;行目<br>三</div></body></html>";
        let t = to_text(h);
        assert!(t.contains("一行目"));
        assert!(t.contains("二\u{a0}行目") || t.contains("二 行目"), "{t:?}");
        assert!(t.contains("三"));
        assert!(!t.contains("var a"));
        assert!(!t.contains("p{}"));
        assert!(!t.contains('T'));
    }

    #[test]
    fn links_with_quotes_entities_and_nested_tags() {
        let h = r#"<A HREF="http://evil.example/?a=1&amp;b=2"><b>https://www.bank.co.jp</b></a>
                   <a href='x'>y</a><a href=plain>z</A><a name=n>no href</a>"#;
        let l = links(h);
        assert_eq!(l.len(), 3);
        assert_eq!(l[0].href, "http://evil.example/?a=1&b=2");
        assert_eq!(l[0].text, "https://www.bank.co.jp");
        assert_eq!(l[1].href, "x");
        assert_eq!(l[2].href, "plain");
        assert_eq!(l[2].text, "z");
    }

    #[test]
    fn tolerant_of_broken_markup() {
        assert_eq!(
            links("<a href=\"http://a.example"),
            vec![Link {
                href: "http://a.example".into(),
                text: String::new()
            }]
        );
        assert_eq!(to_text("a < b and <3 <"), "a < b and <3 <");
        assert!(links("<a href=x>unclosed text").len() == 1);
        assert_eq!(to_text("<!-- never closed"), "");
        assert_eq!(to_text("<SCRIPT>x</p></Script>after"), "after");
        assert_eq!(to_text("<style>never closed"), "");
    }
}
