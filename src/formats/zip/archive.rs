//! Reading a ZIP: our own central-directory parser, and entry extraction through the `zip` crate.
//!
//! Spec: PKWARE APPNOTE.TXT 6.3.10 — 4.3.6 overall layout, 4.3.7 local file header,
//! 4.3.12 central directory header, 4.3.14 zip64 end of central directory record, 4.3.15 zip64
//! locator, 4.3.16 end of central directory record, 4.4.4 general purpose flags, 4.5.3 zip64
//! extended information extra field; WinZip AE-x (https://www.winzip.com/en/support/aes-encryption/):
//! method 99 with extra field 0x9901.
//!
//! Why our own central directory (zip 9.8.1 audited): `ZipArchive::new` validates its end
//! records well (a zip64 record claiming 2^40 entries is refused), but it still reserves its index
//! from header values (`IndexMap::with_capacity(min(entry count, directory size / 46))`) rather
//! than from records actually read, it keys entries
//! by name (a second entry with the same name silently vanishes, which is an evasion), it may
//! try many end-record candidates, and it hides the raw layout we need for overlap detection. So
//! we parse the directory ourselves, growing the entry list only as real records are parsed, and
//! use the crate only to decrypt, inflate and verify ONE entry at a time: we
//! hand it a synthetic local header (built from the central directory values) chained to the
//! entry's data slice, via `read_zipfile_from_stream_with_options` with the sizes and CRC forced
//! to the central directory's. That path allocates nothing from header fields except the name
//! and extra field we wrote ourselves.

use std::io::Read;
use std::ops::Range;

use zip::result::ZipError;
use zip::ZipReadOptions;

use super::names;

const SIG_LOCAL: &[u8] = b"PK\x03\x04";
const SIG_CENTRAL: &[u8] = b"PK\x01\x02";
const SIG_EOCD: &[u8] = b"PK\x05\x06";
const SIG_ZIP64_LOCATOR: &[u8] = b"PK\x06\x07";
const SIG_ZIP64_EOCD: &[u8] = b"PK\x06\x06";
const EOCD_LEN: usize = 22;
const CENTRAL_LEN: usize = 46;
const LOCAL_LEN: usize = 30;

/// General purpose bit 0: encrypted.
pub const FLAG_ENCRYPTED: u16 = 1;
/// General purpose bit 6: PKWARE strong encryption (not supported by anyone we know).
pub const FLAG_STRONG: u16 = 1 << 6;
/// General purpose bit 11: name and comment are UTF-8.
pub const FLAG_UTF8: u16 = 1 << 11;

/// WinZip AES extra field (0x9901) as stored: vendor version, "AE", strength, inner method.
#[derive(Debug, Clone)]
pub struct Aes {
    pub raw: [u8; 7],
    pub inner_method: u16,
}

/// One central-directory entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name_raw: Vec<u8>,
    /// Decoded name (see [`names`]).
    pub name: String,
    pub flags: u16,
    pub method: u16,
    pub time: u16,
    pub date: u16,
    pub crc: u32,
    pub compressed: u64,
    pub uncompressed: u64,
    /// Absolute offset of the local header in the input.
    pub local_offset: u64,
    pub aes: Option<Aes>,
    /// The entry's data in the input, found through its local header, or why not.
    pub data: Result<Range<usize>, String>,
    /// Fields where the local header contradicts the central directory (readers that walk
    /// local headers would see something else than those that read the directory).
    pub local_mismatch: Vec<&'static str>,
    /// The central extra field's records do not add up to its length (4.5.1).
    pub extra_broken: bool,
}

impl Entry {
    pub fn is_encrypted(&self) -> bool {
        self.flags & FLAG_ENCRYPTED != 0 || self.method == 99
    }

    /// A directory: name ends with `/` (or `\`) and holds nothing.
    pub fn is_dir(&self) -> bool {
        (self.name_raw.ends_with(b"/") || self.name_raw.ends_with(b"\\"))
            && self.uncompressed == 0
            && self.compressed == 0
    }

    /// The compression method of the plaintext (the AES inner method for method 99).
    pub fn effective_method(&self) -> u16 {
        match (&self.aes, self.method) {
            (Some(a), 99) => a.inner_method,
            _ => self.method,
        }
    }

    /// `[local header start, data end)` in the input, when resolved.
    pub fn span(&self) -> Option<Range<u64>> {
        self.data
            .as_ref()
            .ok()
            .map(|d| self.local_offset..d.end as u64)
    }
}

/// The central directory of one archive.
#[derive(Debug, Default)]
pub struct Directory {
    pub entries: Vec<Entry>,
    /// Entry count the end record declares.
    pub declared: u64,
    /// Structural problems that did not stop the reading (each becomes `archive.malformed`).
    pub problems: Vec<String>,
    /// Parsing stopped at `max_entries` (more records follow).
    pub cut: bool,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    crate::bytes::u16_le(b, at)
}
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    crate::bytes::u32_le(b, at)
}
fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    crate::bytes::u64_le(b, at)
}
fn has_sig(b: &[u8], at: u64, sig: &[u8]) -> bool {
    usize::try_from(at)
        .ok()
        .and_then(|a| b.get(a..a.checked_add(sig.len())?))
        .is_some_and(|s| s == sig)
}

/// Where the central directory is, per the end record(s).
struct DirInfo {
    /// Absolute start of the central directory.
    start: usize,
    /// Declared size of the central directory.
    size: u64,
    /// Where the directory must end (the zip64 record or the end record).
    limit: usize,
    declared: u64,
    /// Added to every stored offset (data prepended to the archive).
    shift: u64,
    problems: Vec<String>,
}

/// Find the end of central directory record (4.3.16), searching back over a comment of up to
/// 65535 bytes, and validate it against the input. Among the candidates that point at a
/// plausible central directory, the one nearest the end whose comment reaches exactly to the end
/// and whose directory sits at its stated offset wins; a second plausible candidate at or after
/// the winner's central directory (a ZIP hidden in the directory or the archive comment) is
/// reported, since readers may disagree on which one it is. Candidates before the directory sit
/// inside entry data: a stored ZIP inside the ZIP, which is checked as an entry in its own right.
fn locate(b: &[u8]) -> Result<DirInfo, String> {
    if b.len() < EOCD_LEN {
        return Err("too short to be a ZIP archive (no end of central directory record)".into());
    }
    let last = b.len().saturating_sub(EOCD_LEN);
    let first = last.saturating_sub(65535);
    let mut first_error: Option<String> = None;
    // (score, info); higher score wins, ties go to the candidate nearest the end.
    let mut best: Option<(u8, DirInfo)> = None;
    // Where each plausible candidate stands (bounded by the 64 KiB search window).
    let mut plausible: Vec<usize> = Vec::new();
    // Every signature in the window, nearest the end first.
    let window = b.get(first..last.saturating_add(4)).unwrap_or(&[]);
    for pos in memchr::memmem::rfind_iter(window, SIG_EOCD).map(|p| first.saturating_add(p)) {
        match dir_info(b, pos) {
            Ok(info) => {
                plausible.push(pos);
                let exact = u16_at(b, pos.saturating_add(20)).is_some_and(|c| {
                    pos.saturating_add(EOCD_LEN).saturating_add(usize::from(c)) == b.len()
                });
                let score = u8::from(info.shift == 0)
                    .saturating_mul(2)
                    .saturating_add(u8::from(exact));
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((score, info));
                }
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match best {
        Some((_, mut info)) => {
            let rivals = plausible.iter().filter(|&&p| p >= info.start).count();
            if rivals > 1 {
                info.problems.push(format!(
                    "{rivals} end of central directory records point at a directory (a ZIP inside the comment?); readers may disagree on the content"
                ));
            }
            Ok(info)
        }
        None => Err(first_error.unwrap_or_else(|| {
            "no end of central directory record (truncated or not a ZIP archive)".into()
        })),
    }
}

fn dir_info(b: &[u8], eocd: usize) -> Result<DirInfo, String> {
    let mut problems = Vec::new();
    let bad = || "end of central directory record cut short".to_string();
    let disk = u16_at(b, eocd.saturating_add(4)).ok_or_else(bad)?;
    let cd_disk = u16_at(b, eocd.saturating_add(6)).ok_or_else(bad)?;
    let mut count = u64::from(u16_at(b, eocd.saturating_add(10)).ok_or_else(bad)?);
    let mut cd_size = u64::from(u32_at(b, eocd.saturating_add(12)).ok_or_else(bad)?);
    let mut cd_offset = u64::from(u32_at(b, eocd.saturating_add(16)).ok_or_else(bad)?);
    let comment_len = usize::from(u16_at(b, eocd.saturating_add(20)).ok_or_else(bad)?);
    if eocd.saturating_add(EOCD_LEN).saturating_add(comment_len) != b.len() {
        problems.push(format!(
            "archive comment length {} does not match the {} bytes after the end record",
            comment_len,
            b.len().saturating_sub(eocd).saturating_sub(EOCD_LEN)
        ));
    }
    let (mut disk, mut cd_disk) = (u32::from(disk), u32::from(cd_disk));
    let mut limit = eocd;
    // Zip64 (4.3.14/4.3.15): a locator right before the end record.
    if eocd >= 20
        && b.get(eocd.saturating_sub(20)..eocd.saturating_sub(16)) == Some(SIG_ZIP64_LOCATOR)
    {
        let rec = u64_at(b, eocd.saturating_sub(20).saturating_add(8)).ok_or_else(bad)?;
        let at = usize::try_from(rec)
            .ok()
            .filter(|&a| has_sig(b, a as u64, SIG_ZIP64_EOCD));
        // Prepended data shifts the record too; the record sits right before the locator.
        let at = at.or_else(|| {
            eocd.saturating_sub(20)
                .checked_sub(56)
                .filter(|&a| has_sig(b, a as u64, SIG_ZIP64_EOCD))
        });
        match at {
            Some(at) => {
                let count64 = u64_at(b, at.saturating_add(32)).ok_or_else(bad)?;
                let size64 = u64_at(b, at.saturating_add(40)).ok_or_else(bad)?;
                let offset64 = u64_at(b, at.saturating_add(48)).ok_or_else(bad)?;
                // 4.4.1.4: a field is taken from the zip64 record when saturated in the end
                // record; where it is not, both must agree.
                let differs = (count != 0xFFFF && count != count64)
                    || (cd_size != 0xFFFF_FFFF && cd_size != size64)
                    || (cd_offset != 0xFFFF_FFFF && cd_offset != offset64);
                if differs {
                    problems.push("zip64 end record and end record disagree".into());
                }
                (count, cd_size, cd_offset) = (count64, size64, offset64);
                disk = u32_at(b, at.saturating_add(16)).ok_or_else(bad)?;
                cd_disk = u32_at(b, at.saturating_add(20)).ok_or_else(bad)?;
                limit = at;
            }
            None => problems.push("zip64 locator points to no zip64 end record".into()),
        }
    }
    if disk != 0 || cd_disk != 0 {
        // Multi-disk archives: we only have this one part.
        problems.push(format!(
            "multi-disk archive (disk {disk}, directory on disk {cd_disk})"
        ));
    }
    // The directory: at its stated offset, or (prepended data) right before the end record.
    let stated = cd_offset;
    let (start, shift) = if count == 0 && cd_size == 0 {
        (limit, 0)
    } else if let Some(at) = usize::try_from(stated)
        .ok()
        .filter(|_| has_sig(b, stated, SIG_CENTRAL))
    {
        (at, 0)
    } else {
        let guess = (limit as u64).checked_sub(cd_size);
        match guess {
            Some(g) if has_sig(b, g, SIG_CENTRAL) && g >= stated => {
                problems.push(format!(
                    "central directory found at {g}, not at its stated offset {stated}"
                ));
                // `has_sig` found the signature at `g`, so `g` is an offset inside `b`.
                (
                    usize::try_from(g).unwrap_or(usize::MAX),
                    g.saturating_sub(stated),
                )
            }
            _ => {
                return Err(format!(
                    "no central directory at offset {stated} (truncated or corrupted archive)"
                ))
            }
        }
    };
    if start > limit {
        return Err("central directory starts after its end record".into());
    }
    // Bytes between the directory and the end record are tolerated (libzip does too); a size
    // running into the end record is not.
    let end = (start as u64).saturating_add(cd_size);
    if end > limit as u64 {
        problems.push(format!(
            "central directory size {cd_size} runs into the end record"
        ));
    }
    Ok(DirInfo {
        start,
        size: cd_size,
        limit,
        declared: count,
        shift,
        problems,
    })
}

/// Parse the central directory. At most `max_entries` records are read (more set `cut`).
/// Never allocates from a count read in the file: the entry list grows as records are parsed.
pub fn parse(b: &[u8], max_entries: usize) -> Result<Directory, String> {
    let info = locate(b)?;
    let mut dir = Directory {
        declared: info.declared,
        problems: info.problems,
        ..Default::default()
    };
    let mut pos = info.start;
    while pos < info.limit {
        if dir.entries.len() >= max_entries {
            dir.cut = true;
            break;
        }
        if b.get(pos..pos.saturating_add(4)) != Some(SIG_CENTRAL) {
            if (dir.entries.len() as u64) < dir.declared {
                dir.problems.push(format!(
                    "bad central directory record signature at offset {pos}"
                ));
            }
            break;
        }
        match central_record(b, pos, info.limit, info.shift) {
            Ok((entry, next)) => {
                dir.entries.push(entry);
                pos = next;
            }
            Err(e) => {
                dir.problems.push(format!(
                    "central directory entry {}: {e}",
                    dir.entries.len()
                ));
                break;
            }
        }
    }
    let used = (pos as u64).saturating_sub(info.start as u64);
    if !dir.cut && used != info.size && !dir.entries.is_empty() {
        dir.problems.push(format!(
            "central directory size {} does not match its records ({} bytes)",
            info.size, used
        ));
    }
    if !dir.cut && dir.entries.len() as u64 != dir.declared {
        dir.problems.push(format!(
            "end record declares {} entries, the central directory holds {}",
            dir.declared,
            dir.entries.len()
        ));
    }
    Ok(dir)
}

/// One central directory header (4.3.12) at `pos`; returns it and the next record's position.
fn central_record(
    b: &[u8],
    pos: usize,
    limit: usize,
    shift: u64,
) -> Result<(Entry, usize), String> {
    let short = || "header cut short".to_string();
    if pos.checked_add(CENTRAL_LEN).is_none_or(|e| e > limit) {
        return Err(short());
    }
    let flags = u16_at(b, pos.saturating_add(8)).ok_or_else(short)?;
    let method = u16_at(b, pos.saturating_add(10)).ok_or_else(short)?;
    let time = u16_at(b, pos.saturating_add(12)).ok_or_else(short)?;
    let date = u16_at(b, pos.saturating_add(14)).ok_or_else(short)?;
    let crc = u32_at(b, pos.saturating_add(16)).ok_or_else(short)?;
    let csize32 = u32_at(b, pos.saturating_add(20)).ok_or_else(short)?;
    let usize32 = u32_at(b, pos.saturating_add(24)).ok_or_else(short)?;
    let name_len = usize::from(u16_at(b, pos.saturating_add(28)).ok_or_else(short)?);
    let extra_len = usize::from(u16_at(b, pos.saturating_add(30)).ok_or_else(short)?);
    let comment_len = usize::from(u16_at(b, pos.saturating_add(32)).ok_or_else(short)?);
    let offset32 = u32_at(b, pos.saturating_add(42)).ok_or_else(short)?;
    let name_at = pos.saturating_add(CENTRAL_LEN);
    let extra_at = name_at.saturating_add(name_len);
    let next = extra_at
        .saturating_add(extra_len)
        .saturating_add(comment_len);
    if next > limit {
        return Err("name, extra field or comment runs past the central directory".into());
    }
    let name_raw = b.get(name_at..extra_at).ok_or_else(short)?.to_vec();
    let extra = b
        .get(extra_at..extra_at.saturating_add(extra_len))
        .ok_or_else(short)?;

    let mut uncompressed = u64::from(usize32);
    let mut compressed = u64::from(csize32);
    let mut offset = u64::from(offset32);
    let mut aes = None;
    let mut unicode_name = None;
    let mut i = 0usize;
    let mut extra_ok = true;
    while i < extra.len() {
        // Fewer than 4 trailing bytes are alignment padding (zipalign, libzip).
        let (Some(id), Some(len)) = (u16_at(extra, i), u16_at(extra, i.saturating_add(2))) else {
            break;
        };
        let Some(data) =
            extra.get(i.saturating_add(4)..i.saturating_add(4).saturating_add(usize::from(len)))
        else {
            extra_ok = false;
            break;
        };
        match id {
            0x0001 => {
                // 4.5.3: only the fields whose header value is saturated, in this order.
                let mut at = 0usize;
                let mut take = |field: &mut u64| {
                    if let Some(v) = u64_at(data, at) {
                        *field = v;
                        at = at.saturating_add(8);
                    }
                };
                if usize32 == u32::MAX {
                    take(&mut uncompressed);
                }
                if csize32 == u32::MAX {
                    take(&mut compressed);
                }
                if offset32 == u32::MAX {
                    take(&mut offset);
                }
            }
            0x9901 => {
                if let (Ok(raw), Some(m)) = (<[u8; 7]>::try_from(data), u16_at(data, 5)) {
                    aes = Some(Aes {
                        raw,
                        inner_method: m,
                    });
                }
            }
            0x7075 => unicode_name = names::unicode_path(data, &name_raw),
            _ => {}
        }
        i = i.saturating_add(4 + usize::from(len));
    }
    let name = unicode_name.unwrap_or_else(|| names::decode(&name_raw, flags & FLAG_UTF8 != 0));
    let local_offset = offset
        .checked_add(shift)
        .ok_or("local header offset overflows")?;
    let data = local_data(b, local_offset, compressed);
    let mut entry = Entry {
        name_raw,
        name,
        flags,
        method,
        time,
        date,
        crc,
        compressed,
        uncompressed,
        local_offset,
        aes,
        data,
        local_mismatch: Vec::new(),
        extra_broken: !extra_ok,
    };
    if entry.data.is_ok() {
        entry.local_mismatch = local_mismatch(b, &entry, csize32, usize32);
    }
    Ok((entry, next))
}

/// Resolve an entry's data range through its local header (4.3.7).
fn local_data(b: &[u8], local: u64, compressed: u64) -> Result<Range<usize>, String> {
    let lo = usize::try_from(local)
        .ok()
        .filter(|&l| l < b.len())
        .ok_or_else(|| {
            format!("local header offset {local} is past the end of the archive (truncated)")
        })?;
    if b.get(lo..lo.saturating_add(4)) != Some(SIG_LOCAL) {
        return Err(format!("no local header at offset {local}"));
    }
    let n = u16_at(b, lo.saturating_add(26)).ok_or("local header cut short (truncated)")?;
    let e = u16_at(b, lo.saturating_add(28)).ok_or("local header cut short (truncated)")?;
    let start = lo
        .saturating_add(LOCAL_LEN)
        .saturating_add(usize::from(n))
        .saturating_add(usize::from(e));
    let end = usize::try_from(compressed)
        .ok()
        .and_then(|c| start.checked_add(c));
    match end {
        Some(end) if end <= b.len() => Ok(start..end),
        _ => Err(format!(
            "entry data ({compressed} bytes at offset {start}) runs past the end of the archive (truncated)"
        )),
    }
}

/// Compare the local header (4.3.7) with the central directory header (4.3.12). Sizes and CRC
/// are compared only when the local header carries them (bit 3 clear, not zip64-saturated).
fn local_mismatch(b: &[u8], e: &Entry, csize32: u32, usize32: u32) -> Vec<&'static str> {
    let mut out = Vec::new();
    let Ok(lo) = usize::try_from(e.local_offset) else {
        return out;
    };
    let (Some(flags), Some(method), Some(crc), Some(cs), Some(us), Some(n)) = (
        u16_at(b, lo.saturating_add(6)),
        u16_at(b, lo.saturating_add(8)),
        u32_at(b, lo.saturating_add(14)),
        u32_at(b, lo.saturating_add(18)),
        u32_at(b, lo.saturating_add(22)),
        u16_at(b, lo.saturating_add(26)),
    ) else {
        return out;
    };
    if b.get(
        lo.saturating_add(LOCAL_LEN)..lo.saturating_add(LOCAL_LEN).saturating_add(usize::from(n)),
    ) != Some(e.name_raw.as_slice())
    {
        out.push("name");
    }
    if let Some(elen) = u16_at(b, lo.saturating_add(28)) {
        let at = lo.saturating_add(LOCAL_LEN).saturating_add(usize::from(n));
        if b.get(at..at.saturating_add(usize::from(elen)))
            .is_some_and(|x| !extra_tiles(x))
        {
            out.push("extra field lengths");
        }
    }
    if method != e.method {
        out.push("compression method");
    }
    if (flags ^ e.flags) & (FLAG_ENCRYPTED | 0x0008) != 0 {
        out.push("flags");
    }
    // Times are not compared: real generators (e.g. the one behind calamine's issue252.xlsx)
    // write different local and central times, and a time hides nothing.
    if flags & 0x0008 != 0 {
        // 4.3.9 data descriptor after the data: optional signature, CRC-32, sizes (4 or 8 bytes).
        if let Ok(d) = &e.data {
            let mut at = d.end;
            if b.get(at..at.saturating_add(4)) == Some(b"PK\x07\x08") {
                at = at.saturating_add(4);
            }
            let small = (
                u32_at(b, at),
                u32_at(b, at.saturating_add(4)),
                u32_at(b, at.saturating_add(8)),
            );
            let large = (
                u64_at(b, at.saturating_add(4)),
                u64_at(b, at.saturating_add(12)),
            );
            let ok = small.0 == Some(e.crc)
                && ((small.1.map(u64::from), small.2.map(u64::from))
                    == (Some(e.compressed), Some(e.uncompressed))
                    || large == (Some(e.compressed), Some(e.uncompressed)));
            if !ok {
                out.push("data descriptor");
            }
        }
    } else {
        if crc != e.crc {
            out.push("CRC-32");
        }
        let saturated = [cs, us, csize32, usize32].contains(&u32::MAX);
        if !saturated && (cs != csize32 || us != usize32) {
            out.push("sizes");
        }
    }
    out
}

/// Whether extra-field records (id, length, data) tile `x`, allowing < 4 bytes of padding.
fn extra_tiles(x: &[u8]) -> bool {
    let mut i = 0usize;
    while let (Some(_), Some(len)) = (u16_at(x, i), u16_at(x, i.saturating_add(2))) {
        i = i.saturating_add(4).saturating_add(usize::from(len));
        if i > x.len() {
            return false;
        }
    }
    true
}

/// Why an entry could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Encrypted and no password given.
    NeedPassword,
    /// The password was rejected (header check, CRC-32, AES authentication code, or garbage
    /// that does not inflate). The text says how.
    WrongPassword(String),
    /// More than `cap` bytes came out.
    OverCap,
    /// A method or encryption we do not support.
    Unsupported(String),
    /// Broken data (bad CRC without encryption, truncated, bad deflate stream, size lies).
    Corrupt(String),
}

/// Human name of a compression method (4.4.5).
pub fn method_name(m: u16) -> &'static str {
    match m {
        0 => "stored",
        1 => "shrink",
        2..=5 => "reduce",
        6 => "implode",
        8 => "deflate",
        9 => "deflate64",
        10 => "PKWARE DCL implode",
        12 => "bzip2",
        14 => "LZMA",
        18 => "IBM TERSE",
        19 => "IBM LZ77",
        20 | 93 => "zstd",
        95 => "xz",
        96 => "JPEG",
        97 => "WavPack",
        98 => "PPMd",
        99 => "AES",
        _ => "unknown",
    }
}

/// What we can read at all, before trying: method and encryption kind.
pub fn supported(e: &Entry) -> Result<(), ReadError> {
    if e.flags & FLAG_STRONG != 0 {
        return Err(ReadError::Unsupported(
            "PKWARE strong encryption is not supported".into(),
        ));
    }
    if e.method == 99 && e.aes.is_none() {
        return Err(ReadError::Corrupt(
            "AES method 99 without its 0x9901 extra field".into(),
        ));
    }
    let m = e.effective_method();
    if m != 0 && m != 8 {
        return Err(ReadError::Unsupported(format!(
            "compression method {m} ({}) is not supported",
            method_name(m)
        )));
    }
    Ok(())
}

/// The 30-byte local header plus a one-byte name and the AES extra field, carrying the central
/// directory's values. Sizes and CRC are also forced through the read options.
fn synthetic_local_header(e: &Entry) -> Vec<u8> {
    let mut h = Vec::with_capacity(LOCAL_LEN + 1 + 11);
    h.extend_from_slice(SIG_LOCAL);
    h.extend_from_slice(&(if e.aes.is_some() { 51u16 } else { 20u16 }).to_le_bytes());
    h.extend_from_slice(&e.flags.to_le_bytes());
    h.extend_from_slice(&e.method.to_le_bytes());
    h.extend_from_slice(&e.time.to_le_bytes());
    h.extend_from_slice(&e.date.to_le_bytes());
    h.extend_from_slice(&e.crc.to_le_bytes());
    h.extend_from_slice(
        &u32::try_from(e.compressed)
            .unwrap_or(u32::MAX)
            .to_le_bytes(),
    );
    h.extend_from_slice(
        &u32::try_from(e.uncompressed)
            .unwrap_or(u32::MAX)
            .to_le_bytes(),
    );
    h.extend_from_slice(&1u16.to_le_bytes());
    h.extend_from_slice(&(if e.aes.is_some() { 11u16 } else { 0u16 }).to_le_bytes());
    h.push(b'e');
    if let Some(a) = &e.aes {
        h.extend_from_slice(&0x9901u16.to_le_bytes());
        h.extend_from_slice(&7u16.to_le_bytes());
        h.extend_from_slice(&a.raw);
    }
    h
}

/// Decrypt (if `password`), inflate and verify one entry, reading at most `cap` bytes.
///
/// The crate checks the CRC-32 when the stream ends (and the AES HMAC-SHA1 authentication code
/// over all ciphertext), so a ZipCrypto password that only passes the one-byte header check is
/// rejected here as [`ReadError::WrongPassword`]. Output grows as data arrives; nothing is sized
/// from a declared length.
pub fn extract(
    b: &[u8],
    e: &Entry,
    password: Option<&[u8]>,
    cap: u64,
) -> Result<Vec<u8>, ReadError> {
    let first = extract_as(b, e, password, cap);
    // ZipCrypto with a data descriptor (bit 3): Info-ZIP puts the high byte of the DOS time in
    // the header check byte (what the crate expects), other writers (libzip, some Windows
    // tools) the CRC's high byte. Accept either; the CRC-32 at the end is the real check.
    if first == Err(ReadError::WrongPassword(HEADER_CHECK.into()))
        && e.aes.is_none()
        && e.flags & 0x0008 != 0
    {
        let mut crc_checked = e.clone();
        crc_checked.flags &= !0x0008;
        return extract_as(b, &crc_checked, password, cap);
    }
    first
}

const HEADER_CHECK: &str = "password check failed";

fn extract_as(
    b: &[u8],
    e: &Entry,
    password: Option<&[u8]>,
    cap: u64,
) -> Result<Vec<u8>, ReadError> {
    let (header, data, opts) = prepare(b, e, password)?;
    let mut stream = header.as_slice().chain(data);
    let file = match zip::read::read_zipfile_from_stream_with_options(&mut stream, opts) {
        Ok(Some(f)) => f,
        Ok(None) => return Err(ReadError::Corrupt("entry could not be opened".into())),
        Err(ZipError::InvalidPassword) => {
            return Err(ReadError::WrongPassword(HEADER_CHECK.into()))
        }
        Err(ZipError::UnsupportedArchive(m)) if m == ZipError::PASSWORD_REQUIRED => {
            return Err(ReadError::NeedPassword)
        }
        Err(ZipError::UnsupportedArchive(m)) => return Err(ReadError::Unsupported(m.to_string())),
        Err(other) if password.is_some() => {
            return Err(ReadError::WrongPassword(other.to_string()))
        }
        Err(other) => return Err(ReadError::Corrupt(other.to_string())),
    };
    let mut out = Vec::new();
    let mut limited = file.take(cap.saturating_add(1));
    match limited.read_to_end(&mut out) {
        Ok(_) if out.len() as u64 > cap => Err(ReadError::OverCap),
        Ok(_) => Ok(out),
        Err(err) if e.is_encrypted() => Err(ReadError::WrongPassword(err.to_string())),
        Err(err) => Err(ReadError::Corrupt(err.to_string())),
    }
}

/// What both [`read`] and [`stream`] hand the zip crate for one entry: a local header built from
/// the central directory (sizes and CRC forced to its values), the entry's data, and the options
/// (with the password for an encrypted entry).
fn prepare<'b, 'p>(
    b: &'b [u8],
    e: &Entry,
    password: Option<&'p [u8]>,
) -> Result<(Vec<u8>, &'b [u8], ZipReadOptions<'p>), ReadError> {
    supported(e)?;
    if e.is_encrypted() && password.is_none() {
        return Err(ReadError::NeedPassword);
    }
    let range = e.data.clone().map_err(ReadError::Corrupt)?;
    let data = b
        .get(range)
        .ok_or_else(|| ReadError::Corrupt("entry data out of range".into()))?;
    let mut opts = ZipReadOptions::new()
        .override_compressed_size(e.compressed)
        .override_uncompressed_size(e.uncompressed)
        .override_crc(e.crc);
    if e.is_encrypted() {
        opts = opts.password(password);
    }
    Ok((synthetic_local_header(e), data, opts))
}

/// Stream entry `e`'s plaintext to `sink` in chunks of at most 1 MiB, up to `cap` bytes, without
/// keeping it (the padding check, `padding.rs`). `sink` returns `false` to stop early; the CRC-32
/// is then not checked (it covers the whole entry). Returns the bytes streamed and whether the
/// end of the entry was reached.
pub fn stream(
    b: &[u8],
    e: &Entry,
    password: Option<&[u8]>,
    cap: u64,
    sink: &mut dyn FnMut(&[u8]) -> bool,
) -> Result<(u64, bool), ReadError> {
    let (header, data, opts) = prepare(b, e, password)?;
    let mut input = header.as_slice().chain(data);
    let mut file = match zip::read::read_zipfile_from_stream_with_options(&mut input, opts) {
        Ok(Some(f)) => f,
        Ok(None) => return Err(ReadError::Corrupt("entry could not be opened".into())),
        Err(ZipError::InvalidPassword) => {
            return Err(ReadError::WrongPassword(HEADER_CHECK.into()))
        }
        Err(ZipError::UnsupportedArchive(m)) => return Err(ReadError::Unsupported(m.to_string())),
        Err(other) => return Err(ReadError::Corrupt(other.to_string())),
    };
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    // Each round reads at least one byte or ends, and `cap` bounds the total.
    loop {
        let want = usize::try_from(cap.saturating_sub(total))
            .unwrap_or(usize::MAX)
            .min(buf.len());
        if want == 0 {
            return Ok((total, false));
        }
        let Some(slot) = buf.get_mut(..want) else {
            return Ok((total, false));
        };
        match file.read(slot) {
            Ok(0) => return Ok((total, true)),
            Ok(n) => {
                total = total.saturating_add(n as u64);
                if !sink(buf.get(..n).unwrap_or(&[])) {
                    return Ok((total, false));
                }
            }
            Err(err) => return Err(ReadError::Corrupt(err.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;

    fn build(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (n, d) in entries {
            w.start_file(*n, SimpleFileOptions::default()).unwrap();
            w.write_all(d).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn parses_and_extracts() {
        let z = build(&[("a.txt", b"hello hello hello"), ("d/b.bin", &[7u8; 1000])]);
        let d = parse(&z, 100).unwrap();
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.entries.len(), 2);
        assert_eq!(d.entries[1].name, "d/b.bin");
        assert_eq!(
            extract(&z, &d.entries[0], None, 1000).unwrap(),
            b"hello hello hello"
        );
        assert_eq!(
            extract(&z, &d.entries[1], None, 1000).unwrap(),
            vec![7u8; 1000]
        );
        assert_eq!(
            extract(&z, &d.entries[1], None, 999),
            Err(ReadError::OverCap)
        );
    }

    #[test]
    fn bad_crc_is_corrupt() {
        let mut z = build(&[("a.txt", b"hello hello hello")]);
        let d = parse(&z, 100).unwrap();
        let r = d.entries[0].data.clone().unwrap();
        // Stored? deflate: flip a bit in the central CRC instead, which is what we verify against.
        let cd = z.windows(4).position(|w| w == SIG_CENTRAL).unwrap();
        z[cd + 16] ^= 1;
        let d2 = parse(&z, 100).unwrap();
        assert_eq!(d2.entries[0].data.clone().unwrap(), r);
        assert!(matches!(
            extract(&z, &d2.entries[0], None, 1000),
            Err(ReadError::Corrupt(_))
        ));
    }

    #[test]
    fn huge_declared_count_is_not_trusted() {
        // An end record claiming 65535 entries over an empty directory.
        let mut z = Vec::new();
        z.extend_from_slice(SIG_EOCD);
        z.extend_from_slice(&[0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
        z.extend_from_slice(&0u32.to_le_bytes());
        z.extend_from_slice(&0u32.to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes());
        match parse(&z, 10) {
            Ok(d) => assert!(d.entries.is_empty() && !d.problems.is_empty()),
            Err(e) => assert!(e.contains("central directory"), "{e}"),
        }
    }

    #[test]
    fn truncated_has_no_directory() {
        let z = build(&[("a.txt", b"hello hello hello")]);
        assert!(parse(&z[..z.len() - 30], 100).is_err());
    }

    #[test]
    fn zip64_end_record_with_absurd_counts() {
        // zip64 end record claiming 2^40 entries and a 2^50-byte directory at 2^45.
        let mut z = Vec::new();
        z.extend_from_slice(SIG_ZIP64_EOCD);
        z.extend_from_slice(&44u64.to_le_bytes());
        z.extend_from_slice(&[45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        for v in [1u64 << 40, 1 << 40, 1 << 50, 1 << 45] {
            z.extend_from_slice(&v.to_le_bytes());
        }
        z.extend_from_slice(SIG_ZIP64_LOCATOR);
        z.extend_from_slice(&[0; 12]);
        z.extend_from_slice(&1u32.to_le_bytes());
        z.extend_from_slice(SIG_EOCD);
        z.extend_from_slice(&[
            0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0,
            0,
        ]);
        let e = parse(&z, 10_000).unwrap_err();
        assert!(e.contains("no central directory"), "{e}");
    }

    #[test]
    fn entry_parsing_stops_at_max_entries() {
        let names: Vec<String> = (0..20).map(|i| format!("f{i}")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
        let z = build(&entries);
        let d = parse(&z, 5).unwrap();
        assert_eq!(d.entries.len(), 5);
        assert!(d.cut);
        assert_eq!(d.declared, 20);
    }
}
