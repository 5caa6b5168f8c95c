//! ZIP archives of other projects' test suites (`../shared/corpus`): libzip, yauzl,
//! RecursiveExtractor, strelka. Every file that sniffs as ZIP must get a report without a panic
//! and quickly; encrypted ones open with the passwords their GROUND_TRUTH.md lists and stay
//! closed without; the bombs hit `archive.limit_exceeded` without being inflated.
//!
//! `TENPU_ZIP_CORPUS_VERBOSE=1 cargo test --test zip_corpus -- --nocapture` prints every file's
//! findings.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tenpu::{Options, Report};

const DIRS: &[(&str, &[&str])] = &[
    // libzip: GROUND_TRUTH.md; "no-entropy" is the password of the *-noentropy.zip files
    // (regress/encryption-nonrandom-*.test: `set_file_encryption 1 AES-128 no-entropy`).
    ("libzip", &["foo", "1234", "foofoofoo", "1", "no-entropy"]),
    ("yauzl", &["password"]),
    ("RecursiveExtractor", &["TestData"]),
    ("strelka", &["password", "Password1!", "aaa", "infected"]),
];

fn corpus() -> Option<PathBuf> {
    let c = common::corpus_dir();
    if c.is_none() {
        eprintln!("skipping: ../shared/corpus absent");
    }
    c
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn opts(passwords: &[&str]) -> Options {
    Options {
        passwords: passwords.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

fn has(r: &Report, code: &str) -> bool {
    r.findings.iter().any(|f| f.code == code)
}

fn read_count(r: &Report) -> usize {
    r.objects
        .iter()
        .filter(|o| o.location.depth() == 2 && !o.sha256.is_empty())
        .count()
}

fn verbose() -> bool {
    std::env::var_os("TENPU_ZIP_CORPUS_VERBOSE").is_some()
}

fn summary(r: &Report) -> String {
    let mut s = format!(
        "{:?} complete={} read={}",
        r.verdict,
        r.complete,
        read_count(r)
    );
    for f in &r.findings {
        s.push_str(&format!(
            "\n      {} @ {}: {}",
            f.code, f.location, f.evidence
        ));
    }
    s
}

/// Check one file, timing it.
fn timed(bytes: &[u8], name: &str, o: &Options) -> (Report, Duration) {
    let t = Instant::now();
    let r = tenpu::check(bytes, name, o);
    (r, t.elapsed())
}

#[test]
fn every_corpus_zip_gets_a_report() {
    let Some(root) = corpus() else { return };
    let mut total = 0;
    let mut stats: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut slowest = (Duration::ZERO, String::new());
    for (dir, pws) in DIRS {
        let d = root.join(dir);
        if !d.is_dir() {
            eprintln!("skipping {dir}: absent");
            continue;
        }
        for p in files(&d) {
            let bytes = std::fs::read(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if tenpu::detect::sniff(&bytes, &name) != tenpu::detect::Kind::Zip {
                continue;
            }
            total += 1;
            for (label, o) in [("no password", opts(&[])), ("passwords", opts(pws))] {
                let (r, took) = timed(&bytes, &name, &o);
                if took > slowest.0 {
                    slowest = (took, format!("{} ({label})", p.display()));
                }
                assert!(
                    took < Duration::from_secs(20),
                    "{} took {took:?}",
                    p.display()
                );
                if label == "passwords" {
                    let s = stats.entry(dir).or_default();
                    *s.entry("files").or_default() += 1;
                    for code in [
                        "archive.malformed",
                        "archive.limit_exceeded",
                        "archive.encrypted",
                    ] {
                        if has(&r, code) {
                            *s.entry(code).or_default() += 1;
                        }
                    }
                    if r.complete {
                        *s.entry("complete").or_default() += 1;
                    }
                }
                if verbose() {
                    println!(
                        "{} [{label}] {:?}\n      {}",
                        p.display(),
                        took,
                        summary(&r)
                    );
                }
            }
        }
    }
    println!("corpus zips checked: {total}");
    for (d, s) in &stats {
        println!("  {d}: {s:?}");
    }
    println!("slowest: {:?} {}", slowest.0, slowest.1);
    assert!(total > 150, "expected the corpus ZIPs, found {total}");
}

fn read_corpus(dir: &str, rel: &str) -> Option<Vec<u8>> {
    let p = common::corpus_dir()?.join(dir).join(rel);
    match std::fs::read(&p) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("skipping {}: absent", p.display());
            None
        }
    }
}

fn entries_read(r: &Report) -> Vec<String> {
    r.objects
        .iter()
        .filter(|o| o.location.depth() == 2 && !o.sha256.is_empty())
        .map(|o| o.path[1].clone())
        .collect()
}

/// Encrypted archives open with the listed password and stay closed without it (or with a
/// wrong one). `(dir, file, password, entries that must be read with it)`.
#[test]
fn encrypted_corpus_archives() {
    if corpus().is_none() {
        return;
    }
    let cases: &[(&str, &str, &str, &[&str])] = &[
        ("libzip", "data/encrypt.zip", "foo", &["encrypted", "plain"]),
        ("libzip", "data/encrypt-1234.zip", "1234", &["sample.txt"]),
        ("libzip", "data/empty-pkware.zip", "1", &["0"]),
        (
            "libzip",
            "data/encrypt-aes128.zip",
            "foofoofoo",
            &["encrypted", "plain"],
        ),
        (
            "libzip",
            "data/encrypt-aes192.zip",
            "foofoofoo",
            &["encrypted", "plain"],
        ),
        (
            "libzip",
            "data/encrypt-aes256.zip",
            "foofoofoo",
            &["encrypted", "plain"],
        ),
        (
            "libzip",
            "data/encrypt-aes128-noentropy.zip",
            "no-entropy",
            &["encrypted"],
        ),
        (
            "libzip",
            "data/encrypt-pkware-noentropy.zip",
            "no-entropy",
            &["encrypted"],
        ),
        (
            "RecursiveExtractor",
            "TestData/TestDataArchives/TestDataEncryptedZipCrypto.zip",
            "TestData",
            &[
                "TestData/Lorem.txt",
                "TestData/Foo/Lorem.txt",
                "TestData/Foo/Bar/Lorem.txt",
            ],
        ),
        (
            "RecursiveExtractor",
            "TestData/TestDataArchives/TestDataEncryptedAES.zip",
            "TestData",
            &[
                "TestData/Lorem.txt",
                "TestData/Foo/Lorem.txt",
                "TestData/Foo/Bar/Lorem.txt",
            ],
        ),
        (
            "strelka",
            "fixtures/test_aes256_password.zip",
            "password",
            &[
                "lorem.txt",
                "hidden/lorem.txt",
                "hidden/lorem-hidden.txt",
                "hidden/lorem-readonly.txt",
            ],
        ),
        (
            "strelka",
            "fixtures/test_zip_password.zip",
            "password",
            &[
                "lorem.txt",
                "hidden/lorem.txt",
                "hidden/lorem-hidden.txt",
                "hidden/lorem-readonly.txt",
            ],
        ),
    ];
    let mut opened = 0;
    for (dir, rel, pw, want) in cases {
        let Some(bytes) = read_corpus(dir, rel) else {
            continue;
        };
        let name = rel.rsplit('/').next().unwrap();
        let r = tenpu::check(&bytes, name, &opts(&[pw]));
        assert!(
            !has(&r, "archive.encrypted"),
            "{rel} with {pw}: {}",
            summary(&r)
        );
        assert!(r.complete, "{rel} with {pw}: {}", summary(&r));
        let got = entries_read(&r);
        for w in *want {
            assert!(
                got.iter().any(|g| g == w),
                "{rel}: {w} not read; read {got:?}"
            );
        }
        for wrong in [&[][..], &["wrong-password", "Foo"][..]] {
            let r = tenpu::check(&bytes, name, &opts(wrong));
            assert!(
                has(&r, "archive.encrypted"),
                "{rel} opened with {wrong:?}: {}",
                summary(&r)
            );
            assert!(!r.complete);
        }
        opened += 1;
    }
    println!(
        "encrypted corpus archives opened with their password and closed without: {opened}/{}",
        cases.len()
    );
}

/// libzip: "a wrong pw `sample` passes the 1-byte check but fails with zlib data error". The
/// entry has a data descriptor (bit 3) and libzip checks the CRC's high byte; we accept that
/// byte too (and the DOS-time byte), so `sample` gets past the header and must be rejected by
/// the inflate / CRC-32 check.
#[test]
fn libzip_wrong_password_passing_header_check() {
    let Some(bytes) = read_corpus("libzip", "data/encrypt-1234.zip") else {
        return;
    };
    // Premise, through the crate: with bit 3 cleared (so the CRC byte is the check), `sample`
    // passes the header check.
    let mut crc_checked = bytes.clone();
    let cd = crc_checked
        .windows(4)
        .rposition(|w| w == b"PK\x01\x02")
        .unwrap();
    crc_checked[6] &= !0x08;
    crc_checked[cd + 8] &= !0x08;
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(crc_checked)).unwrap();
    assert!(
        a.by_index_decrypt(0, b"sample").is_ok(),
        "`sample` should pass the CRC-byte header check"
    );
    let r = tenpu::check(&bytes, "encrypt-1234.zip", &opts(&["sample"]));
    assert!(has(&r, "archive.encrypted"), "{}", summary(&r));
    assert!(entries_read(&r).is_empty());
    let r = tenpu::check(&bytes, "encrypt-1234.zip", &opts(&["sample", "1234"]));
    assert_eq!(entries_read(&r), vec!["sample.txt"]);
}

/// strelka test_mixedcrypto.zip: test.txt plain, AES and ZipCrypto entries with "password",
/// test_zipcrypto_badpw.txt with a different password.
#[test]
fn strelka_mixed_crypto() {
    let Some(bytes) = read_corpus("strelka", "fixtures/test_mixedcrypto.zip") else {
        return;
    };
    let r = tenpu::check(&bytes, "test_mixedcrypto.zip", &opts(&["password"]));
    let mut got = entries_read(&r);
    got.sort();
    assert_eq!(
        got,
        vec!["test.txt", "test_aes256.txt", "test_zipcrypto.txt"]
    );
    let enc: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.code == "archive.encrypted")
        .collect();
    assert_eq!(enc.len(), 1);
    assert!(
        enc[0].evidence.ends_with("test_zipcrypto_badpw.txt"),
        "{}",
        enc[0].evidence
    );
    let r = tenpu::check(&bytes, "test_mixedcrypto.zip", &opts(&[]));
    assert_eq!(entries_read(&r), vec!["test.txt"]);
}

/// Bombs: zbsm.zip (overlapping entries) and 10GB.zip.bz2 (a 10 GB entry; unpacked here with the
/// system `bzip2` since we do not read bzip2) hit the limit fast, without inflating.
#[test]
fn corpus_bombs_hit_the_limit_fast() {
    if corpus().is_none() {
        return;
    }
    if let Some(bytes) = read_corpus("RecursiveExtractor", "TestData/Bombs/zbsm.zip") {
        let (r, took) = timed(&bytes, "zbsm.zip", &Options::default());
        println!("zbsm.zip: {took:?}");
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "archive.limit_exceeded")
            .expect("zbsm.zip: no limit");
        assert!(
            f.evidence.contains("overlapping entries (zip bomb)"),
            "{}",
            f.evidence
        );
        assert!(f.evidence.contains("250 entries"), "{}", f.evidence);
        assert!(entries_read(&r).is_empty());
        assert!(took < Duration::from_secs(2), "zbsm.zip took {took:?}");
    }
    let bz = common::corpus_dir()
        .unwrap()
        .join("RecursiveExtractor/TestData/Bombs/10GB.zip.bz2");
    if !bz.is_file() {
        eprintln!("skipping 10GB.zip.bz2: absent");
        return;
    }
    let out = std::process::Command::new("bzip2")
        .arg("-dc")
        .arg(&bz)
        .output();
    let Ok(out) = out.map_err(|e| eprintln!("skipping 10GB.zip.bz2: no bzip2 ({e})")) else {
        return;
    };
    assert!(out.status.success());
    let zip = out.stdout;
    assert_eq!(
        tenpu::detect::sniff(&zip, "10GB.zip"),
        tenpu::detect::Kind::Zip
    );
    let (r, took) = timed(&zip, "10GB.zip", &Options::default());
    println!(
        "10GB.zip ({} bytes compressed): {took:?}\n      {}",
        zip.len(),
        summary(&r)
    );
    assert!(has(&r, "archive.limit_exceeded"), "{}", summary(&r));
    assert!(!r.complete);
    assert!(took < Duration::from_secs(5), "10GB.zip took {took:?}");
}

/// libzip's consistency check (GROUND_TRUTH.md `'incons-*.zzip' returned error ... / succeeded`)
/// against ours (`archive.malformed` / `archive.limit_exceeded`). We read the central directory
/// like most extractors, so we are allowed to disagree a little; the agreement is printed.
#[test]
fn libzip_inconsistent_archives() {
    let Some(root) = corpus() else { return };
    let Ok(truth) = std::fs::read_to_string(root.join("libzip/GROUND_TRUTH.md")) else {
        eprintln!("skipping: libzip absent");
        return;
    };
    let (mut agree, mut total) = (0, 0);
    let mut missed_errors = Vec::new();
    for line in truth.lines() {
        let Some(rest) = line.trim().strip_prefix('\'') else {
            continue;
        };
        let Some((name, verdict)) = rest.split_once('\'') else {
            continue;
        };
        let file = name.replace(".zzip", ".zip");
        let Some(bytes) = read_corpus("libzip", &format!("data/{file}")) else {
            continue;
        };
        let expect_error = verdict.contains("returned error");
        let r = tenpu::check(&bytes, &file, &Options::default());
        let flagged = has(&r, "archive.malformed") || has(&r, "archive.limit_exceeded");
        total += 1;
        if flagged == expect_error {
            agree += 1;
        } else {
            println!("  disagree {file}: libzip{verdict}; ours {}", summary(&r));
            if expect_error {
                missed_errors.push(file.clone());
            }
        }
        if verdict.contains("succeeded") {
            // libzip opens these: so must we (no archive-level structure finding).
            let archive_level = r
                .findings
                .iter()
                .any(|f| f.location.depth() == 1 && f.code == "archive.malformed");
            assert!(!archive_level, "{file}: {}", summary(&r));
        }
    }
    println!(
        "libzip incons-*: agree {agree}/{total}; libzip errors we did not flag: {missed_errors:?}"
    );
    assert!(total >= 45, "GROUND_TRUTH lines not found ({total})");
    assert!(
        agree * 100 >= total * 85,
        "agreement {agree}/{total} below 85%"
    );
}

/// yauzl test/failure/*.zip: the file name is yauzl's error. The structural ones must be flagged
/// by us too (the name/path ones are a different matter: no extraction happens here).
#[test]
fn yauzl_failures() {
    let Some(root) = corpus() else { return };
    let d = root.join("yauzl/test/failure");
    if !d.is_dir() {
        eprintln!("skipping: yauzl absent");
        return;
    }
    let (mut flagged_n, mut total) = (0, 0);
    for p in files(&d) {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&p).unwrap();
        if tenpu::detect::sniff(&bytes, &name) != tenpu::detect::Kind::Zip {
            continue;
        }
        let r = tenpu::check(&bytes, &name, &Options::default());
        let flagged = has(&r, "archive.malformed") || has(&r, "archive.limit_exceeded");
        let path_only = [
            "absolute path",
            "invalid relative path",
            "invalid characters in fileName",
            "extra field length",
        ]
        .iter()
        .any(|k| name.starts_with(k));
        total += 1;
        if flagged {
            flagged_n += 1;
        } else {
            println!("  not flagged: {name}: {}", summary(&r));
            assert!(
                path_only,
                "{name}: yauzl fails on it but we flag nothing: {}",
                summary(&r)
            );
        }
    }
    println!("yauzl failure/*.zip flagged: {flagged_n}/{total}");
}
