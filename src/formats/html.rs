//! HTML attachments (HTML smuggling checks). Not written yet: plain HTML is not flagged.

use crate::engine::Ctx;
use crate::report::Location;

pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let _ = (ctx, bytes, loc);
}
