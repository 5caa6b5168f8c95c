//! In-process timing of `tenpu::check` for `make bench`: the native side of the wasm/native
//! comparison and of the password-trial rate, without process start-up or file reading.
//!
//! `cargo run --release --example bench_time -- [--rounds N] [--password P]… FILE…`
//! prints one JSON line per file: `{"file", "bytes", "rounds", "best_ms", "median_ms", "verdict"}`.

use std::time::Instant;

use tenpu::Options;

fn main() -> std::process::ExitCode {
    let mut rounds = 5usize;
    let mut passwords = Vec::new();
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => rounds = args.next().and_then(|v| v.parse().ok()).unwrap_or(5).max(1),
            "--password" => passwords.extend(args.next()),
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        eprintln!("usage: bench_time [--rounds N] [--password P]… FILE…");
        return std::process::ExitCode::from(2);
    }
    let opts = Options {
        passwords,
        ..Options::default()
    };
    for f in &files {
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("bench_time: {f}: {e}");
                return std::process::ExitCode::from(2);
            }
        };
        let name = std::path::Path::new(f)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut times = Vec::with_capacity(rounds);
        let mut verdict = String::new();
        for _ in 0..rounds {
            let t = Instant::now();
            let r = tenpu::check(&bytes, &name, &opts);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            verdict = r.verdict.as_str().to_string();
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{}",
            serde_json::json!({
                "file": f,
                "bytes": bytes.len(),
                "rounds": rounds,
                "best_ms": times[0],
                "median_ms": times[times.len() / 2],
                "verdict": verdict,
            })
        );
    }
    std::process::ExitCode::SUCCESS
}
