//! Padded files (`file.padded`): the 2023 Emotet trick of inflating a small document to hundreds
//! of megabytes with one repeated byte (zeros) so scanners skip it for its size.
//!
//! There is no format spec for padding; the parts it relies on are:
//! - CFB ([MS-CFB] 2.2 header, 2.6 sectors): a compound file is read through its sector chains,
//!   so bytes appended after the last used sector do not change it. The real document is the
//!   front; the padding is a trailing run of one byte value.
//! - PE ([Microsoft PE/COFF] overlay): data after the last section is ignored by the loader, the
//!   same trick for executables.
//! - ZIP (APPNOTE 4.4.8/4.4.9): the declared uncompressed size of an entry, checked by reading
//!   a bounded front and a bounded sample of the tail (see [`RunScan`] and `zip/mod.rs`).
//!
//! Two places use this:
//! 1. [`trim`], called by [`crate::engine::Ctx::analyze`] for every object: a trailing run of one
//!    byte value of at least [`MIN_TAIL`] bytes that makes up at least half of the file, after a
//!    front whose type is recognised → `file.padded`, and the checks go on with the front only.
//!    Disk images (ISO/UDF/VHD) are exempt: unallocated space at their end is normal. A front of
//!    unknown type (raw data, firmware filled with 0xFF) is not reported either.
//! 2. The ZIP module, for an entry declaring at least [`ZIP_MIN_DECLARED`] bytes at a ratio of at
//!    least [`ZIP_MIN_RATIO`]:1: the entry is inflated through a [`RunScan`] that keeps only the
//!    first [`FRONT_KEEP`] bytes, and stops [`TAIL_SAMPLE`] bytes into the trailing run. It is
//!    never inflated whole.
//!
//! Padding versus a zip bomb: a bomb of zeros has no front (the run starts at offset 0) or
//! declares an impossible ratio; both stay `archive.limit_exceeded`. Padding is a recognised
//! document or program followed by the run. The ZIP check stops after the first 64 KiB when the
//! entry is a run from its first byte or its start is of no recognised type, so bombs cost
//! nothing extra. Encrypted entries are tried with the password candidates; the one whose
//! first 4 KiB is a recognised type is used (and credited like any other opening).
//!
//! The front handed on is cut per format ([`front_end`]): a compound file keeps whole sectors
//! plus a 1 MiB margin of the run, a ZIP keeps its end record, anything else ends where the run
//! starts.

use crate::detect::{self, Kind};
use crate::engine::Ctx;
use crate::report::Location;

const MIB: u64 = 1024 * 1024;
/// Shortest trailing run reported as padding.
pub const MIN_TAIL: u64 = 8 * MIB;
/// ZIP entries declaring at least this much are checked for padding before any size limit.
pub const ZIP_MIN_DECLARED: u64 = 100 * MIB;
/// ... when their declared compression ratio is at least this (real documents: 2–10:1).
pub const ZIP_MIN_RATIO: u64 = 50;
/// Front of a padded ZIP entry kept in memory (the real document must fit in it).
pub const FRONT_KEEP: u64 = 32 * MIB;
/// How far into the trailing run a padded ZIP entry is inflated before deciding.
pub const TAIL_SAMPLE: u64 = 16 * MIB;
/// The front handed on is cut at this boundary, so a document keeps whole sectors (CFB sectors
/// are 512 or 4096 bytes).
const ALIGN: u64 = 4096;
/// ... and keeps this much of the run: a document whose last streams are themselves zeros (a
/// zero-filled table at the end of a CFB) still has every sector its allocation table names.
/// Unreferenced zero sectors after the real ones do not change how it is read.
const MARGIN: u64 = 1024 * 1024;

/// Start of the trailing run of one byte value, and that value. `None` for empty input.
pub fn tail_run(bytes: &[u8]) -> Option<(usize, u8)> {
    let last = *bytes.last()?;
    let start = bytes
        .iter()
        .rposition(|&b| b != last)
        .map_or(0, |p| p.saturating_add(1));
    Some((start, last))
}

/// Where the front handed on ends, in `data` (what is held) whose trailing run starts at
/// `run_start`:
/// - a compound file: the run start plus [`MARGIN`], rounded up to [`ALIGN`] (it is read through
///   sector chains, so whole sectors and unreferenced zero sectors are harmless);
/// - a ZIP: just after its end-of-central-directory record (APPNOTE 4.3.16), whose last field
///   (the comment length) is itself zeros;
/// - anything else: the run start.
pub fn front_end(data: &[u8], run_start: usize, kind: Kind) -> usize {
    let len = data.len();
    match kind {
        Kind::Ole => {
            let rounded = (run_start as u64)
                .saturating_add(MARGIN)
                .div_ceil(ALIGN)
                .saturating_mul(ALIGN);
            usize::try_from(rounded).unwrap_or(usize::MAX).min(len)
        }
        Kind::Zip => {
            let hi = run_start.saturating_add(22).min(len);
            let lo = run_start.saturating_sub(22 + 65_535);
            let win = data.get(lo..hi).unwrap_or(&[]);
            match memchr::memmem::rfind(win, b"PK\x05\x06") {
                Some(p) => lo
                    .saturating_add(p)
                    .saturating_add(22)
                    .max(run_start)
                    .min(len),
                None => run_start.min(len),
            }
        }
        _ => run_start.min(len),
    }
}

/// The type of a front ending at `run_start`.
fn front_kind(bytes: &[u8], run_start: usize, name: &str) -> Kind {
    detect::sniff(bytes.get(..run_start).unwrap_or(bytes), name)
}

/// Whether a front of this type makes a trailing run padding (see the module header).
fn front_counts(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::Unknown
            | Kind::Iso
            | Kind::Udf
            | Kind::Vhd
            | Kind::Img
            | Kind::Png
            | Kind::Jpeg
            | Kind::Gif
    )
}

/// Whether `head` (the start of a file) is of a type that makes a trailing run padding.
pub fn recognised(head: &[u8], name: &str) -> bool {
    front_counts(detect::sniff(head, name))
}

/// Human-readable size.
pub fn size(n: u64) -> String {
    if n >= MIB {
        format!("{n} bytes ({} MiB)", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

/// The engine hook: if `bytes` is padded, report `file.padded` at `loc` and return the front and
/// its type; otherwise return the input unchanged.
pub fn trim<'b>(
    ctx: &mut Ctx<'_>,
    bytes: &'b [u8],
    name: &str,
    kind: Kind,
    loc: &Location,
) -> (&'b [u8], Kind) {
    let len = bytes.len() as u64;
    if len < MIN_TAIL || matches!(kind, Kind::Iso | Kind::Udf | Kind::Vhd | Kind::Img) {
        return (bytes, kind);
    }
    let Some((start, byte)) = tail_run(bytes) else {
        return (bytes, kind);
    };
    let tail = len.saturating_sub(start as u64);
    if start == 0 || tail < MIN_TAIL || tail.saturating_mul(2) < len {
        return (bytes, kind);
    }
    let front_kind = front_kind(bytes, start, name);
    if !front_counts(front_kind) {
        return (bytes, kind);
    }
    let end = front_end(bytes, start, front_kind);
    let Some(front) = bytes.get(..end) else {
        return (bytes, kind);
    };
    ctx.finding_tagged(
        "file.padded",
        loc,
        format!(
            "{} file of {}: the content ends at offset {start}, followed by {} of byte 0x{byte:02X} to the end; the first {} were checked",
            front_kind.as_str(),
            size(len),
            size(tail),
            size(end as u64)
        ),
        vec![front_kind.as_str()],
    );
    ctx.note(
        loc,
        format!(
            "padded: checked the first {} (the content before the padding)",
            size(end as u64)
        ),
    );
    (front, front_kind)
}

/// Streaming view of a large output: keeps the first `keep` bytes and tracks the trailing run
/// of one byte value over everything fed, without keeping the rest.
#[derive(Debug)]
pub struct RunScan {
    pub kept: Vec<u8>,
    keep: usize,
    /// Bytes fed so far.
    pub total: u64,
    /// Start of the current trailing run, and its byte.
    pub run: Option<(u64, u8)>,
}

impl RunScan {
    pub fn new(keep: u64) -> Self {
        RunScan {
            kept: Vec::new(),
            keep: usize::try_from(keep).unwrap_or(usize::MAX),
            total: 0,
            run: None,
        }
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        let Some(&last) = chunk.last() else { return };
        let room = self.keep.saturating_sub(self.kept.len());
        self.kept
            .extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or(&[]));
        match chunk.iter().rposition(|&b| b != last) {
            Some(p) => {
                self.run = Some((self.total.saturating_add(p as u64).saturating_add(1), last))
            }
            None => {
                if self.run.is_none_or(|(_, b)| b != last) {
                    self.run = Some((self.total, last));
                }
            }
        }
        self.total = self.total.saturating_add(chunk.len() as u64);
    }

    /// Bytes of the current trailing run.
    pub fn run_len(&self) -> u64 {
        self.run.map_or(0, |(s, _)| self.total.saturating_sub(s))
    }

    /// The front up to the run (aligned, see [`front_end`]) if it was all kept and is a
    /// recognised type: the padded document.
    pub fn front(&self, name: &str) -> Option<(&[u8], Kind)> {
        let (start, _) = self.run?;
        if start == 0 || start > self.kept.len() as u64 {
            return None;
        }
        let start = usize::try_from(start).ok()?;
        let kind = front_kind(&self.kept, start, name);
        let end = front_end(&self.kept, start, kind);
        let front = self.kept.get(..end)?;
        front_counts(kind).then_some((front, kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_runs() {
        assert_eq!(tail_run(b""), None);
        assert_eq!(tail_run(b"\0\0\0"), Some((0, 0)));
        assert_eq!(tail_run(b"ab\0\0"), Some((2, 0)));
        assert_eq!(tail_run(b"abc"), Some((2, b'c')));
        let z = vec![0u8; 10 << 20];
        assert_eq!(front_end(&z, 1, Kind::Ole), (1 << 20) + 4096);
        assert_eq!(front_end(&z, 4096, Kind::Ole), (1 << 20) + 4096);
        assert_eq!(front_end(&z[..6000], 5000, Kind::Ole), 6000);
        assert_eq!(front_end(&z, 5000, Kind::Pe), 5000);
        let mut zip = b"PK\x03\x04....PK\x05\x06".to_vec();
        zip.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 0, 0]);
        let real = zip.len();
        zip.extend_from_slice(&[0u8; 100]);
        assert_eq!(front_end(&zip, real - 2, Kind::Zip), real);
    }

    #[test]
    fn run_scan_across_chunks() {
        let mut s = RunScan::new(8);
        s.feed(b"MZabc");
        s.feed(b"\0\0");
        s.feed(b"\0\0\0\0");
        assert_eq!(s.run, Some((5, 0)));
        assert_eq!(s.run_len(), 6);
        assert_eq!(s.kept, b"MZabc\0\0\0");
        s.feed(b"\0x");
        assert_eq!(s.run, Some((12, b'x')));
        s.feed(b"");
        assert_eq!(s.total, 13);
        let mut s = RunScan::new(100);
        s.feed(&[7, 7]);
        s.feed(&[7]);
        assert_eq!(s.run, Some((0, 7)));
        assert!(s.front("x").is_none());
    }
}
