//! Mail fixture builders (see mod.rs): RFC 5322 messages in UTF-8, ISO-2022-JP and Shift_JIS,
//! with attachments, built in code.
//!
//! Headers are `(name, value)` pairs written as given, except that non-ASCII text is encoded:
//! in address headers (From, To, Cc, Reply-To, Sender) only the display name becomes an
//! RFC 2047 encoded word; in other headers the whole value does. `Date` is added when absent.
//! Attachments are base64, except a `.eml`, which is sent as is as `message/rfc822`
//! (its bytes must then be text). Names: RFC 2231 (`filename*=UTF-8''...`) plus an RFC 2047 `name=`
//! for UTF-8 mails; RFC 2047 encoded words in the mail's charset (the common Japanese mailer
//! practice) for ISO-2022-JP and Shift_JIS mails.

use encoding_rs::{Encoding, ISO_2022_JP, SHIFT_JIS, UTF_8};

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648 §4) without line breaks.
pub fn base64(data: &[u8]) -> String {
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        s.push(B64[(n >> 18) as usize & 63] as char);
        s.push(B64[(n >> 12) as usize & 63] as char);
        s.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        s.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    s
}

/// Base64 folded at 76 characters per line (RFC 2045 §6.8).
pub fn base64_lines(data: &[u8]) -> String {
    let b = base64(data);
    let mut out = String::with_capacity(b.len() + b.len() / 76 * 2 + 2);
    for (i, c) in b.chars().enumerate() {
        if i > 0 && i % 76 == 0 {
            out.push_str("\r\n");
        }
        out.push(c);
    }
    out.push_str("\r\n");
    out
}

fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = enc.encode(s);
    assert!(!unmappable, "text not representable in {}: {s}", enc.name());
    bytes.into_owned()
}

/// RFC 2047 encoded words (B encoding) for `s` in `enc`, a few characters per word, folded.
pub fn encoded_words(enc: &'static Encoding, s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let label = match enc.name() {
        "ISO-2022-JP" => "ISO-2022-JP",
        "Shift_JIS" => "Shift_JIS",
        _ => "UTF-8",
    };
    let chars: Vec<char> = s.chars().collect();
    chars
        .chunks(12)
        .map(|c| {
            let part: String = c.iter().collect();
            format!("=?{label}?B?{}?=", base64(&encode(enc, &part)))
        })
        .collect::<Vec<_>>()
        .join("\r\n ")
}

fn is_address_header(name: &str) -> bool {
    ["from", "to", "cc", "bcc", "reply-to", "sender"].contains(&name.to_ascii_lowercase().as_str())
}

fn header_value(enc: &'static Encoding, name: &str, value: &str) -> String {
    if value.is_ascii() {
        return value.to_string();
    }
    if !is_address_header(name) {
        return encoded_words(enc, value);
    }
    value
        .split(',')
        .map(|item| {
            let item = item.trim();
            match item.rfind('<') {
                Some(p) => {
                    let display = item[..p].trim().trim_matches('"');
                    format!("{} {}", encoded_words(enc, display), &item[p..])
                }
                None => item.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn percent(bytes: &[u8]) -> String {
    let mut s = String::new();
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn content_type_for(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    match lower.rsplit('.').next().unwrap_or("") {
        "eml" => "message/rfc822",
        "zip" => "application/zip",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "doc" => "application/msword",
        "xls" => "application/vnd.ms-excel",
        "docx" | "docm" | "xlsx" | "xlsm" => "application/octet-stream",
        _ => "application/octet-stream",
    }
}

/// How attachment names are written.
#[derive(Clone, Copy)]
enum NameStyle {
    Rfc2231Utf8,
    EncodedWord(&'static Encoding),
}

fn attachment_part(name: &str, data: &[u8], style: NameStyle) -> String {
    let ct = content_type_for(name);
    let (ct_name, disp) = if name.is_ascii() {
        (format!("name=\"{name}\""), format!("filename=\"{name}\""))
    } else {
        match style {
            NameStyle::Rfc2231Utf8 => (
                format!("name=\"{}\"", encoded_words(UTF_8, name)),
                format!("filename*=UTF-8''{}", percent(name.as_bytes())),
            ),
            NameStyle::EncodedWord(enc) => {
                let w = encoded_words(enc, name).replace("\r\n ", "");
                (format!("name=\"{w}\""), format!("filename=\"{w}\""))
            }
        }
    };
    if ct == "message/rfc822" {
        // RFC 2046 §5.2.1: message/rfc822 is sent as is (7bit/8bit), never base64.
        let mut inner = String::from_utf8_lossy(data).into_owned();
        if !inner.ends_with('\n') {
            inner.push_str("\r\n");
        }
        return format!("Content-Type: message/rfc822; {ct_name}\r\nContent-Disposition: attachment;\r\n {disp}\r\n\r\n{inner}");
    }
    let ct_line = if ct == "text/plain" {
        format!("{ct}; charset=UTF-8; {ct_name}")
    } else {
        format!("{ct}; {ct_name}")
    };
    format!(
        "Content-Type: {ct_line}\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n {disp}\r\n\r\n{}",
        base64_lines(data)
    )
}

/// Assemble a message. `body` is the already-encoded body part (headers + blank line + body).
fn assemble(
    enc: &'static Encoding,
    headers: &[(&str, &str)],
    body_part: Vec<u8>,
    attachments: &[(&str, &[u8])],
    style: NameStyle,
) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    for (n, v) in headers {
        out.extend_from_slice(format!("{n}: {}\r\n", header_value(enc, n, v)).as_bytes());
    }
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("date")) {
        out.extend_from_slice(b"Date: Mon, 23 Nov 2026 10:00:00 +0900\r\n");
    }
    out.extend_from_slice(b"MIME-Version: 1.0\r\n");
    if attachments.is_empty() {
        out.extend_from_slice(&body_part);
        return out;
    }
    let boundary = "----=_TenpuBoundary_0123456789";
    out.extend_from_slice(
        format!("Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n").as_bytes(),
    );
    out.extend_from_slice(b"This is a multi-part message in MIME format.\r\n");
    out.extend_from_slice(format!("\r\n--{boundary}\r\n").as_bytes());
    out.extend_from_slice(&body_part);
    for (name, data) in attachments {
        out.extend_from_slice(format!("\r\n--{boundary}\r\n").as_bytes());
        out.extend_from_slice(attachment_part(name, data, style).as_bytes());
    }
    out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    out
}

fn crlf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// A UTF-8 mail: text/plain body (base64), base64 attachments, RFC 2231 names.
pub fn eml(headers: &[(&str, &str)], text_body: &str, attachments: &[(&str, &[u8])]) -> Vec<u8> {
    let body = format!(
        "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}",
        base64_lines(crlf(text_body).as_bytes())
    );
    assemble(
        UTF_8,
        headers,
        body.into_bytes(),
        attachments,
        NameStyle::Rfc2231Utf8,
    )
}

/// An ISO-2022-JP mail (RFC 1468): encoded-word headers and names, 7bit body.
pub fn eml_iso2022jp(
    headers: &[(&str, &str)],
    text_body: &str,
    attachments: &[(&str, &[u8])],
) -> Vec<u8> {
    let mut body =
        b"Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
            .to_vec();
    body.extend_from_slice(&encode(ISO_2022_JP, &crlf(text_body)));
    body.extend_from_slice(b"\r\n");
    assemble(
        ISO_2022_JP,
        headers,
        body,
        attachments,
        NameStyle::EncodedWord(ISO_2022_JP),
    )
}

/// A Shift_JIS mail: encoded-word headers and names in Shift_JIS, 8bit body.
pub fn eml_sjis(
    headers: &[(&str, &str)],
    text_body: &str,
    attachments: &[(&str, &[u8])],
) -> Vec<u8> {
    let mut body =
        b"Content-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            .to_vec();
    body.extend_from_slice(&encode(SHIFT_JIS, &crlf(text_body)));
    body.extend_from_slice(b"\r\n");
    assemble(
        SHIFT_JIS,
        headers,
        body,
        attachments,
        NameStyle::EncodedWord(SHIFT_JIS),
    )
}

/// A UTF-8 mail with a text/html body only.
pub fn eml_html(headers: &[(&str, &str)], html_body: &str) -> Vec<u8> {
    let body = format!(
        "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}",
        base64_lines(crlf(html_body).as_bytes())
    );
    assemble(
        UTF_8,
        headers,
        body.into_bytes(),
        &[],
        NameStyle::Rfc2231Utf8,
    )
}

/// A minimal Windows PE (MZ header pointing at `PE\0\0`), enough for content detection.
pub fn tiny_pe() -> Vec<u8> {
    let mut v = vec![0u8; 0x100];
    v[0] = b'M';
    v[1] = b'Z';
    v[0x3C] = 0x80;
    v[0x80..0x84].copy_from_slice(b"PE\0\0");
    v
}
