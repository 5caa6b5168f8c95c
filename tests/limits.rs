//! Every resource budget of `tenpu::Limits` (documented in `src/options.rs`), hit on purpose
//! with small custom limits and fixtures built in code: each hit gives a finding that says what
//! was hit (`archive.limit_exceeded`, `check.limit_exceeded` for the work budget,
//! `archive.encrypted` when the password trials ran out), `complete: false`, and a verdict that
//! is never `no_findings`. Each test also checks the same input under default limits, so the
//! finding comes from the limit and not from the input.
//!
//! The last tests are hostile inputs built to keep the core busy (thousands of WinZip AES
//! password trials): under the default limits the work budget stops them, and they finish in
//! seconds instead of minutes.

mod common;

use std::time::Instant;

use common::{mailgen, zipgen};
use tenpu::{Limits, Options, Report, Verdict};

fn with(limits: Limits) -> Options {
    Options {
        limits,
        ..Options::default()
    }
}

fn codes(r: &Report) -> Vec<&str> {
    r.findings.iter().map(|f| f.code).collect()
}

/// `r` carries a `code` finding whose evidence contains `what`, is incomplete, and is not
/// `no_findings`.
#[track_caller]
fn assert_hit(r: &Report, code: &str, what: &str) {
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == code && f.evidence.contains(what)),
        "expected {code} with {what:?}, got {:#?}",
        r.findings
            .iter()
            .map(|f| format!("{} {} {}", f.code, f.location, f.evidence))
            .collect::<Vec<_>>()
    );
    assert!(!r.complete, "a limit hit must make the report incomplete");
    assert_ne!(r.verdict, Verdict::NoFindings);
}

#[track_caller]
fn assert_clean(r: &Report) {
    assert!(
        r.complete,
        "control input should be complete: {:?}",
        codes(r)
    );
    assert_eq!(r.verdict, Verdict::NoFindings, "{:?}", codes(r));
}

fn text(n: usize) -> Vec<u8> {
    "議事録の下書きです。\n"
        .repeat(n / 30 + 1)
        .into_bytes()
        .into_iter()
        .take(n)
        .collect()
}

#[test]
fn depth() {
    // input a.zip (1) > 転送.eml (2) > b.zip (3) > note.txt (4). (A ZIP stored straight inside
    // a ZIP shows its end record through the outer one, which is a finding of its own; a mail
    // in between keeps the control input clean.)
    let inner = zipgen::plain(&[("note.txt", &text(100))]);
    let mail = mailgen::eml(
        &[
            ("From", "Tanaka <tanaka@example.co.jp>"),
            ("To", "sato@example.co.jp"),
            ("Subject", "資料"),
            ("Date", "Mon, 2 Nov 2026 10:00:00 +0900"),
            ("Message-ID", "<d1@example.co.jp>"),
        ],
        "資料を送ります。\n",
        &[("b.zip", &inner)],
    );
    let outer = zipgen::plain(&[("転送.eml", &mail)]);
    assert_clean(&tenpu::check(&outer, "a.zip", &Options::default()));
    let r = tenpu::check(
        &outer,
        "a.zip",
        &with(Limits {
            max_depth: 3,
            ..Limits::default()
        }),
    );
    assert_hit(&r, "archive.limit_exceeded", "nesting depth over 3");
    let deep = r.objects.iter().find(|o| o.name == "note.txt").unwrap();
    assert!(deep.sha256.is_empty(), "the too-deep object is not read");
    assert!(deep.notes.iter().any(|n| n.contains("nesting too deep")));
}

#[test]
fn entries() {
    let names: Vec<String> = (0..10).map(|i| format!("{i}.txt")).collect();
    let body = text(50);
    let list: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &body[..])).collect();
    let z = zipgen::plain(&list);
    assert_clean(&tenpu::check(&z, "many.zip", &Options::default()));
    let r = tenpu::check(
        &z,
        "many.zip",
        &with(Limits {
            max_entries: 3,
            ..Limits::default()
        }),
    );
    assert_hit(&r, "archive.limit_exceeded", "too many entries");
    assert_eq!(
        r.objects
            .iter()
            .filter(|o| o.name.ends_with(".txt"))
            .count(),
        3
    );
}

#[test]
fn total_inflated() {
    let a = text(100_000);
    let z = zipgen::plain(&[("1.txt", &a), ("2.txt", &a), ("3.txt", &a)]);
    assert_clean(&tenpu::check(&z, "big.zip", &Options::default()));
    let r = tenpu::check(
        &z,
        "big.zip",
        &with(Limits {
            max_total_inflated: 250_000,
            ..Limits::default()
        }),
    );
    assert_hit(&r, "archive.limit_exceeded", "total inflated size budget");
}

#[test]
fn per_entry_inflated() {
    let z = zipgen::plain(&[("small.txt", &text(1000)), ("big.txt", &text(100_000))]);
    assert_clean(&tenpu::check(&z, "big.zip", &Options::default()));
    let r = tenpu::check(
        &z,
        "big.zip",
        &with(Limits {
            max_entry_inflated: 50_000,
            ..Limits::default()
        }),
    );
    assert_hit(&r, "archive.limit_exceeded", "per-entry limit");
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "archive.limit_exceeded")
        .unwrap();
    assert_eq!(f.location.to_string(), "big.zip > big.txt");
}

#[test]
fn ratio() {
    // 100 KB of one repeated character deflates about 1:1000 — a real file, but above a ratio
    // limit of 50.
    let z = zipgen::plain(&[("same.txt", &vec![b'a'; 100_000])]);
    assert_clean(&tenpu::check(&z, "ratio.zip", &Options::default()));
    let r = tenpu::check(
        &z,
        "ratio.zip",
        &with(Limits {
            max_ratio: 50,
            ..Limits::default()
        }),
    );
    assert_hit(&r, "archive.limit_exceeded", "ratio");
    // And the default limit against a declared bomb.
    let bomb = zipgen::declared_bomb(3_000_000_000);
    let r = tenpu::check(&bomb, "bomb.zip", &Options::default());
    assert_hit(&r, "archive.limit_exceeded", "ratio");
}

#[test]
fn password_attempts() {
    let z = zipgen::aes256(&[("会議資料.txt", &text(200))], "right-one");
    let opts = |max: usize| Options {
        passwords: vec![
            "wrong-1".into(),
            "wrong-2".into(),
            "wrong-3".into(),
            "right-one".into(),
        ],
        limits: Limits {
            max_password_attempts: max,
            ..Limits::default()
        },
        ..Options::default()
    };
    // Enough attempts: opened with the user's password, nothing found.
    let ok = tenpu::check(&z, "a.zip", &opts(4));
    assert_clean(&ok);
    // Too few: the right password is never tried; the archive stays closed and says so.
    let r = tenpu::check(&z, "a.zip", &opts(3));
    assert_hit(&r, "archive.encrypted", "3 password candidates tried");
    // The failed-trial cap of an archive: 4 × max_password_attempts (at least 16) failed
    // trials in all, then the remaining entries are not tried.
    let names: Vec<String> = (0..20).map(|i| format!("{i}.txt")).collect();
    let body = text(100);
    let list: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &body[..])).collect();
    let locked = zipgen::zip_crypto(&list, "not-in-the-list");
    let r = tenpu::check(&locked, "locked.zip", &opts(3));
    assert_hit(&r, "archive.encrypted", "stopped after 16 failed trials");
}

#[test]
fn password_attempts_from_the_body() {
    // The same with candidates from a mail body: body candidates are tried first, and the
    // limit counts them.
    let z = zipgen::zip_crypto(&[("請求書.txt", &text(200))], "Kaigi2026");
    let mail = mailgen::eml(
        &[
            ("From", "Tanaka <tanaka@example.co.jp>"),
            ("To", "sato@example.co.jp"),
            ("Subject", "資料"),
            ("Date", "Mon, 2 Nov 2026 10:00:00 +0900"),
            ("Message-ID", "<a1@example.co.jp>"),
        ],
        "資料を送ります。\nパスワード: Kaigi2026\n",
        &[("資料.zip", &z)],
    );
    let opened = tenpu::check(&mail, "m.eml", &Options::default());
    assert!(
        codes(&opened).contains(&"archive.opened_with_body_password"),
        "{:?}",
        codes(&opened)
    );
    let r = tenpu::check(
        &mail,
        "m.eml",
        &with(Limits {
            max_password_attempts: 0,
            ..Limits::default()
        }),
    );
    assert_hit(&r, "archive.encrypted", "no password candidates");
}

#[test]
fn work() {
    let names: Vec<String> = (0..20).map(|i| format!("{i}.txt")).collect();
    let body = text(10_000);
    let list: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &body[..])).collect();
    let z = zipgen::plain(&list);
    assert_clean(&tenpu::check(&z, "w.zip", &Options::default()));
    let r = tenpu::check(
        &z,
        "w.zip",
        &with(Limits {
            work: 100_000,
            ..Limits::default()
        }),
    );
    assert_hit(&r, "check.limit_exceeded", "work budget of 100000 units");
    assert_eq!(
        r.findings
            .iter()
            .filter(|f| f.code == "check.limit_exceeded")
            .count(),
        1,
        "one finding, not one per object"
    );
    // Some entries were checked, the rest listed as not inspected.
    let listed = r.objects.iter().filter(|o| o.name.ends_with(".txt"));
    let (read, unread): (Vec<_>, Vec<_>) = listed.partition(|o| !o.sha256.is_empty());
    assert!(!read.is_empty(), "the budget allowed some entries");
    assert!(!unread.is_empty(), "and stopped the rest");
    assert!(unread
        .iter()
        .all(|o| o.notes.iter().any(|n| n.contains("work budget"))));
}

#[test]
fn work_is_deterministic() {
    // No clock: the same input and budget always stop at the same place.
    let names: Vec<String> = (0..30).map(|i| format!("{i}.txt")).collect();
    let body = text(5_000);
    let list: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &body[..])).collect();
    let z = zipgen::plain(&list);
    let opts = with(Limits {
        work: 150_000,
        ..Limits::default()
    });
    let a = serde_json::to_string(&tenpu::check(&z, "w.zip", &opts)).unwrap();
    let b = serde_json::to_string(&tenpu::check(&z, "w.zip", &opts)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn work_bounds_password_trials() {
    // Each WinZip AES trial is charged as its key derivation (1,024,000 units): a budget of
    // 3.5 million allows three trials, so the fourth candidate (the right one) is never tried.
    let z = zipgen::aes256(&[("a.txt", &text(100))], "right-one");
    let opts = |work: u64| Options {
        passwords: vec!["w1".into(), "w2".into(), "w3".into(), "right-one".into()],
        limits: Limits {
            work,
            ..Limits::default()
        },
        ..Options::default()
    };
    assert_clean(&tenpu::check(&z, "a.zip", &opts(Limits::default().work)));
    let r = tenpu::check(&z, "a.zip", &opts(3_500_000));
    assert_hit(&r, "check.limit_exceeded", "work budget");
    assert!(codes(&r).contains(&"archive.encrypted"), "{:?}", codes(&r));
}

#[test]
fn every_limit_hit_is_at_least_medium() {
    // The limit codes weigh `medium` on their own (a report could in principle be complete
    // and still carry one, e.g. a declared bomb that was refused): never `no_findings`.
    for code in [
        "archive.limit_exceeded",
        "check.limit_exceeded",
        "archive.encrypted",
    ] {
        assert!(
            tenpu::policy::severity(code, &[]) >= tenpu::Severity::Medium,
            "{code}"
        );
    }
}

/// A ZIP of `n` copies of a small ZIP holding 4 WinZip AES entries that no candidate opens,
/// checked with 64 wrong candidates: without the work budget that is 256 failed key
/// derivations per inner archive (`n` × 256 in all).
fn aes_trial_bomb(n: usize) -> (Vec<u8>, Options) {
    let body = text(64);
    let inner = zipgen::aes256(
        &[
            ("1.txt", &body),
            ("2.txt", &body),
            ("3.txt", &body),
            ("4.txt", &body),
        ],
        "never-guessed",
    );
    let names: Vec<String> = (0..n).map(|i| format!("part{i:04}.zip")).collect();
    let list: Vec<(&str, &[u8])> = names.iter().map(|s| (s.as_str(), &inner[..])).collect();
    let outer = zipgen::stored(&list);
    let opts = Options {
        passwords: (0..64).map(|i| format!("candidate-{i}")).collect(),
        ..Options::default()
    };
    (outer, opts)
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "minutes in a debug build (the zip crate's AES code is generic, so it is compiled unoptimised into this crate): cargo test --release --test limits"
)]
fn hostile_password_trials_stop_on_the_work_budget() {
    // 400 inner archives × 256 failed AES trials = 102,400 key derivations (over a minute
    // natively) without a work budget; the default budget allows about 1,950.
    let (z, opts) = aes_trial_bomb(400);
    let t = Instant::now();
    let r = tenpu::check(&z, "trials.zip", &opts);
    let secs = t.elapsed().as_secs_f64();
    println!(
        "limits: {} byte AES trial bomb checked in {secs:.2}s ({} objects)",
        z.len(),
        r.objects.len()
    );
    assert_hit(&r, "check.limit_exceeded", "work budget");
    // The later inner archives are listed but not opened.
    assert!(r
        .objects
        .iter()
        .any(|o| o.notes.iter().any(|n| n.contains("work budget"))));
    // Debug builds (make test) run the key derivation optimised (dependencies are opt-level 3)
    // but the crate itself unoptimised; 60 s is a generous bound for a loaded 2-core machine.
    // Natively in release this input takes a few seconds (see README "Limits and robustness").
    let bound = if cfg!(debug_assertions) { 60.0 } else { 10.0 };
    assert!(secs < bound, "took {secs:.1}s, over {bound}s");
}
