//! OneNote sections ([MS-ONESTORE]). Not opened yet.

use crate::engine::Ctx;
use crate::report::Location;

pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let _ = bytes;
    ctx.not_inspected(loc, "OneNote file: files embedded inside were not inspected");
}
