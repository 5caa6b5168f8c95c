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

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    v.serialize(&ser).map_err(|e| JsError::new(&e.to_string()))
}

/// Check one file. `options` is `{trusted_domains, org_names, passwords, limits}` (all optional).
/// Returns `{report, text_ja, text_en}`.
#[wasm_bindgen]
pub fn check(bytes: &[u8], name: &str, options: JsValue) -> Result<JsValue, JsError> {
    let opts: Options = if options.is_undefined() || options.is_null() {
        Options::default()
    } else {
        serde_wasm_bindgen::from_value(options).map_err(|e| JsError::new(&format!("bad options: {e}")))?
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
        serde_json::from_str(options_json).map_err(|e| JsError::new(&format!("bad options: {e}")))?
    };
    serde_json::to_string(&crate::check(bytes, name, &opts)).map_err(|e| JsError::new(&e.to_string()))
}

/// Every finding code with its texts, and the verdict texts: `{codes: [...], verdicts: [...]}`.
#[wasm_bindgen]
pub fn texts() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct All {
        codes: &'static [codes::CodeInfo],
        verdicts: &'static [codes::VerdictText],
    }
    to_js(&All { codes: codes::CODES, verdicts: codes::VERDICTS })
}

/// The crate version, shown in the page footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
