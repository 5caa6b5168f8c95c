//! ZIP archives through `tenpu::check`: recursion, names, passwords, bombs and limits.

mod common;

use common::zipgen;
use tenpu::{Limits, Options, Report, Verdict};

fn check(z: &[u8], opts: &Options) -> Report {
    tenpu::check(z, "x.zip", opts)
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

fn with_passwords(p: &[&str]) -> Options {
    Options {
        passwords: p.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

/// Entries at depth 2 whose bytes were read (they have a SHA-256).
fn read_entries(r: &Report) -> Vec<String> {
    r.objects
        .iter()
        .filter(|o| o.location.depth() == 2 && !o.sha256.is_empty())
        .map(|o| o.location.to_string())
        .collect()
}

const TEXT: &[u8] = b"Meeting notes: nothing to see here, just plain text.\n";

#[test]
fn clean_zip_with_text_is_no_findings() {
    let r = check(
        &zipgen::plain(&[("notes.txt", TEXT), ("dir/", b""), ("dir/more.txt", TEXT)]),
        &Options::default(),
    );
    assert_eq!(r.verdict, Verdict::NoFindings, "{:#?}", r.findings);
    assert!(r.complete);
    assert_eq!(
        read_entries(&r),
        vec!["x.zip > notes.txt", "x.zip > dir/more.txt"]
    );
}

#[test]
fn exe_inside_is_dangerous() {
    let r = check(
        &zipgen::plain(&[("readme.txt", TEXT), ("a.exe", &zipgen::tiny_pe())]),
        &Options::default(),
    );
    assert_eq!(codes_at(&r, "file.executable"), vec!["x.zip > a.exe"]);
    assert_eq!(r.verdict, Verdict::Dangerous);
    let exe = r
        .objects
        .iter()
        .find(|o| o.location.to_string() == "x.zip > a.exe")
        .unwrap();
    assert_eq!(exe.kind, "pe");
}

#[test]
fn nested_zip_is_walked() {
    let inner = zipgen::plain(&[("a.exe", &zipgen::tiny_pe())]);
    let r = check(
        &zipgen::plain(&[("inner.zip", &inner)]),
        &Options::default(),
    );
    assert_eq!(
        codes_at(&r, "file.executable"),
        vec!["x.zip > inner.zip > a.exe"]
    );
    assert_eq!(r.verdict, Verdict::Dangerous);
}

#[test]
fn cp932_names_decode() {
    let z = zipgen::cp932_names(&[("会議資料.doc", TEXT), ("請求書/見積.txt", TEXT)]);
    // The raw bytes really are CP932, not UTF-8.
    assert!(!z
        .windows("会議資料".len())
        .any(|w| w == "会議資料".as_bytes()));
    let r = check(&z, &Options::default());
    let locs: Vec<String> = r.objects.iter().map(|o| o.location.to_string()).collect();
    assert!(
        locs.contains(&"x.zip > 会議資料.doc".to_string()),
        "{locs:?}"
    );
    assert!(
        locs.contains(&"x.zip > 請求書/見積.txt".to_string()),
        "{locs:?}"
    );
}

#[test]
fn zip_crypto_opens_with_password_option() {
    let z = zipgen::zip_crypto(
        &[("a.exe", &zipgen::tiny_pe()), ("b.txt", TEXT)],
        "infected",
    );
    let r = check(&z, &with_passwords(&["wrong", "infected"]));
    assert!(!has(&r, "archive.encrypted"), "{:#?}", r.findings);
    assert!(!has(&r, "archive.opened_with_body_password"));
    assert_eq!(read_entries(&r).len(), 2);
    assert_eq!(codes_at(&r, "file.executable"), vec!["x.zip > a.exe"]);
    let exe = r
        .objects
        .iter()
        .find(|o| o.location.to_string() == "x.zip > a.exe")
        .unwrap();
    assert_eq!(exe.kind, "pe", "content was decrypted");
    assert!(r.complete);
}

#[test]
fn aes_opens_with_password_option() {
    let z = zipgen::aes256(&[("doc.txt", TEXT)], "パスワード123");
    let r = check(&z, &with_passwords(&["パスワード123"]));
    assert!(!has(&r, "archive.encrypted"), "{:#?}", r.findings);
    assert_eq!(read_entries(&r), vec!["x.zip > doc.txt"]);
    assert!(r.complete);
    assert_eq!(r.verdict, Verdict::NoFindings);
}

#[test]
fn wrong_passwords_leave_it_encrypted() {
    for z in [
        zipgen::zip_crypto(&[("doc.txt", TEXT)], "right"),
        zipgen::aes256(&[("doc.txt", TEXT)], "right"),
    ] {
        for opts in [
            Options::default(),
            with_passwords(&["wrong", "Right", "right "]),
        ] {
            let r = check(&z, &opts);
            assert_eq!(
                codes_at(&r, "archive.encrypted"),
                vec!["x.zip"],
                "{:#?}",
                r.findings
            );
            assert!(!r.complete);
            assert_ne!(r.verdict, Verdict::NoFindings);
            assert!(read_entries(&r).is_empty());
            // The entry is still listed, unread.
            assert!(r
                .objects
                .iter()
                .any(|o| o.location.to_string() == "x.zip > doc.txt" && o.sha256.is_empty()));
        }
    }
}

#[test]
fn encrypted_exe_is_flagged_by_name() {
    let z = zipgen::zip_crypto(&[("請求書.pdf.exe", &zipgen::tiny_pe())], "right");
    let r = check(&z, &Options::default());
    assert!(has(&r, "archive.encrypted"));
    assert_eq!(
        codes_at(&r, "file.executable"),
        vec!["x.zip > 請求書.pdf.exe"]
    );
    assert_eq!(r.verdict, Verdict::Dangerous);
}

/// A wrong ZipCrypto password passes the one-byte header check about once in 256 tries. Find
/// one for this archive and make sure it is rejected. For a stored entry only the CRC-32 can
/// reject it (the garbage "decompresses" fine); for a deflated one the inflater usually fails.
#[test]
fn zip_crypto_one_byte_check_is_not_enough() {
    let content: Vec<u8> = (0..4000u32)
        .flat_map(|i| format!("line {i} of the document\n").into_bytes())
        .collect();
    for z in [
        zipgen::zip_crypto_stored(&[("doc.txt", &content)], "correct horse"),
        zipgen::zip_crypto(&[("doc.txt", &content)], "correct horse"),
    ] {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(z.clone())).unwrap();
        let mut false_pass = None;
        for i in 0..20_000 {
            let pw = format!("guess{i}");
            if archive.by_index_decrypt(0, pw.as_bytes()).is_ok() {
                false_pass = Some(pw);
                break;
            }
        }
        let pw = false_pass.expect("no password passing the 1-byte check found in 20000 tries");
        let r = check(&z, &with_passwords(&[&pw]));
        assert!(
            has(&r, "archive.encrypted"),
            "{pw} passed the header check and was accepted: {:#?}",
            r.findings
        );
        assert!(read_entries(&r).is_empty());
        assert!(!r.complete);
        // The right one still works afterwards.
        let r = check(&z, &with_passwords(&[&pw, "correct horse"]));
        assert!(!has(&r, "archive.encrypted"));
        assert_eq!(read_entries(&r), vec!["x.zip > doc.txt"]);
    }
}

/// AES: the right password passes the 2-byte verifier, but tampered ciphertext fails the
/// HMAC-SHA1 authentication code, so nothing is accepted.
#[test]
fn aes_authentication_code_is_checked() {
    let content: Vec<u8> = (0..2000u32)
        .flat_map(|i| format!("row {i}\n").into_bytes())
        .collect();
    let mut z = zipgen::aes256(&[("doc.txt", &content)], "pw");
    let data = zipgen::data_range(&z, 0);
    // Salt (16) + verifier (2) first, authentication code (10) last: flip a ciphertext byte.
    let mid = data.start + 18 + (data.len() - 28) / 2;
    z[mid] ^= 0x01;
    let r = check(&z, &with_passwords(&["pw"]));
    assert!(
        read_entries(&r).is_empty(),
        "tampered AES entry was accepted: {:#?}",
        r.objects
    );
    assert!(
        has(&r, "archive.encrypted") || has(&r, "archive.malformed"),
        "{:#?}",
        r.findings
    );
    assert!(!r.complete);
}

#[test]
fn overlapping_entries_are_a_limit() {
    let r = check(&zipgen::overlapping(), &Options::default());
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "archive.limit_exceeded")
        .expect("no limit finding");
    assert!(
        f.evidence.contains("overlapping entries (zip bomb)"),
        "{}",
        f.evidence
    );
    assert_eq!(f.location.to_string(), "x.zip");
    assert!(read_entries(&r).is_empty());
    assert!(!r.complete);
    // The same entries without the overlap are read.
    let r = check(
        &zipgen::plain(&[("a.txt", &[b'A'; 10_000]), ("b.txt", &[b'A'; 10_000])]),
        &Options::default(),
    );
    assert!(!has(&r, "archive.limit_exceeded"));
}

#[test]
fn declared_ratio_bomb_is_not_inflated() {
    let r = check(&zipgen::declared_bomb(4_000_000_000), &Options::default());
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "archive.limit_exceeded")
        .expect("no limit finding");
    assert_eq!(f.location.to_string(), "x.zip > bomb.bin");
    assert!(f.evidence.contains("4000000000"), "{}", f.evidence);
    assert!(read_entries(&r).is_empty());
    assert!(!r.complete);
    // A real 1000:1-ish deflate stream is below the limit and read.
    let r = check(
        &zipgen::plain(&[("zeros.bin", &vec![0u8; 1_000_000])]),
        &Options::default(),
    );
    assert!(!has(&r, "archive.limit_exceeded"), "{:#?}", r.findings);
    assert_eq!(read_entries(&r).len(), 1);
}

#[test]
fn entry_count_limit_inspects_the_first_ones() {
    let opts = Options {
        limits: Limits {
            max_entries: 3,
            ..Default::default()
        },
        ..Default::default()
    };
    let names: Vec<String> = (0..6).map(|i| format!("f{i}.txt")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), TEXT)).collect();
    let r = check(&zipgen::plain(&entries), &opts);
    assert_eq!(codes_at(&r, "archive.limit_exceeded"), vec!["x.zip"]);
    assert_eq!(
        read_entries(&r),
        vec!["x.zip > f0.txt", "x.zip > f1.txt", "x.zip > f2.txt"]
    );
    assert!(!r.complete);
    let r = check(&zipgen::plain(&entries[..3]), &opts);
    assert!(!has(&r, "archive.limit_exceeded"));
}

#[test]
fn total_inflated_limit() {
    let opts = Options {
        limits: Limits {
            max_total_inflated: 25_000,
            ..Default::default()
        },
        ..Default::default()
    };
    let z = zipgen::plain(&[
        ("a.bin", &[1u8; 10_000]),
        ("b.bin", &[2u8; 10_000]),
        ("c.bin", &[3u8; 10_000]),
    ]);
    let r = check(&z, &opts);
    assert_eq!(read_entries(&r), vec!["x.zip > a.bin", "x.zip > b.bin"]);
    assert_eq!(codes_at(&r, "archive.limit_exceeded"), vec!["x.zip"]);
    assert!(!r.complete);
    let r = check(&z, &Options::default());
    assert!(!has(&r, "archive.limit_exceeded"));
}

#[test]
fn per_entry_limit_and_lying_sizes() {
    let opts = Options {
        limits: Limits {
            max_entry_inflated: 5_000,
            ..Default::default()
        },
        ..Default::default()
    };
    let z = zipgen::plain(&[("small.txt", TEXT), ("big.bin", &[7u8; 10_000])]);
    let r = check(&z, &opts);
    assert_eq!(
        codes_at(&r, "archive.limit_exceeded"),
        vec!["x.zip > big.bin"]
    );
    assert_eq!(read_entries(&r), vec!["x.zip > small.txt"]);
    // The central directory understates the size: reading stops at the declared size.
    let mut z = zipgen::plain(&[("big.bin", &[7u8; 10_000])]);
    zipgen::set_u32_both(&mut z, 0, 24, 4_000);
    let r = check(&z, &opts);
    assert!(read_entries(&r).is_empty());
    assert!(
        has(&r, "archive.malformed") || has(&r, "archive.limit_exceeded"),
        "{:#?}",
        r.findings
    );
    assert!(!r.complete);
}

#[test]
fn truncated_zip_is_malformed() {
    let z = zipgen::plain(&[("a.txt", TEXT), ("b.txt", &[9u8; 5000])]);
    for cut in [z.len() / 2, z.len() - 10, 30] {
        let r = check(&z[..cut], &Options::default());
        assert!(has(&r, "archive.malformed"), "cut {cut}: {:#?}", r.findings);
        assert!(!r.complete);
        assert_ne!(r.verdict, Verdict::NoFindings);
    }
}

#[test]
fn bad_crc_is_malformed_and_other_entries_go_on() {
    let mut z = zipgen::plain(&[("a.txt", TEXT), ("b.exe", &zipgen::tiny_pe())]);
    zipgen::set_u32_both(&mut z, 0, 16, 0x1234_5678);
    let r = check(&z, &Options::default());
    assert_eq!(codes_at(&r, "archive.malformed"), vec!["x.zip > a.txt"]);
    assert_eq!(read_entries(&r), vec!["x.zip > b.exe"]);
    assert!(has(&r, "file.executable"));
    assert!(!r.complete);
}

#[test]
fn unsupported_method_is_malformed() {
    let mut z = zipgen::stored(&[("a.txt", TEXT), ("b.txt", TEXT)]);
    zipgen::set_method(&mut z, 0, 12);
    let r = check(&z, &Options::default());
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "archive.malformed")
        .expect("no malformed finding");
    assert_eq!(f.location.to_string(), "x.zip > a.txt");
    assert!(f.evidence.contains("bzip2"), "{}", f.evidence);
    assert_eq!(read_entries(&r), vec!["x.zip > b.txt"]);
}

#[test]
fn ooxml_is_handed_to_office_not_recursed() {
    let ct = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
    let z = zipgen::plain(&[
        ("[Content_Types].xml", ct),
        ("word/document.xml", b"<w:document/>"),
        ("word/x.exe", &zipgen::tiny_pe()),
    ]);
    let r = tenpu::check(&z, "x.docx", &Options::default());
    let top = r.objects.iter().find(|o| o.location.depth() == 1).unwrap();
    assert_eq!(top.kind, "ooxml");
    assert!(
        r.objects.iter().all(|o| o.location.depth() == 1),
        "parts were recursed generically: {:#?}",
        r.objects
    );
    // ... but every part name is still checked.
    assert_eq!(codes_at(&r, "file.executable"), vec!["x.docx > word/x.exe"]);
    // Bomb checks still run on an OOXML package's central directory.
    let mut z = zipgen::plain(&[
        ("[Content_Types].xml", ct),
        ("word/document.xml", &[b' '; 100]),
    ]);
    zipgen::set_u32_both(&mut z, 1, 24, 3_000_000_000);
    let r = tenpu::check(&z, "x.docx", &Options::default());
    assert_eq!(
        codes_at(&r, "archive.limit_exceeded"),
        vec!["x.docx > word/document.xml"]
    );
}

#[test]
fn local_header_disagreeing_with_central_directory_is_malformed() {
    let mut z = zipgen::plain(&[("a.txt", TEXT)]);
    zipgen::set_central_u32(&mut z, 0, 24, TEXT.len() as u32 + 1);
    let r = check(&z, &Options::default());
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "archive.malformed")
        .expect("no malformed finding");
    assert!(
        f.evidence.contains("local header differs"),
        "{}",
        f.evidence
    );
    assert_eq!(f.location.to_string(), "x.zip > a.txt");
    assert!(!r.complete);
}

#[test]
fn zip_in_comment_is_reported() {
    // An outer archive whose comment is a whole second archive: two end records are plausible.
    let inner = zipgen::plain(&[("inner.exe", &zipgen::tiny_pe())]);
    let mut outer = zipgen::plain(&[("outer.txt", TEXT)]);
    let n = outer.len();
    outer[n - 2..].copy_from_slice(&(inner.len() as u16).to_le_bytes());
    outer.extend_from_slice(&inner);
    let r = check(&outer, &Options::default());
    assert!(
        r.findings.iter().any(|f| f.code == "archive.malformed"
            && f.evidence.contains("end of central directory records")),
        "{:#?}",
        r.findings
    );
    assert_eq!(read_entries(&r), vec!["x.zip > outer.txt"]);
}

#[test]
fn stored_zip_inside_a_zip_is_not_malformed() {
    // A ZIP stored (not compressed) as an entry of another: its end record lies in the outer
    // archive's entry data, within the 64 KiB searched for the outer end record. It is an entry,
    // not a rival directory; it is checked as one.
    let inner = zipgen::stored(&[("inner.txt", TEXT)]);
    let outer = zipgen::stored(&[("inner.zip", &inner)]);
    let r = check(&outer, &Options::default());
    assert!(
        !r.findings.iter().any(|f| f.code == "archive.malformed"),
        "{:#?}",
        r.findings
    );
    assert_eq!(read_entries(&r), vec!["x.zip > inner.zip"]);
    assert!(
        r.objects.iter().any(
            |o| o.location.to_string() == "x.zip > inner.zip > inner.txt" && !o.sha256.is_empty()
        ),
        "{:#?}",
        r.objects
    );
    assert_eq!(r.verdict.as_str(), "no_findings", "{:#?}", r.findings);
}

#[test]
fn many_encrypted_entries_with_many_wrong_candidates_stay_cheap() {
    // Each failed AES trial costs a PBKDF2 derivation; they are bounded per archive
    // (4 x max_password_attempts, at least 16).
    let names: Vec<String> = (0..12).map(|i| format!("f{i}.txt")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), TEXT)).collect();
    let z = zipgen::aes256(&entries, "right");
    let opts = Options {
        passwords: (0..4).map(|i| format!("wrong{i}")).collect(),
        limits: Limits {
            max_password_attempts: 4,
            ..Default::default()
        },
        ..Default::default()
    };
    let r = check(&z, &opts);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "archive.encrypted")
        .unwrap();
    assert!(
        f.evidence.contains("stopped after 16 failed trials"),
        "{}",
        f.evidence
    );
    assert!(
        f.evidence.starts_with("12 encrypted entries"),
        "{}",
        f.evidence
    );
}

#[test]
fn duplicate_names_are_reported_and_both_inspected() {
    let mut z = zipgen::stored(&[("a.txt", TEXT), ("b.exe", &zipgen::tiny_pe())]);
    // Give the second entry (a PE) the first one's name, in both headers.
    let rec = zipgen::central_records(&z)[1];
    let local = u32::from_le_bytes(z[rec + 42..rec + 46].try_into().unwrap()) as usize;
    z[rec + 46..rec + 51].copy_from_slice(b"a.txt");
    z[local + 30..local + 35].copy_from_slice(b"a.txt");
    let r = check(&z, &Options::default());
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "archive.malformed"
                && f.evidence.contains("two entries have this name")),
        "{:#?}",
        r.findings
    );
    assert_eq!(read_entries(&r), vec!["x.zip > a.txt", "x.zip > a.txt"]);
    // The hidden PE is still found by content.
    assert!(has(&r, "file.executable"));
}

/// Hostile input is the normal input: every truncation and many single-byte corruptions of a
/// few archives give a report, never a panic.
#[test]
fn corrupted_archives_never_panic() {
    let inner = zipgen::plain(&[("a.exe", &zipgen::tiny_pe())]);
    let samples = [
        zipgen::plain(&[("a.txt", TEXT), ("dir/", b""), ("inner.zip", &inner)]),
        zipgen::stored(&[("a.txt", TEXT), ("b.txt", TEXT)]),
        zipgen::zip_crypto(&[("a.txt", TEXT)], "pw"),
        zipgen::cp932_names(&[("会議資料.doc", TEXT)]),
        zipgen::overlapping(),
    ];
    let opts = with_passwords(&["pw", "other"]);
    let mut runs = 0;
    for z in &samples {
        for cut in 0..z.len() {
            let _ = check(&z[..cut], &opts);
            runs += 1;
        }
        for at in 0..z.len() {
            for v in [0x00, 0xFF, z[at] ^ 0x80] {
                let mut m = z.clone();
                m[at] = v;
                let _ = check(&m, &opts);
                runs += 1;
            }
        }
    }
    // The AES extra field (0x9901): every strength and inner-method value.
    let z = zipgen::aes256(&[("a.txt", TEXT)], "pw");
    let cd = zipgen::central_records(&z)[0];
    let extra_at = cd + 46 + 5;
    let local = 0usize;
    let local_extra = local + 30 + 5;
    assert_eq!(&z[extra_at..extra_at + 2], &[0x01, 0x99]);
    for field in [4usize, 5] {
        for v in 0..=255u8 {
            let mut m = z.clone();
            m[extra_at + 4 + field] = v;
            if z[local_extra..local_extra + 2] == [0x01, 0x99] {
                m[local_extra + 4 + field] = v;
            }
            let _ = check(&m, &opts);
            runs += 1;
        }
    }
    println!("corrupted variants checked: {runs}");
}

#[test]
fn entry_findings_are_capped_per_archive() {
    let names: Vec<String> = (0..30).map(|i| format!("f{i:02}.txt")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), TEXT)).collect();
    let mut z = zipgen::plain(&entries);
    for i in 0..30 {
        zipgen::set_u32_both(&mut z, i, 16, 0xDEAD_BEEF); // every CRC wrong
    }
    let r = check(&z, &Options::default());
    let malformed: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.code == "archive.malformed")
        .collect();
    assert_eq!(malformed.len(), 21, "{malformed:#?}");
    assert!(malformed
        .iter()
        .any(|f| f.location.to_string() == "x.zip" && f.evidence.starts_with("10 more entries")));
    // Every entry is still listed as an object.
    assert_eq!(
        r.objects.iter().filter(|o| o.location.depth() == 2).count(),
        30
    );
}
