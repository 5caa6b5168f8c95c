//! Tenpu: a mail and attachment checker.
//!
//! The core takes bytes, a file name and [`Options`], and returns a [`Report`]. It does no I/O
//! and reads no clock, so the same code runs in the native CLI and, compiled to WebAssembly,
//! inside the page.
//!
//! Layout: [`detect`] decides a file's type from its content; [`engine`] walks containers
//! recursively and holds the budgets; [`formats`] has one folder per format (parsing separate
//! from the checks); [`policy`] turns findings into a verdict; [`codes`] holds the finding
//! codes and their Japanese and English texts.

// No panics on hostile input (issue 5): the whole library is denied these lints in non-test
// builds (tests may unwrap); `make lint`, run by `make test`, checks them natively and for
// wasm32, whose 32-bit usize is where a narrowing `u64 as usize` would bite. Use `get(..)`,
// `checked_*`/`saturating_*`, `try_from`, iterators and slice patterns; an `allow` only on one
// item, with a comment proving it cannot panic or overflow.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented,
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::arithmetic_side_effects,
        clippy::panic_in_result_fn,
        clippy::cast_possible_truncation
    )
)]

pub mod bytes;
pub mod codes;
pub mod detect;
pub mod engine;
pub mod formats;
#[doc(hidden)]
pub mod fuzzing;
pub mod options;
pub mod policy;
pub mod render;
pub mod report;
#[cfg(test)]
mod testing;
pub mod text;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use codes::Lang;
pub use options::{Limits, Options};
pub use report::{Finding, Location, Report, Severity, Verdict};

/// Check one input (a mail or a bare attachment) and return its report.
///
/// `name` is the file name as the user sees it; it is used for locations and for the
/// name-based checks, never to decide the type.
pub fn check(bytes: &[u8], name: &str, opts: &Options) -> Report {
    let mut ctx = engine::Ctx::new(opts);
    let kind = detect::sniff(bytes, name);
    // An Outlook .msg is a mail too: its findings sit under "mail" as for an .eml.
    let root = if kind == detect::Kind::Mail
        || (kind == detect::Kind::Ole && formats::msg::is_message(bytes))
    {
        "mail".to_string()
    } else if name.is_empty() {
        "input".to_string()
    } else {
        name.to_string()
    };
    ctx.analyze(bytes, name, &Location::root(root), engine::Via::Input);
    ctx.finish(name)
}
