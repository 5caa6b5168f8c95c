//! Outlook messages (`.msg`, [MS-OXMSG]): a Compound File ([MS-CFB], read with the project's
//! own reader [`crate::formats::office::ole::Cfb`]) holding MAPI properties ([MS-OXPROPS]).
//!
//! [`props`] reads the property storage; this module builds the neutral
//! [`crate::formats::mail::Message`] from it, so a `.msg` gets exactly the same `mail.*`
//! checks as the `.eml` of the same mail ([`crate::formats::mail::check_message`]), then hands
//! attachments back to the engine (after the body passwords were added).
//!
//! Properties used ([MS-OXPROPS] 2.x, tag = id + type):
//! - sender: PR_SENT_REPRESENTING_NAME 0x0042, PR_SENDER_NAME 0x0C1A; addresses
//!   PR_SENT_REPRESENTING_SMTP_ADDRESS 0x5D02, PR_SENDER_SMTP_ADDRESS 0x5D01,
//!   PR_SENT_REPRESENTING_EMAIL_ADDRESS 0x0065, PR_SENDER_EMAIL_ADDRESS 0x0C1F (an Exchange
//!   X.500 DN `/O=...` is not an Internet address: the SMTP forms and the transport headers'
//!   From: are used instead);
//! - PR_SUBJECT 0x0037, PR_TRANSPORT_MESSAGE_HEADERS 0x007D (RFC 5322 header block, parsed by
//!   mail-parser for From, Reply-To, In-Reply-To, References, Authentication-Results,
//!   Received-SPF, Message-ID, Date), PR_IN_REPLY_TO_ID 0x1042, PR_INTERNET_REFERENCES 0x1039,
//!   PR_INTERNET_MESSAGE_ID 0x1035, PR_REPLY_RECIPIENT_ENTRIES 0x004F (one-off entry IDs),
//!   PR_CLIENT_SUBMIT_TIME 0x0039, PR_MESSAGE_DELIVERY_TIME 0x0E06;
//! - bodies: PR_BODY 0x1000, PR_HTML 0x1013 (binary in PR_INTERNET_CPID, or Unicode),
//!   PR_RTF_COMPRESSED 0x1009 ([MS-OXRTFCP], [`lzfu`]) when there is no HTML body: its
//!   encapsulated HTML ([MS-OXRTFEX]) becomes the HTML body, its text the plain body if
//!   there is none;
//! - recipients: PR_DISPLAY_NAME 0x3001, PR_SMTP_ADDRESS 0x39FE, PR_EMAIL_ADDRESS 0x3003,
//!   PR_RECIPIENT_TYPE 0x0C15;
//! - attachments: PR_ATTACH_METHOD 0x3705 (1 by value, 2–4 by reference, 5 embedded message,
//!   6 OLE object, 7 web reference), PR_ATTACH_LONG_FILENAME 0x3707, PR_ATTACH_FILENAME
//!   0x3704, PR_DISPLAY_NAME 0x3001, PR_ATTACH_DATA_BIN / _OBJ 0x3701, PR_ATTACH_LONG_PATHNAME
//!   0x370D;
//! - code page for 8-bit strings: PR_MESSAGE_CODEPAGE 0x3FFD, else PR_INTERNET_CPID 0x3FDE.

pub mod lzfu;
pub mod props;

use crate::engine::{Ctx, Via};
use crate::formats::mail::{self, domain, html, parse};
use crate::formats::office::ole::{Cfb, EntryKind};
use crate::report::Location;
use props::{Props, PT_BINARY, PT_OBJECT};

/// Embedded messages nested deeper than this are not read (the engine's depth bound also applies).
pub const MAX_NESTED: usize = 8;
/// Attachments read per message.
pub const MAX_ATTACHMENTS: usize = 500;
/// Recipients read per message.
const MAX_RECIPIENTS: usize = 200;
/// Bytes of one short string property (names, addresses, subject).
const SHORT: usize = 64 << 10;
/// Bytes of the transport header block.
const HEADERS: usize = 1 << 20;
/// Bytes of compressed RTF read.
const MAX_RTF: usize = 8 << 20;

/// Is `bytes` an Outlook message (a Compound File with MAPI property streams or attachment
/// storages at its root)? Cheap: opens the CFB directory only.
pub fn is_message(bytes: &[u8]) -> bool {
    match Cfb::open(bytes) {
        Ok(cfb) => is_message_cfb(&cfb),
        Err(_) => false,
    }
}

/// The test [`crate::formats::office::analyze_ole`] uses to call [`analyze`].
pub fn is_message_cfb(cfb: &Cfb<'_>) -> bool {
    cfb.children(0).any(|e| {
        e.name().starts_with("__substg1.0_") || e.name().starts_with("__attach_version1.0_")
    })
}

/// An Outlook message at `loc` (the root storage of `cfb`).
pub fn analyze(ctx: &mut Ctx<'_>, cfb: &Cfb<'_>, loc: &Location) {
    message(ctx, cfb, 0, props::HEADER_TOP, loc, 0);
}

/// What one attachment storage carries.
enum Data {
    Bytes(Vec<u8>),
    /// An embedded message: its storage index.
    Message(usize),
    /// An OLE object storage (attach method 6).
    Ole(u64),
    /// By reference: the path or URL, not carried in the message.
    Reference(Option<String>),
    Missing,
}

struct Attachment {
    name: String,
    named: bool,
    data: Data,
}

/// Read one message storage, run the mail checks, then analyse its attachments.
fn message(
    ctx: &mut Ctx<'_>,
    cfb: &Cfb<'_>,
    storage: usize,
    header: usize,
    loc: &Location,
    level: usize,
) {
    let mut p = Props::open(cfb, storage, header);
    let mut limits: Vec<String> = Vec::new();
    let (m, attachments) = read_message(ctx, &mut p, &mut limits);

    let names: Vec<String> = attachments.iter().map(|a| a.name.clone()).collect();
    for problem in p.problems.iter().take(20) {
        ctx.finding("mail.malformed", loc, format!("Outlook message: {problem}"));
        ctx.incomplete();
    }
    for what in &limits {
        ctx.limit_hit(loc, what.as_str());
    }
    // Findings, body passwords and the summary BEFORE the attachments are analysed.
    mail::check_message(ctx, &m, &names, loc);

    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for a in attachments {
        let count = seen.entry(a.name.clone()).or_insert(0);
        *count = (*count).saturating_add(1);
        let shown = if *count == 1 {
            a.name.clone()
        } else {
            format!("{} ({count})", a.name)
        };
        let child = loc.child(shown);
        match a.data {
            Data::Bytes(b) => {
                ctx.analyze(&b, &a.name, &child, Via::MailAttachment);
                if !a.named {
                    ctx.note(&child, "the attachment has no file name; Tenpu made one up");
                }
            }
            Data::Message(idx) => {
                let size = cfb.subtree_size(idx);
                ctx.object_unread(
                    &child,
                    &a.name,
                    "mail",
                    size,
                    "embedded Outlook message (read in place inside the .msg)",
                );
                if child.depth() > ctx.opts.limits.max_depth || level.saturating_add(1) > MAX_NESTED
                {
                    ctx.limit_hit(
                        &child,
                        format!(
                            "embedded Outlook messages nested deeper than {} levels",
                            MAX_NESTED.min(ctx.opts.limits.max_depth)
                        ),
                    );
                    continue;
                }
                message(
                    ctx,
                    cfb,
                    idx,
                    props::HEADER_EMBEDDED,
                    &child,
                    level.saturating_add(1),
                );
            }
            Data::Ole(size) => {
                ctx.object_unread(
                    &child,
                    &a.name,
                    "ole",
                    size,
                    "OLE object attachment (attach method 6)",
                );
                ctx.not_inspected(
                    &child,
                    "OLE object attachment stored as a storage inside the .msg: its VBA macros were checked with the message, its other content was not inspected",
                );
            }
            Data::Reference(path) => {
                let what = match path {
                    Some(p) => format!(
                        "attachment by reference to {}: not carried in the message",
                        crate::engine::clip(&p, 200)
                    ),
                    None => "attachment by reference: not carried in the message".to_string(),
                };
                ctx.object_unread(&child, &a.name, "unknown", 0, what);
            }
            Data::Missing => {
                ctx.object_unread(&child, &a.name, "unknown", 0, "attachment without data");
            }
        }
    }
}

/// The message's code page for 8-bit strings.
fn code_page(p: &Props<'_, '_>) -> Option<u32> {
    p.int(0x3FFD).or_else(|| p.int(0x3FDE)).filter(|&c| c != 0)
}

/// An Internet address, not an Exchange DN (`/O=ORG/OU=.../CN=...`) or empty.
fn smtp_like(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().trim_matches(|c| c == '<' || c == '>').to_string())
        .filter(|s| s.contains('@') && !s.starts_with('/'))
}

fn strip_brackets(s: String) -> String {
    let t = s.trim();
    t.strip_prefix('<')
        .and_then(|x| x.strip_suffix('>'))
        .unwrap_or(t)
        .to_string()
}

fn read_message(
    ctx: &mut Ctx<'_>,
    p: &mut Props<'_, '_>,
    limits: &mut Vec<String>,
) -> (mail::Message, Vec<Attachment>) {
    let cp = code_page(p);
    let body_max = parse::MAX_BODY_TEXT;

    // Transport headers first: MAPI properties win where both exist (they are what Outlook shows).
    let mut m = p
        .string(0x007D, cp, HEADERS)
        .and_then(|h| parse::parse_header_block(h.as_bytes()))
        .unwrap_or_default();

    let s = |p: &mut Props<'_, '_>, id| p.string(id, cp, SHORT);
    if let Some(name) = s(p, 0x0042)
        .or_else(|| s(p, 0x0C1A))
        .map(|n| parse::clean_text(&n))
        .filter(|n| !n.is_empty())
    {
        m.from_name = Some(name);
    }
    let mapi_addr = smtp_like(s(p, 0x5D02))
        .or_else(|| smtp_like(s(p, 0x0065)))
        .or_else(|| smtp_like(s(p, 0x5D01)))
        .or_else(|| smtp_like(s(p, 0x0C1F)));
    if let Some(a) = mapi_addr {
        m.from_address = Some(a);
    }
    m.from_domain = m.from_address.as_deref().and_then(domain::of_address);
    if let Some(subj) = s(p, 0x0037) {
        m.subject = Some(parse::clean_text(&subj));
    }
    if let Some(irt) = s(p, 0x1042).map(strip_brackets).filter(|x| !x.is_empty()) {
        m.in_reply_to = Some(irt);
    }
    if s(p, 0x1039).is_some() {
        m.has_references = true;
    }
    if let Some(id) = s(p, 0x1035).map(strip_brackets).filter(|x| !x.is_empty()) {
        m.message_id = Some(id);
    }
    if m.reply_to.is_empty() {
        if let Some((b, _)) = p.bytes(0x004F, PT_BINARY, SHORT) {
            m.reply_to = props::one_off_addresses(&b, cp)
                .into_iter()
                .filter_map(|(_, _, a)| smtp_like(Some(a)))
                .take(50)
                .collect();
        }
    }
    if m.date.is_none() {
        m.date = p
            .time(0x0039)
            .or_else(|| p.time(0x0E06))
            .and_then(props::filetime_rfc3339);
    }

    // Bodies, within the same text budget as `.eml`.
    let mut budget = body_max;
    let mut cut = false;
    let mut oversize = false;
    let mut keep = |into: &mut Vec<String>, t: String, budget: &mut usize| {
        if *budget == 0 {
            cut = true;
            return;
        }
        let mut end = t.len().min(*budget);
        while end > 0 && !t.is_char_boundary(end) {
            end = end.saturating_sub(1);
        }
        if end < t.len() {
            cut = true;
        }
        *budget = (*budget).saturating_sub(end);
        into.push(t.get(..end).unwrap_or("").to_string());
    };
    // A body stream larger than what is read is a limit, as for `.eml`.
    let declared = |p: &Props<'_, '_>, id: u16, ty: u16| {
        p.entry(id, ty)
            .and_then(|i| p.cfb.entries.get(i))
            .map_or(0, |e| e.size)
    };
    if declared(p, 0x1000, props::PT_UNICODE) > body_max.saturating_mul(2) as u64
        || declared(p, 0x1000, props::PT_STRING8) > body_max as u64
        || declared(p, 0x1013, PT_BINARY) > body_max as u64
        || declared(p, 0x1013, props::PT_UNICODE) > body_max.saturating_mul(2) as u64
    {
        oversize = true;
    }
    let text = p.string(0x1000, cp, body_max.saturating_mul(2));
    let html_text = match p.bytes(0x1013, PT_BINARY, body_max) {
        Some((b, _)) => {
            let enc = p
                .int(0x3FDE)
                .and_then(props::encoding_for)
                .or_else(|| cp.and_then(props::ansi_encoding));
            Some(props::decode_with(&b, enc)).filter(|h| !h.trim().is_empty())
        }
        None => p.string(0x1013, cp, body_max.saturating_mul(2)),
    };
    // Outlook often keeps an HTML mail's HTML only inside the compressed RTF (encapsulated,
    // [MS-OXRTFEX]): read it when there is no PR_HTML, so the link checks see what the .eml
    // of the same mail would show.
    let mut rtf_html = None;
    let mut rtf_text = None;
    if html_text.is_none() {
        if let Some((rtf, _)) = p.bytes(0x1009, PT_BINARY, MAX_RTF) {
            let max = usize::try_from(
                ctx.opts
                    .limits
                    .max_entry_inflated
                    .min(ctx.inflate_remaining()),
            )
            .unwrap_or(usize::MAX)
            .min(64 << 20);
            match lzfu::decompress(&rtf, max) {
                Ok(raw) if ctx.charge_inflated(raw.len() as u64) => {
                    let (t, is_html) = lzfu::rtf_to_text(&raw, cp);
                    if is_html {
                        rtf_html = Some(t).filter(|t| !t.trim().is_empty());
                    } else if text.is_none() {
                        rtf_text = Some(t).filter(|t| !t.trim().is_empty());
                    }
                }
                Ok(_) => {
                    limits.push("compressed RTF body over the total size limit; not scanned".into())
                }
                Err(e) => p.problems.push(format!("compressed RTF body: {e}")),
            }
        }
    }
    let html_text = html_text.or(rtf_html);
    let text = text.or(rtf_text);
    let mut text_bodies = Vec::new();
    let mut html_bodies = Vec::new();
    if let Some(h) = &html_text {
        keep(&mut html_bodies, h.clone(), &mut budget);
    }
    match (text, &html_text) {
        (Some(t), _) => keep(&mut text_bodies, t, &mut budget),
        (None, Some(h)) => keep(&mut text_bodies, html::to_text(h), &mut budget),
        (None, None) => {}
    }
    if cut || oversize {
        limits.push(format!(
            "body text over {} KiB; only the first {} KiB were scanned",
            body_max / 1024,
            body_max / 1024
        ));
    }
    // An .msg has its own bodies: the transport header facts carry none.
    m.text_bodies = text_bodies;
    m.html_bodies = html_bodies;

    // Recipients.
    let recips = p.sub_storages("__recip_version1.0_");
    let mut to = Vec::new();
    for idx in recips.iter().take(MAX_RECIPIENTS) {
        let mut r = Props::open(p.cfb, *idx, props::HEADER_OBJECT);
        let name = r.string(0x3001, cp, SHORT).map(|n| parse::clean_text(&n));
        let addr = smtp_like(r.string(0x39FE, cp, SHORT))
            .or_else(|| smtp_like(r.string(0x3003, cp, SHORT)));
        let ty = r.int(0x0C15).unwrap_or(1);
        p.problems.append(&mut r.problems);
        if ty != 1 {
            continue;
        }
        let shown = match (name, addr) {
            (Some(n), Some(a)) if !n.is_empty() && n != a => format!("{n} <{a}>"),
            (_, Some(a)) => a,
            (Some(n), None) => n,
            (None, None) => continue,
        };
        to.push(shown);
    }
    if !to.is_empty() || m.to.is_empty() {
        m.to = to;
    }

    // Attachments.
    let atts = p.sub_storages("__attach_version1.0_");
    if atts.len() > MAX_ATTACHMENTS {
        limits.push(format!(
            "{} attachments; only the first {MAX_ATTACHMENTS} were inspected",
            atts.len()
        ));
    }
    let mut out = Vec::new();
    let mut made_up = 0usize;
    let listed = atts.len().min(MAX_ATTACHMENTS);
    for (n, idx) in atts.into_iter().take(MAX_ATTACHMENTS).enumerate() {
        // Attachments count against the check's entry budget (as archive entries do), so
        // nested messages cannot multiply the work.
        if !ctx.charge_entries(1) {
            limits.push(format!(
                "limit of {} entries in all reached; {} of this message's {listed} attachments were not inspected",
                ctx.opts.limits.max_entries,
                listed.saturating_sub(n)
            ));
            break;
        }
        let mut a = Props::open(p.cfb, idx, props::HEADER_OBJECT);
        let method = a.int(0x3705);
        let name = a
            .string(0x3707, cp, SHORT)
            .or_else(|| a.string(0x3704, cp, SHORT))
            .or_else(|| a.string(0x3001, cp, SHORT))
            .map(|n| {
                n.trim()
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(255)
                    .collect::<String>()
            })
            .filter(|n| !n.is_empty());
        let obj = a.entry(0x3701, PT_OBJECT).filter(|&i| {
            p.cfb
                .entries
                .get(i)
                .is_some_and(|e| e.kind == EntryKind::Storage)
        });
        let data = match (method, obj) {
            (Some(2..=4 | 7), _) => Data::Reference(
                a.string(0x370D, cp, SHORT)
                    .or_else(|| a.string(0x3708, cp, SHORT)),
            ),
            (Some(6), Some(i)) => Data::Ole(p.cfb.subtree_size(i)),
            (Some(5), Some(i)) => Data::Message(i),
            (None, Some(i))
                if p.cfb.child_ids(i).iter().any(|&c| {
                    p.cfb
                        .entries
                        .get(c)
                        .is_some_and(|e| e.name.eq_ignore_ascii_case("__properties_version1.0"))
                }) =>
            {
                Data::Message(i)
            }
            (None, Some(i)) => Data::Ole(p.cfb.subtree_size(i)),
            _ => {
                let cap = usize::try_from(ctx.opts.limits.max_entry_inflated).unwrap_or(usize::MAX);
                match a.bytes(0x3701, PT_BINARY, cap) {
                    Some((b, false)) => Data::Bytes(b),
                    Some((_, true)) => {
                        limits.push(format!(
                            "an attachment is larger than {} MiB; it was not inspected",
                            cap >> 20
                        ));
                        Data::Missing
                    }
                    None => Data::Missing,
                }
            }
        };
        p.problems.append(&mut a.problems);
        let (name, named) = match (name, &data) {
            (Some(n), _) => (n, true),
            (None, Data::Message(i)) => {
                let mut inner = Props::open(p.cfb, *i, props::HEADER_EMBEDDED);
                let inner_cp = code_page(&inner).or(cp);
                match inner
                    .string(0x0037, inner_cp, SHORT)
                    .map(|s| parse::clean_text(&s))
                    .filter(|s| !s.is_empty())
                {
                    Some(s) => (s.chars().take(255).collect(), true),
                    None => {
                        made_up = made_up.saturating_add(1);
                        (format!("attachment-{made_up}.msg"), false)
                    }
                }
            }
            (None, _) => {
                made_up = made_up.saturating_add(1);
                (format!("attachment-{made_up}.bin"), false)
            }
        };
        out.push(Attachment { name, named, data });
    }
    m.attachment_count = out.len();
    (m, out)
}
