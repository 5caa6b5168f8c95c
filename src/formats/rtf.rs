//! RTF documents (RTF 1.9.1 spec). Not parsed yet.

use crate::engine::Ctx;
use crate::report::Location;

pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let _ = bytes;
    ctx.not_inspected(loc, "RTF document: embedded objects inside were not inspected");
}
