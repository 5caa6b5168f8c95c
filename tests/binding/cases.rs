//! Built-in inputs whose reports are pinned in this folder's golden JSON files. Shared by the
//! native test (`tests/wasm_binding.rs`) and the wasm test (`src/wasm.rs`, `#[cfg(test)]`):
//! both assert the same goldens, so the binding returns what the CLI prints for the same bytes.
//! Regenerate with `TENPU_BLESS=1 cargo test --test wasm_binding` when the core changes on purpose.

#![allow(dead_code)]

/// One built-in input.
pub struct Case {
    pub golden: &'static str,
    pub name: &'static str,
    pub bytes: fn() -> Vec<u8>,
    pub options_json: &'static str,
}

fn text_bytes() -> Vec<u8> {
    "買い物リスト\n牛乳\nパン\n".as_bytes().to_vec()
}

/// The smallest thing the core calls a PE: `MZ`, `e_lfanew` at 0x3C pointing at `PE\0\0`.
fn pe_bytes() -> Vec<u8> {
    let mut b = vec![0u8; 0x200];
    b[0] = b'M';
    b[1] = b'Z';
    b[0x3C] = 0x80;
    b[0x80..0x84].copy_from_slice(b"PE\0\0");
    b
}

fn empty_bytes() -> Vec<u8> {
    Vec::new()
}

pub const CASES: &[Case] = &[
    Case {
        golden: "notes.txt.json",
        name: "notes.txt",
        bytes: text_bytes,
        options_json: "",
    },
    Case {
        golden: "invoice.exe.json",
        name: "invoice.exe",
        bytes: pe_bytes,
        options_json: "",
    },
    Case {
        golden: "double-extension.json",
        name: "請求書.pdf.exe",
        bytes: pe_bytes,
        options_json: r#"{"trusted_domains":["med.or.jp"],"org_names":["日本医師会"]}"#,
    },
    Case {
        golden: "empty.json",
        name: "",
        bytes: empty_bytes,
        options_json: "",
    },
];

pub const GOLDEN_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/binding");

/// The goldens, compiled in (the wasm test has no file system).
pub fn golden(name: &str) -> &'static str {
    match name {
        "notes.txt.json" => include_str!("notes.txt.json"),
        "invoice.exe.json" => include_str!("invoice.exe.json"),
        "double-extension.json" => include_str!("double-extension.json"),
        "empty.json" => include_str!("empty.json"),
        other => panic!("no golden {other}"),
    }
}
