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

use std::path::PathBuf;

/// `../shared/corpus` beside the project, if present.
pub fn corpus_dir() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    p.is_dir().then_some(p)
}
