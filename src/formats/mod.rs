//! One module per file format. Each parses its format (spec sections cited in the module
//! header) separately from the checks it runs, and hands what it contains back to
//! [`crate::engine::Ctx::analyze`].

pub mod disk;
pub mod file;
pub mod html;
pub mod mail;
pub mod msg;
pub mod office;
pub mod onenote;
pub mod padding;
pub mod pdf;
pub mod rtf;
pub mod shortcut;
pub mod zip;

/// Named parts of a container, read on demand. OOXML analysis reads its parts through this, so
/// the office module does not depend on how the ZIP is read.
pub trait PartSource {
    /// Every part name (ZIP entry path, `/`-separated, as stored).
    fn part_names(&self) -> Vec<String>;
    /// Read one part, charging the check's budgets. `None` when there is no such part;
    /// `Some(Err(reason))` when it exists but could not be read.
    fn read_part(
        &mut self,
        ctx: &mut crate::engine::Ctx<'_>,
        name: &str,
    ) -> Option<Result<Vec<u8>, String>>;
}
