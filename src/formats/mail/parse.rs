//! From raw bytes to [`Facts`] (what the checks read) and the list of attachments.
//!
//! Parsing is mail-parser 0.11 (RFC 5322 message format, RFC 2045–2049 MIME, RFC 2047 encoded
//! words, RFC 2231 parameter continuations and charsets; `full_encoding` decodes ISO-2022-JP,
//! Shift_JIS/CP932 and every other WHATWG encoding through encoding_rs). This module only
//! reads mail-parser's result; it does not run checks. Bounds: at most [`MAX_PARTS`] MIME parts
//! and [`MAX_MIME_DEPTH`] levels of multipart nesting are handled, and at most
//! [`MAX_BODY_TEXT`] bytes of body text are kept for scanning.

use std::borrow::Cow;

use mail_parser::{Header, HeaderName, HeaderValue, Message, MessageParser, MimeHeaders, PartType};

use super::domain;
use super::html;

pub const MAX_PARTS: usize = 1000;
pub const MAX_MIME_DEPTH: usize = 32;
/// Body text kept for the checks (password and link scans), all bodies together.
pub const MAX_BODY_TEXT: usize = 1024 * 1024;

/// Header and body facts of one message, independent of mail-parser so rules are testable.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub from_name: Option<String>,
    pub from_address: Option<String>,
    pub from_domain: Option<String>,
    pub reply_to: Vec<String>,
    pub to: Vec<String>,
    pub subject: Option<String>,
    pub date: Option<String>,
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub has_references: bool,
    /// `Authentication-Results` values, unfolded, top (most recent) first.
    pub auth_results: Vec<String>,
    /// `Received-SPF` values, unfolded, top first.
    pub received_spf: Vec<String>,
    /// Plain-text bodies (an HTML-only body converted to text).
    pub text_bodies: Vec<String>,
    /// HTML bodies as HTML.
    pub html_bodies: Vec<String>,
    /// Number of attachments the message carries.
    pub attachment_count: usize,
}

/// One attachment (or inline file) to hand to the engine.
#[derive(Debug)]
pub struct Attachment<'a> {
    /// The name as the sender gave it, or a made-up `attachment-N.ext`.
    pub name: String,
    pub named: bool,
    pub bytes: Cow<'a, [u8]>,
}

/// What parsing produced.
#[derive(Debug, Default)]
pub struct Parsed<'a> {
    pub facts: Facts,
    pub attachments: Vec<Attachment<'a>>,
    /// Parts that could not be decoded (→ `mail.malformed`).
    pub problems: Vec<String>,
    /// Limits hit (→ `archive.limit_exceeded`).
    pub limits: Vec<String>,
}

/// Parse `bytes`. `None` when not even a header block could be read.
pub fn parse(bytes: &[u8]) -> Option<Parsed<'_>> {
    let msg = MessageParser::default().parse(bytes)?;
    let root = msg.parts.first()?;
    // Not one well-formed header field name (RFC 5322 §3.6.8 ftext): this is not a message.
    let valid_name =
        |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_graphic() && b != b':');
    if !root.headers.iter().any(|h| valid_name(h.name.as_str())) {
        return None;
    }
    let block = bytes.get(..root.offset_body as usize).unwrap_or(bytes);
    let facts = match fix_header_block(block) {
        // Raw (unencoded) ISO-2022-JP / Shift_JIS / EUC-JP in the headers: transcode the block
        // to UTF-8 (RFC 6532 form) and read the headers again.
        Some(fixed) => match MessageParser::default().parse_headers(&fixed) {
            Some(m) => m
                .parts
                .first()
                .map(|r| header_facts(&r.headers, &fixed))
                .unwrap_or_default(),
            None => header_facts(&root.headers, bytes),
        },
        None => header_facts(&root.headers, bytes),
    };
    let mut p = Parsed {
        facts,
        ..Default::default()
    };
    walk(&msg, bytes, &mut p);
    Some(p)
}

/// The header facts of a bare RFC 5322 header block (an Outlook message's transport
/// headers, PR_TRANSPORT_MESSAGE_HEADERS): RFC 2047 words are decoded, raw Japanese text is
/// transcoded as for `.eml`. `None` when no header field could be read. Body facts stay empty.
pub fn parse_header_block(block: &[u8]) -> Option<Facts> {
    let mut owned = block.to_vec();
    while owned
        .last()
        .is_some_and(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t' | 0))
    {
        owned.pop();
    }
    owned.extend_from_slice(b"\r\n\r\n");
    let block = fix_header_block(&owned).unwrap_or(owned);
    let msg = MessageParser::default().parse_headers(&block)?;
    let root = msg.parts.first()?;
    let valid_name =
        |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_graphic() && b != b':');
    if !root.headers.iter().any(|h| valid_name(h.name.as_str())) {
        return None;
    }
    Some(header_facts(&root.headers, &block))
}

fn header_facts(headers: &[Header<'_>], raw: &[u8]) -> Facts {
    let mut f = Facts::default();
    let find = |n: HeaderName<'static>| headers.iter().find(|h| h.name == n).map(|h| &h.value);

    if let Some(a) = find(HeaderName::From)
        .and_then(|v| v.as_address())
        .and_then(|a| a.first())
    {
        f.from_name = a.name().map(clean_text).filter(|s| !s.is_empty());
        f.from_address = a
            .address()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        f.from_domain = f.from_address.as_deref().and_then(domain::of_address);
    }
    if let Some(a) = find(HeaderName::ReplyTo).and_then(|v| v.as_address()) {
        f.reply_to = a
            .iter()
            .filter_map(|x| x.address())
            .map(|s| s.trim().to_string())
            .take(50)
            .collect();
    }
    for h in headers
        .iter()
        .filter(|h| matches!(h.name, HeaderName::To | HeaderName::Cc))
        .take(20)
    {
        if let Some(a) = h.value.as_address() {
            for x in a.iter().take(200) {
                let shown = match (x.name(), x.address()) {
                    (Some(n), Some(ad)) if !n.trim().is_empty() => {
                        format!("{} <{}>", clean_text(n), ad)
                    }
                    (_, Some(ad)) => ad.to_string(),
                    (Some(n), None) => clean_text(n),
                    (None, None) => continue,
                };
                if f.to.len() < 200 && matches!(h.name, HeaderName::To) {
                    f.to.push(shown);
                }
            }
        }
    }
    f.subject = find(HeaderName::Subject)
        .and_then(text_of)
        .map(|s| clean_text(&s));
    f.date = match find(HeaderName::Date) {
        Some(HeaderValue::DateTime(d)) => Some(d.to_rfc3339()),
        Some(v) => text_of(v),
        None => None,
    };
    f.message_id = find(HeaderName::MessageId).and_then(text_of);
    f.in_reply_to = find(HeaderName::InReplyTo)
        .and_then(text_of)
        .filter(|s| !s.trim().is_empty());
    f.has_references = find(HeaderName::References)
        .is_some_and(|v| text_of(v).is_some_and(|s| !s.trim().is_empty()));

    for h in headers.iter().take(2000) {
        let name = h.name.as_str();
        let is_ar = name.eq_ignore_ascii_case("Authentication-Results");
        let is_spf = name.eq_ignore_ascii_case("Received-SPF");
        if !(is_ar || is_spf) {
            continue;
        }
        let start = h.offset_start as usize;
        let end = h.offset_end as usize;
        let Some(v) = raw.get(start..end) else {
            continue;
        };
        let v = unfold(&String::from_utf8_lossy(v));
        if is_ar && f.auth_results.len() < 20 {
            f.auth_results.push(v);
        } else if is_spf && f.received_spf.len() < 20 {
            f.received_spf.push(v);
        }
    }
    f
}

fn text_of(v: &HeaderValue<'_>) -> Option<String> {
    match v {
        HeaderValue::Text(t) => Some(t.to_string()),
        HeaderValue::TextList(l) => (!l.is_empty()).then(|| l.join(" ")),
        _ => None,
    }
}

/// Collapse whitespace and drop control characters from a decoded header value.
pub fn clean_text(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || (c.is_control()))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn unfold(s: &str) -> String {
    s.split(['\r', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Walk the MIME parts: bodies into `facts`, files into `attachments`.
fn walk<'a>(msg: &Message<'a>, raw: &'a [u8], p: &mut Parsed<'a>) {
    let n = msg.parts.len();
    if n > MAX_PARTS {
        p.limits.push(format!(
            "{n} MIME parts; only the first {MAX_PARTS} were inspected"
        ));
    }
    // Depth of each part, computed from the multipart tree (parents always come first).
    let mut depth = vec![0usize; n.min(MAX_PARTS)];
    let mut too_deep = 0usize;
    for (i, part) in msg.parts.iter().enumerate().take(MAX_PARTS) {
        if let PartType::Multipart(children) = &part.body {
            let d = depth.get(i).copied().unwrap_or(0).saturating_add(1);
            for &c in children.iter() {
                if let Some(slot) = depth.get_mut(c as usize) {
                    if (c as usize) > i {
                        *slot = d;
                    }
                }
            }
        }
    }
    let mut text_budget = MAX_BODY_TEXT;
    let mut text_cut = false;
    let mut made_up = 0usize;
    for (i, part) in msg.parts.iter().enumerate().take(MAX_PARTS) {
        if depth.get(i).copied().unwrap_or(0) > MAX_MIME_DEPTH {
            too_deep = too_deep.saturating_add(1);
            continue;
        }
        let id = u32::try_from(i).unwrap_or(u32::MAX);
        let in_text = msg.text_body.contains(&id);
        let in_html = msg.html_body.contains(&id);
        let mut name = part
            .attachment_name()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        if name
            .as_deref()
            .is_some_and(|n| n.contains(['\u{fffd}', '\u{1b}']))
        {
            // A raw Shift_JIS / ISO-2022-JP name: read this part's headers again, transcoded.
            let block = raw.get(part.offset_header as usize..part.offset_body as usize);
            if let Some(fixed) = block.and_then(fix_header_block) {
                if let Some(m) = MessageParser::default().parse_headers(&fixed) {
                    if let Some(n) = m.parts.first().and_then(|r| r.attachment_name()) {
                        name = Some(n.trim().to_string()).filter(|s| !s.is_empty());
                    }
                }
            }
        }
        let ctype = part
            .content_type()
            .map(|c| match c.subtype() {
                Some(s) => format!("{}/{}", c.ctype(), s).to_ascii_lowercase(),
                None => c.ctype().to_ascii_lowercase(),
            })
            .unwrap_or_else(|| "text/plain".into());

        if part.is_encoding_problem && !body_is_empty(part) {
            p.problems.push(format!(
                "part {} ({ctype}): transfer encoding could not be decoded",
                i.saturating_add(1)
            ));
        }
        // A body without a usable charset label (none, or us-ascii) that carries JIS escapes or
        // 8-bit bytes: guess among ISO-2022-JP, UTF-8, Shift_JIS and EUC-JP (strict decoding).
        let guessed: Option<String> = match &part.body {
            PartType::Text(t) | PartType::Html(t)
                if (in_text || in_html) && t.contains(['\u{fffd}', '\u{1b}']) =>
            {
                let cs = part
                    .content_type()
                    .and_then(|c| c.attribute("charset"))
                    .unwrap_or("");
                let unlabelled = cs.is_empty()
                    || [
                        "us-ascii",
                        "ascii",
                        "iso-8859-1",
                        "unknown-8bit",
                        "x-unknown",
                    ]
                    .iter()
                    .any(|a| cs.eq_ignore_ascii_case(a));
                if unlabelled {
                    guess_decode(&original_bytes(part, raw))
                } else {
                    None
                }
            }
            _ => None,
        };
        let body_text: Option<&str> = match (&guessed, &part.body) {
            (Some(g), _) => Some(g.as_str()),
            (None, PartType::Text(t) | PartType::Html(t)) => Some(t.as_ref()),
            _ => None,
        };
        // Undecodable characters matter in what the reader sees (bodies); text attachments
        // are handed on as their original bytes.
        if let (Some(t), true) = (body_text, in_text || in_html) {
            let bad = t.chars().filter(|&c| c == '\u{fffd}').count();
            if bad > 0 {
                let cs = part
                    .content_type()
                    .and_then(|c| c.attribute("charset"))
                    .unwrap_or("none");
                p.problems.push(format!(
                    "part {} ({ctype}, charset={cs}): {bad} characters could not be decoded",
                    i.saturating_add(1)
                ));
            }
        }

        match (&part.body, body_text) {
            (PartType::Multipart(_), _) => continue,
            (PartType::Text(_), Some(t)) if (in_text || in_html) => {
                keep_text(&mut p.facts.text_bodies, t, &mut text_budget, &mut text_cut);
            }
            (PartType::Html(_), Some(h)) if (in_text || in_html) => {
                if in_html || !p.facts.html_bodies.iter().any(|x| x == h) {
                    keep_text(&mut p.facts.html_bodies, h, &mut text_budget, &mut text_cut);
                }
                if in_text && !in_html {
                    keep_text(
                        &mut p.facts.text_bodies,
                        &html::to_text(h),
                        &mut text_budget,
                        &mut text_cut,
                    );
                }
            }
            _ => {}
        }
        let is_body =
            (in_text || in_html) && matches!(part.body, PartType::Text(_) | PartType::Html(_));
        let is_attachment = msg.attachments.contains(&id) || (name.is_some() && i > 0);
        if is_body && name.is_none() || !is_attachment {
            continue;
        }
        let bytes: Cow<'a, [u8]> = match &part.body {
            PartType::Message(m) => {
                if part.encoding == mail_parser::Encoding::None {
                    match raw.get(part.offset_body as usize..part.offset_end as usize) {
                        Some(b) => Cow::Borrowed(b),
                        None => {
                            p.problems.push(format!(
                                "part {} (message/rfc822): bounds outside the message",
                                i.saturating_add(1)
                            ));
                            continue;
                        }
                    }
                } else {
                    Cow::Owned(m.raw_message.to_vec())
                }
            }
            PartType::Text(_) | PartType::Html(_) => original_bytes(part, raw),
            PartType::Binary(b) | PartType::InlineBinary(b) => Cow::Owned(b.to_vec()),
            PartType::Multipart(_) => continue,
        };
        let (name, named) = match name {
            Some(n) => (n.chars().take(255).collect(), true),
            None => {
                made_up = made_up.saturating_add(1);
                (
                    format!("attachment-{made_up}.{}", made_up_ext(&ctype)),
                    false,
                )
            }
        };
        p.attachments.push(Attachment { name, named, bytes });
    }
    if too_deep > 0 {
        p.limits.push(format!(
            "{too_deep} MIME parts nested deeper than {MAX_MIME_DEPTH} levels were not inspected"
        ));
    }
    if text_cut {
        p.limits.push(format!(
            "body text over {} KiB; only the first {} KiB were scanned",
            MAX_BODY_TEXT / 1024,
            MAX_BODY_TEXT / 1024
        ));
    }
    p.facts.attachment_count = p.attachments.len();
}

/// Keep `t` within the text budget.
fn keep_text(into: &mut Vec<String>, t: &str, budget: &mut usize, cut: &mut bool) {
    if *budget == 0 {
        *cut = true;
        return;
    }
    if t.len() <= *budget {
        *budget = (*budget).saturating_sub(t.len());
        into.push(t.to_string());
        return;
    }
    let mut end = *budget;
    while end > 0 && !t.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    into.push(t.get(..end).unwrap_or("").to_string());
    *budget = 0;
    *cut = true;
}

/// A text part's bytes as they were sent (transfer decoding only, no charset conversion), so
/// its hash matches the file the recipient would save. Falls back to the decoded text.
fn original_bytes<'a>(part: &mail_parser::MessagePart<'a>, raw: &'a [u8]) -> Cow<'a, [u8]> {
    let body = raw.get(part.offset_body as usize..part.offset_end as usize);
    let decoded = match (part.encoding, body) {
        (mail_parser::Encoding::Base64, Some(b)) => mail_parser::decoders::base64::base64_decode(b),
        (mail_parser::Encoding::QuotedPrintable, Some(b)) => {
            mail_parser::decoders::quoted_printable::quoted_printable_decode(b)
        }
        (mail_parser::Encoding::None, Some(b)) => Some(b.to_vec()),
        _ => None,
    };
    match decoded {
        Some(d) => Cow::Owned(d),
        None => match &part.body {
            PartType::Text(t) | PartType::Html(t) => Cow::Owned(t.as_bytes().to_vec()),
            _ => Cow::Owned(Vec::new()),
        },
    }
}

/// Like `MessagePart::is_empty`, without mail-parser's `parts[0]` indexing for nested messages.
fn body_is_empty(part: &mail_parser::MessagePart<'_>) -> bool {
    match &part.body {
        PartType::Text(t) | PartType::Html(t) => t.is_empty(),
        PartType::Binary(b) | PartType::InlineBinary(b) => b.is_empty(),
        PartType::Message(m) => m.raw_message.is_empty(),
        PartType::Multipart(_) => true,
    }
}

/// Strict decoding of unlabelled Japanese text: ISO-2022-JP when it has escapes, else UTF-8,
/// Shift_JIS (CP932 per WHATWG), EUC-JP. `None` when none decodes without errors.
pub fn guess_decode(bytes: &[u8]) -> Option<String> {
    use encoding_rs::{EUC_JP, ISO_2022_JP, SHIFT_JIS};
    if bytes.contains(&0x1b) {
        if let Some(s) = ISO_2022_JP.decode_without_bom_handling_and_without_replacement(bytes) {
            return Some(s.into_owned());
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_string());
    }
    // Both may decode (EUC-JP kana read as Shift_JIS half-width katakana): prefer the reading
    // with fewer half-width katakana, Shift_JIS on a tie. Shift_JIS F0–F9 lead bytes decode to
    // the Private Use Area (user-defined characters): far more likely Latin-1 than real text.
    let odd = |s: &str| {
        s.chars()
            .filter(|c| {
                ('\u{ff61}'..='\u{ff9f}').contains(c) || ('\u{e000}'..='\u{f8ff}').contains(c)
            })
            .count()
    };
    let mut best: Option<(usize, String)> = None;
    for enc in [SHIFT_JIS, EUC_JP] {
        if let Some(s) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
            if s.chars().any(|c| ('\u{e000}'..='\u{f8ff}').contains(&c)) {
                continue;
            }
            let score = odd(&s);
            if best.as_ref().is_none_or(|(b, _)| score < *b) {
                best = Some((score, s.into_owned()));
            }
        }
    }
    best.map(|(_, s)| s)
}

/// A header block with raw JIS escapes or non-UTF-8 8-bit bytes, transcoded line by line to
/// UTF-8. `None` when the block needs no fixing (or cannot be fixed).
fn fix_header_block(block: &[u8]) -> Option<Vec<u8>> {
    let needs = block.contains(&0x1b) || std::str::from_utf8(block).is_err();
    if !needs {
        return None;
    }
    let mut out = Vec::with_capacity(block.len().saturating_mul(2));
    for line in block.split_inclusive(|&b| b == b'\n') {
        if line.is_ascii() && !line.contains(&0x1b) {
            out.extend_from_slice(line);
        } else {
            // Last resort for header text: windows-1252 (WHATWG's reading of Latin-1).
            let s = guess_decode(line).unwrap_or_else(|| {
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(line)
                    .0
                    .into_owned()
            });
            out.extend_from_slice(s.as_bytes());
        }
    }
    Some(out)
}

fn made_up_ext(ctype: &str) -> &'static str {
    match ctype {
        "message/rfc822" | "message/global" => "eml",
        "text/plain" => "txt",
        "text/html" => "html",
        "text/calendar" => "ics",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "application/pdf" => "pdf",
        _ => "bin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_japanese_encodings_strictly() {
        let (jis, _, _) = encoding_rs::ISO_2022_JP.encode("請求書");
        assert_eq!(guess_decode(&jis).as_deref(), Some("請求書"));
        let (sj, _, _) = encoding_rs::SHIFT_JIS.encode("髙橋①");
        assert_eq!(guess_decode(&sj).as_deref(), Some("髙橋①"));
        let (euc, _, _) = encoding_rs::EUC_JP.encode("お知らせ");
        assert_eq!(guess_decode(&euc).as_deref(), Some("お知らせ"));
        assert_eq!(guess_decode("日本".as_bytes()).as_deref(), Some("日本"));
        assert_eq!(guess_decode(b"Fr\xf6sche"), None);
    }

    #[test]
    fn latin1_header_names_fall_back_to_windows_1252() {
        let fixed = fix_header_block(b"Subject: Fr\xf6sche\r\n\r\n").unwrap();
        assert_eq!(
            String::from_utf8(fixed).unwrap(),
            "Subject: Fr\u{f6}sche\r\n\r\n"
        );
        assert!(fix_header_block(b"Subject: plain\r\n\r\n").is_none());
    }
}
