//! Fixture builders shared by the integration, golden and corpus tests. Everything is built in
//! code (no fixture binaries in the repository).
#![allow(dead_code)]

pub mod benchgen;
pub mod carriergen;
pub mod docgen;
pub mod fixtures;
pub mod mailgen;
pub mod msggen;
pub mod olegen;
pub mod zipgen;

use std::path::{Path, PathBuf};

/// `../shared/corpus` beside the project, if present.
pub fn corpus_dir() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    p.is_dir().then_some(p)
}

/// Every file below `dir` (recursively), sorted; unreadable folders are passed over.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.is_file() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
