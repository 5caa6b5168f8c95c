//! RFC 5322 / MIME messages (`.eml`): parsing with mail-parser (RFC 5322, RFC 2045–2049,
//! RFC 2047 encoded words, RFC 2231 parameters), the `mail.*` checks, password candidates from
//! the body, and attachments handed back to the engine.
//!
//! Layout: [`parse`] turns bytes into [`parse::Facts`] and attachments; [`rules`] holds one
//! file per check; [`password`] extracts body passwords; [`html`] is the small tag scanner;
//! [`domain`] compares registrable domains.
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
        ctx.finding("mail.malformed", loc, "no RFC 5322 header block could be parsed");
        ctx.incomplete();
        return;
    };
    let facts = &parsed.facts;

    for problem in parsed.problems.iter().take(20) {
        ctx.finding("mail.malformed", loc, problem.as_str());
        ctx.incomplete();
    }
    for what in &parsed.limits {
        ctx.limit_hit(loc, what.as_str());
    }

    for hit in rules::run(facts, ctx.opts) {
        ctx.finding_tagged(hit.code, loc, hit.evidence, hit.tags);
    }

    // Passwords first, then attachments (the archive module tries ctx.passwords()).
    let candidates = rules::password_in_body::candidates(facts);
    for hit in rules::password_in_body::check(facts, &candidates) {
        ctx.finding_secret(hit.code, loc, hit.evidence, hit.secret.unwrap_or_default());
    }
    for c in &candidates {
        ctx.add_password(Password { value: c.value.clone(), label: c.label.clone(), from_body: true });
    }

    ctx.mail(summary(facts, &parsed.attachments, loc));

    let mut used: Vec<String> = Vec::new();
    for a in &parsed.attachments {
        // Two attachments with one name get distinct locations; the checks still see the name.
        let mut shown = a.name.clone();
        let mut n = 1;
        while used.contains(&shown) && n < 10_000 {
            n += 1;
            shown = format!("{} ({n})", a.name);
        }
        used.push(shown.clone());
        let child = loc.child(shown);
        ctx.analyze(&a.bytes, &a.name, &child, Via::MailAttachment);
        if !a.named {
            ctx.note(&child, "the attachment has no file name; Tenpu made one up");
        }
    }
}

fn summary(f: &parse::Facts, attachments: &[parse::Attachment<'_>], loc: &Location) -> MailSummary {
    let body = match f.text_bodies.first() {
        Some(t) => t.clone(),
        None => f.html_bodies.first().map(|h| html::to_text(h)).unwrap_or_default(),
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
        attachments: attachments.iter().map(|a| a.name.clone()).collect(),
        body_preview: clip(body.trim(), PREVIEW_CHARS),
    }
}
