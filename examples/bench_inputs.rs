//! Writes the benchmark inputs (`tests/common/benchgen.rs`) and `manifest.json` describing them,
//! for `make bench`: `cargo run --release --example bench_inputs -- DIR [--max-size BYTES]`.
//! Files already there with the right size are kept (the 600 MB ones take a while to write).
//!
//! manifest.json: `[{"file", "series", "size" (content bytes the series is named by),
//! "expected" (verdict), "path"}]`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use common::benchgen as b;

const KB: u64 = 1000;
const MB: u64 = 1000 * 1000;
/// The scaling sizes of the issue: 100 KB to 600 MB.
const SIZES: &[(u64, &str)] = &[
    (100 * KB, "100k"),
    (MB, "1m"),
    (10 * MB, "10m"),
    (100 * MB, "100m"),
    (600 * MB, "600m"),
];

struct Entry {
    file: String,
    series: &'static str,
    size: u64,
}

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: bench_inputs DIR [--max-size BYTES]");
        return std::process::ExitCode::from(2);
    };
    let mut max_size = u64::MAX;
    while let Some(a) = args.next() {
        if a == "--max-size" {
            max_size = args.next().and_then(|v| v.parse().ok()).unwrap_or(u64::MAX);
        }
    }
    match run(Path::new(&dir), max_size) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_inputs: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// Write `name` with `write` unless a file of `expect_len` bytes (when known) is already there.
fn put(
    dir: &Path,
    name: &str,
    expect_len: Option<u64>,
    write: impl FnOnce(&Path) -> std::io::Result<()>,
) -> std::io::Result<PathBuf> {
    let p = dir.join(name);
    if let (Some(n), Ok(m)) = (expect_len, std::fs::metadata(&p)) {
        if m.len() == n {
            return Ok(p);
        }
    }
    let tmp = dir.join(format!(".{name}.tmp"));
    write(&tmp)?;
    std::fs::rename(&tmp, &p)?;
    eprintln!("wrote {}", p.display());
    Ok(p)
}

fn bytes(p: &Path, data: &[u8]) -> std::io::Result<()> {
    std::fs::write(p, data)
}

fn run(dir: &Path, max_size: u64) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut out: Vec<Entry> = Vec::new();
    let mut add = |file: String, series: &'static str, size: u64| {
        out.push(Entry { file, series, size });
    };

    // The typical Emotet mail and the 20 MB attachment (the browser measurements).
    let mail = b::emotet_mail(150 * KB as usize);
    put(dir, "emotet-150k.eml", None, |p| bytes(p, &mail))?;
    add("emotet-150k.eml".into(), "emotet_mail", mail.len() as u64);
    let big = b::big_attachment_mail(20 * MB);
    put(dir, "attachment-20m.eml", None, |p| bytes(p, &big))?;
    add("attachment-20m.eml".into(), "big_attachment_mail", 20 * MB);
    drop(big);

    // Password trials.
    for (aes, name) in [(false, "pw-zipcrypto.zip"), (true, "pw-aes256.zip")] {
        let z = b::password_zip(aes);
        put(dir, name, None, |p| bytes(p, &z))?;
        add(name.into(), "password_zip", z.len() as u64);
    }

    // Scaling series.
    for &(size, label) in SIZES.iter().filter(|(s, _)| *s <= max_size) {
        let name = format!("padded-doc-zip-{label}.zip");
        let z = b::padded_doc_zip(size);
        put(dir, &name, None, |p| bytes(p, &z))?;
        add(name, "padded_doc_zip", size);

        let name = format!("padded-doc-{label}.doc");
        put(dir, &name, Some(size), |p| {
            let mut w = BufWriter::new(File::create(p)?);
            b::write_padded_doc(&mut w, size)?;
            w.flush()
        })?;
        add(name, "padded_doc", size);

        let name = format!("clean-zip-{label}.zip");
        // The stored/deflated mix makes the file size unknown in advance: rebuild only when absent.
        let p = dir.join(&name);
        if !p.exists() {
            put(dir, &name, None, |p| {
                b::write_clean_zip(BufWriter::new(File::create(p)?), size)
                    .map_err(std::io::Error::other)?
                    .into_inner()
                    .map_err(|e| e.into_error())?
                    .sync_all()
            })?;
        }
        add(name, "clean_zip", size);
    }
    for n in [10usize, 100, 990] {
        let name = format!("mail-{n}-attachments.eml");
        let m = b::many_attachments_mail(n);
        put(dir, &name, None, |p| bytes(p, &m))?;
        add(name, "many_attachments", n as u64);
    }

    let mut json = String::from("[\n");
    for (i, e) in out.iter().enumerate() {
        let path = dir.join(&e.file);
        json.push_str(&format!(
            "  {{\"file\": {:?}, \"series\": {:?}, \"size\": {}, \"bytes\": {}, \"expected\": {:?}}}{}\n",
            e.file,
            e.series,
            e.size,
            std::fs::metadata(&path)?.len(),
            b::expected_verdict(e.series, e.size),
            if i + 1 < out.len() { "," } else { "" }
        ));
    }
    json.push_str("]\n");
    std::fs::write(dir.join("manifest.json"), json)?;
    println!("{}", dir.join("manifest.json").display());
    Ok(())
}
