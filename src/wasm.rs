//! The wasm-bindgen layer the page's worker calls. Thin: it converts arguments, runs the same
//! [`crate::check`] the CLI runs, and returns the same report structure.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::codes::{self, Lang};
use crate::options::{Limits, Options};

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

/// The options object from JS: `{trusted_domains, org_names, passwords: [string], limits:
/// {max_depth, max_entries, max_total_inflated, max_entry_inflated, max_ratio,
/// max_password_attempts, work: non-negative integer}}`, every key optional, unknown keys ignored,
/// `null`/`undefined` meaning absent. A value of the wrong type is an error, never a default.
///
/// Read by hand rather than with serde (`serde_wasm_bindgen::from_value`): serde's error
/// messages format floats, which links all of core's float formatting into the page's wasm.
fn options_from_js(v: &JsValue) -> Result<Options, String> {
    let mut o = Options::default();
    if v.is_undefined() || v.is_null() {
        return Ok(o);
    }
    if !v.is_object() || js_sys::Array::is_array(v) {
        return Err("expected an object".into());
    }
    let get = |obj: &JsValue, key: &str| -> Result<Option<JsValue>, String> {
        let x = js_sys::Reflect::get(obj, &JsValue::from_str(key))
            .map_err(|_| format!("{key}: cannot be read"))?;
        Ok(if x.is_undefined() || x.is_null() {
            None
        } else {
            Some(x)
        })
    };
    let strings = |key: &str, out: &mut Vec<String>| -> Result<(), String> {
        if let Some(x) = get(v, key)? {
            if !js_sys::Array::is_array(&x) {
                return Err(format!("{key}: expected a list of strings"));
            }
            for item in js_sys::Array::from(&x).iter() {
                out.push(
                    item.as_string()
                        .ok_or_else(|| format!("{key}: expected a list of strings"))?,
                );
            }
        }
        Ok(())
    };
    strings("trusted_domains", &mut o.trusted_domains)?;
    strings("org_names", &mut o.org_names)?;
    strings("passwords", &mut o.passwords)?;
    if let Some(l) = get(v, "limits")? {
        if !l.is_object() || js_sys::Array::is_array(&l) {
            return Err("limits: expected an object".into());
        }
        let num = |key: &str| -> Result<Option<u64>, String> {
            let Some(x) = get(&l, key)? else {
                return Ok(None);
            };
            let bad = || format!("limits.{key}: expected a non-negative integer");
            let f = x.as_f64().ok_or_else(bad)?;
            // Integers up to 2^53 only: every such f64 converts to u64 exactly.
            if !((0.0..=9_007_199_254_740_991.0).contains(&f) && f.fract() == 0.0) {
                return Err(bad());
            }
            // The range and fract checks above make this conversion exact.
            #[allow(clippy::cast_possible_truncation)]
            let n = f as u64;
            Ok(Some(n))
        };
        let size = |key: &str| -> Result<Option<usize>, String> {
            num(key)?
                .map(|n| usize::try_from(n).map_err(|_| format!("limits.{key}: too large")))
                .transpose()
        };
        let d = Limits::default();
        o.limits = Limits {
            max_depth: size("max_depth")?.unwrap_or(d.max_depth),
            max_entries: size("max_entries")?.unwrap_or(d.max_entries),
            max_total_inflated: num("max_total_inflated")?.unwrap_or(d.max_total_inflated),
            max_entry_inflated: num("max_entry_inflated")?.unwrap_or(d.max_entry_inflated),
            max_ratio: num("max_ratio")?.unwrap_or(d.max_ratio),
            max_password_attempts: size("max_password_attempts")?
                .unwrap_or(d.max_password_attempts),
            work: num("work")?.unwrap_or(d.work),
        };
    }
    Ok(o)
}

/// Check one file. `options` is `{trusted_domains, org_names, passwords, limits}` (all optional).
/// Returns `{report, text_ja, text_en}`.
#[wasm_bindgen]
pub fn check(bytes: &[u8], name: &str, options: JsValue) -> Result<JsValue, JsError> {
    let opts = options_from_js(&options).map_err(|e| JsError::new(&format!("bad options: {e}")))?;
    let report = crate::check(bytes, name, &opts);
    let out = Output {
        text_ja: crate::render::text(&report, Lang::Ja, false),
        text_en: crate::render::text(&report, Lang::En, false),
        report: &report,
    };
    to_js(&out)
}

/// The report as a JSON string, byte-for-byte what `tenpu check --json` prints (the same
/// serde_json serializer; [`check`] goes through it too, see [`to_js`]).
#[wasm_bindgen]
pub fn check_json(bytes: &[u8], name: &str, options_json: &str) -> Result<String, JsError> {
    let opts: Options = if options_json.trim().is_empty() {
        Options::default()
    } else {
        let v = js_sys::JSON::parse(options_json)
            .map_err(|_| JsError::new("bad options: not valid JSON"))?;
        options_from_js(&v).map_err(|e| JsError::new(&format!("bad options: {e}")))?
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
    fn options_are_read_field_by_field_and_wrong_types_are_errors() {
        let js = |s: &str| js_sys::JSON::parse(s).unwrap();
        let o = super::options_from_js(&js(r#"{"trusted_domains":["a.example","b.example"],
            "org_names":["日本医師会"],"passwords":["pw"],"other":1,
            "limits":{"max_depth":3,"max_entries":5,"max_total_inflated":9007199254740991,
                      "max_entry_inflated":0,"max_ratio":7,"max_password_attempts":2}}"#))
        .unwrap();
        assert_eq!(o.trusted_domains, ["a.example", "b.example"]);
        assert_eq!(o.org_names, ["日本医師会"]);
        assert_eq!(o.passwords, ["pw"]);
        let l = &o.limits;
        assert_eq!(
            (l.max_depth, l.max_entries, l.max_password_attempts),
            (3, 5, 2)
        );
        assert_eq!(
            (l.max_total_inflated, l.max_entry_inflated, l.max_ratio),
            (9_007_199_254_740_991, 0, 7)
        );
        // Absent and null keys keep their defaults, limits too.
        let d = crate::options::Limits::default();
        let o =
            super::options_from_js(&js(r#"{"passwords":null,"limits":{"max_ratio":5}}"#)).unwrap();
        assert!(o.passwords.is_empty() && o.trusted_domains.is_empty());
        assert_eq!((o.limits.max_ratio, o.limits.max_depth), (5, d.max_depth));
        assert_eq!(
            super::options_from_js(&JsValue::UNDEFINED)
                .unwrap()
                .limits
                .max_depth,
            d.max_depth
        );
        for bad in [
            r#""trusted""#,
            r#"[]"#,
            r#"{"trusted_domains":"a.example"}"#,
            r#"{"org_names":[1]}"#,
            r#"{"passwords":[["x"]]}"#,
            r#"{"limits":[]}"#,
            r#"{"limits":{"max_depth":-1}}"#,
            r#"{"limits":{"max_depth":1.5}}"#,
            r#"{"limits":{"max_ratio":"7"}}"#,
            r#"{"limits":{"max_total_inflated":9007199254740992}}"#,
            r#"{"limits":{"max_depth":1e300}}"#,
        ] {
            assert!(super::options_from_js(&js(bad)).is_err(), "{bad}");
            assert!(wasm::check_json(b"x", "a.txt", bad).is_err(), "{bad}");
        }
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
