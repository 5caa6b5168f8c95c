//! Outlook messages ([MS-OXMSG]), a Compound File. Not read yet.

use crate::engine::Ctx;
use crate::formats::office::ole::Cfb;
use crate::report::Location;

pub fn analyze(ctx: &mut Ctx<'_>, cfb: &Cfb<'_>, loc: &Location) {
    let _ = cfb;
    ctx.not_inspected(loc, "Outlook message (.msg): its sender, text and attachments were not inspected");
}
