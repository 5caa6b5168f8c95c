//! Encrypted OOXML ([MS-OFFCRYPTO] Standard and Agile) through `tenpu::check`: Excel's default
//! password, `Options.passwords`, passwords from the mail body, wrong and too many passwords,
//! damaged packages; corpus files with known passwords (oletools `*standardpassword*`:
//! VelvetSweatshop; strelka `test_password*.docx`: `Password1!` / `aaa`).
//!
//! `cargo test --release --test crypto -- --nocapture` prints what one password trial costs.

mod common;

use std::time::Instant;

use common::{fixtures, mailgen, olegen};
use tenpu::{Options, Report, Verdict};

const DECRYPTED: &str = "(decrypted)";
/// Fixture spinCount where only speed differs from Office's 100,000 (debug builds hash slowly).
const FAST_SPIN: u32 = 1000;

const AUTOOPEN: &str = "Attribute VB_Name = \"Module1\"\r\nSub AutoOpen()\r\n    Shell \"powershell -w hidden -c IEX\", vbHide\r\nEnd Sub\r\n";

fn with_passwords(p: &[&str]) -> Options {
    Options {
        passwords: p.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

fn codes_at(r: &Report, code: &str) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| f.location.to_string())
        .collect()
}

fn has(r: &Report, code: &str) -> bool {
    r.findings.iter().any(|f| f.code == code)
}

fn kind_at(r: &Report, loc: &str) -> Option<&'static str> {
    r.objects
        .iter()
        .find(|o| o.location.to_string() == loc)
        .map(|o| o.kind)
}

fn notes_at(r: &Report, loc: &str) -> Vec<String> {
    r.objects
        .iter()
        .filter(|o| o.location.to_string() == loc)
        .flat_map(|o| o.notes.clone())
        .collect()
}

fn encrypted_docm(password: &str, spin: u32) -> Vec<u8> {
    let pkg = fixtures::docm(&[("Module1", AUTOOPEN)], None);
    olegen::encrypt_ooxml_agile_spin(&pkg, password, spin)
}

fn mail_with(body: &str, name: &str, file: &[u8]) -> Vec<u8> {
    mailgen::eml(
        &[
            ("From", "\"経理部\" <keiri@partner.example.co.jp>"),
            ("To", "tanaka@example.co.jp"),
            ("Subject", "請求書の送付"),
            ("Date", "Mon, 23 Nov 2026 10:00:00 +0900"),
        ],
        body,
        &[(name, file)],
    )
}

// ---------------------------------------------------------------- built fixtures

#[test]
fn agile_opens_with_the_body_password() {
    let doc = encrypted_docm("Kx7#2026", FAST_SPIN);
    let eml = mail_with("お世話になっております。\n請求書を送付します。\nパスワード：Kx7#2026\nよろしくお願いします。", "請求書.docm", &doc);
    let r = tenpu::check(&eml, "mail.eml", &Options::default());
    let hits: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.code == "office.opened_with_body_password")
        .collect();
    assert_eq!(hits.len(), 1, "{:#?}", r.findings);
    assert_eq!(hits[0].location.to_string(), "mail > 請求書.docm");
    assert_eq!(hits[0].secret.as_deref(), Some("Kx7#2026"));
    assert!(
        hits[0].evidence.contains("パスワード"),
        "{}",
        hits[0].evidence
    );
    assert!(hits[0].evidence.contains("Agile"), "{}", hits[0].evidence);
    assert!(!has(&r, "office.encrypted"), "{:#?}", r.findings);
    let inner = format!("mail > 請求書.docm > {DECRYPTED}");
    assert_eq!(kind_at(&r, &inner), Some("ooxml"), "{:#?}", r.objects);
    assert!(
        codes_at(&r, "office.vba_macro").contains(&inner),
        "{:#?}",
        r.findings
    );
    assert_eq!(
        codes_at(&r, "office.vba_autoexec"),
        vec![format!("{inner} > Module1")]
    );
    assert_eq!(r.verdict, Verdict::Dangerous);
}

#[test]
fn agile_opens_with_the_user_password_and_says_so() {
    let doc = encrypted_docm("hunter2", FAST_SPIN);
    let r = tenpu::check(&doc, "a.docm", &with_passwords(&["nope", "hunter2"]));
    assert!(!has(&r, "office.encrypted"), "{:#?}", r.findings);
    assert!(!has(&r, "office.opened_with_body_password"));
    assert!(
        notes_at(&r, "a.docm")
            .iter()
            .any(|n| n.contains("--password")),
        "{:#?}",
        r.objects
    );
    assert_eq!(
        codes_at(&r, "office.vba_autoexec"),
        vec![format!("a.docm > {DECRYPTED} > Module1")]
    );
    assert!(r.complete, "{:#?}", r.findings);
}

#[test]
fn agile_with_excel_default_password_is_just_opened() {
    let doc = encrypted_docm("VelvetSweatshop", FAST_SPIN);
    let r = tenpu::check(&doc, "a.docm", &Options::default());
    assert!(!has(&r, "office.encrypted"), "{:#?}", r.findings);
    assert!(!has(&r, "office.opened_with_body_password"));
    assert!(
        notes_at(&r, "a.docm")
            .iter()
            .any(|n| n.contains("VelvetSweatshop")),
        "{:#?}",
        r.objects
    );
    assert_eq!(
        codes_at(&r, "office.vba_autoexec"),
        vec![format!("a.docm > {DECRYPTED} > Module1")]
    );
}

#[test]
fn standard_opens_with_the_body_password_and_not_without() {
    let pkg = fixtures::docm(&[("Module1", AUTOOPEN)], None);
    let doc = olegen::encrypt_ooxml_standard(&pkg, "Tokyo-0123");
    let eml = mail_with("添付の解凍パスワード：Tokyo-0123", "注文書.docm", &doc);
    let r = tenpu::check(&eml, "m.eml", &Options::default());
    let hit = r
        .findings
        .iter()
        .find(|f| f.code == "office.opened_with_body_password");
    let hit = hit.unwrap_or_else(|| panic!("{:#?}", r.findings));
    assert!(
        hit.evidence.contains("Standard encryption"),
        "{}",
        hit.evidence
    );
    assert_eq!(hit.secret.as_deref(), Some("Tokyo-0123"));
    assert_eq!(
        codes_at(&r, "office.vba_autoexec"),
        vec![format!("mail > 注文書.docm > {DECRYPTED} > Module1")]
    );
    // The decrypted package is byte for byte the original one.
    let inner = r
        .objects
        .iter()
        .find(|o| o.location.to_string() == format!("mail > 注文書.docm > {DECRYPTED}"))
        .unwrap();
    assert_eq!(inner.size, pkg.len() as u64);

    let r = tenpu::check(&doc, "注文書.docm", &Options::default());
    let enc: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.code == "office.encrypted")
        .collect();
    assert_eq!(enc.len(), 1, "{:#?}", r.findings);
    assert!(
        enc[0]
            .evidence
            .contains("EncryptedPackage, Standard encryption"),
        "{}",
        enc[0].evidence
    );
    assert!(!r.complete);

    // Excel's default password, Standard flavour (as the oletools *standardpassword* files).
    let doc = olegen::encrypt_ooxml_standard(&pkg, "VelvetSweatshop");
    let r = tenpu::check(&doc, "a.docm", &Options::default());
    assert!(!has(&r, "office.encrypted"), "{:#?}", r.findings);
    assert!(notes_at(&r, "a.docm")
        .iter()
        .any(|n| n.contains("VelvetSweatshop") && n.contains("Standard")));
}

#[test]
fn wrong_or_missing_password_stays_encrypted() {
    let doc = encrypted_docm("right", FAST_SPIN);
    for (opts, words) in [
        (Options::default(), "there were no password candidates"),
        (with_passwords(&["Right"]), "the 1 password candidate"),
        (
            with_passwords(&["wrong", "right "]),
            "any of 2 password candidates",
        ),
    ] {
        let r = tenpu::check(&doc, "a.docx", &opts);
        let enc: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.code == "office.encrypted")
            .collect();
        assert_eq!(enc.len(), 1, "{:#?}", r.findings);
        assert!(
            enc[0]
                .evidence
                .contains("EncryptedPackage, Agile encryption"),
            "{}",
            enc[0].evidence
        );
        assert!(enc[0].evidence.contains(words), "{}", enc[0].evidence);
        assert!(!r.complete);
        assert_ne!(r.verdict, Verdict::NoFindings);
        assert!(kind_at(&r, &format!("a.docx > {DECRYPTED}")).is_none());
    }
}

#[test]
fn candidates_are_capped() {
    // The right password is the 10th candidate: past the 8 tried besides VelvetSweatshop.
    let doc = encrypted_docm("p9", FAST_SPIN);
    let many: Vec<String> = (0..10).map(|i| format!("p{i}")).collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let r = tenpu::check(&doc, "a.docx", &with_passwords(&refs));
    assert!(has(&r, "office.encrypted"), "{:#?}", r.findings);
    let r = tenpu::check(&doc, "a.docx", &with_passwords(&refs[2..]));
    assert!(!has(&r, "office.encrypted"), "{:#?}", r.findings);
}

#[test]
fn damaged_packages_do_not_panic_and_are_reported() {
    let good = encrypted_docm("pw", FAST_SPIN);
    // Cut the file at many points, and flip bytes through it: never a panic, and never a
    // clean "no findings" for what is left of an encrypted document.
    for cut in (512..good.len()).step_by(good.len() / 40) {
        let r = tenpu::check(&good[..cut], "a.docx", &with_passwords(&["pw"]));
        assert!(
            !r.complete || r.verdict != Verdict::NoFindings,
            "cut at {cut}: {:#?}",
            r.findings
        );
    }
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..60 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut bad = good.clone();
        let i = (seed as usize) % bad.len();
        bad[i] ^= (seed >> 32) as u8 | 1;
        let _ = tenpu::check(&bad, "a.docx", &with_passwords(&["pw"]));
    }
    // A StreamSize far past the budget: a limit finding, nothing allocated from it.
    let pkg = fixtures::docm(&[("Module1", AUTOOPEN)], None);
    let doc = olegen::encrypt_ooxml_agile_spin(&pkg, "pw", FAST_SPIN);
    let pos = find_stream_size(&doc, pkg.len() as u64).expect("StreamSize in the fixture");
    let mut huge = doc.clone();
    huge[pos..pos + 8].copy_from_slice(&(u64::MAX / 2).to_le_bytes());
    let r = tenpu::check(&huge, "a.docx", &with_passwords(&["pw"]));
    assert!(has(&r, "archive.limit_exceeded"), "{:#?}", r.findings);
    assert!(!r.complete);
    // A StreamSize larger than the stream: decrypted as far as it goes, and said.
    let mut long = doc.clone();
    long[pos..pos + 8].copy_from_slice(&(pkg.len() as u64 + 100_000).to_le_bytes());
    let r = tenpu::check(&long, "a.docx", &with_passwords(&["pw"]));
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "office.malformed" && f.evidence.contains("StreamSize")),
        "{:#?}",
        r.findings
    );
    assert!(!r.complete);
}

/// Offset of the EncryptedPackage's StreamSize field (the u64 `size` at a sector start).
fn find_stream_size(file: &[u8], size: u64) -> Option<usize> {
    let needle = size.to_le_bytes();
    (0..file.len().saturating_sub(8))
        .step_by(64)
        .find(|&i| file[i..i + 8] == needle)
}

// ---------------------------------------------------------------- corpus

fn corpus_file(rel: &str) -> Option<Vec<u8>> {
    let Some(dir) = common::corpus_dir() else {
        println!("skipping: ../shared/corpus absent ({rel})");
        return None;
    };
    Some(std::fs::read(dir.join(rel)).unwrap())
}

#[test]
fn corpus_velvetsweatshop_autostart_decrypts_to_auto_open() {
    // oletools test_crypto.py: after decryption, Modul1 with "Sub Auto_Open()", AutoExec.
    for ext in ["xlsm", "xlsb"] {
        let name = format!("autostart-encrypt-standardpassword.{ext}");
        let Some(b) = corpus_file(&format!("oletools/test-data/encrypted/{name}")) else {
            return;
        };
        let r = tenpu::check(&b, &name, &Options::default());
        assert!(!has(&r, "office.encrypted"), "{name}: {:#?}", r.findings);
        assert!(notes_at(&r, &name)
            .iter()
            .any(|n| n.contains("VelvetSweatshop") && n.contains("Agile")));
        let module = format!("{name} > {DECRYPTED} > Modul1");
        let auto: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.code == "office.vba_autoexec")
            .collect();
        assert!(
            auto.iter()
                .any(|f| f.location.to_string() == module && f.evidence.contains("Auto_Open")),
            "{name}: {:#?}",
            r.findings
        );
        assert_eq!(kind_at(&r, &format!("{name} > {DECRYPTED}")), Some("ooxml"));
        assert_eq!(r.verdict, Verdict::Dangerous);
    }
}

#[test]
fn corpus_velvetsweatshop_dde_packages_are_analysed() {
    for ext in ["xlsx", "xlsm", "xlsb"] {
        let name = format!("dde-test-encrypt-standardpassword.{ext}");
        let Some(b) = corpus_file(&format!("oletools/test-data/encrypted/{name}")) else {
            return;
        };
        let r = tenpu::check(&b, &name, &Options::default());
        assert!(!has(&r, "office.encrypted"), "{name}: {:#?}", r.findings);
        assert_eq!(
            kind_at(&r, &format!("{name} > {DECRYPTED}")),
            Some("ooxml"),
            "{name}: {:#?}",
            r.objects
        );
    }
    // The .xls is BIFF8 RC4 (FILEPASS), not decrypted by this version.
    let Some(b) = corpus_file("oletools/test-data/encrypted/dde-test-encrypt-standardpassword.xls")
    else {
        return;
    };
    let r = tenpu::check(&b, "d.xls", &Options::default());
    assert!(has(&r, "office.encrypted"));
}

#[test]
fn corpus_unknown_passwords_stay_encrypted() {
    // msodde test_crypto: "passwords could not decrypt office file" for all of these.
    for ext in ["docx", "docm", "pptx", "pptm", "xlsx", "xlsm", "xlsb"] {
        let name = format!("encrypted.{ext}");
        let Some(b) = corpus_file(&format!("oletools/test-data/encrypted/{name}")) else {
            return;
        };
        let r = tenpu::check(&b, &name, &with_passwords(&["password", "infected"]));
        assert_eq!(
            codes_at(&r, "office.encrypted"),
            vec![name.clone()],
            "{:#?}",
            r.findings
        );
        assert!(!r.complete);
        assert!(kind_at(&r, &format!("{name} > {DECRYPTED}")).is_none());
    }
}

#[test]
fn corpus_strelka_passwords_open_with_options_and_body() {
    for (file, pw) in [
        ("test_password.docx", "Password1!"),
        ("test_password_brute.docx", "aaa"),
    ] {
        let Some(b) = corpus_file(&format!("strelka/fixtures/{file}")) else {
            return;
        };
        let r = tenpu::check(&b, file, &Options::default());
        assert!(
            has(&r, "office.encrypted"),
            "{file} without a password: {:#?}",
            r.findings
        );

        let r = tenpu::check(&b, file, &with_passwords(&["wrong", pw]));
        assert!(!has(&r, "office.encrypted"), "{file}: {:#?}", r.findings);
        assert_eq!(
            kind_at(&r, &format!("{file} > {DECRYPTED}")),
            Some("ooxml"),
            "{file}: {:#?}",
            r.objects
        );
        assert!(r.complete, "{file}: {:#?}", r.findings);

        let eml = mail_with(&format!("資料を添付します。\nパスワード：{pw}\n"), file, &b);
        let r = tenpu::check(&eml, "m.eml", &Options::default());
        let hit = r
            .findings
            .iter()
            .find(|f| f.code == "office.opened_with_body_password");
        let hit = hit.unwrap_or_else(|| panic!("{file}: {:#?}", r.findings));
        assert_eq!(hit.location.to_string(), format!("mail > {file}"));
        assert_eq!(hit.secret.as_deref(), Some(pw));
        assert_eq!(
            kind_at(&r, &format!("mail > {file} > {DECRYPTED}")),
            Some("ooxml")
        );
    }
}

// ---------------------------------------------------------------- cost

#[test]
fn trial_cost_is_printed() {
    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    // Agile, SHA-512, Office's spinCount: one trial (VelvetSweatshop, which fails) vs two.
    let doc = encrypted_docm("x", olegen::OFFICE_SPIN);
    let t = Instant::now();
    let r = tenpu::check(&doc, "a.docx", &Options::default());
    let one = t.elapsed();
    assert!(has(&r, "office.encrypted"));
    let t = Instant::now();
    let r = tenpu::check(&doc, "a.docx", &with_passwords(&["y", "x"]));
    let three = t.elapsed();
    assert!(!has(&r, "office.encrypted"));
    println!(
        "[{build}] Agile SHA-512 spinCount {}: 1 trial {:?}, 3 trials + decrypt {:?}",
        olegen::OFFICE_SPIN,
        one,
        three
    );
    // Standard (50,000 SHA-1 rounds), from the corpus: VelvetSweatshop fails, `aaa` opens it.
    if let Some(b) = corpus_file("strelka/fixtures/test_password_brute.docx") {
        let t = Instant::now();
        let r = tenpu::check(&b, "a.docx", &Options::default());
        let one = t.elapsed();
        assert!(has(&r, "office.encrypted"));
        let t = Instant::now();
        let r = tenpu::check(&b, "a.docx", &with_passwords(&["aaa"]));
        assert!(!has(&r, "office.encrypted"));
        println!("[{build}] Standard SHA-1 50,000 rounds: 1 trial {one:?}, 2 trials + decrypt + analysis {:?}", t.elapsed());
    }
}
