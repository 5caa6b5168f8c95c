//! Every finding code the source can emit has its Japanese and English texts in `src/codes.rs`,
//! and every code there is documented in the README's codes table.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// String literals shaped like a code (`mail.fake_reply`) anywhere in `src/`, except the policy
/// table (which may weigh codes before any detector emits them) and the fuzzing entry points
/// (whose literals are file names such as `archive.zip`).
fn emitted_codes() -> Vec<String> {
    const DOMAINS: &[&str] = &[
        "mail.", "archive.", "office.", "file.", "check.", "onenote.", "rtf.", "pdf.",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut codes = Vec::new();
    for f in files
        .iter()
        .filter(|f| !f.ends_with("policy.rs") && !f.ends_with("fuzzing.rs"))
    {
        let text = std::fs::read_to_string(f).unwrap();
        for lit in text.split('"').skip(1).step_by(2) {
            let shaped = lit
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
                && lit.matches('.').count() == 1;
            if shaped
                && DOMAINS
                    .iter()
                    .any(|d| lit.starts_with(d) && lit.len() > d.len())
            {
                codes.push(lit.to_string());
            }
        }
    }
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn every_emitted_code_has_texts() {
    let codes = emitted_codes();
    assert!(codes.len() >= 20, "found only {codes:?}");
    for c in &codes {
        assert!(
            tenpu::codes::info(c).is_some(),
            "{c} is emitted but has no texts in src/codes.rs"
        );
    }
    for c in ["archive.limit_exceeded", "file.not_inspected"] {
        assert!(tenpu::codes::info(c).is_some());
    }
}

#[test]
fn every_code_is_in_the_readme() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for c in tenpu::codes::CODES {
        assert!(
            readme.contains(&format!("`{}`", c.code)),
            "README codes table lacks `{}`",
            c.code
        );
    }
}
