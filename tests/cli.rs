//! The `tenpu check` contract that scripts, tests and benchmarks rely on: JSON lines, exit
//! statuses, languages, keeping going when one input fails.

mod common;

use std::path::PathBuf;
use std::process::Command;

fn tenpu() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tenpu"))
}

/// Write the fixture set to a fresh temporary folder and return it.
fn fixtures_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tenpu-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for fx in common::fixtures::all() {
        std::fs::write(dir.join(fx.file), &fx.bytes).unwrap();
    }
    dir
}

#[test]
fn json_lines_and_exit_status() {
    let dir = fixtures_dir("json");
    let out = tenpu()
        .args(["check", "--json"])
        .arg(dir.join("notes.txt"))
        .arg(dir.join("spoofed-zip-macro.eml"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a dangerous file makes the exit status 1"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "one JSON object per file: {stdout}");
    assert_eq!(lines[0]["file"], "notes.txt");
    assert_eq!(lines[0]["verdict"], "no_findings");
    assert_eq!(lines[0]["complete"], true);
    assert_eq!(lines[1]["verdict"], "dangerous");
    let f = &lines[1]["findings"].as_array().unwrap()[0];
    for key in ["code", "severity", "location", "evidence"] {
        assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
    }
    let locations: Vec<&str> = lines[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"].as_str().unwrap())
        .collect();
    assert!(
        locations.contains(&"mail > 会議資料.zip > 会議資料.doc > Module1"),
        "{locations:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn clean_files_exit_zero() {
    let dir = fixtures_dir("clean");
    let status = tenpu()
        .args([
            "check",
            "--trusted-domain",
            "example.co.jp",
            "--org-name",
            "日本医師会",
        ])
        .arg(dir.join("clean-reply.eml"))
        .arg(dir.join("notes.txt"))
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unreadable_file_is_exit_two_and_others_still_checked() {
    let dir = fixtures_dir("missing");
    let out = tenpu()
        .args(["check", "--json"])
        .arg(dir.join("does-not-exist.eml"))
        .arg(dir.join("invoice.exe"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.lines().count(),
        1,
        "the readable file is still reported"
    );
    assert!(stdout.contains("\"verdict\":\"dangerous\""));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does-not-exist.eml"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_are_exit_two() {
    assert_eq!(
        tenpu().arg("check").output().unwrap().status.code(),
        Some(2)
    );
    assert_eq!(
        tenpu()
            .args(["check", "--lang", "fr", "x"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        tenpu().arg("frobnicate").output().unwrap().status.code(),
        Some(2)
    );
}

#[test]
fn readable_report_in_both_languages_masks_passwords() {
    let dir = fixtures_dir("text");
    let file = dir.join("spoofed-zip-macro.eml");
    let ja = String::from_utf8(
        tenpu()
            .args(["check", "--lang", "ja"])
            .arg(&file)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let en = String::from_utf8(
        tenpu()
            .args(["check", "--lang", "en"])
            .arg(&file)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        ja.contains("危険") && ja.contains("開くと自動で動くマクロがあります"),
        "{ja}"
    );
    assert!(
        en.contains("Dangerous") && en.contains("Has macros that run automatically"),
        "{en}"
    );
    assert!(en.contains("mail > 会議資料.zip > 会議資料.doc > Module1"));
    assert!(
        !en.contains("Kaigi2026") && en.contains("K*******6"),
        "password masked by default"
    );
    let shown = String::from_utf8(
        tenpu()
            .args(["check", "--lang", "en", "--show-passwords"])
            .arg(&file)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(shown.contains("Kaigi2026"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn password_option_opens_archives() {
    let dir = fixtures_dir("pw");
    let file = dir.join("unknown-password.zip");
    let closed = String::from_utf8(
        tenpu()
            .args(["check", "--json"])
            .arg(&file)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(closed.contains("archive.encrypted"));
    let open = String::from_utf8(
        tenpu()
            .args([
                "check",
                "--json",
                "--password",
                "wrong",
                "--password",
                "not-in-any-body",
            ])
            .arg(&file)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(!open.contains("archive.encrypted"), "{open}");
    assert!(
        open.contains("office.vba_autoexec"),
        "the macro document inside was analysed: {open}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--jobs` checks files on several threads, but the reports come out in the order the files
/// were named, the same bytes as one thread gives; a missing file in the middle is still
/// reported on stderr and makes the exit status 2, without stopping the files after it.
#[test]
fn parallel_batch_keeps_the_order_and_the_output() {
    let dir = fixtures_dir("jobs");
    let mut files: Vec<PathBuf> = common::fixtures::all()
        .iter()
        .map(|fx| dir.join(fx.file))
        .collect();
    // Many small files and a few big ones, so threads finish out of order.
    files.extend(files.clone());
    files.insert(files.len() / 2, dir.join("missing.eml"));
    let run = |jobs: &str| {
        tenpu()
            .args(["check", "--json", "--jobs", jobs])
            .args(&files)
            .output()
            .unwrap()
    };
    let one = run("1");
    assert_eq!(
        one.status.code(),
        Some(2),
        "a missing file is exit status 2"
    );
    let lines = String::from_utf8(one.stdout.clone()).unwrap();
    assert_eq!(
        lines.lines().count(),
        files.len() - 1,
        "every readable file reported"
    );
    for jobs in ["2", "8"] {
        let many = run(jobs);
        assert_eq!(many.status.code(), Some(2));
        assert!(
            many.stdout == one.stdout,
            "--jobs {jobs} changed the reports or their order"
        );
        let err = String::from_utf8(many.stderr).unwrap();
        assert!(err.contains("missing.eml"), "{err}");
    }
    let zero = tenpu()
        .args(["check", "--jobs", "0"])
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(zero.status.code(), Some(2), "--jobs 0 is a usage error");
}
