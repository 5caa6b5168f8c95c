//! Mail analysis through `tenpu::check`: decoding of ISO-2022-JP / Shift_JIS / RFC 2047 /
//! RFC 2231, every `mail.*` check on a positive and a clean case, attachments handed to the
//! engine, and the shared corpus (every .eml gets a report without panic).

mod common;

use common::mailgen::{eml, eml_html, eml_iso2022jp, eml_sjis, tiny_pe};
use tenpu::{check, Options, Report, Verdict};

fn opts() -> Options {
    Options::default()
}

fn org_opts() -> Options {
    Options {
        trusted_domains: vec!["med.or.jp".into()],
        org_names: vec!["日本医師会".into()],
        ..Options::default()
    }
}

fn codes_at<'a>(r: &'a Report, code: &str) -> Vec<&'a tenpu::Finding> {
    r.findings.iter().filter(|f| f.code == code).collect()
}

/// The single finding with `code`, asserting it sits at location `mail`.
fn one(r: &Report, code: &str) -> tenpu::Finding {
    let v = codes_at(r, code);
    assert_eq!(v.len(), 1, "expected one {code}, got {:#?}", r.findings);
    assert_eq!(v[0].location.to_string(), "mail", "{code} location");
    v[0].clone()
}

fn none(r: &Report, code: &str) {
    assert!(
        codes_at(r, code).is_empty(),
        "unexpected {code}: {:#?}",
        r.findings
    );
}

const PARTNER: &str = "\"田中 太郎\" <tanaka@partner.co.jp>";
const TO: &str = "山田 <yamada@med.or.jp>";

// ---- decoding ----

#[test]
fn iso2022jp_subject_name_and_body_decode() {
    let m = eml_iso2022jp(
        &[
            ("From", PARTNER),
            ("To", TO),
            ("Subject", "【至急】請求書の送付について"),
            ("Message-ID", "<a1@partner.co.jp>"),
        ],
        "山田様\nいつもお世話になっております。\n請求書を送付いたします。",
        &[],
    );
    let r = check(&m, "x.eml", &opts());
    let s = &r.mails[0];
    assert_eq!(s.subject.as_deref(), Some("【至急】請求書の送付について"));
    assert_eq!(s.from_name.as_deref(), Some("田中 太郎"));
    assert_eq!(s.from_address.as_deref(), Some("tanaka@partner.co.jp"));
    assert_eq!(s.from_domain.as_deref(), Some("partner.co.jp"));
    assert_eq!(s.message_id.as_deref(), Some("a1@partner.co.jp"));
    assert_eq!(s.to, ["山田 <yamada@med.or.jp>"]);
    assert!(
        s.body_preview.contains("請求書を送付いたします。"),
        "{}",
        s.body_preview
    );
    assert!(
        s.date
            .as_deref()
            .is_some_and(|d| d.starts_with("2026-11-23")),
        "{:?}",
        s.date
    );
    assert!(r.complete);
    assert_eq!(r.verdict, Verdict::NoFindings, "{:#?}", r.findings);
}

#[test]
fn shift_jis_with_cp932_extensions_decodes() {
    let m = eml_sjis(
        &[
            ("From", "\"髙橋 ㈱テスト\" <takahashi@partner.co.jp>"),
            ("To", TO),
            ("Subject", "①納品書 ～ ㈱テスト髙橋"),
        ],
        "髙橋です。\n①②③ ㈱ ～ ∥ －\n",
        &[],
    );
    let r = check(&m, "x.eml", &opts());
    let s = &r.mails[0];
    assert_eq!(s.subject.as_deref(), Some("①納品書 ～ ㈱テスト髙橋"));
    assert_eq!(s.from_name.as_deref(), Some("髙橋 ㈱テスト"));
    assert!(
        s.body_preview.contains("①②③ ㈱ ～ ∥ －"),
        "{}",
        s.body_preview
    );
    none(&r, "mail.malformed");
    assert!(r.complete);
}

#[test]
fn rfc2231_japanese_filename_decodes() {
    let m = eml(
        &[("From", PARTNER), ("To", TO), ("Subject", "資料")],
        "資料を添付します。",
        &[("会議資料 2026年度.txt", b"hello")],
    );
    let r = check(&m, "x.eml", &opts());
    assert_eq!(r.mails[0].attachments, ["会議資料 2026年度.txt"]);
    assert!(r
        .objects
        .iter()
        .any(|o| o.location.to_string() == "mail > 会議資料 2026年度.txt" && o.size == 5));
}

#[test]
fn encoded_word_filenames_decode_in_iso2022jp_and_sjis() {
    let m = eml_iso2022jp(
        &[("From", PARTNER), ("Subject", "請求書")],
        "添付します",
        &[("請求書_11月分.pdf", b"%PDF-1.4\n")],
    );
    let r = check(&m, "x.eml", &opts());
    assert_eq!(r.mails[0].attachments, ["請求書_11月分.pdf"]);
    let m = eml_sjis(
        &[("From", PARTNER), ("Subject", "請求書")],
        "添付します",
        &[("見積書①.pdf", b"%PDF-1.4\n")],
    );
    let r = check(&m, "x.eml", &opts());
    assert_eq!(r.mails[0].attachments, ["見積書①.pdf"]);
}

#[test]
fn raw_unencoded_japanese_headers_and_unlabelled_bodies_decode() {
    use encoding_rs::{ISO_2022_JP, SHIFT_JIS};
    // Old Japanese mailers: raw ISO-2022-JP subject, raw Shift_JIS display name and file name,
    // body without a charset label.
    let mut m = b"From: ".to_vec();
    m.extend_from_slice(&SHIFT_JIS.encode("田中 太郎").0);
    m.extend_from_slice(b" <tanaka@partner.co.jp>\r\nSubject: ");
    m.extend_from_slice(&ISO_2022_JP.encode("請求書の件").0);
    m.extend_from_slice(b"\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n");
    m.extend_from_slice(&ISO_2022_JP.encode("パスワード：abc123\r\n").0);
    m.extend_from_slice(b"--b\r\nContent-Type: application/octet-stream; name=\"");
    m.extend_from_slice(&SHIFT_JIS.encode("見積書.txt").0);
    m.extend_from_slice(b"\"\r\n\r\nabc\r\n--b--\r\n");
    let r = check(&m, "x.eml", &opts());
    let s = &r.mails[0];
    assert_eq!(s.subject.as_deref(), Some("請求書の件"));
    assert_eq!(s.from_name.as_deref(), Some("田中 太郎"));
    assert_eq!(s.attachments, ["見積書.txt"]);
    assert!(s.body_preview.contains("パスワード"), "{}", s.body_preview);
    assert_eq!(
        one(&r, "mail.password_in_body").secret.as_deref(),
        Some("abc123")
    );
    none(&r, "mail.malformed");

    // Unlabelled Shift_JIS body.
    let mut m = b"From: a@partner.co.jp\r\nSubject: x\r\n\r\n".to_vec();
    m.extend_from_slice(&SHIFT_JIS.encode("髙橋です ①").0);
    let r = check(&m, "x.eml", &opts());
    assert_eq!(r.mails[0].body_preview, "髙橋です ①");
    none(&r, "mail.malformed");
}

// ---- attachments ----

#[test]
fn exe_attachment_is_found_at_its_location() {
    let m = eml_iso2022jp(
        &[("From", PARTNER), ("Subject", "請求書")],
        "ご確認ください",
        &[("invoice.exe", &tiny_pe())],
    );
    let r = check(&m, "x.eml", &opts());
    let f: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.code == "file.executable")
        .collect();
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert_eq!(f[0].location.to_string(), "mail > invoice.exe");
    assert_eq!(r.verdict, Verdict::Dangerous);
}

#[test]
fn attached_message_is_analysed_recursively() {
    let inner = eml(
        &[("From", PARTNER), ("Subject", "inner")],
        "inner body",
        &[("run.exe", &tiny_pe())],
    );
    let m = eml(
        &[("From", PARTNER), ("Subject", "転送します")],
        "転送します",
        &[("forward.eml", &inner)],
    );
    let r = check(&m, "x.eml", &opts());
    assert!(
        r.findings.iter().any(|f| f.code == "file.executable"
            && f.location.to_string() == "mail > forward.eml > run.exe"),
        "{:#?}",
        r.findings
    );
    assert_eq!(r.mails.len(), 2);
    assert_eq!(r.mails[1].subject.as_deref(), Some("inner"));
}

#[test]
fn nameless_attachment_gets_a_made_up_name() {
    let m = b"From: a@partner.co.jp\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nTVpQAA==\r\n--b--\r\n";
    let r = check(m, "x.eml", &opts());
    assert_eq!(r.mails[0].attachments, ["attachment-1.bin"]);
    assert!(r
        .objects
        .iter()
        .any(|o| o.location.to_string() == "mail > attachment-1.bin"));
}

#[test]
fn undecodable_text_is_malformed_and_incomplete() {
    // Declared Shift_JIS but carrying bytes that are not Shift_JIS.
    let m = b"From: a@partner.co.jp\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: 8bit\r\n\r\nabc \x85\x40\xa0\xfd def\r\n";
    let r = check(m, "x.eml", &opts());
    let f = one(&r, "mail.malformed");
    assert!(
        f.evidence.contains("could not be decoded"),
        "{}",
        f.evidence
    );
    assert!(!r.complete);
}

// ---- checks: positive and clean ----

#[test]
fn display_name_spoof_iso2022jp() {
    let m = eml_iso2022jp(
        &[
            ("From", "\"田中 (partner.co.jp)\" <tanaka@evil.example>"),
            ("Subject", "資料"),
        ],
        "よろしく",
        &[],
    );
    let r = check(&m, "x.eml", &opts());
    let f = one(&r, "mail.display_name_spoof");
    assert!(
        f.evidence.contains("partner.co.jp") && f.evidence.contains("evil.example"),
        "{}",
        f.evidence
    );
    let m = eml_iso2022jp(
        &[
            (
                "From",
                "\"ｔａｎａｋａ＠ｐａｒｔｎｅｒ．ｃｏ．ｊｐ\" <x@evil.example>",
            ),
            ("Subject", "資料"),
        ],
        "よろしく",
        &[],
    );
    one(&check(&m, "x.eml", &opts()), "mail.display_name_spoof");
    let m = eml_iso2022jp(
        &[
            (
                "From",
                "\"田中 (partner.co.jp)\" <tanaka@mail.partner.co.jp>",
            ),
            ("Subject", "資料"),
        ],
        "よろしく",
        &[],
    );
    none(&check(&m, "x.eml", &opts()), "mail.display_name_spoof");
}

#[test]
fn display_name_spoof_sjis_ascii_address() {
    let m = eml_sjis(
        &[
            ("From", "\"tanaka@partner.co.jp\" <x@evil.example>"),
            ("Subject", "資料"),
        ],
        "よろしく",
        &[],
    );
    one(&check(&m, "x.eml", &opts()), "mail.display_name_spoof");
}

#[test]
fn org_impersonation_sjis() {
    let m = eml_sjis(
        &[
            ("From", "\"日本医師会 事務局\" <info@med-or-jp.example>"),
            ("Subject", "会費のお知らせ"),
        ],
        "お知らせ",
        &[],
    );
    let r = check(&m, "x.eml", &org_opts());
    let f = one(&r, "mail.org_impersonation");
    assert!(
        f.evidence.contains("日本医師会") && f.evidence.contains("med-or-jp.example"),
        "{}",
        f.evidence
    );
    // Subject in ISO-2022-JP with full-width name variant.
    let m = eml_iso2022jp(
        &[
            ("From", "事務局 <info@evil.example>"),
            ("Subject", "【日本医師会】会費"),
        ],
        "x",
        &[],
    );
    one(&check(&m, "x.eml", &org_opts()), "mail.org_impersonation");
    // Without configuration: no check.
    none(&check(&m, "x.eml", &opts()), "mail.org_impersonation");
}

#[test]
fn proper_reply_from_trusted_domain_has_no_findings() {
    let headers = [
        ("From", "\"日本医師会 事務局\" <jimu@mail.med.or.jp>"),
        ("To", TO),
        ("Subject", "Re: 会議資料の件"),
        ("Message-ID", "<r2@mail.med.or.jp>"),
        ("In-Reply-To", "<q1@med.or.jp>"),
        ("References", "<q1@med.or.jp>"),
        ("Reply-To", "jimu@med.or.jp"),
        ("Authentication-Results", "mx.med.or.jp; spf=pass smtp.mailfrom=mail.med.or.jp; dkim=pass header.d=med.or.jp; dmarc=pass header.from=mail.med.or.jp"),
    ];
    for m in [
        eml_iso2022jp(&headers, "承知しました。\n資料を確認します。", &[]),
        eml_sjis(&headers, "承知しました。", &[]),
    ] {
        let r = check(&m, "x.eml", &org_opts());
        assert!(r.findings.is_empty(), "{:#?}", r.findings);
        assert_eq!(r.verdict, Verdict::NoFindings);
        assert!(r.complete);
        assert_eq!(r.mails[0].in_reply_to.as_deref(), Some("q1@med.or.jp"));
        assert!(r.mails[0].has_references);
    }
}

#[test]
fn fake_reply_iso2022jp_and_sjis() {
    let m = eml_iso2022jp(
        &[("From", PARTNER), ("Subject", "Re: お見積りの件")],
        "ご確認ください",
        &[],
    );
    let f = one(&check(&m, "x.eml", &opts()), "mail.fake_reply");
    assert!(
        f.evidence.contains("\"Re:\"") && f.evidence.contains("In-Reply-To"),
        "{}",
        f.evidence
    );
    let m = eml_sjis(
        &[("From", PARTNER), ("Subject", "Ｒｅ：【転送】 お見積り")],
        "x",
        &[],
    );
    one(&check(&m, "x.eml", &opts()), "mail.fake_reply");
    let m = eml_sjis(
        &[
            ("From", PARTNER),
            ("Subject", "Ｒｅ：お見積り"),
            ("In-Reply-To", "<q@partner.co.jp>"),
        ],
        "x",
        &[],
    );
    none(&check(&m, "x.eml", &opts()), "mail.fake_reply");
}

#[test]
fn reply_to_mismatch() {
    let m = eml_iso2022jp(
        &[
            ("From", PARTNER),
            ("Reply-To", "tanaka.partner@gmail.com"),
            ("Subject", "振込先変更"),
        ],
        "x",
        &[],
    );
    let f = one(&check(&m, "x.eml", &opts()), "mail.reply_to_mismatch");
    assert!(
        f.evidence.contains("gmail.com") && f.evidence.contains("partner.co.jp"),
        "{}",
        f.evidence
    );
    let m = eml_iso2022jp(
        &[
            ("From", PARTNER),
            ("Reply-To", "sales@www.partner.co.jp"),
            ("Subject", "x"),
        ],
        "x",
        &[],
    );
    none(&check(&m, "x.eml", &opts()), "mail.reply_to_mismatch");
}

#[test]
fn auth_failed() {
    let m = eml_sjis(
        &[
            ("Authentication-Results", "mx.med.or.jp; spf=pass smtp.mailfrom=evil.example;\r\n\tdkim=none; dmarc=fail (p=REJECT) header.from=partner.co.jp"),
            ("From", PARTNER),
            ("Subject", "請求書"),
        ],
        "x",
        &[],
    );
    let f = one(&check(&m, "x.eml", &opts()), "mail.auth_failed");
    assert_eq!(f.evidence, "dmarc=fail (header.from=partner.co.jp)");
    let m = eml_sjis(
        &[
            (
                "Authentication-Results",
                "mx.med.or.jp; spf=none; dkim=neutral; dmarc=none",
            ),
            ("From", PARTNER),
            ("Subject", "x"),
        ],
        "x",
        &[],
    );
    none(&check(&m, "x.eml", &opts()), "mail.auth_failed");
}

#[test]
fn link_mismatch() {
    let m = eml_html(
        &[("From", PARTNER), ("Subject", "ログイン確認")],
        "<html><body><p>こちら: <a href=\"http://203.0.113.9/login\">https://www.partner.co.jp/login</a></p></body></html>",
    );
    let f = one(&check(&m, "x.eml", &opts()), "mail.link_mismatch");
    assert!(
        f.evidence.contains("www.partner.co.jp")
            && f.evidence.contains("203.0.113.9")
            && f.evidence.contains("IP address"),
        "{}",
        f.evidence
    );
    let m = eml_html(
        &[("From", PARTNER), ("Subject", "x")],
        "<a href=\"https://www.partner.co.jp/a\">https://partner.co.jp/</a>",
    );
    none(&check(&m, "x.eml", &opts()), "mail.link_mismatch");
}

#[test]
fn password_in_body_iso2022jp_and_sjis() {
    let body = "お世話になっております。\n添付ファイルの解凍パスワードは以下の通りです。\n\n  ｐａｓｓ１２３\n\nよろしくお願いします。";
    let m = eml_iso2022jp(
        &[("From", PARTNER), ("Subject", "資料")],
        body,
        &[("資料.txt", b"abc")],
    );
    let r = check(&m, "x.eml", &opts());
    let f = one(&r, "mail.password_in_body");
    assert_eq!(f.secret.as_deref(), Some("pass123"));
    assert!(!f.evidence.contains("pass123"), "{}", f.evidence);
    assert!(f.evidence.contains("解凍パスワード"), "{}", f.evidence);

    let body = "PW：Ｑｗ９８７\n暗証番号【4421】";
    let m = eml_sjis(
        &[("From", PARTNER), ("Subject", "資料")],
        body,
        &[("資料.txt", b"abc")],
    );
    let r = check(&m, "x.eml", &opts());
    let mut secrets: Vec<_> = codes_at(&r, "mail.password_in_body")
        .iter()
        .filter_map(|f| f.secret.clone())
        .collect();
    secrets.sort();
    assert_eq!(secrets, ["4421", "Qw987"]);

    let m = eml_sjis(
        &[("From", PARTNER), ("Subject", "資料")],
        "パスワードを忘れた場合はこちら",
        &[("資料.txt", b"abc")],
    );
    none(&check(&m, "x.eml", &opts()), "mail.password_in_body");
}

// ---- corpus ----

#[test]
fn corpus_eml_files_all_get_a_report() {
    let Some(dir) = common::corpus_dir() else {
        eprintln!("skipping: ../shared/corpus absent");
        return;
    };
    let mut files = Vec::new();
    for sub in ["mail-parser", "msgreader-js", "MSGReader", "strelka"] {
        collect_eml(&dir.join(sub), &mut files, 0);
    }
    if files.is_empty() {
        eprintln!("skipping: no .eml files under ../shared/corpus");
        return;
    }
    files.sort();
    let mut as_mail = 0;
    let mut with_findings = 0;
    for p in &files {
        let bytes = std::fs::read(p).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let r = check(&bytes, &name, &opts());
        if !r.mails.is_empty() {
            as_mail += 1;
        }
        if !r.findings.is_empty() {
            with_findings += 1;
        }
        serde_json::to_string(&r).unwrap();
    }
    eprintln!("corpus: {} .eml files checked via tenpu::check, {as_mail} sniffed and parsed as mail, {with_findings} with findings", files.len());
    assert!(
        as_mail * 10 >= files.len() * 8,
        "only {as_mail} of {} parsed as mail",
        files.len()
    );

    // The mail module on every file directly (whatever the sniffer says), and the attachment
    // names against mail-parser's ground truth (NNN.json) where there is one.
    let (mut summaries, mut compared, mut agree) = (0, 0, 0);
    for p in &files {
        let bytes = std::fs::read(p).unwrap();
        let o = opts();
        let mut ctx = tenpu::engine::Ctx::new(&o);
        tenpu::formats::mail::analyze(&mut ctx, &bytes, &tenpu::Location::root("mail"));
        let r = ctx.finish("x.eml");
        if let Some(m) = r.mails.first() {
            summaries += 1;
            if let Some(expected) = expected_attachment_names(&p.with_extension("json")) {
                compared += 1;
                let mut mine: Vec<String> = m
                    .attachments
                    .iter()
                    .filter(|a| !is_made_up(a))
                    .cloned()
                    .collect();
                mine.sort();
                if mine.len() == expected.len()
                    && mine.iter().zip(&expected).all(|(a, b)| same_name(a, b))
                {
                    agree += 1;
                } else {
                    eprintln!(
                        "attachment names differ for {}: mine {mine:?}, mail-parser {expected:?}",
                        p.display()
                    );
                }
            }
        }
    }
    eprintln!("corpus: mail module directly: {summaries}/{} with a summary; attachment names agree with mail-parser ground truth on {agree}/{compared}", files.len());
    assert!(
        compared == 0 || agree * 10 >= compared * 9,
        "attachment names agree on only {agree}/{compared}"
    );
}

/// Equal, where mail-parser's U+FFFD (a byte it could not decode) matches any one character
/// (we read such raw 8-bit names as Japanese encodings or windows-1252).
fn same_name(mine: &str, expected: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (mine.chars().collect(), expected.chars().collect());
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x == y || *y == '\u{fffd}')
}

fn is_made_up(name: &str) -> bool {
    name.strip_prefix("attachment-")
        .and_then(|r| r.split('.').next())
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Named attachments per mail-parser's expected JSON: for each id in `attachments`, the
/// Content-Disposition `filename` or Content-Type `name` of that part. Sorted.
fn expected_attachment_names(json: &std::path::Path) -> Option<Vec<String>> {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json).ok()?).ok()?;
    let parts = v.get("parts")?.as_array()?;
    let mut out = Vec::new();
    for id in v.get("attachments")?.as_array()? {
        let part = parts.get(id.as_u64()? as usize)?;
        let mut name = None;
        for want in [
            ("content_disposition", "filename"),
            ("content_type", "name"),
        ] {
            for h in part.get("headers")?.as_array()? {
                if h.get("name").and_then(|n| n.as_str()) != Some(want.0) || name.is_some() {
                    continue;
                }
                let attrs = h
                    .pointer("/value/ContentType/attributes")
                    .and_then(|a| a.as_array());
                for a in attrs.into_iter().flatten() {
                    if a.get("name").and_then(|n| n.as_str()) == Some(want.1) {
                        name = a
                            .get("value")
                            .and_then(|x| x.as_str())
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty());
                    }
                }
            }
        }
        if let Some(n) = name {
            out.push(n);
        }
    }
    out.sort();
    Some(out)
}

fn collect_eml(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>, depth: usize) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() && depth < 8 {
            collect_eml(&p, out, depth + 1);
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("eml")) {
            out.push(p);
        }
    }
}

// ---- robustness ----

/// Deterministic mutations (byte flips, truncations, duplicated spans) of generated mails:
/// every variant gets a report without panic.
#[test]
fn mutated_mails_never_panic() {
    let seeds = [
        eml_iso2022jp(
            &[
                ("From", PARTNER),
                ("Subject", "Re: 請求書"),
                ("Reply-To", "x@gmail.com"),
            ],
            "パスワード：abc123\n以上",
            &[("請求書.zip", b"PK\x03\x04xxxx"), ("a.exe", &tiny_pe())],
        ),
        eml_sjis(
            &[
                ("From", "\"田中 (partner.co.jp)\" <x@evil.example>"),
                ("Subject", "【転送】資料"),
            ],
            "PW\n「k9k9」",
            &[("資料①.txt", b"abc")],
        ),
        eml_html(
            &[("From", PARTNER), ("Subject", "x")],
            "<a href=\"http://1.2.3.4/\">https://www.partner.co.jp</a><script>x</script>",
        ),
        eml(
            &[("From", PARTNER), ("Subject", "x")],
            "body",
            &[(
                "inner.eml",
                &eml(
                    &[("From", PARTNER), ("Subject", "in")],
                    "b",
                    &[("z.bin", b"z")],
                ),
            )],
        ),
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut n = 0;
    for seed in &seeds {
        for _ in 0..150 {
            let mut m = seed.clone();
            match next() % 4 {
                0 => {
                    for _ in 0..(1 + next() % 8) {
                        let i = (next() as usize) % m.len();
                        m[i] = next() as u8;
                    }
                }
                1 => m.truncate((next() as usize) % m.len()),
                2 => {
                    let a = (next() as usize) % m.len();
                    let b = (a + (next() as usize) % 200).min(m.len());
                    let span = m[a..b].to_vec();
                    let at = (next() as usize) % m.len();
                    m.splice(at..at, span);
                }
                _ => {
                    let i = (next() as usize) % m.len();
                    m.insert(
                        i,
                        [b'\n', b'\r', b'-', b'=', b'\x1b', b'<', b'>', b'"']
                            [(next() % 8) as usize],
                    );
                }
            }
            let r = check(&m, "x.eml", &opts());
            serde_json::to_string(&r).unwrap();
            n += 1;
        }
    }
    eprintln!("mutated mails checked: {n}");
}
