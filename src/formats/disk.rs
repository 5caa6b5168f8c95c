//! Disk images: ISO 9660 with Joliet, UDF, and VHD/VHDX (recognised only).
//!
//! Parsing ([`parse_iso`], [`parse_udf`]) lists files as slices of the input; [`analyze`]
//! reports `file.disk_image` and hands every file to [`Ctx::analyze`].
//!
//! ISO 9660 — ECMA-119 (4th ed.):
//! - 8.1 volume descriptors from logical sector 16 (type, `CD001`), 8.4 Primary Volume Descriptor
//!   (8.4.12 logical block size at BP 129, 8.4.18 root directory record at BP 157, 8.4.6 volume
//!   identifier), 8.5 Supplementary Volume Descriptor; 8.3 terminator (type 255).
//! - 9.1 directory record (LEN_DR, extent location, data length, 9.1.6 file flags: bit 1
//!   directory, bit 7 multi-extent; LEN_FI and file identifier; 7.5.1 `;1` version suffix).
//! - Joliet (Microsoft, "Joliet Specification" 1995): an SVD whose escape sequences are `%/@`,
//!   `%/C` or `%/E` (UCS-2 level 1-3); its file identifiers are UCS-2 big-endian. Joliet names
//!   are preferred when present (they carry the Japanese names; the primary volume only 8.3).
//!
//! UDF — ECMA-167 (3rd ed.) with OSTA UDF 2.01:
//! - 3/7.2 descriptor tag (identifier, checksum of bytes 0-15 except 4, tag location).
//! - 3/10.2 Anchor Volume Descriptor Pointer at sector 256 (or the last sector, or N-256);
//!   3/10.1 PVD is not needed; 3/10.5 Partition Descriptor (partition number, starting location);
//!   3/10.6 Logical Volume Descriptor (logical block size, identifier, Logical Volume Contents
//!   Use = long_ad of the File Set Descriptor, partition maps 3/10.7: type 1, and type 2
//!   "*UDF Sparable Partition"/"*UDF Virtual Partition" mapped onto their physical partition —
//!   sparing tables and the VAT are not applied; OSTA UDF 2.50 2.2.10 "*UDF Metadata Partition":
//!   its blocks are read through the extents of the metadata file (2.2.13; the mirror is not
//!   used)); 3/10.8 Terminating Descriptor.
//! - 4/14.1 File Set Descriptor (root directory ICB at BP 400); 4/14.9 File Entry and
//!   4/14.17 Extended File Entry (ICB tag 4/14.6 file type 4 = directory; flags bits 0-2 =
//!   allocation descriptor type: 0 short_ad 4/14.14.1, 1 long_ad 4/14.14.2, 3 data embedded);
//!   4/14.4 File Identifier Descriptor (characteristics: 0x02 directory, 0x04 deleted, 0x08 parent;
//!   L_FI, L_IU, ICB long_ad; padded to 4 bytes); 1/7.2.12 / OSTA 2.1.1 CS0 d-characters
//!   (compression ID 8 = one byte, 16 = UCS-2 BE).
//!
//! VHD (Microsoft "Virtual Hard Disk Image Format Specification", footer cookie `conectix`) and
//! VHDX ([MS-VHDX] 2.2.1, signature `vhdxfile`) are recognised and reported, not opened.
//!
//! Hostile images: sizes read from the image never size an allocation (file contents are slices
//! of the input; a file recorded in several extents is copied, charged to the inflate budget);
//! directories are walked with a visited set, a depth bound and an entry cap; extents outside the
//! image are `archive.malformed` and make the report incomplete.
//!
//! Hybrid images carrying both ISO 9660 and UDF: both are read and the view listing more files is
//! inspected; on a tie the UDF view, because Windows mounts the UDF view of a bridge disc. When the
//! two views list different numbers of files, the evidence says so.

use std::collections::HashSet;

use crate::detect::Kind;
use crate::engine::{Ctx, Via};
use crate::report::Location;

const SECTOR: usize = 2048;
/// Most files and directories listed from one image.
pub const MAX_ENTRIES: usize = 10_000;
/// Deepest directory nesting walked.
const MAX_DEPTH: usize = 32;
/// Most volume descriptors read (ISO) or sectors of a volume descriptor sequence (UDF).
const MAX_DESCRIPTORS: usize = 64;
/// Most bytes copied from fragmented UDF files (directories included) before the rest is skipped.
const MAX_COPIED: u64 = 256 * 1024 * 1024;
/// Most extents of one UDF file.
const MAX_EXTENTS: usize = 1024;

/// A file's content: a slice of the input, or a copy when it is recorded in several extents.
#[derive(Debug, Clone)]
pub enum Data<'a> {
    Slice(&'a [u8]),
    Owned(Vec<u8>),
}

impl Data<'_> {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Data::Slice(s) => s,
            Data::Owned(v) => v,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// `/`-separated path inside the image.
    pub path: String,
    pub data: Data<'a>,
    /// Marked hidden (ISO 9660 file flag bit 0 "Existence"; UDF FID characteristic bit 0).
    pub hidden: bool,
}

/// One view of an image (ISO 9660 or UDF).
#[derive(Debug, Default)]
pub struct Listing<'a> {
    /// `ISO 9660`, `ISO 9660 + Joliet`, `UDF`.
    pub format: &'static str,
    pub label: String,
    pub files: Vec<Entry<'a>>,
    /// Problems met: extents outside the image, unsupported structures, caps hit.
    pub problems: Vec<String>,
    /// Structures this reader does not support (their content was not inspected).
    pub unsupported: Vec<String>,
    /// An entry cap was hit.
    pub capped: bool,
    /// Bytes copied for files recorded in several extents.
    pub copied: u64,
}

fn u16le(b: &[u8], o: usize) -> Option<u16> {
    crate::bytes::u16_le(b, o)
}

fn u32le(b: &[u8], o: usize) -> Option<u32> {
    crate::bytes::u32_le(b, o)
}

fn u64le(b: &[u8], o: usize) -> Option<u64> {
    crate::bytes::u64_le(b, o)
}

/// `len` bytes at sector `lba` (of `block` bytes), if inside the image.
fn extent(img: &[u8], lba: u64, block: usize, len: u64) -> Option<&[u8]> {
    let start = usize::try_from(lba.checked_mul(block as u64)?).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    img.get(start..end)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// A name safe to put in a path: no separators or control characters.
fn clean_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// ISO 9660

/// Read the ISO 9660 view. `None` when there is no primary volume descriptor.
pub fn parse_iso(img: &[u8]) -> Option<Listing<'_>> {
    let mut pvd: Option<&[u8]> = None;
    let mut joliet: Option<&[u8]> = None;
    for i in 0..MAX_DESCRIPTORS {
        let Some(d) = img.get(
            16usize.saturating_add(i).saturating_mul(SECTOR)
                ..17usize.saturating_add(i).saturating_mul(SECTOR),
        ) else {
            break;
        };
        if d.get(1..6) != Some(b"CD001") {
            break;
        }
        match d.first().copied().unwrap_or(0) {
            1 if pvd.is_none() => pvd = Some(d),
            2 if joliet.is_none()
                && matches!(d.get(88..91), Some(b"%/@") | Some(b"%/C") | Some(b"%/E")) =>
            {
                joliet = Some(d)
            }
            255 => break,
            _ => {}
        }
    }
    let pvd = pvd?;
    let (desc, is_joliet) = match joliet {
        Some(j) => (j, true),
        None => (pvd, false),
    };
    let mut l = Listing {
        format: if is_joliet {
            "ISO 9660 + Joliet"
        } else {
            "ISO 9660"
        },
        ..Default::default()
    };
    l.label = if is_joliet {
        ucs2be(desc.get(40..72).unwrap_or(&[]))
    } else {
        String::from_utf8_lossy(desc.get(40..72).unwrap_or(&[])).into_owned()
    }
    .trim_end_matches([' ', '\0'])
    .to_string();
    let block = match u16le(desc, 128) {
        Some(b @ (512 | 1024 | 2048)) => b as usize,
        _ => SECTOR,
    };
    let Some(root) = desc.get(156..190) else {
        return Some(l);
    };
    let (Some(root_lba), Some(root_len)) = (u32le(root, 2), u32le(root, 10)) else {
        return Some(l);
    };
    let mut visited = HashSet::new();
    let mut stack = vec![(root_lba, root_len, String::new(), 0usize)];
    let mut entries = 0usize;
    while let Some((lba, len, dir, depth)) = stack.pop() {
        if !visited.insert(lba) {
            l.problems.push(format!("directory loop at sector {lba}"));
            continue;
        }
        let Some(data) = extent(img, lba as u64, block, len as u64) else {
            l.problems.push(format!(
                "directory {} outside the image",
                if dir.is_empty() { "/" } else { &dir }
            ));
            continue;
        };
        let mut pos = 0usize;
        while let Some(&rec_len) = data.get(pos) {
            let rec_len = rec_len as usize;
            if rec_len == 0 {
                // Records do not cross sector boundaries: skip to the next sector (9.1).
                // `block` is 512, 1024 or 2048 (set above), never zero.
                pos = pos
                    .checked_div(block)
                    .unwrap_or(0)
                    .saturating_add(1)
                    .saturating_mul(block);
                continue;
            }
            let Some(rec) = data.get(pos..pos.saturating_add(rec_len)) else {
                l.problems
                    .push("directory record past the end of its directory".into());
                break;
            };
            pos = pos.saturating_add(rec_len);
            let name_len = rec.get(32).copied().unwrap_or(0) as usize;
            let Some(raw) = rec.get(33..33usize.saturating_add(name_len)) else {
                continue;
            };
            if raw == [0] || raw == [1] {
                continue; // "." and ".."
            }
            entries = entries.saturating_add(1);
            if entries > MAX_ENTRIES {
                l.capped = true;
                return Some(l);
            }
            let name = if is_joliet {
                ucs2be(raw)
            } else {
                String::from_utf8_lossy(raw).into_owned()
            };
            let name = iso_strip_version(&name);
            let path = join(&dir, &clean_name(&name));
            let flags = rec.get(25).copied().unwrap_or(0);
            let (Some(f_lba), Some(f_len)) = (u32le(rec, 2), u32le(rec, 10)) else {
                continue;
            };
            if flags & 0x02 != 0 {
                if depth.saturating_add(1) > MAX_DEPTH {
                    l.problems.push(format!(
                        "directory nesting deeper than {MAX_DEPTH} at {path}"
                    ));
                    l.capped = true;
                } else {
                    stack.push((f_lba, f_len, path, depth.saturating_add(1)));
                }
                continue;
            }
            if flags & 0x80 != 0 {
                l.problems.push(format!(
                    "{path}: file in several extents, only the first was inspected"
                ));
            }
            match extent(img, f_lba as u64, block, f_len as u64) {
                Some(d) => l.files.push(Entry {
                    path,
                    data: Data::Slice(d),
                    hidden: flags & 0x01 != 0,
                }),
                None => l
                    .problems
                    .push(format!("{path}: content outside the image")),
            }
        }
    }
    Some(l)
}

fn ucs2be(b: &[u8]) -> String {
    let units = b
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes(crate::bytes::pad::<2>(c)));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

/// `NAME.EXT;1` → `NAME.EXT`; `NAME.;1` → `NAME`.
fn iso_strip_version(name: &str) -> String {
    let base = match name.rsplit_once(';') {
        Some((b, v)) if v.chars().all(|c| c.is_ascii_digit()) => b,
        _ => name,
    };
    base.strip_suffix('.').unwrap_or(base).to_string()
}

// ---------------------------------------------------------------------------------------------
// UDF

/// A descriptor tag (ECMA-167 3/7.2) with a valid checksum: its identifier.
fn tag_id(d: &[u8]) -> Option<u16> {
    let t = d.get(..16)?;
    let sum = t
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 4)
        .fold(0u8, |a, (_, &b)| a.wrapping_add(b));
    (Some(&sum) == t.get(4)).then(|| u16::from_le_bytes(crate::bytes::pad::<2>(t)))
}

struct Udf<'a> {
    img: &'a [u8],
    block: usize,
    /// Partition reference number → how its logical blocks map onto the image.
    parts: Vec<PartMap>,
}

/// One partition map entry, resolved.
enum PartMap {
    /// Blocks counted from this sector.
    Physical(u64),
    /// UDF 2.50 metadata partition: blocks are offsets into the metadata file, whose extents
    /// (partition block, length in bytes) lie in the physical partition starting at `start`.
    Metadata {
        start: u64,
        extents: Vec<(u32, u64)>,
    },
    Unusable,
}

impl<'a> Udf<'a> {
    /// A logical block of partition `part`, `len` bytes.
    fn block_at(&self, part: u16, lbn: u32, len: u64) -> Option<&'a [u8]> {
        match self.parts.get(part as usize)? {
            PartMap::Physical(start) => {
                extent(self.img, start.checked_add(lbn as u64)?, self.block, len)
            }
            PartMap::Metadata { start, extents } => {
                // The read must lie inside one extent of the metadata file.
                let mut off = (lbn as u64).checked_mul(self.block as u64)?;
                for &(ext_lbn, ext_len) in extents {
                    if off < ext_len {
                        if off.checked_add(len)? > ext_len {
                            return None;
                        }
                        let plbn =
                            (ext_lbn as u64).checked_add(off.checked_div(self.block as u64)?)?;
                        return extent(self.img, start.checked_add(plbn)?, self.block, len);
                    }
                    off = off.saturating_sub(ext_len);
                }
                None
            }
            PartMap::Unusable => None,
        }
    }

    /// The content of a (extended) file entry: embedded, or gathered from its extents.
    fn content(
        &self,
        fe: &'a [u8],
        part: u16,
        l: &mut Listing<'a>,
        path: &str,
    ) -> Option<Data<'a>> {
        let (ea_at, ad_at) = match tag_id(fe)? {
            261 => (168usize, 176usize),
            266 => (208, 216),
            _ => return None,
        };
        let size = u64le(fe, 56)?;
        let l_ea = u32le(fe, ea_at)? as usize;
        let l_ad = u32le(fe, ea_at.saturating_add(4))? as usize;
        let ads = fe.get(ad_at.checked_add(l_ea)?..ad_at.checked_add(l_ea)?.checked_add(l_ad)?)?;
        let ad_type = u16le(fe, 34)? & 7;
        if ad_type == 3 {
            return Some(Data::Slice(
                ads.get(..usize::try_from(size).ok()?.min(ads.len()))?,
            ));
        }
        let ad_size = match ad_type {
            0 => 8,
            1 => 16,
            _ => {
                l.unsupported
                    .push(format!("{path}: extended allocation descriptors"));
                return None;
            }
        };
        let mut pieces: Vec<&'a [u8]> = Vec::new();
        let mut remaining = size;
        for ad in ads.chunks_exact(ad_size).take(MAX_EXTENTS) {
            if remaining == 0 {
                break;
            }
            let raw_len = u32le(ad, 0)?;
            let kind = raw_len >> 30;
            let len = (raw_len & 0x3FFF_FFFF) as u64;
            if len == 0 {
                break;
            }
            let lbn = u32le(ad, 4)?;
            let ad_part = if ad_size == 16 { u16le(ad, 8)? } else { part };
            let take = len.min(remaining);
            match kind {
                0 => match self.block_at(ad_part, lbn, take) {
                    Some(s) => pieces.push(s),
                    None => {
                        l.problems.push(format!(
                            "{}: content outside the image",
                            if path.is_empty() { "/" } else { path }
                        ));
                        return None;
                    }
                },
                3 => {
                    l.unsupported
                        .push(format!("{path}: continued allocation descriptors"));
                    break;
                }
                // Allocated or not, but not recorded: reads as zeros. Not copied; the file is
                // inspected without it.
                _ => {}
            }
            remaining = remaining.saturating_sub(take);
        }
        if remaining > 0 && !pieces.is_empty() {
            l.problems.push(format!(
                "{path}: recorded extents shorter than the file size"
            ));
        }
        match pieces.len() {
            0 => Some(Data::Slice(&[])),
            1 => pieces.first().map(|p| Data::Slice(p)),
            _ => {
                let total: u64 = pieces.iter().map(|p| p.len() as u64).sum();
                if l.copied.saturating_add(total) > MAX_COPIED {
                    l.problems.push(format!(
                        "{path}: fragmented files over {} MiB in total",
                        MAX_COPIED >> 20
                    ));
                    l.capped = true;
                    return None;
                }
                let mut v = Vec::new();
                for p in pieces {
                    v.extend_from_slice(p);
                }
                l.copied = l.copied.saturating_add(v.len() as u64);
                Some(Data::Owned(v))
            }
        }
    }
}

/// The extents of the UDF 2.50 metadata file (its (extended) file entry at `file_lbn` of the
/// physical partition starting at sector `start`; short_ad extents, recorded ones only).
fn metadata_extents(
    img: &[u8],
    block: usize,
    start: u64,
    file_lbn: u32,
) -> Option<(u64, Vec<(u32, u64)>)> {
    let fe = extent(
        img,
        start.checked_add(file_lbn as u64)?,
        block,
        block as u64,
    )?;
    let (ea_at, ad_at) = match tag_id(fe)? {
        261 => (168usize, 176usize),
        266 => (208, 216),
        _ => return None,
    };
    if u16le(fe, 34)? & 7 != 0 {
        return None; // the metadata file uses short_ad (UDF 2.50 2.2.13.1)
    }
    let l_ea = u32le(fe, ea_at)? as usize;
    let l_ad = u32le(fe, ea_at.saturating_add(4))? as usize;
    let ads = fe.get(ad_at.checked_add(l_ea)?..ad_at.checked_add(l_ea)?.checked_add(l_ad)?)?;
    let mut v = Vec::new();
    for ad in ads.chunks_exact(8).take(MAX_EXTENTS) {
        let raw = u32le(ad, 0)?;
        let len = (raw & 0x3FFF_FFFF) as u64;
        if len == 0 || raw >> 30 != 0 {
            break;
        }
        v.push((u32le(ad, 4)?, len));
    }
    (!v.is_empty()).then_some((start, v))
}

/// Find the Anchor Volume Descriptor Pointer (tag 2).
fn find_avdp(img: &[u8]) -> Option<&[u8]> {
    let n = img.len() / SECTOR;
    let candidates = [Some(256usize), n.checked_sub(1), n.checked_sub(257)];
    candidates.into_iter().flatten().find_map(|s| {
        let d = img.get(s.saturating_mul(SECTOR)..s.saturating_add(1).saturating_mul(SECTOR))?;
        (tag_id(d) == Some(2)).then_some(d)
    })
}

/// OSTA CS0 d-characters: compression ID then bytes (8) or UCS-2 BE (16).
fn cs0(b: &[u8]) -> String {
    match b.split_first() {
        Some((8, rest)) => rest.iter().map(|&c| c as char).collect(),
        Some((16, rest)) => ucs2be(rest),
        _ => String::new(),
    }
}

/// A dstring (1/7.2.12): CS0 with the used length in the last byte.
fn dstring(b: &[u8]) -> String {
    let Some((&used, body)) = b.split_last() else {
        return String::new();
    };
    cs0(body.get(..(used as usize).min(body.len())).unwrap_or(&[]))
}

/// Read the UDF view. `None` when there is no anchor.
pub fn parse_udf(img: &[u8]) -> Option<Listing<'_>> {
    let avdp = find_avdp(img)?;
    let mut l = Listing {
        format: "UDF",
        ..Default::default()
    };
    let vds_len = u32le(avdp, 16)? as usize;
    let vds_loc = u32le(avdp, 20)? as usize;
    let mut partitions: Vec<(u16, u32)> = Vec::new();
    let mut lvd: Option<&[u8]> = None;
    for i in 0..(vds_len / SECTOR).min(MAX_DESCRIPTORS) {
        let Some(d) = vds_loc.checked_add(i).and_then(|s| {
            img.get(s.saturating_mul(SECTOR)..s.saturating_add(1).saturating_mul(SECTOR))
        }) else {
            l.problems
                .push("volume descriptor sequence outside the image".into());
            break;
        };
        match tag_id(d) {
            Some(5) => {
                if let (Some(num), Some(start)) = (u16le(d, 22), u32le(d, 188)) {
                    partitions.push((num, start));
                }
            }
            Some(6) if lvd.is_none() => lvd = Some(d),
            Some(8) => break,
            _ => {}
        }
    }
    let Some(lvd) = lvd else {
        l.problems.push("no logical volume descriptor".into());
        return Some(l);
    };
    l.label = dstring(lvd.get(84..212).unwrap_or(&[]))
        .trim_end_matches('\0')
        .to_string();
    let block = match u32le(lvd, 212) {
        Some(b @ (512 | 1024 | 2048 | 4096)) => b as usize,
        _ => SECTOR,
    };
    // Partition maps (3/10.7).
    let n_maps = u32le(lvd, 268).unwrap_or(0) as usize;
    let mut maps: Vec<PartMap> = Vec::new();
    let mut pos = 440usize;
    let physical = |num: u16| {
        partitions
            .iter()
            .find(|(n, _)| *n == num)
            .map(|(_, s)| *s as u64)
    };
    for _ in 0..n_maps.min(64) {
        let (Some(&ty), Some(&len)) = (lvd.get(pos), lvd.get(pos.saturating_add(1))) else {
            break;
        };
        if len < 2 {
            break;
        }
        let phys = |o: usize| {
            u16le(lvd, o)
                .and_then(physical)
                .map_or(PartMap::Unusable, PartMap::Physical)
        };
        match ty {
            1 => maps.push(phys(pos.saturating_add(4))),
            2 => {
                let ident = lvd
                    .get(pos.saturating_add(5)..pos.saturating_add(28))
                    .unwrap_or(&[]);
                if ident.starts_with(b"*UDF Metadata Partition") {
                    let m = u16le(lvd, pos.saturating_add(38))
                        .and_then(physical)
                        .zip(u32le(lvd, pos.saturating_add(40)));
                    match m
                        .and_then(|(start, file_lbn)| metadata_extents(img, block, start, file_lbn))
                    {
                        Some((start, extents)) => maps.push(PartMap::Metadata { start, extents }),
                        None => {
                            l.problems.push("UDF metadata file unreadable".into());
                            maps.push(PartMap::Unusable);
                        }
                    }
                } else {
                    maps.push(phys(pos.saturating_add(38)));
                }
            }
            _ => maps.push(PartMap::Unusable),
        }
        pos = pos.saturating_add(len as usize);
    }
    let udf = Udf {
        img,
        block,
        parts: maps,
    };
    // File Set Descriptor from the Logical Volume Contents Use long_ad (3/10.6.7).
    let fsd_lbn = u32le(lvd, 252)?;
    let fsd_part = u16le(lvd, 256)?;
    let Some(fsd) = udf
        .block_at(fsd_part, fsd_lbn, block as u64)
        .filter(|d| tag_id(d) == Some(256))
    else {
        l.problems.push("file set descriptor not found".into());
        return Some(l);
    };
    let (Some(root_lbn), Some(root_part)) = (u32le(fsd, 404), u16le(fsd, 408)) else {
        return Some(l);
    };

    let mut visited: HashSet<(u16, u32)> = HashSet::new();
    let mut stack: Vec<(u16, u32, String, usize)> = vec![(root_part, root_lbn, String::new(), 0)];
    let mut entries = 0usize;
    while let Some((part, lbn, dir, depth)) = stack.pop() {
        if !visited.insert((part, lbn)) {
            l.problems.push(format!("directory loop at block {lbn}"));
            continue;
        }
        let Some(fe) = udf.block_at(part, lbn, block as u64) else {
            l.problems.push(format!(
                "directory {} outside the image",
                if dir.is_empty() { "/" } else { &dir }
            ));
            continue;
        };
        let Some(content) = udf.content(fe, part, &mut l, &dir) else {
            l.problems.push(format!(
                "directory {} unreadable",
                if dir.is_empty() { "/" } else { &dir }
            ));
            continue;
        };
        let content = content.bytes();
        let mut pos = 0usize;
        while pos.saturating_add(38) <= content.len() {
            let Some(fid) = content.get(pos..) else { break };
            if tag_id(fid) != Some(257) {
                l.problems.push(format!(
                    "bad file identifier in {}",
                    if dir.is_empty() { "/" } else { &dir }
                ));
                break;
            }
            let chars = fid.get(18).copied().unwrap_or(0);
            let l_fi = fid.get(19).copied().unwrap_or(0) as usize;
            let l_iu = u16le(fid, 36).unwrap_or(0) as usize;
            let total = 38usize
                .saturating_add(l_iu)
                .saturating_add(l_fi)
                .saturating_add(3)
                & !3;
            let icb_lbn = u32le(fid, 24);
            let icb_part = u16le(fid, 28);
            let name = cs0(fid
                .get(
                    38usize.saturating_add(l_iu)..38usize.saturating_add(l_iu).saturating_add(l_fi),
                )
                .unwrap_or(&[]));
            pos = pos.saturating_add(total);
            if chars & 0x08 != 0 || chars & 0x04 != 0 {
                continue; // parent, deleted
            }
            entries = entries.saturating_add(1);
            if entries > MAX_ENTRIES {
                l.capped = true;
                return Some(l);
            }
            let (Some(icb_lbn), Some(icb_part)) = (icb_lbn, icb_part) else {
                continue;
            };
            let path = join(&dir, &clean_name(&name));
            if chars & 0x02 != 0 {
                if depth.saturating_add(1) > MAX_DEPTH {
                    l.problems.push(format!(
                        "directory nesting deeper than {MAX_DEPTH} at {path}"
                    ));
                    l.capped = true;
                } else {
                    stack.push((icb_part, icb_lbn, path, depth.saturating_add(1)));
                }
                continue;
            }
            let Some(fe) = udf.block_at(icb_part, icb_lbn, block as u64) else {
                l.problems
                    .push(format!("{path}: file entry outside the image"));
                continue;
            };
            match udf.content(fe, icb_part, &mut l, &path) {
                Some(d) => l.files.push(Entry {
                    path,
                    data: d,
                    hidden: chars & 0x01 != 0,
                }),
                None => l.problems.push(format!("{path}: file entry unreadable")),
            }
        }
    }
    Some(l)
}

// ---------------------------------------------------------------------------------------------
// Checks

/// Report the image and inspect every file in it.
pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], kind: Kind, loc: &Location) {
    if kind == Kind::Vhd || kind == Kind::Img {
        let what = if kind == Kind::Img {
            "raw disk image (FAT/NTFS boot sector or MBR)"
        } else if bytes.starts_with(b"vhdxfile") {
            "VHDX virtual hard disk"
        } else {
            "VHD virtual hard disk"
        };
        ctx.finding("file.disk_image", loc, what);
        ctx.not_inspected(loc, format!("{what}: the files inside were not inspected"));
        return;
    }
    let iso = parse_iso(bytes);
    let udf = parse_udf(bytes);
    let (chosen, other) = match (iso, udf) {
        (Some(i), Some(u)) => {
            if i.files.len() > u.files.len() {
                (i, Some(u))
            } else {
                (u, Some(i))
            }
        }
        (Some(i), None) => (i, None),
        (None, Some(u)) => (u, None),
        (None, None) => {
            ctx.finding(
                "file.disk_image",
                loc,
                format!("{} disk image", kind.as_str()),
            );
            ctx.finding(
                "archive.malformed",
                loc,
                "disk image: no readable ISO 9660 or UDF volume",
            );
            ctx.incomplete();
            return;
        }
    };
    let mut ev = format!("{} image", chosen.format);
    if !chosen.label.trim().is_empty() {
        ev.push_str(&format!(", volume \"{}\"", chosen.label.trim()));
    }
    ev.push_str(&format!(
        ", {} file{}",
        chosen.files.len(),
        if chosen.files.len() == 1 { "" } else { "s" }
    ));
    if let Some(o) = &other {
        if o.files.len() != chosen.files.len() {
            ev.push_str(&format!(" ({} view lists {})", o.format, o.files.len()));
        }
    }
    let hidden = chosen.files.iter().filter(|e| e.hidden).count();
    if hidden > 0 {
        // Qakbot/IcedID images showed only a shortcut and hid the DLL it runs.
        ev.push_str(&format!(", {hidden} hidden"));
    }
    let names: Vec<&str> = chosen
        .files
        .iter()
        .take(10)
        .map(|e| e.path.as_str())
        .collect();
    if !names.is_empty() {
        ev.push_str(&format!(": {}", names.join(", ")));
        if chosen.files.len() > names.len() {
            ev.push_str(", …");
        }
    }
    ctx.finding("file.disk_image", loc, ev);

    for p in chosen.problems.iter().take(20) {
        ctx.finding("archive.malformed", loc, format!("{}: {p}", chosen.format));
    }
    if !chosen.problems.is_empty() {
        ctx.incomplete();
    }
    for u in chosen.unsupported.iter().take(20) {
        ctx.not_inspected(
            loc,
            format!(
                "{}: {u} not supported; what it holds was not inspected",
                chosen.format
            ),
        );
    }
    if chosen.capped {
        ctx.limit_hit(
            loc,
            format!("disk image: more than {MAX_ENTRIES} entries or {MAX_DEPTH} directory levels"),
        );
    }
    if chosen.copied > 0 && !ctx.charge_inflated(chosen.copied) {
        ctx.limit_hit(loc, "disk image: total extracted size over the limit");
        return;
    }
    // Files are slices of the image, but their extents may overlap (the zip-bomb trick applied
    // to an image): what is analysed beyond the image's own size is charged as inflated bytes.
    let mut analysed: u64 = 0;
    for e in &chosen.files {
        if !ctx.charge_entries(1) {
            ctx.limit_hit(loc, "disk image: entry count over the limit");
            return;
        }
        let len = e.data.bytes().len() as u64;
        let before = analysed;
        analysed = analysed.saturating_add(len);
        let excess = analysed.saturating_sub((bytes.len() as u64).max(before));
        if excess > 0 && !ctx.charge_inflated(excess) {
            ctx.limit_hit(loc, "disk image: files overlap beyond the size limit");
            return;
        }
        let name = e.path.rsplit('/').next().unwrap_or(&e.path);
        ctx.analyze(
            e.data.bytes(),
            name,
            &loc.child(e.path.clone()),
            Via::ArchiveEntry,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_suffix() {
        assert_eq!(iso_strip_version("SETUP.EXE;1"), "SETUP.EXE");
        assert_eq!(iso_strip_version("README.;1"), "README");
        assert_eq!(iso_strip_version("a;b"), "a;b");
    }

    #[test]
    fn tag_checksum() {
        let mut t = [0u8; 16];
        t[0] = 2;
        t[4] = 2;
        assert_eq!(tag_id(&t), Some(2));
        t[4] = 3;
        assert_eq!(tag_id(&t), None);
    }

    #[test]
    fn cs0_names() {
        assert_eq!(cs0(b"\x08abc"), "abc");
        assert_eq!(cs0(&[16, 0x30, 0x42]), "\u{3042}");
        assert_eq!(cs0(&[]), "");
    }

    #[test]
    fn garbage_is_none_or_bounded() {
        let mut img = vec![0u8; 40 * SECTOR];
        img[16 * SECTOR] = 1;
        img[16 * SECTOR + 1..16 * SECTOR + 6].copy_from_slice(b"CD001");
        // Root directory pointing far outside the image.
        img[16 * SECTOR + 156 + 2..16 * SECTOR + 156 + 6].copy_from_slice(&u32::MAX.to_le_bytes());
        img[16 * SECTOR + 156 + 10..16 * SECTOR + 156 + 14]
            .copy_from_slice(&u32::MAX.to_le_bytes());
        let l = parse_iso(&img).unwrap();
        assert!(l.files.is_empty());
        assert_eq!(l.problems.len(), 1);
        assert!(parse_udf(&img).is_none());
    }

    #[test]
    fn self_referencing_directory_terminates() {
        let mut img = vec![0u8; 21 * SECTOR];
        let pvd = 16 * SECTOR;
        img[pvd] = 1;
        img[pvd + 1..pvd + 6].copy_from_slice(b"CD001");
        img[pvd + 128..pvd + 130].copy_from_slice(&2048u16.to_le_bytes());
        let root = |b: &mut [u8], at: usize, name: &[u8], flags: u8| {
            let len = 33 + name.len() + (name.len() + 1) % 2;
            b[at] = len as u8;
            b[at + 2..at + 6].copy_from_slice(&20u32.to_le_bytes());
            b[at + 10..at + 14].copy_from_slice(&2048u32.to_le_bytes());
            b[at + 25] = flags;
            b[at + 32] = name.len() as u8;
            b[at + 33..at + 33 + name.len()].copy_from_slice(name);
            len
        };
        root(&mut img, pvd + 156, &[0], 2);
        let mut at = 20 * SECTOR;
        at += root(&mut img, at, &[0], 2);
        at += root(&mut img, at, &[1], 2);
        root(&mut img, at, b"LOOP", 2);
        let l = parse_iso(&img).unwrap();
        assert!(l.problems.iter().any(|p| p.contains("loop")));
    }
}
