//! Office documents: OLE/CFB ([MS-CFB]), VBA projects ([MS-OVBA]), BIFF8 ([MS-XLS]) and OOXML
//! (ECMA-376). Owned by the office work.

use crate::engine::Ctx;
use crate::formats::PartSource;
use crate::report::Location;

/// An OLE2 / Compound File (`.doc`, `.xls`, `.ppt`, ...).
pub fn analyze_ole(ctx: &mut Ctx<'_>, bytes: &[u8], name: &str, loc: &Location) {
    let _ = (ctx, bytes, name, loc);
}

/// An OOXML package (a ZIP with `[Content_Types].xml`).
pub fn analyze_ooxml(ctx: &mut Ctx<'_>, parts: &mut dyn PartSource, loc: &Location) {
    let _ = (ctx, parts, loc);
}
