//! The whole shared corpus (`../shared/corpus`): real files from other projects.
//!
//! - every file gets a report, with no panic (all files are run; panics are collected and listed);
//! - macro detection agrees with the `structure` block of `olevba_results.json` (read straight
//!   from the containers; see the corpus README): VBA present, XLM macro sheets, encryption.
//!
//! Skips, saying so, when the corpus folder is absent.

mod common;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::Instant;

use tenpu::{Options, Report};

fn run(path: &Path) -> Result<Report, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    catch_unwind(AssertUnwindSafe(|| {
        tenpu::check(&bytes, &name, &Options::default())
    }))
    .map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())
    })
}

#[test]
fn every_corpus_file_gets_a_report() {
    let Some(dir) = common::corpus_dir() else {
        println!("skipping: ../shared/corpus absent (every_corpus_file_gets_a_report)");
        return;
    };
    let files = common::files_under(&dir);
    let mut panics = Vec::new();
    let mut verdicts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut slowest: Vec<(f64, String)> = Vec::new();
    for f in &files {
        let t = Instant::now();
        match run(f) {
            Ok(r) => {
                *verdicts.entry(r.verdict.as_str()).or_default() += 1;
                // A report that says no_findings must have inspected everything.
                assert!(
                    r.complete || r.verdict != tenpu::Verdict::NoFindings,
                    "{}: incomplete but no_findings",
                    f.display()
                );
            }
            Err(msg) => panics.push(format!("{}: {msg}", f.display())),
        }
        slowest.push((
            t.elapsed().as_secs_f64(),
            f.strip_prefix(&dir).unwrap().display().to_string(),
        ));
    }
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("corpus: {} files, verdicts {verdicts:?}", files.len());
    for (s, f) in slowest.iter().take(5) {
        println!("  slowest: {s:.3}s {f}");
    }
    assert!(
        panics.is_empty(),
        "{} files panicked:\n  {}",
        panics.len(),
        panics.join("\n  ")
    );
}

#[derive(Default)]
struct Tally {
    agree: usize,
    total: usize,
    disagree: Vec<String>,
}

impl Tally {
    fn add(&mut self, file: &str, truth: bool, ours: bool) {
        self.total += 1;
        if truth == ours {
            self.agree += 1;
        } else {
            self.disagree
                .push(format!("{file} (truth {truth}, tenpu {ours})"));
        }
    }
    fn pct(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            100.0 * self.agree as f64 / self.total as f64
        }
    }
}

#[test]
fn macro_detection_agrees_with_structure_block() {
    let Some(dir) = common::corpus_dir() else {
        println!("skipping: ../shared/corpus absent (macro_detection_agrees_with_structure_block)");
        return;
    };
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("olevba_results.json")).unwrap()).unwrap();
    let mut vba = Tally::default();
    let mut xlm = Tally::default();
    let mut enc = Tally::default();
    let mut ext = Tally::default();
    for (rel, entry) in json.as_object().unwrap() {
        let path = dir.join(rel);
        if !path.is_file() {
            continue;
        }
        let s = &entry["structure"];
        if s.get("structure_error")
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
        {
            continue;
        }
        let flag = |k: &str| s.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
        let Ok(report) = run(&path) else { continue };
        let has = |code: &str| report.findings.iter().any(|f| f.code == code);
        let kind = entry["container_kind"].as_str().unwrap_or("");
        if kind == "OLE" || kind == "OOXML" {
            // PowerPoint keeps its VBA project compressed inside the `PowerPoint Document`
            // stream, where the structure block does not look; olevba's answer covers `.ppt`.
            let ppt_vba = rel.ends_with(".ppt") && entry["has_macros"].as_bool().unwrap_or(false);
            // Decrypted VelvetSweatshop packages: olevba decrypts them too, and its answer is used.
            let velvet_vba = rel.contains("standardpassword")
                && !rel.ends_with(".xls")
                && entry["has_macros"].as_bool().unwrap_or(false);
            vba.add(
                rel,
                flag("ole_vba_storage") || flag("ooxml_vbaproject") || ppt_vba || velvet_vba,
                has("office.vba_macro"),
            );
            // BIFF8 RC4 encryption (FILEPASS) has no flag in the structure block; olevba's own
            // `encrypted` answer covers it.
            let mut truth =
                flag("ole_encrypted_package") || entry["encrypted"].as_bool().unwrap_or(false);
            // OOXML packages encrypted with Excel's built-in password (VelvetSweatshop) are
            // decrypted and inspected, so they do not stay encrypted (oletools GROUND_TRUTH.md).
            let velvet = rel.contains("standardpassword") && !rel.ends_with(".xls");
            if velvet {
                truth = false;
            }
            enc.add(rel, truth, has("office.encrypted"));
        }
        if kind == "OOXML" {
            xlm.add(rel, flag("ooxml_macrosheets"), has("office.xlm_macro"));
            ext.add(
                rel,
                flag("ooxml_external_rels"),
                has("office.external_relationship"),
            );
        }
        if kind == "OLE" && rel.ends_with(".xls") {
            // For BIFF8 the structure block has no macro-sheet flag; olevba's XLM answer is used.
            xlm.add(
                rel,
                entry["xlm"].as_bool().unwrap_or(false),
                has("office.xlm_macro"),
            );
        }
    }
    for (name, t) in [
        ("vba", &vba),
        ("xlm", &xlm),
        ("encrypted", &enc),
        ("external_rels", &ext),
    ] {
        println!(
            "agreement {name}: {}/{} ({:.1}%)",
            t.agree,
            t.total,
            t.pct()
        );
        for d in &t.disagree {
            println!("  differs: {d}");
        }
    }
    assert!(vba.total > 0, "no corpus files were compared");
    assert!(
        vba.pct() >= 95.0,
        "VBA detection agreement {:.1}% below 95%",
        vba.pct()
    );
    assert!(
        xlm.pct() >= 90.0,
        "XLM detection agreement {:.1}% below 90%",
        xlm.pct()
    );
    assert!(
        enc.pct() >= 95.0,
        "encryption agreement {:.1}% below 95%",
        enc.pct()
    );
}
