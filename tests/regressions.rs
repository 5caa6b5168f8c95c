//! Fuzz-found inputs (see `fuzz/` and `make fuzz`), replayed in every `cargo test`.
//!
//! `tests/regressions/<target>/<file>`: every file there was written by a fuzzer, never by hand
//! and never copied from `../shared/corpus` (some are mutations of its files or of the built
//! fixtures). Files named `crash-*` or `timeout-*` once crashed or hung target `<target>` and
//! were fixed (the commit that added the file says how). The `fuzzed-*` files are inputs libFuzzer
//! added to that target's corpus during `make fuzz` because they reached new code (the latest
//! ones found, 128 B to 4 KiB, one per distinct magic; not `cmin`-minimised), so this test is
//! never vacuous.
//!
//! Each file goes through the target's function in `tenpu::fuzzing` (which asserts that
//! target's invariants) and through the whole `tenpu::check` under every name the `check`
//! target uses, asserting a report that obeys the policy and finishes in bounded time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tenpu::{fuzzing, Options, Verdict};

/// One input through one function: far below the fuzzers' hang limit (10 s) on a loaded
/// debug build, the crash inputs ran for minutes before their fix.
const SLOW: Duration = Duration::from_secs(60);

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions")
}

fn files() -> Vec<(String, PathBuf)> {
    let mut v = Vec::new();
    let rd = std::fs::read_dir(dir()).expect("tests/regressions exists");
    for target in rd.flatten() {
        let t = target.file_name().to_string_lossy().into_owned();
        if !target.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(target.path()).unwrap().flatten() {
            if f.path().is_file() && !f.file_name().to_string_lossy().starts_with('.') {
                v.push((t.clone(), f.path()));
            }
        }
    }
    v.sort();
    v
}

fn timed(what: &str, f: impl FnOnce()) {
    let start = Instant::now();
    f();
    let took = start.elapsed();
    assert!(took < SLOW, "{what}: took {took:?}");
}

#[test]
fn every_target_dir_is_a_fuzz_target() {
    let names: Vec<&str> = fuzzing::TARGETS.iter().map(|(n, _)| *n).collect();
    for (t, path) in files() {
        assert!(
            names.contains(&t.as_str()),
            "{}: {t} is not a fuzz target ({names:?})",
            path.display()
        );
    }
}

#[test]
fn regression_inputs_are_there() {
    let files = files();
    assert!(
        files.len() >= 10,
        "only {} files under tests/regressions",
        files.len()
    );
}

#[test]
fn regression_inputs_through_their_target() {
    for (t, path) in files() {
        let data = std::fs::read(&path).unwrap();
        let Some((_, run)) = fuzzing::TARGETS.iter().find(|(n, _)| *n == t) else {
            continue;
        };
        timed(&path.display().to_string(), || run(&data));
    }
}

#[test]
fn regression_inputs_through_check() {
    for (_, path) in files() {
        let data = std::fs::read(&path).unwrap();
        let shown = path.display().to_string();
        for name in fuzzing::CHECK_NAMES {
            timed(&format!("{shown} as {name:?}"), || {
                let r = tenpu::check(&data, name, &Options::default());
                assert!(!r.objects.is_empty(), "{shown} as {name:?}: no objects");
                if !r.complete {
                    assert_ne!(r.verdict, Verdict::NoFindings, "{shown} as {name:?}");
                }
                fuzzing::assert_report(&r);
                // The report serialises (the CLI's --json and the page both do this).
                serde_json::to_string(&r).unwrap();
            });
        }
        timed(&shown, || drop(fuzzing::check(&data)));
    }
}
