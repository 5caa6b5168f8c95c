//! Disk images: ISO 9660 (ECMA-119), UDF (ECMA-167), VHD/VHDX. Not opened yet.

use crate::detect::Kind;
use crate::engine::Ctx;
use crate::report::Location;

pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], kind: Kind, loc: &Location) {
    let _ = bytes;
    ctx.not_inspected(loc, format!("disk image ({}): the files inside were not inspected", kind.as_str()));
}
