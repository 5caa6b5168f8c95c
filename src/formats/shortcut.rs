//! Windows shortcuts ([MS-SHLLINK]) and Internet shortcuts (`.url`). Not parsed yet: the header
//! alone is reported.

use crate::detect::Kind;
use crate::engine::Ctx;
use crate::report::Location;

pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], kind: Kind, loc: &Location) {
    let _ = bytes;
    let what = match kind {
        Kind::Url => "Internet shortcut (.url): opening it goes to its target",
        _ => "Windows shortcut (MS-SHLLINK header): opening it runs its target",
    };
    ctx.finding("file.shortcut", loc, what);
}
