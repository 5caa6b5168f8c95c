//! Outlook `.msg` ([MS-OXMSG]) through `tenpu::check`: every `.eml` fixture rebuilt as the
//! equivalent `.msg` gets the same `mail.*` findings (code and evidence) and the same verdict
//! (Unicode and CP932 strings; with and without transport headers); embedded messages; the
//! msgreader-js and MSGReader corpus files against their recorded expectations.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::msggen::{msg, msg_cp932, msg_tree, Att, MsgFields};
use mail_parser::{MessageParser, MimeHeaders, PartType};
use tenpu::{check, Options, Report, Verdict};

/// (code, evidence) of the `mail.*` findings, plus secrets of password findings.
fn mail_findings(r: &Report) -> BTreeSet<(String, String, Option<String>)> {
    r.findings
        .iter()
        .filter(|f| f.code.starts_with("mail."))
        .map(|f| (f.code.to_string(), f.evidence.clone(), f.secret.clone()))
        .collect()
}

/// The MAPI form of an `.eml` (what Outlook stores on receipt), plus its attachments.
fn eml_to_fields(eml: &[u8], with_headers: bool) -> (MsgFields, Vec<(String, Vec<u8>)>) {
    let m = MessageParser::default().parse(eml).unwrap();
    let header_end = eml.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 2;
    let mut f = MsgFields::default();
    if let Some(a) = m.from().and_then(|a| a.first()) {
        f.sender_name = a.name().map(str::to_string);
        f.sender_email = a.address().map(str::to_string);
        f.sender_smtp = a.address().map(str::to_string);
    }
    f.subject = m.subject().map(str::to_string);
    f.in_reply_to = m.in_reply_to().as_text().map(|s| format!("<{s}>"));
    f.references = m.references().as_text().map(|s| format!("<{s}>"));
    f.message_id = m.message_id().map(|s| format!("<{s}>"));
    if let Some(r) = m.reply_to() {
        f.reply_to = r
            .iter()
            .map(|a| {
                (
                    a.name().unwrap_or("").to_string(),
                    a.address().unwrap_or("").to_string(),
                )
            })
            .collect();
    }
    if let Some(t) = m.to() {
        f.to = t
            .iter()
            .map(|a| {
                (
                    a.name().unwrap_or("").to_string(),
                    a.address().unwrap_or("").to_string(),
                )
            })
            .collect();
    }
    if with_headers {
        f.transport_headers = Some(String::from_utf8(eml[..header_end].to_vec()).unwrap());
    }
    for id in m.text_body.iter().chain(m.html_body.iter()) {
        match &m.parts[*id as usize].body {
            PartType::Text(t) if f.body.is_none() => f.body = Some(t.to_string()),
            PartType::Html(h) if f.html.is_none() => f.html = Some(h.to_string()),
            _ => {}
        }
    }
    let atts = m
        .attachments()
        .map(|p| {
            (
                p.attachment_name().unwrap().to_string(),
                p.contents().to_vec(),
            )
        })
        .collect();
    (f, atts)
}

fn eml_fixtures() -> Vec<common::fixtures::Fixture> {
    common::fixtures::all()
        .into_iter()
        .filter(|f| f.file.ends_with(".eml"))
        .collect()
}

fn build(f: &MsgFields, atts: &[(String, Vec<u8>)], cp932: bool) -> Vec<u8> {
    let a: Vec<(&str, &[u8])> = atts
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    if cp932 {
        msg_cp932(f, &a)
    } else {
        msg(f, &a)
    }
}

#[test]
fn msg_gets_the_same_mail_checks_as_the_eml() {
    let mut compared = 0;
    for fx in eml_fixtures() {
        let eml_report = check(&fx.bytes, fx.file, &fx.options);
        let want = mail_findings(&eml_report);
        let (fields, atts) = eml_to_fields(&fx.bytes, true);
        let msg_name = fx.file.replace(".eml", ".msg");
        // CP932 cannot carry every character (U+202E in the hostile fixture): such mails have
        // no 8-bit form.
        let fits = |t: &str| !encoding_rs::SHIFT_JIS.encode(t).2;
        let texts = [
            &fields.subject,
            &fields.sender_name,
            &fields.body,
            &fields.html,
            &fields.transport_headers,
        ];
        let cp932_ok = texts.iter().all(|t| t.as_deref().is_none_or(fits))
            && atts.iter().all(|(n, _)| fits(n));
        for cp932 in [false, true] {
            if cp932 && !cp932_ok {
                continue;
            }
            let bytes = build(&fields, &atts, cp932);
            let r = check(&bytes, &msg_name, &fx.options);
            assert_eq!(
                mail_findings(&r),
                want,
                "{} (cp932: {cp932}): {:#?}",
                fx.name,
                r.findings
            );
            assert_eq!(
                r.verdict, eml_report.verdict,
                "{} (cp932: {cp932}): {:#?}",
                fx.name, r.findings
            );
            assert_eq!(r.mails.len(), eml_report.mails.len(), "{}", fx.name);
            let (a, b) = (&r.mails[0], &eml_report.mails[0]);
            assert_eq!(a.location.to_string(), "mail");
            assert_eq!(
                (&a.from_name, &a.from_address, &a.subject),
                (&b.from_name, &b.from_address, &b.subject),
                "{}",
                fx.name
            );
            assert_eq!(a.attachments, b.attachments, "{}", fx.name);
            assert_eq!(a.in_reply_to, b.in_reply_to, "{}", fx.name);
            // Attachments sit at the same locations with the same hashes.
            let objs = |r: &Report| -> BTreeSet<(String, String)> {
                r.objects
                    .iter()
                    .filter(|o| o.location.segments().len() > 1)
                    .map(|o| (o.location.to_string(), o.sha256.clone()))
                    .collect()
            };
            assert_eq!(objs(&r), objs(&eml_report), "{}", fx.name);
            compared += 1;
        }
    }
    println!("compared {compared} .msg reports with their .eml");
    assert!(compared >= 13, "{compared}");
}

#[test]
fn html_kept_only_in_compressed_rtf_gets_the_link_checks() {
    // Outlook often stores an HTML mail as PR_BODY plus the HTML encapsulated in
    // PR_RTF_COMPRESSED, without PR_HTML.
    let mut compared = 0;
    for fx in eml_fixtures() {
        let (mut fields, atts) = eml_to_fields(&fx.bytes, true);
        let Some(html) = fields.html.take() else {
            continue;
        };
        let eml_report = check(&fx.bytes, fx.file, &fx.options);
        fields.rtf = Some(common::msggen::rtf_encapsulate(&html));
        fields.body = Some(tenpu::formats::mail::html::to_text(&html));
        let r = check(&build(&fields, &atts, false), "x.msg", &fx.options);
        assert_eq!(
            mail_findings(&r),
            mail_findings(&eml_report),
            "{}: {:#?}",
            fx.name,
            r.findings
        );
        assert!(
            r.findings.iter().any(|f| f.code == "mail.link_mismatch"),
            "{}",
            fx.name
        );
        compared += 1;
    }
    assert!(compared >= 1);
}

#[test]
fn msg_without_transport_headers_uses_mapi_properties() {
    // A sent item or a crafted .msg: no transport headers. Everything but the
    // authentication results (which only headers carry) comes from MAPI properties.
    let mut compared = 0;
    for fx in eml_fixtures() {
        let eml_report = check(&fx.bytes, fx.file, &fx.options);
        let want: BTreeSet<_> = mail_findings(&eml_report)
            .into_iter()
            .filter(|(c, _, _)| c != "mail.auth_failed")
            .collect();
        let (fields, atts) = eml_to_fields(&fx.bytes, false);
        let r = check(&build(&fields, &atts, false), "x.msg", &fx.options);
        assert_eq!(mail_findings(&r), want, "{}: {:#?}", fx.name, r.findings);
        compared += 1;
    }
    assert!(compared >= 6);
}

#[test]
fn the_emotet_case_is_dangerous_as_msg() {
    let fx = eml_fixtures()
        .into_iter()
        .find(|f| f.name == "spoofed-zip-macro")
        .unwrap();
    let (fields, atts) = eml_to_fields(&fx.bytes, true);
    let r = check(
        &build(&fields, &atts, true),
        "会議資料.msg",
        &Options::default(),
    );
    assert_eq!(r.verdict, Verdict::Dangerous);
    for code in [
        "mail.display_name_spoof",
        "mail.fake_reply",
        "mail.password_in_body",
        "archive.opened_with_body_password",
        "office.vba_autoexec",
    ] {
        assert!(
            r.findings.iter().any(|f| f.code == code),
            "{code}: {:#?}",
            r.findings
        );
    }
    let clean = eml_fixtures()
        .into_iter()
        .find(|f| f.name == "clean-reply")
        .unwrap();
    let (fields, atts) = eml_to_fields(&clean.bytes, true);
    let r = check(&build(&fields, &atts, false), "clean.msg", &clean.options);
    assert_eq!(r.verdict, Verdict::NoFindings, "{:#?}", r.findings);
}

#[test]
fn exchange_addresses_fall_back_to_smtp_and_headers() {
    let x500 = "/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP (FYDIBOHF23SPDLT)/CN=RECIPIENTS/CN=TANAKA";
    let f = MsgFields {
        sender_name: Some("tanaka@partner.co.jp".into()),
        sender_email: Some(x500.into()),
        subject: Some("請求書".into()),
        body: Some("PW: abc12345\r\n".into()),
        transport_headers: Some("From: \"tanaka@partner.co.jp\" <x@evil.example>\r\nSubject: =?UTF-8?B?6KuL5rGC5pu4?=\r\n".into()),
        ..Default::default()
    };
    let r = check(
        &msg(
            &f,
            &[("a.zip", b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")],
        ),
        "x.msg",
        &Options::default(),
    );
    assert_eq!(r.mails[0].from_address.as_deref(), Some("x@evil.example"));
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "mail.display_name_spoof"),
        "{:#?}",
        r.findings
    );
    let pw = r
        .findings
        .iter()
        .find(|f| f.code == "mail.password_in_body")
        .unwrap();
    assert_eq!(pw.secret.as_deref(), Some("abc12345"));

    // The SMTP property wins over the DN when there are no headers.
    let f = MsgFields {
        sender_smtp: Some("x@evil.example".into()),
        transport_headers: None,
        ..f
    };
    let r = check(&msg(&f, &[]), "x.msg", &Options::default());
    assert_eq!(r.mails[0].from_address.as_deref(), Some("x@evil.example"));
    assert_eq!(r.mails[0].from_domain.as_deref(), Some("evil.example"));
}

#[test]
fn embedded_messages_are_checked_recursively() {
    let inner_inner = MsgFields {
        subject: Some("Re: 3".into()),
        sender_name: Some("c".into()),
        sender_smtp: Some("c@c.example".into()),
        ..Default::default()
    };
    let doc = common::olegen::vba_doc(&[(
        "Module1",
        "Sub AutoOpen()\r\nShell \"cmd /c calc\"\r\nEnd Sub\r\n",
    )]);
    let inner = MsgFields {
        subject: Some("転送: 請求書".into()),
        sender_name: Some("総務部 <soumu@partner.co.jp>".into()),
        sender_smtp: Some("attacker@evil.example".into()),
        body: Some("パスワード：Xk9-22\r\n".into()),
        code_page: Some(932),
        ..Default::default()
    };
    let outer = MsgFields {
        subject: Some("FYI".into()),
        sender_name: Some("a".into()),
        sender_smtp: Some("a@a.example".into()),
        ..Default::default()
    };
    let inner_atts = [
        Att::File("請求書.doc", &doc),
        Att::Msg("", &inner_inner, &[]),
    ];
    let bytes = msg_tree(&outer, &[Att::Msg("転送メール", &inner, &inner_atts)]);
    let r = check(&bytes, "outer.msg", &Options::default());
    let locs: Vec<String> = r.mails.iter().map(|m| m.location.to_string()).collect();
    assert_eq!(
        locs,
        ["mail", "mail > 転送メール", "mail > 転送メール > Re: 3"]
    );
    assert_eq!(r.mails[1].subject.as_deref(), Some("転送: 請求書"));
    let at = |code: &str| -> Vec<String> {
        r.findings
            .iter()
            .filter(|f| f.code == code)
            .map(|f| f.location.to_string())
            .collect()
    };
    assert_eq!(at("mail.display_name_spoof"), ["mail > 転送メール"]);
    assert_eq!(at("mail.password_in_body"), ["mail > 転送メール"]);
    assert_eq!(
        at("mail.fake_reply"),
        ["mail > 転送メール", "mail > 転送メール > Re: 3"]
    );
    assert!(
        at("office.vba_autoexec")
            .iter()
            .any(|l| l.starts_with("mail > 転送メール > 請求書.doc")),
        "{:#?}",
        r.findings
    );
    assert_eq!(r.verdict, Verdict::Dangerous);

    // Nesting past the engine's depth is a limit, not a crash.
    let mut o = Options::default();
    o.limits.max_depth = 1;
    let r = check(&bytes, "outer.msg", &o);
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "archive.limit_exceeded"),
        "{:#?}",
        r.findings
    );
    assert!(!r.complete);
}

#[test]
fn oversized_body_is_a_limit() {
    let n = tenpu::formats::mail::parse::MAX_BODY_TEXT + 10;
    let f = MsgFields {
        subject: Some("x".into()),
        body: Some("a".repeat(n)),
        ..Default::default()
    };
    let r = check(&msg(&f, &[]), "x.msg", &Options::default());
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "archive.limit_exceeded" && f.evidence.contains("body text")),
        "{:#?}",
        r.findings
    );
    assert!(!r.complete);
}

#[test]
fn attachments_count_against_the_entry_budget() {
    let f = MsgFields {
        subject: Some("x".into()),
        ..Default::default()
    };
    let files: Vec<(String, Vec<u8>)> = (0..30)
        .map(|i| (format!("f{i}.txt"), format!("file {i}").into_bytes()))
        .collect();
    let a: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let bytes = msg(&f, &a);
    let r = check(&bytes, "x.msg", &Options::default());
    assert!(r.complete);
    assert_eq!(r.objects.len(), 31);
    let mut o = Options::default();
    o.limits.max_entries = 10;
    let r = check(&bytes, "x.msg", &o);
    assert!(!r.complete);
    assert_eq!(r.objects.len(), 11);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "archive.limit_exceeded")
        .unwrap();
    assert!(
        f.evidence.contains("20 of this message's 30 attachments"),
        "{}",
        f.evidence
    );
}

#[test]
fn damaged_msg_does_not_panic_and_is_not_complete() {
    let f = MsgFields {
        subject: Some("x".into()),
        body: Some("PW: abc12345".into()),
        ..Default::default()
    };
    let good = msg(&f, &[("a.bin", &[7u8; 5000])]);
    let mut seen_incomplete = 0;
    for cut in [600, 1024, 1536, 2048, good.len() - 100] {
        let r = check(&good[..cut.min(good.len())], "x.msg", &Options::default());
        if !r.complete {
            seen_incomplete += 1;
        }
    }
    assert!(seen_incomplete >= 3);
    // Flipped bytes throughout: never a panic.
    for step in [97usize, 131, 257] {
        let mut b = good.clone();
        let mut i = 512;
        while i < b.len() {
            b[i] ^= 0x5A;
            i += step;
        }
        let _ = check(&b, "x.msg", &Options::default());
    }
}

// ---- corpus ----

fn corpus_msgs() -> Option<Vec<PathBuf>> {
    let Some(dir) = common::corpus_dir() else {
        println!("skipping: ../shared/corpus absent");
        return None;
    };
    let mut v = Vec::new();
    for sub in [
        "msgreader-js/test",
        "msgreader-js/data",
        "MSGReader/MsgReaderTests/SampleFiles",
    ] {
        if let Ok(rd) = std::fs::read_dir(dir.join(sub)) {
            for e in rd.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("msg")) {
                    v.push(p);
                }
            }
        }
    }
    v.sort();
    Some(v)
}

fn json(p: &Path) -> Option<serde_json::Value> {
    serde_json::from_slice(&std::fs::read(p).ok()?).ok()
}

/// msgreader-js decodes some 8-bit (CP932) strings as Latin-1 in its recorded output
/// (contactAnsi.json). Such an expectation is accepted when its Latin-1 bytes, read as
/// CP932, give our value.
fn same_text(ours: Option<&str>, want: &str) -> bool {
    if ours == Some(want) {
        return true;
    }
    if want.chars().all(|c| (c as u32) < 0x100) && !want.is_ascii() {
        let bytes: Vec<u8> = want.chars().map(|c| c as u32 as u8).collect();
        let (s, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
        return !bad && ours == Some(&*s);
    }
    false
}

/// Compare one message summary with a msgreader expectation; returns mismatches.
fn compare(
    name: &str,
    r: &Report,
    mail_loc: &str,
    exp: &serde_json::Value,
    out: &mut Vec<String>,
    checked: &mut usize,
) {
    let Some(m) = r.mails.iter().find(|m| m.location.to_string() == mail_loc) else {
        out.push(format!("{name}: no mail at {mail_loc}"));
        return;
    };
    let s = |k: &str| {
        exp.get(k)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
    };
    if let Some(subject) = s("subject") {
        *checked += 1;
        let want: String = subject.split_whitespace().collect::<Vec<_>>().join(" ");
        if !same_text(m.subject.as_deref(), &want) {
            out.push(format!(
                "{name} @ {mail_loc}: subject {:?} != {want:?}",
                m.subject
            ));
        }
    }
    if let Some(sender) = s("senderName") {
        *checked += 1;
        let want: String = sender.split_whitespace().collect::<Vec<_>>().join(" ");
        if !same_text(m.from_name.as_deref(), &want) {
            out.push(format!(
                "{name} @ {mail_loc}: sender {:?} != {want:?}",
                m.from_name
            ));
        }
    }
    if let Some(smtp) = s("senderSmtpAddress")
        .or(s("senderEmail"))
        .filter(|a| a.contains('@'))
    {
        *checked += 1;
        if !m
            .from_address
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(smtp))
        {
            out.push(format!(
                "{name} @ {mail_loc}: sender address {:?} != {smtp:?}",
                m.from_address
            ));
        }
    }
    if let Some(atts) = exp.get("attachments").and_then(|a| a.as_array()) {
        *checked += 1;
        let want: Vec<String> = atts
            .iter()
            .filter_map(|a| {
                let g = |k: &str| {
                    a.get(k)
                        .and_then(|v| v.as_str())
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                };
                if a.get("innerMsgContent").and_then(|v| v.as_bool()) == Some(true) {
                    g("name").map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
                } else {
                    g("fileName")
                        .or_else(|| g("fileNameShort"))
                        .or_else(|| g("name"))
                }
            })
            .collect();
        if m.attachments != want {
            out.push(format!(
                "{name} @ {mail_loc}: attachments {:?} != {want:?}",
                m.attachments
            ));
        }
    }
}

#[test]
fn corpus_msg_files_match_recorded_expectations() {
    let Some(files) = corpus_msgs() else { return };
    let mut mismatches = Vec::new();
    let mut checked = 0usize;
    let mut with_json = 0usize;
    let mut verdicts = std::collections::BTreeMap::new();
    for p in &files {
        let bytes = std::fs::read(p).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let r = std::panic::catch_unwind(|| check(&bytes, &name, &Options::default()));
        let Ok(r) = r else {
            mismatches.push(format!("{name}: panic"));
            continue;
        };
        *verdicts.entry(format!("{:?}", r.verdict)).or_insert(0usize) += 1;
        assert!(
            !r.findings
                .iter()
                .any(|f| f.code == "file.not_inspected" && f.location.depth() == 0),
            "{name}: {:#?}",
            r.findings
        );
        assert!(!r.mails.is_empty(), "{name}: no mail summary");
        let stem = p.with_extension("");
        let Some(exp) = json(&stem.with_extension("json")) else {
            continue;
        };
        with_json += 1;
        compare(&name, &r, "mail", &exp, &mut mismatches, &mut checked);
        // Embedded messages: `<stem>-attachments0.json`, `-attachments0-attachments0.json`.
        let mut loc = "mail".to_string();
        let mut cur = exp.clone();
        let mut suffix = String::new();
        for _ in 0..4 {
            suffix.push_str("-attachments0");
            let Some(inner) = json(&PathBuf::from(format!("{}{suffix}.json", stem.display())))
            else {
                break;
            };
            let first = cur
                .get("attachments")
                .and_then(|a| a.get(0))
                .and_then(|a| a.get("name"))
                .and_then(|v| v.as_str())
                .unwrap_or("");
            loc = format!(
                "{loc} > {}",
                first.split_whitespace().collect::<Vec<_>>().join(" ")
            );
            compare(&name, &r, &loc, &inner, &mut mismatches, &mut checked);
            cur = inner;
        }
    }
    println!("{} .msg files, {with_json} with expectations, {checked} fields compared, {} mismatches; verdicts {verdicts:?}", files.len(), mismatches.len());
    for m in &mismatches {
        println!("  {m}");
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

#[test]
fn corpus_cp932_and_msg_in_msg() {
    let Some(dir) = common::corpus_dir() else {
        println!("skipping: ../shared/corpus absent");
        return;
    };
    let t = dir.join("msgreader-js/test");
    let Ok(b) = std::fs::read(t.join("nonUnicodeCP932.msg")) else {
        return;
    };
    let r = check(&b, "nonUnicodeCP932.msg", &Options::default());
    assert_eq!(
        r.mails[0].subject.as_deref(),
        Some("日本語 Non Unicode タイトル")
    );
    assert!(
        r.mails[0].body_preview.contains("日本語 Non Unicode 本文"),
        "{:?}",
        r.mails[0].body_preview
    );
    let b = std::fs::read(t.join("msgInMsgInMsg.msg")).unwrap();
    let r = check(&b, "msgInMsgInMsg.msg", &Options::default());
    assert_eq!(
        r.mails.len(),
        3,
        "{:#?}",
        r.mails
            .iter()
            .map(|m| m.location.to_string())
            .collect::<Vec<_>>()
    );
}

#[test]
fn corpus_compressed_rtf_matches_expected() {
    use tenpu::formats::msg::{lzfu, props::Props};
    use tenpu::formats::office::ole::Cfb;
    let Some(dir) = common::corpus_dir() else {
        println!("skipping: ../shared/corpus absent");
        return;
    };
    let mut n = 0;
    // MSGReader's stream vectors (LZFu and uncompressed MELA) with the expected RTF.
    let rtf_dir = dir.join("MSGReader/MsgReaderTests/SampleFiles/rtf");
    for stem in ["LZFu", "MELA"] {
        let (Ok(bin), Ok(want)) = (
            std::fs::read(rtf_dir.join(format!("{stem}.bin"))),
            std::fs::read(rtf_dir.join(format!("{stem}.rtf"))),
        ) else {
            continue;
        };
        // LZFu.rtf has its line breaks as LF CR where the stream references the initial
        // dictionary's CR LF ([MS-OXRTFCP] 2.1.2.1), so line breaks are not compared.
        let strip = |b: &[u8]| -> Vec<u8> {
            b.iter()
                .copied()
                .filter(|c| !matches!(c, b'\r' | b'\n'))
                .collect()
        };
        let got = lzfu::decompress(&bin, 1 << 20).unwrap();
        assert_eq!(strip(&got), strip(&want), "{stem}");
        assert_eq!(got.len(), want.len(), "{stem}");
        n += 1;
    }
    // msgreader-js: `<name>.rtf` is the decompressed PR_RTF_COMPRESSED of `<name>.msg`.
    let t = dir.join("msgreader-js/test");
    for e in std::fs::read_dir(&t).into_iter().flatten().flatten() {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "rtf") {
            continue;
        }
        let Ok(bytes) = std::fs::read(p.with_extension("msg")) else {
            continue;
        };
        let want = std::fs::read(&p).unwrap();
        let cfb = Cfb::open(&bytes).unwrap();
        let mut props = Props::open(&cfb, 0, 32);
        let (comp, _) = props.bytes(0x1009, 0x0102, 1 << 24).unwrap();
        let got = lzfu::decompress(&comp, 1 << 24).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&got).trim_end_matches('\0'),
            String::from_utf8_lossy(&want).trim_end_matches('\0'),
            "{}",
            p.display()
        );
        n += 1;
    }
    println!("{n} compressed RTF streams matched their expected output");
    assert!(n >= 2);
}

#[test]
fn corpus_msg_files_mutated_never_panic() {
    let Some(files) = corpus_msgs() else { return };
    let mut runs = 0;
    for p in files.iter().step_by(6) {
        let good = std::fs::read(p).unwrap();
        for (k, step) in [251usize, 509, 1021].into_iter().enumerate() {
            let mut b = good.clone();
            let mut i = 512 + k * 7;
            while i < b.len() {
                b[i] = b[i].wrapping_add(0x41);
                i += step;
            }
            let cut = good.len() * (k + 1) / 4;
            for input in [&b[..], &good[..cut]] {
                let r = std::panic::catch_unwind(|| check(input, "m.msg", &Options::default()));
                assert!(r.is_ok(), "{} (step {step})", p.display());
                runs += 1;
            }
        }
    }
    println!("{runs} mutated corpus .msg inputs checked without a panic");
}
