//! The wasm binding layer returns the same report as the native core and the CLI.
//!
//! A few built-in inputs (`tests/binding/cases.rs`) have their report pinned as golden JSON in
//! `tests/binding/*.json`. This native test asserts that `serde_json::to_string(&tenpu::check(..))`
//! (what `tenpu check --json` prints) equals each golden byte for byte. The wasm half lives in
//! `src/wasm.rs` (`#[cfg(test)] mod tests`, run by `make test-wasm` with wasm-bindgen-test under
//! node): the binding's `check_json` must equal the same goldens byte for byte and `check` must
//! equal them structurally. (It sits in the library because the binding module is private and
//! its exported symbols cannot be linked twice into one test binary.)
//!
//! When the core's output changes on purpose: `TENPU_BLESS=1 cargo test --test wasm_binding`,
//! then review the diff of tests/binding/*.json.

// Native only: the wasm half is in src/wasm.rs (see above).
#![cfg(not(target_arch = "wasm32"))]

#[path = "binding/cases.rs"]
mod cases;
use cases::*;

mod native {
    use super::*;

    fn options(json: &str) -> tenpu::Options {
        if json.is_empty() {
            tenpu::Options::default()
        } else {
            serde_json::from_str(json).unwrap()
        }
    }

    #[test]
    fn native_reports_match_goldens() {
        let bless = std::env::var_os("TENPU_BLESS").is_some();
        let mut mismatches = Vec::new();
        for case in CASES {
            let report = tenpu::check(&(case.bytes)(), case.name, &options(case.options_json));
            let json = serde_json::to_string(&report).unwrap();
            let path = format!("{GOLDEN_DIR}/{}", case.golden);
            if bless {
                std::fs::write(&path, &json).unwrap();
            } else if json != golden(case.golden) {
                mismatches.push(format!(
                    "{}:\n  got      {json}\n  expected {}",
                    case.golden,
                    golden(case.golden)
                ));
            }
        }
        assert!(
            mismatches.is_empty(),
            "native reports differ from tests/binding goldens (TENPU_BLESS=1 to regenerate):\n{}",
            mismatches.join("\n")
        );
    }

    /// The goldens are not vacuous: they carry the verdicts the page's tests rely on.
    #[test]
    fn goldens_carry_expected_verdicts() {
        let v = |name: &str| -> String {
            let j: serde_json::Value = serde_json::from_str(golden(name)).unwrap();
            j["verdict"].as_str().unwrap().to_string()
        };
        assert_eq!(v("invoice.exe.json"), "dangerous");
        assert_eq!(v("double-extension.json"), "dangerous");
        assert_eq!(v("notes.txt.json"), "no_findings");
        let j: serde_json::Value = serde_json::from_str(golden("invoice.exe.json")).unwrap();
        assert!(j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "file.executable"));
        let j: serde_json::Value = serde_json::from_str(golden("double-extension.json")).unwrap();
        assert_eq!(j["file"], "請求書.pdf.exe");
    }
}
