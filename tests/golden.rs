//! Golden reports for the fixture set (`tests/common/fixtures.rs`).
//!
//! Each fixture's report is compared with `tests/golden/<group>/<name>.json`. On a mismatch the
//! actual report is written beside it as `<name>.actual.json` (gitignored) so the two can be
//! diffed. `TENPU_ACCEPT=1 cargo test --test golden` rewrites the golden files.
//!
//! Golden files pin the whole report except SHA-256 values of objects (encrypted ZIPs carry
//! random salts and headers, so those bytes differ per build); the hash of the input itself is
//! checked against the bytes instead. Independently of the golden files, each fixture's verdict
//! and key codes are asserted below, so accepting a wrong golden file does not make it pass.

mod common;

use std::path::PathBuf;

use sha2::{Digest, Sha256};

/// What each fixture must yield, whatever the golden file says: verdict, and codes that must
/// (and must not) appear.
fn expectations(
    name: &str,
) -> (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
) {
    match name {
        "spoofed-zip-macro" => (
            "dangerous",
            &[
                "mail.display_name_spoof",
                "mail.fake_reply",
                "mail.password_in_body",
                "archive.opened_with_body_password",
                "office.vba_macro",
                "office.vba_autoexec",
                "office.vba_suspicious",
            ],
            &["archive.encrypted"],
        ),
        "sjis-aes-xls-download" => (
            "dangerous",
            &[
                "mail.fake_reply",
                "mail.password_in_body",
                "archive.opened_with_body_password",
                "office.vba_autoexec",
                "office.vba_suspicious",
            ],
            &["archive.encrypted"],
        ),
        "clean-reply" => (
            "no_findings",
            &[],
            &["mail.org_impersonation", "mail.fake_reply"],
        ),
        "org-spoof" => (
            "suspicious",
            &[
                "mail.org_impersonation",
                "mail.reply_to_mismatch",
                "mail.auth_failed",
            ],
            &[],
        ),
        "link-mismatch" => ("suspicious", &["mail.link_mismatch"], &[]),
        "hostile" => (
            "dangerous",
            &["file.executable", "file.double_extension"],
            &[],
        ),
        "double-extension" => (
            "dangerous",
            &["file.executable", "file.double_extension"],
            &[],
        ),
        "encrypted-unknown-password" => (
            "suspicious",
            &["archive.encrypted"],
            &["archive.opened_with_body_password"],
        ),
        "cp932-names" => ("dangerous", &["file.executable"], &[]),
        "nested-clean" => ("no_findings", &[], &[]),
        "overlapping" => ("suspicious", &["archive.limit_exceeded"], &[]),
        "plain-macro-xls" => (
            "suspicious",
            &["office.vba_macro"],
            &["office.vba_autoexec", "office.vba_suspicious"],
        ),
        "xls-very-hidden-macro-sheet" => ("dangerous", &["office.xlm_macro"], &[]),
        "encrypted-ooxml" => ("suspicious", &["office.encrypted"], &[]),
        "docm-template-injection" => (
            "dangerous",
            &["office.vba_autoexec", "office.external_relationship"],
            &[],
        ),
        "invoice" => ("dangerous", &["file.executable"], &[]),
        "notes" => ("no_findings", &[], &[]),
        other => panic!("fixture {other} has no expectations: add them here"),
    }
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn normalise(mut v: serde_json::Value) -> serde_json::Value {
    if let Some(objs) = v.get_mut("objects").and_then(|o| o.as_array_mut()) {
        for o in objs {
            if let Some(h) = o.get_mut("sha256") {
                if h.as_str().is_some_and(|s| !s.is_empty()) {
                    *h = serde_json::Value::String("<sha256>".into());
                }
            }
        }
    }
    v
}

#[test]
fn golden_reports() {
    let accept = std::env::var_os("TENPU_ACCEPT").is_some();
    let mut failures = Vec::new();
    let fixtures = common::fixtures::all();
    for fx in &fixtures {
        let report = tenpu::check(&fx.bytes, fx.file, &fx.options);

        // Independent expectations.
        let (verdict, must, must_not) = expectations(fx.name);
        let codes: Vec<&str> = report.findings.iter().map(|f| f.code).collect();
        if report.verdict.as_str() != verdict {
            failures.push(format!(
                "{}: verdict {} (want {verdict}); codes {codes:?}",
                fx.name,
                report.verdict.as_str()
            ));
        }
        for c in must {
            if !codes.contains(c) {
                failures.push(format!("{}: missing {c}; codes {codes:?}", fx.name));
            }
        }
        for c in must_not {
            if codes.contains(c) {
                failures.push(format!("{}: unexpected {c}", fx.name));
            }
        }
        if verdict == "no_findings" && !report.complete {
            failures.push(format!("{}: no_findings but incomplete", fx.name));
        }
        let root = report
            .objects
            .first()
            .expect("the input is always an object");
        assert_eq!(
            root.sha256,
            hex(&Sha256::digest(&fx.bytes)),
            "{}: input hash",
            fx.name
        );

        // Golden comparison.
        let actual = normalise(serde_json::to_value(&report).unwrap());
        let text = serde_json::to_string_pretty(&actual).unwrap() + "\n";
        let dir = golden_dir().join(fx.group);
        let path = dir.join(format!("{}.json", fx.name));
        let actual_path = dir.join(format!("{}.actual.json", fx.name));
        if accept {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
            let _ = std::fs::remove_file(&actual_path);
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == text => {
                let _ = std::fs::remove_file(&actual_path);
            }
            Ok(_) => {
                std::fs::write(&actual_path, &text).unwrap();
                failures.push(format!(
                    "{}: report differs from {} (actual written to {})",
                    fx.name,
                    path.display(),
                    actual_path.display()
                ));
            }
            Err(_) => {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&actual_path, &text).unwrap();
                failures.push(format!(
                    "{}: no golden file {} (actual written beside; TENPU_ACCEPT=1 to accept)",
                    fx.name,
                    path.display()
                ));
            }
        }
    }
    // Every golden file belongs to a fixture (none left behind by a rename).
    for entry in walk(&golden_dir()) {
        let s = entry.to_string_lossy();
        if s.ends_with(".json") && !s.ends_with(".actual.json") {
            let stem = entry.file_stem().unwrap().to_string_lossy().to_string();
            if !fixtures.iter().any(|f| f.name == stem) {
                failures.push(format!("orphan golden file {s}"));
            }
        }
    }
    println!("golden: {} fixtures", fixtures.len());
    assert!(
        failures.is_empty(),
        "golden failures:\n  {}",
        failures.join("\n  ")
    );
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The fixtures are deterministic where they can be: the same case twice gives the same
/// findings (only encrypted-archive bytes vary).
#[test]
fn reports_are_deterministic() {
    for fx in common::fixtures::all() {
        let a = tenpu::check(&fx.bytes, fx.file, &fx.options);
        let b = tenpu::check(&fx.bytes, fx.file, &fx.options);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap(),
            "{}",
            fx.name
        );
    }
}
