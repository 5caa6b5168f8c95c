//! Fixture builders (see mod.rs).
