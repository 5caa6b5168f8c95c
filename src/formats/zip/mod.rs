//! ZIP archives (PKWARE APPNOTE 6.3.x). Owned by the archive work.

use crate::engine::Ctx;
use crate::report::Location;

pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], name: &str, loc: &Location) {
    let _ = (ctx, bytes, name, loc);
}
