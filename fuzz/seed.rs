//! Fills `corpus/<target>/` with seeds: `seed OUT_DIR INPUT_DIR...` walks the inputs (the shared
//! corpus, the built fixtures) and sorts each file by its detected type (tenpu's own sniffing),
//! writing what each target reads:
//!
//! | target | seeds |
//! |---|---|
//! | check | every file up to 512 KiB |
//! | mime | mails (`.eml`) |
//! | msg | Outlook messages, and their compressed-RTF streams (LZFu) |
//! | zip | ZIP files |
//! | ole | compound files |
//! | vba_decompress | compressed `dir` streams and module sources (from MODULEOFFSET on) of VBA projects |
//! | biff | `Workbook` / `Book` streams of compound files |
//! | lnk | shell links |
//! | iso | ISO 9660 / UDF images without their 32 KiB system area (the target puts it back) |
//! | onenote, rtf, pdf | files of that type |
//!
//! Seed files are named by a hash of their content, so running this twice adds nothing.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use tenpu::detect::{sniff, Kind};
use tenpu::formats::office::ole::{Cfb, EntryKind};
use tenpu::formats::office::vba;

/// Largest seed kept for any target (libFuzzer's -max_len cuts further per target).
const MAX_SEED: usize = 512 << 10;
/// Files larger than this are not read at all.
const MAX_FILE: u64 = 8 << 20;

fn main() -> std::process::ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let Some((out, inputs)) = args.split_first() else {
        eprintln!("usage: seed OUT_DIR INPUT_DIR...");
        return std::process::ExitCode::from(2);
    };
    let mut files = Vec::new();
    for dir in inputs {
        if dir.exists() {
            walk(dir, &mut files);
        } else {
            eprintln!("seed: skipping {} (absent)", dir.display());
        }
    }
    files.sort();
    let mut counts: std::collections::BTreeMap<&'static str, usize> = Default::default();
    for path in &files {
        let Ok(meta) = std::fs::metadata(path) else {
            continue;
        };
        if meta.len() > MAX_FILE {
            continue;
        }
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let mut found = seeds(&bytes, name);
        // Some test suites keep binary samples base64-encoded (LnkParse3): seed the decoded file.
        if let Some(decoded) = tenpu::bytes::base64(&bytes, tenpu::bytes::Base64Other::Reject) {
            if !matches!(sniff(&decoded, name), Kind::Text | Kind::Unknown) {
                found.extend(seeds(&decoded, name));
            }
        }
        for (target, seed) in found {
            if seed.is_empty() || seed.len() > MAX_SEED {
                continue;
            }
            let dir = out.join(target);
            if std::fs::create_dir_all(&dir).is_err() {
                eprintln!("seed: cannot create {}", dir.display());
                return std::process::ExitCode::from(2);
            }
            let mut h = DefaultHasher::new();
            seed.hash(&mut h);
            let file = dir.join(format!("{:016x}", h.finish()));
            if !file.exists() && std::fs::write(&file, &seed).is_ok() {
                *counts.entry(target).or_default() += 1;
            }
        }
    }
    for (t, n) in counts {
        println!("seed: {t}: {n} new seeds");
    }
    std::process::ExitCode::SUCCESS
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(&p, files),
            Ok(t) if t.is_file() => files.push(p),
            _ => {}
        }
    }
}

/// The seeds one input file gives, by target.
fn seeds(bytes: &[u8], name: &str) -> Vec<(&'static str, Vec<u8>)> {
    let mut v: Vec<(&'static str, Vec<u8>)> = vec![("check", bytes.to_vec())];
    let kind = sniff(bytes, name);
    let lower = name.to_ascii_lowercase();
    match kind {
        Kind::Mail => v.push(("mime", bytes.to_vec())),
        Kind::Zip => v.push(("zip", bytes.to_vec())),
        Kind::Lnk => v.push(("lnk", bytes.to_vec())),
        Kind::OneNote => v.push(("onenote", bytes.to_vec())),
        Kind::Rtf => v.push(("rtf", bytes.to_vec())),
        Kind::Pdf => v.push(("pdf", bytes.to_vec())),
        Kind::Iso | Kind::Udf => {
            if let Some(rest) = bytes.get(0x8000..) {
                v.push(("iso", rest.to_vec()));
            }
        }
        Kind::Ole => {
            v.push(("ole", bytes.to_vec()));
            ole_seeds(bytes, &mut v);
        }
        _ if lower.ends_with(".eml") => v.push(("mime", bytes.to_vec())),
        _ => {}
    }
    v
}

fn ole_seeds(bytes: &[u8], v: &mut Vec<(&'static str, Vec<u8>)>) {
    let Ok(cfb) = Cfb::open(bytes) else { return };
    if tenpu::formats::msg::is_message_cfb(&cfb) {
        v.push(("msg", bytes.to_vec()));
    }
    for e in cfb.entries.iter().filter(|e| e.kind == EntryKind::Stream) {
        let n = e.name();
        if n == "Workbook" || n == "Book" {
            if let Ok(d) = cfb.read(e, MAX_SEED) {
                v.push(("biff", d));
            }
        } else if n.starts_with("__substg1.0_10090102") {
            if let Ok(d) = cfb.read(e, MAX_SEED) {
                v.push(("msg", d));
            }
        }
    }
    for storage in vba::find_projects(&cfb) {
        let streams: Vec<_> = cfb.children(storage).collect();
        let Some(dir) = streams
            .iter()
            .find(|e| e.name().eq_ignore_ascii_case("dir"))
        else {
            continue;
        };
        let Ok(raw) = cfb.read(dir, MAX_SEED) else {
            continue;
        };
        let info = vba::dir::parse_dir(
            &vba::decompress::decompress(&raw, MAX_SEED).data,
            vba::decode_cp,
        );
        v.push(("vba_decompress", raw));
        for m in info.modules {
            let Some(s) = streams
                .iter()
                .find(|e| e.name().eq_ignore_ascii_case(&m.stream_name))
            else {
                continue;
            };
            if let Ok(d) = cfb.read(s, MAX_SEED) {
                if let Some(src) = d.get(m.text_offset as usize..) {
                    v.push(("vba_decompress", src.to_vec()));
                }
            }
        }
    }
}
