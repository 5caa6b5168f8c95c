//! Writes the fixture set (`tests/common/fixtures.rs`) as files, for the browser tests and for
//! trying the CLI by hand: `cargo run --example fixtures -- target/fixtures`.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: fixtures OUTPUT_DIR");
        return std::process::ExitCode::from(2);
    };
    let dir = std::path::PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("fixtures: cannot create {}: {e}", dir.display());
        return std::process::ExitCode::from(2);
    }
    for fx in common::fixtures::all() {
        let path = dir.join(fx.file);
        if let Err(e) = std::fs::write(&path, &fx.bytes) {
            eprintln!("fixtures: cannot write {}: {e}", path.display());
            return std::process::ExitCode::from(2);
        }
        println!("{}", path.display());
    }
    std::process::ExitCode::SUCCESS
}
