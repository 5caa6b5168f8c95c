//! The wasm-bindgen layer the page's worker calls. Thin: it converts arguments, runs the same
//! [`crate::check`] the CLI runs, and returns the same report structure.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::codes::{self, Lang};
use crate::options::Options;

#[derive(Serialize)]
struct Output<'a> {
    report: &'a crate::Report,
    /// The readable report (as the CLI prints it), for "copy report".
    text_ja: String,
    text_en: String,
}

/// Through JSON text and the engine's `JSON.parse`: a report may carry sizes a hostile archive
/// declares (up to 2^64 - 1, e.g. libzip's `incons-zip64-checkcons-overflow.zip`), which
/// serde_wasm_bindgen refuses as "can't be represented as a JavaScript number" (the page then
/// showed "could not finish"); `JSON.parse` gives the nearest double, as for any JSON reader.
fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(v).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("JSON.parse failed on the report"))
}

/// Check one file. `options` is `{trusted_domains, org_names, passwords, limits}` (all optional).
/// Returns `{report, text_ja, text_en}`.
#[wasm_bindgen]
pub fn check(bytes: &[u8], name: &str, options: JsValue) -> Result<JsValue, JsError> {
    let opts: Options = if options.is_undefined() || options.is_null() {
        Options::default()
    } else {
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsError::new(&format!("bad options: {e}")))?
    };
    let report = crate::check(bytes, name, &opts);
    let out = Output {
        text_ja: crate::render::text(&report, Lang::Ja, false),
        text_en: crate::render::text(&report, Lang::En, false),
        report: &report,
    };
    to_js(&out)
}

/// The report as a JSON string, byte-for-byte what `tenpu check --json` prints.
#[wasm_bindgen]
pub fn check_json(bytes: &[u8], name: &str, options_json: &str) -> Result<String, JsError> {
    let opts: Options = if options_json.trim().is_empty() {
        Options::default()
    } else {
        serde_json::from_str(options_json)
            .map_err(|e| JsError::new(&format!("bad options: {e}")))?
    };
    serde_json::to_string(&crate::check(bytes, name, &opts))
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Every finding code with its texts, and the verdict texts: `{codes: [...], verdicts: [...]}`.
#[wasm_bindgen]
pub fn texts() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct All {
        codes: &'static [codes::CodeInfo],
        verdicts: &'static [codes::VerdictText],
    }
    to_js(&All {
        codes: codes::CODES,
        verdicts: codes::VERDICTS,
    })
}

/// The crate version, shown in the page footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Test hook for the page's failure handling (`#debug=trap`): executes the wasm `unreachable`
/// instruction, exactly what a panic or an allocation failure in the core ends in on
/// wasm32-unknown-unknown. The page must then show "could not finish checking", replace its
/// worker, and keep working. Reads no input, so hostile files cannot reach it.
#[wasm_bindgen]
pub fn debug_trap() {
    core::arch::wasm32::unreachable()
}

/// Test hook for the page's out-of-memory handling (`#debug=oom`): keeps allocating 16 MiB
/// blocks until the wasm memory cannot grow any more (4 GiB for wasm32, or less where the
/// browser says so). The failed allocation aborts, which on wasm32-unknown-unknown is the same
/// `unreachable` trap a real out-of-memory in the core would end in. Only address space is
/// reserved (one byte per block is written), so the machine's memory is not exhausted. Reads no
/// input, so hostile files cannot reach it.
#[wasm_bindgen]
pub fn debug_oom() {
    let mut held: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut block: Vec<u8> = Vec::with_capacity(16 << 20);
        block.push(1);
        held.push(core::hint::black_box(block));
    }
}

// ---- tests (wasm32 only: `make test-wasm`, wasm-bindgen-test-runner under node) ----------------
// The same goldens as the native `tests/wasm_binding.rs`: the binding returns, byte for byte, the
// report the CLI prints for the same bytes.

#[cfg(test)]
#[path = "../tests/binding/cases.rs"]
mod binding_cases;

#[cfg(test)]
mod tests {
    use super::binding_cases::{golden, CASES};
    use crate::{codes, render};
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::*;

    mod wasm {
        pub use super::super::{check, check_json, texts, version};
    }

    fn parse(s: &str) -> serde_json::Value {
        serde_json::from_str(s).unwrap()
    }

    /// A JS value as serde_json::Value, through the JS engine's own JSON.stringify.
    fn js_json(v: &JsValue) -> serde_json::Value {
        let s: String = js_sys::JSON::stringify(v).unwrap().into();
        parse(&s)
    }

    #[wasm_bindgen_test]
    fn check_json_is_byte_identical_to_native_goldens() {
        for case in CASES {
            let got = wasm::check_json(&(case.bytes)(), case.name, case.options_json)
                .unwrap_or_else(|_| panic!("check_json failed for {}", case.golden));
            assert_eq!(got, golden(case.golden), "{}", case.golden);
        }
    }

    #[wasm_bindgen_test]
    fn check_object_matches_goldens_and_cli_text() {
        for case in CASES {
            let options = if case.options_json.is_empty() {
                JsValue::UNDEFINED
            } else {
                js_sys::JSON::parse(case.options_json).unwrap()
            };
            let out = wasm::check(&(case.bytes)(), case.name, options)
                .unwrap_or_else(|_| panic!("check failed for {}", case.golden));
            let out = js_json(&out);
            assert_eq!(out["report"], parse(golden(case.golden)), "{}", case.golden);
            // The texts are what the CLI prints for the same report.
            let report = crate::check(&(case.bytes)(), case.name, &Default::default());
            if case.options_json.is_empty() {
                assert_eq!(
                    out["text_ja"],
                    render::text(&report, codes::Lang::Ja, false)
                );
                assert_eq!(
                    out["text_en"],
                    render::text(&report, codes::Lang::En, false)
                );
            }
            assert!(out["text_ja"].as_str().unwrap().contains(
                if case.golden == "notes.txt.json" {
                    "問題は見つかりませんでした"
                } else if case.golden == "empty.json" {
                    ""
                } else {
                    "危険"
                }
            ));
        }
    }

    #[wasm_bindgen_test]
    fn options_reach_the_core_and_bad_options_are_errors() {
        // Unknown fields are ignored, known ones are read; a wrong type is an error, not a default.
        let ok = js_sys::JSON::parse(
            r#"{"trusted_domains":["example.co.jp"],"org_names":["日本医師会"],"passwords":["x"]}"#,
        )
        .unwrap();
        assert!(wasm::check(b"hello", "a.txt", ok).is_ok());
        assert!(wasm::check(b"hello", "a.txt", JsValue::NULL).is_ok());
        let bad = js_sys::JSON::parse(r#"{"trusted_domains":"example.co.jp"}"#).unwrap();
        assert!(wasm::check(b"hello", "a.txt", bad).is_err());
        assert!(wasm::check_json(b"hello", "a.txt", "{not json").is_err());
        assert!(wasm::check_json(b"hello", "a.txt", "   ").is_ok());
    }

    #[wasm_bindgen_test]
    fn texts_cover_every_code_and_verdict() {
        let t = js_json(&wasm::texts().unwrap());
        let codes_js = t["codes"].as_array().unwrap();
        assert_eq!(codes_js.len(), codes::CODES.len());
        for (js, native) in codes_js.iter().zip(codes::CODES) {
            assert_eq!(js["code"], native.code);
            assert_eq!(js["title"]["ja"], native.title.ja);
            assert_eq!(js["title"]["en"], native.title.en);
            assert_eq!(js["action"]["ja"], native.action.ja);
        }
        assert!(codes_js.iter().any(|c| c["code"] == "check.failed"));
        let verdicts: Vec<&str> = t["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["verdict"].as_str().unwrap())
            .collect();
        assert_eq!(verdicts, ["dangerous", "suspicious", "no_findings"]);
        assert_eq!(t["verdicts"][0]["label"]["ja"], "危険");
        assert_eq!(wasm::version(), env!("CARGO_PKG_VERSION"));
    }
}
