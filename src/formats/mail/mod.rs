//! RFC 5322 / MIME messages (`.eml`). Owned by the mail work: parsing with mail-parser, the
//! `mail.*` checks, password candidates from the body, and attachments handed back to the engine.

use crate::engine::Ctx;
use crate::report::Location;

pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let _ = (ctx, bytes, loc);
}
