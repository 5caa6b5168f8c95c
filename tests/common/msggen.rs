//! Outlook `.msg` builders ([MS-OXMSG]) with the `cfb` crate: property streams
//! `__substg1.0_IIIITTTT` (Unicode 001F, or 8-bit 001E in a code page such as CP932), the
//! `__properties_version1.0` stream (32-byte header for the message, 24 for an embedded
//! message, 8 for recipients and attachments), recipients, attachments by value and
//! embedded messages (`__substg1.0_3701000D`).

use std::io::{Cursor, Write};

use encoding_rs::Encoding;

/// The MAPI properties written. Strings are Unicode unless `code_page` is set: then every
/// string is written as 8-bit in that code page (932 = Shift_JIS/CP932) and
/// PR_MESSAGE_CODEPAGE / PR_INTERNET_CPID are set.
#[derive(Debug, Clone, Default)]
pub struct MsgFields {
    pub sender_name: Option<String>,
    /// PR_SENDER_EMAIL_ADDRESS / PR_SENT_REPRESENTING_EMAIL_ADDRESS (may be an X.500 DN).
    pub sender_email: Option<String>,
    /// PR_SENDER_SMTP_ADDRESS / PR_SENT_REPRESENTING_SMTP_ADDRESS.
    pub sender_smtp: Option<String>,
    pub subject: Option<String>,
    /// PR_TRANSPORT_MESSAGE_HEADERS.
    pub transport_headers: Option<String>,
    pub body: Option<String>,
    /// PR_HTML (binary, UTF-8 / the code page).
    pub html: Option<String>,
    pub in_reply_to: Option<String>,
    pub references: Option<String>,
    pub message_id: Option<String>,
    /// PR_REPLY_RECIPIENT_ENTRIES as one-off entry IDs: (display name, SMTP address).
    pub reply_to: Vec<(String, String)>,
    /// To recipients: (display name, SMTP address).
    pub to: Vec<(String, String)>,
    pub code_page: Option<u32>,
    /// PR_RTF_COMPRESSED, written uncompressed (MELA, [MS-OXRTFCP] 2.1.3.1).
    pub rtf: Option<String>,
}

/// One attachment: a file by value, or an embedded message with its own attachments.
pub enum Att<'a> {
    File(&'a str, &'a [u8]),
    Msg(&'a str, &'a MsgFields, &'a [Att<'a>]),
}

use super::olegen::Cfb;

/// A `.msg` with Unicode (or, with `fields.code_page`, 8-bit) strings and files by value.
pub fn msg(fields: &MsgFields, attachments: &[(&str, &[u8])]) -> Vec<u8> {
    let atts: Vec<Att> = attachments.iter().map(|(n, d)| Att::File(n, d)).collect();
    msg_tree(fields, &atts)
}

/// The same mail with every string as 8-bit CP932 (PR_MESSAGE_CODEPAGE 932).
pub fn msg_cp932(fields: &MsgFields, attachments: &[(&str, &[u8])]) -> Vec<u8> {
    let f = MsgFields {
        code_page: Some(932),
        ..fields.clone()
    };
    msg(&f, attachments)
}

/// A `.msg` with files and embedded messages.
pub fn msg_tree(fields: &MsgFields, attachments: &[Att]) -> Vec<u8> {
    let mut c: Cfb = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    write_message(&mut c, "", fields, attachments, true);
    super::olegen::finish(c)
}

fn put(c: &mut Cfb, path: &str, data: &[u8]) {
    c.create_stream(path).unwrap().write_all(data).unwrap();
}

fn encoding(cp: u32) -> &'static Encoding {
    match cp {
        932 => encoding_rs::SHIFT_JIS,
        65001 => encoding_rs::UTF_8,
        _ => encoding_rs::WINDOWS_1252,
    }
}

/// Write string property `id` under `dir`.
fn put_str(c: &mut Cfb, dir: &str, id: u16, s: &str, cp: Option<u32>) {
    match cp {
        None => {
            let b: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
            put(c, &format!("{dir}/__substg1.0_{id:04X}001F"), &b);
        }
        Some(cp) => {
            let (b, _, bad) = encoding(cp).encode(s);
            assert!(!bad, "not representable in code page {cp}: {s}");
            let mut b = b.into_owned();
            b.push(0);
            put(c, &format!("{dir}/__substg1.0_{id:04X}001E"), &b);
        }
    }
}

/// `__properties_version1.0`: header then 16-byte entries for the fixed-size properties.
fn put_props(c: &mut Cfb, dir: &str, header: Vec<u8>, ints: &[(u16, u32)]) {
    let mut b = header;
    for (id, v) in ints {
        b.extend((((*id as u32) << 16) | 0x0003).to_le_bytes());
        b.extend(6u32.to_le_bytes());
        b.extend(v.to_le_bytes());
        b.extend(0u32.to_le_bytes());
    }
    put(c, &format!("{dir}/__properties_version1.0"), &b);
}

/// A FlatEntryList of Unicode one-off entry IDs ([MS-OXCDATA] 2.3.3, 2.2.5.1).
pub fn one_off_list(entries: &[(String, String)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, addr) in entries {
        let mut e = vec![0u8; 4];
        e.extend([
            0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F,
            0x54, 0x02,
        ]);
        e.extend([0, 0, 0x00, 0x80]);
        for s in [name.as_str(), "SMTP", addr.as_str()] {
            e.extend(s.encode_utf16().chain([0]).flat_map(|u| u.to_le_bytes()));
        }
        body.extend((e.len() as u32).to_le_bytes());
        body.extend(&e);
        while body.len() % 4 != 0 {
            body.push(0);
        }
    }
    let mut b = (entries.len() as u32).to_le_bytes().to_vec();
    b.extend((body.len() as u32).to_le_bytes());
    b.extend(body);
    b
}

fn write_message(c: &mut Cfb, dir: &str, f: &MsgFields, atts: &[Att], top: bool) {
    let cp = f.code_page;
    let s = |c: &mut Cfb, id: u16, v: &Option<String>| {
        if let Some(v) = v {
            put_str(c, dir, id, v, cp);
        }
    };
    s(c, 0x0C1A, &f.sender_name);
    s(c, 0x0042, &f.sender_name);
    s(c, 0x0C1F, &f.sender_email);
    s(c, 0x0065, &f.sender_email);
    s(c, 0x5D01, &f.sender_smtp);
    s(c, 0x5D02, &f.sender_smtp);
    s(c, 0x0037, &f.subject);
    s(c, 0x007D, &f.transport_headers);
    s(c, 0x1000, &f.body);
    s(c, 0x1042, &f.in_reply_to);
    s(c, 0x1039, &f.references);
    s(c, 0x1035, &f.message_id);
    put_str(c, dir, 0x001A, "IPM.Note", cp);
    if let Some(h) = &f.html {
        let b = match cp {
            Some(cp) => encoding(cp).encode(h).0.into_owned(),
            None => h.as_bytes().to_vec(),
        };
        put(c, &format!("{dir}/__substg1.0_10130102"), &b);
    }
    if let Some(r) = &f.rtf {
        let mut b = ((r.len() + 12) as u32).to_le_bytes().to_vec();
        b.extend((r.len() as u32).to_le_bytes());
        b.extend(b"MELA");
        b.extend(0u32.to_le_bytes());
        b.extend(r.as_bytes());
        put(c, &format!("{dir}/__substg1.0_10090102"), &b);
    }
    if !f.reply_to.is_empty() {
        put(
            c,
            &format!("{dir}/__substg1.0_004F0102"),
            &one_off_list(&f.reply_to),
        );
        let names: Vec<&str> = f.reply_to.iter().map(|(n, _)| n.as_str()).collect();
        put_str(c, dir, 0x0050, &names.join(";"), cp);
    }
    for (i, (name, addr)) in f.to.iter().enumerate() {
        let r = format!("{dir}/__recip_version1.0_#{i:08X}");
        c.create_storage(&r).unwrap();
        put_str(c, &r, 0x3001, name, cp);
        put_str(c, &r, 0x3003, addr, cp);
        put_str(c, &r, 0x39FE, addr, cp);
        put_props(c, &r, vec![0; 8], &[(0x0C15, 1)]);
    }
    for (i, a) in atts.iter().enumerate() {
        let d = format!("{dir}/__attach_version1.0_#{i:08X}");
        c.create_storage(&d).unwrap();
        match a {
            Att::File(name, data) => {
                put_str(c, &d, 0x3707, name, cp);
                put_str(c, &d, 0x3001, name, cp);
                put(c, &format!("{d}/__substg1.0_37010102"), data);
                put_props(c, &d, vec![0; 8], &[(0x3705, 1)]);
            }
            Att::Msg(name, inner, inner_atts) => {
                put_str(c, &d, 0x3001, name, cp);
                let sub = format!("{d}/__substg1.0_3701000D");
                c.create_storage(&sub).unwrap();
                write_message(c, &sub, inner, inner_atts, false);
                put_props(c, &d, vec![0; 8], &[(0x3705, 5)]);
            }
        }
    }
    // [MS-OXMSG] 2.4.1.1 / 2.4.1.2: reserved, next recipient id, next attachment id,
    // recipient count, attachment count (+ 8 reserved bytes at the top level).
    let mut h = vec![0u8; 8];
    for v in [f.to.len(), atts.len(), f.to.len(), atts.len()] {
        h.extend((v as u32).to_le_bytes());
    }
    if top {
        h.extend([0u8; 8]);
    }
    let mut ints = Vec::new();
    if let Some(cp) = cp {
        ints.push((0x3FFD, cp));
        ints.push((0x3FDE, cp));
    }
    put_props(c, if dir.is_empty() { "" } else { dir }, h, &ints);
}

/// HTML encapsulated in RTF as Outlook does ([MS-OXRTFEX]): each tag in a
/// `{\*\htmltag0 ...}` group, text as RTF text (non-ASCII as `\uN?`).
pub fn rtf_encapsulate(html: &str) -> String {
    let mut out =
        String::from("{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0 Arial;}}\r\n");
    let esc = |s: &str, out: &mut String| {
        for ch in s.chars() {
            match ch {
                '\\' | '{' | '}' => {
                    out.push('\\');
                    out.push(ch);
                }
                '\r' => {}
                '\n' => out.push_str("\\par\r\n"),
                c if c.is_ascii() => out.push(c),
                c => {
                    let mut buf = [0u16; 2];
                    for u in c.encode_utf16(&mut buf) {
                        out.push_str(&format!("\\u{}?", *u as i16));
                    }
                }
            }
        }
    };
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(tag) = rest.strip_prefix('<') {
            let end = tag.find('>').map(|i| i + 2).unwrap_or(rest.len());
            out.push_str("{\\*\\htmltag0 ");
            esc(&rest[..end], &mut out);
            out.push('}');
            rest = &rest[end..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            esc(&rest[..end], &mut out);
            rest = &rest[end..];
        }
    }
    out.push('}');
    out
}
