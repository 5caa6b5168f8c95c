//! PDF documents (ISO 32000). Not parsed yet.

use crate::engine::Ctx;
use crate::report::Location;

pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let _ = bytes;
    ctx.not_inspected(loc, "PDF document: scripts, actions and embedded files inside were not inspected");
}
