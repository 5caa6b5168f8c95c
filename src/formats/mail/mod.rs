//! RFC 5322 / MIME messages (`.eml`): parsing with mail-parser (RFC 5322, RFC 2045–2049,
//! RFC 2047 encoded words, RFC 2231 parameters), the `mail.*` checks, password candidates from
//! the body, and attachments handed back to the engine.
//!
//! Layout: [`parse`] turns bytes into [`parse::Facts`] and attachments; [`rules`] holds one
//! file per check; [`password`] extracts body passwords; [`html`] is the small tag scanner;
//! [`domain`] compares registrable domains.
//!
//! The checks read one neutral [`Message`] (= [`parse::Facts`]); [`check_message`] runs them
//! and is shared with Outlook `.msg` (`crate::formats::msg`, which builds the `Message` from
//! MAPI properties), so both forms of a mail get exactly the same checks.
//!
//! Order matters: password candidates from the body are added to the check's password list
//! BEFORE the attachments are analysed, so an encrypted archive can be opened with them.

pub mod domain;
pub mod html;
pub mod parse;
pub mod password;
pub mod rules;

use crate::engine::{clip, Ctx, Password, Via};
use crate::report::{Location, MailSummary};

/// Characters of body text in [`MailSummary::body_preview`].
const PREVIEW_CHARS: usize = 4000;

pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let Some(parsed) = parse::parse(bytes) else {
        ctx.finding(
            "mail.malformed",
            loc,
            "no RFC 5322 header block could be parsed",
        );
        ctx.incomplete();
        return;
    };
    let facts = &parsed.facts;

    for problem in parsed.problems.iter().take(20) {
        ctx.finding("mail.malformed", loc, problem.as_str());
        ctx.incomplete();
    }
    if parsed.problems.len() > 20 {
        ctx.finding(
            "mail.malformed",
            loc,
            format!(
                "and {} more parts that could not be decoded",
                parsed.problems.len().saturating_sub(20)
            ),
        );
    }
    for what in &parsed.limits {
        ctx.limit_hit(loc, what.as_str());
    }

    let names: Vec<String> = parsed.attachments.iter().map(|a| a.name.clone()).collect();
    check_message(ctx, facts, &names, loc);

    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for a in &parsed.attachments {
        // Two attachments with one name get distinct locations (`a.zip`, `a.zip (2)`); the
        // checks still see the name as sent.
        let count = seen.entry(a.name.as_str()).or_insert(0);
        *count = (*count).saturating_add(1);
        let shown = if *count == 1 {
            a.name.clone()
        } else {
            format!("{} ({count})", a.name)
        };
        let child = loc.child(shown);
        ctx.analyze(&a.bytes, &a.name, &child, Via::MailAttachment);
        if !a.named {
            ctx.note(&child, "the attachment has no file name; Tenpu made one up");
        }
    }
}

/// The neutral form of one message that every `mail.*` check reads: built from mail-parser's
/// result for `.eml` ([`parse`]) and from MAPI properties for Outlook `.msg`
/// (`crate::formats::msg`), so both get exactly the same checks.
pub type Message = parse::Facts;

/// The mail checks for one message: the `mail.*` findings, the body password candidates (added
/// to the check's list) and the [`MailSummary`]. Callers hand attachments to `ctx.analyze`
/// only AFTER this, so an encrypted archive can be opened with the body's password.
/// `attachment_names` are the names as sent, in order (for the summary).
pub fn check_message(ctx: &mut Ctx<'_>, m: &Message, attachment_names: &[String], loc: &Location) {
    for hit in rules::run(m, ctx.opts) {
        ctx.finding_tagged(hit.code, loc, hit.evidence, hit.tags);
    }
    let candidates = rules::password_in_body::candidates(m);
    for hit in rules::password_in_body::check(m, &candidates) {
        ctx.finding_secret(hit.code, loc, hit.evidence, hit.secret.unwrap_or_default());
    }
    for c in &candidates {
        ctx.add_password(Password {
            value: c.value.clone(),
            label: c.label.clone(),
            from_body: true,
        });
    }
    ctx.mail(summary(m, attachment_names, loc));
}

fn summary(f: &Message, attachments: &[String], loc: &Location) -> MailSummary {
    let body = match f.text_bodies.first() {
        Some(t) => t.clone(),
        None => f
            .html_bodies
            .first()
            .map(|h| html::to_text(h))
            .unwrap_or_default(),
    };
    MailSummary {
        location: loc.clone(),
        from_name: f.from_name.clone(),
        from_address: f.from_address.clone(),
        from_domain: f.from_domain.clone(),
        reply_to: f.reply_to.first().cloned(),
        to: f.to.clone(),
        subject: f.subject.clone(),
        date: f.date.clone(),
        message_id: f.message_id.clone(),
        in_reply_to: f.in_reply_to.clone(),
        has_references: f.has_references,
        attachments: attachments.to_vec(),
        body_preview: clip(body.trim(), PREVIEW_CHARS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Options;

    fn run(bytes: &[u8]) -> (crate::report::Report, Vec<Password>) {
        let o = Options::default();
        let mut ctx = Ctx::new(&o);
        analyze(&mut ctx, bytes, &Location::root("mail"));
        let pw = ctx.passwords();
        (ctx.finish("x.eml"), pw)
    }

    #[test]
    fn unparseable_is_malformed_and_incomplete() {
        for bad in [&b""[..], b"\r\n\r\n", b"\x00\x01\x02"] {
            let (r, _) = run(bad);
            assert!(
                r.findings.iter().any(|f| f.code == "mail.malformed"),
                "{bad:?}: {:?}",
                r.findings
            );
            assert!(!r.complete);
        }
    }

    #[test]
    fn body_passwords_reach_the_check_and_are_masked() {
        let m = b"From: a@partner.co.jp\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nPW: k3y-1\r\n--b\r\nContent-Type: application/zip; name=a.zip\r\n\r\nPK\r\n--b--\r\n";
        let (r, pw) = run(m);
        assert_eq!(pw.len(), 1);
        assert_eq!(pw[0].value, "k3y-1");
        assert!(pw[0].from_body);
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "mail.password_in_body")
            .unwrap();
        assert_eq!(f.secret.as_deref(), Some("k3y-1"));
        assert!(!f.evidence.contains("k3y-1"));
    }

    #[test]
    fn attached_messages_inline_and_base64_are_cut_exactly() {
        let inner = "From: b@inner.example\r\nSubject: inner\r\n\r\ninner body\r\n";
        let inline = format!(
            "From: a@b.example\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
Content-Type: text/plain\r\n\r\nouter\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n{inner}--b--\r\n"
        );
        let (r, _) = run(inline.as_bytes());
        let o = r
            .objects
            .iter()
            .find(|o| o.location.to_string() == "mail > attachment-1.eml")
            .unwrap();
        assert_eq!(o.kind, "mail");
        assert!(
            o.size as usize <= inner.len() + 2 && o.size as usize >= inner.len() - 2,
            "{} vs {}",
            o.size,
            inner.len()
        );
        assert_eq!(r.mails.len(), 2);
        assert_eq!(r.mails[1].subject.as_deref(), Some("inner"));
        assert_eq!(r.mails[1].location.to_string(), "mail > attachment-1.eml");

        let b64 = "RnJvbTogYkBpbm5lci5leGFtcGxlDQpTdWJqZWN0OiBpbm5lcg0KDQppbm5lciBib2R5DQo=";
        let encoded = format!(
            "From: a@b.example\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
Content-Type: message/rfc822; name=fw.eml\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--b--\r\n"
        );
        let (r, _) = run(encoded.as_bytes());
        let o = r
            .objects
            .iter()
            .find(|o| o.location.to_string() == "mail > fw.eml")
            .unwrap();
        assert_eq!(o.size as usize, inner.len());
        assert_eq!(r.mails[1].subject.as_deref(), Some("inner"));
    }

    #[test]
    fn duplicate_names_get_distinct_locations() {
        let mut m =
            b"From: a@b.example\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                .to_vec();
        for _ in 0..3 {
            m.extend_from_slice(
                b"--b\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\n\r\nxyz\r\n",
            );
        }
        m.extend_from_slice(b"--b--\r\n");
        let (r, _) = run(&m);
        let locs: Vec<String> = r.objects.iter().map(|o| o.location.to_string()).collect();
        assert_eq!(
            locs,
            ["mail > a.bin", "mail > a.bin (2)", "mail > a.bin (3)"]
        );
        assert_eq!(r.mails[0].attachments, ["a.bin", "a.bin", "a.bin"]);
    }

    #[test]
    fn part_count_and_body_text_are_capped() {
        let mut m =
            b"From: a@b.example\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                .to_vec();
        for i in 0..(parse::MAX_PARTS + 5) {
            m.extend_from_slice(
                format!(
                    "--b\r\nContent-Type: application/octet-stream; name=\"f{i}.bin\"\r\n\r\nx\r\n"
                )
                .as_bytes(),
            );
        }
        m.extend_from_slice(b"--b--\r\n");
        let (r, _) = run(&m);
        assert!(r
            .findings
            .iter()
            .any(|f| f.code == "archive.limit_exceeded" && f.evidence.contains("MIME parts")));
        assert!(!r.complete);
        assert!(r.objects.len() < parse::MAX_PARTS);

        let mut m = b"From: a@b.example\r\nSubject: x\r\nContent-Type: text/plain\r\n\r\n".to_vec();
        m.resize(m.len() + parse::MAX_BODY_TEXT + 10, b'a');
        let (r, _) = run(&m);
        assert!(
            r.findings
                .iter()
                .any(|f| f.code == "archive.limit_exceeded" && f.evidence.contains("body text")),
            "{:?}",
            r.findings
        );
        assert!(r.mails[0].body_preview.chars().count() <= PREVIEW_CHARS + 1);
    }

    #[test]
    fn deep_mime_nesting_is_bounded() {
        let depth = parse::MAX_MIME_DEPTH + 10;
        let mut m = b"From: a@b.example\r\nSubject: x\r\n".to_vec();
        for d in 0..depth {
            m.extend_from_slice(
                format!("Content-Type: multipart/mixed; boundary=b{d}\r\n\r\n--b{d}\r\n")
                    .as_bytes(),
            );
        }
        m.extend_from_slice(b"Content-Type: application/octet-stream; name=deep.bin\r\n\r\nx\r\n");
        for d in (0..depth).rev() {
            m.extend_from_slice(format!("--b{d}--\r\n").as_bytes());
        }
        let (r, _) = run(&m);
        assert!(r.findings.iter().any(|f| f.code == "archive.limit_exceeded" && f.evidence.contains("nested deeper")), "{:?}", r.findings);
        assert!(!r.objects.iter().any(|o| o.name == "deep.bin"));
    }
}
