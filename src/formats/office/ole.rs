//! A read-only Compound File Binary reader ([MS-CFB] v3/v4).
//!
//! Why not the `cfb` crate: on wasm there is no `catch_unwind`, and the crate has many
//! `unwrap`/`panic!` sites reached from header values; fuzzed files (rust-cfb's own regression
//! corpus) once made it loop or panic. This reader only reads, from an in-memory slice, and
//! every chain walk is bounded by a visited bitmap, so it ends on any input.
//!
//! - [MS-CFB] 2.2 Compound File Header (512 bytes: sector shifts, FAT/DIFAT/MiniFAT starts).
//! - [MS-CFB] 2.3 Sector numbers (MAXREGSECT 0xFFFFFFFA; DIFSECT, FATSECT, ENDOFCHAIN, FREESECT).
//! - [MS-CFB] 2.4 / 2.5 FAT and DIFAT sectors, 2.6 directory (128-byte entries, red-black tree
//!   by left/right sibling and child ids), 2.6.3 mini stream (streams below the cutoff, 64-byte
//!   mini sectors, chained by the MiniFAT).

const MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const MAXREGSECT: u32 = 0xFFFF_FFFA;
const NOSTREAM: u32 = 0xFFFF_FFFF;
/// Directory entries kept (real documents have a few hundred; .msg files a few thousand).
const MAX_ENTRIES: usize = 100_000;
/// Storage nesting kept when building paths.
const MAX_TREE_DEPTH: usize = 64;

/// The kind of a directory entry ([MS-CFB] 2.6.1 Object Type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Storage,
    Stream,
    Root,
}

/// One storage or stream. Paths are kept as parent links (not copied per entry), so a file
/// with many deeply nested entries costs memory in proportion to its directory only.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    /// Index of the parent storage in [`Cfb::entries`] (the root is its own parent).
    pub parent: usize,
    /// Storage nesting below the root (the root is 0).
    pub depth: usize,
    pub kind: EntryKind,
    start: u32,
    /// Declared size (not trusted: reads stop at the chain's end).
    pub size: u64,
}

impl Entry {
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A parsed compound file over borrowed bytes.
pub struct Cfb<'a> {
    data: &'a [u8],
    sector_size: usize,
    mini_cutoff: u64,
    fat: Vec<u32>,
    minifat: Vec<u32>,
    ministream: Vec<u8>,
    /// Every entry reachable from the root, in tree order.
    pub entries: Vec<Entry>,
    /// The indices of each entry's children in `entries`, in `entries` order, built once so
    /// lookups below a storage cost its own entries, not the file's (a `.msg` with hundreds of
    /// recipients has thousands of entries).
    kids: Vec<Vec<usize>>,
    /// Non-fatal structural problems met while opening (broken chains, bad tree links).
    pub problems: Vec<String>,
}

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    crate::bytes::u16_le(b, off)
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    crate::bytes::u32_le(b, off)
}

fn u64_at(b: &[u8], off: usize) -> Option<u64> {
    let lo = u32_at(b, off)? as u64;
    let hi = u32_at(b, off.checked_add(4)?)? as u64;
    Some(lo | (hi << 32))
}

impl<'a> Cfb<'a> {
    /// Parse the header, FAT, directory and mini stream. `Err` when nothing usable is there.
    pub fn open(data: &'a [u8]) -> Result<Cfb<'a>, String> {
        if !data.starts_with(MAGIC) {
            return Err("not a compound file (bad signature)".into());
        }
        if data.len() < 512 {
            return Err(format!(
                "file of {} bytes is shorter than the 512-byte header",
                data.len()
            ));
        }
        let major = u16_at(data, 0x1A).unwrap_or(0);
        let shift = u16_at(data, 0x1E).unwrap_or(0);
        let sector_size: usize = match (major, shift) {
            (3, 9) => 512,
            (4, 12) => 4096,
            // Tolerate a wrong version with a sane shift, as Office does.
            (_, 9) => 512,
            (_, 12) => 4096,
            _ => {
                return Err(format!(
                    "unsupported sector shift {shift} (version {major})"
                ))
            }
        };
        let mini_cutoff = u32_at(data, 0x38).unwrap_or(4096) as u64;
        let mut problems = Vec::new();
        let n_sectors = data.len().saturating_sub(sector_size).div_ceil(sector_size);
        let mut cfb = Cfb {
            data,
            sector_size,
            mini_cutoff: if mini_cutoff == 0 { 4096 } else { mini_cutoff },
            fat: Vec::new(),
            minifat: Vec::new(),
            ministream: Vec::new(),
            entries: Vec::new(),
            kids: Vec::new(),
            problems: Vec::new(),
        };

        // DIFAT: 109 entries in the header, then a chain of DIFAT sectors ([MS-CFB] 2.5).
        let mut fat_sectors: Vec<u32> = Vec::new();
        for i in 0..109usize {
            let s = u32_at(data, 0x4Cusize.saturating_add(i.saturating_mul(4))).unwrap_or(NOSTREAM);
            if s <= MAXREGSECT {
                fat_sectors.push(s);
            }
        }
        let mut difat = u32_at(data, 0x44).unwrap_or(NOSTREAM);
        let mut seen = vec![false; n_sectors];
        let per = (sector_size / 4).saturating_sub(1);
        while difat <= MAXREGSECT {
            let idx = difat as usize;
            match seen.get_mut(idx) {
                Some(v) if !*v => *v = true,
                Some(_) => {
                    problems.push("DIFAT chain loops".to_string());
                    break;
                }
                None => {
                    problems.push(format!("DIFAT sector {difat} beyond the end of the file"));
                    break;
                }
            }
            let Some(sec) = cfb.sector(difat) else { break };
            for i in 0..per {
                let s = u32_at(sec, i.saturating_mul(4)).unwrap_or(NOSTREAM);
                if s <= MAXREGSECT {
                    fat_sectors.push(s);
                }
            }
            difat = u32_at(sec, per.saturating_mul(4)).unwrap_or(NOSTREAM);
        }
        // The FAT itself: never more FAT sectors than the file has sectors.
        fat_sectors.truncate(n_sectors);
        let mut fat = Vec::new();
        for &s in &fat_sectors {
            match cfb.sector(s) {
                Some(sec) => fat.extend(
                    sec.chunks_exact(4)
                        .map(|c| u32::from_le_bytes(crate::bytes::pad::<4>(c))),
                ),
                None => problems.push(format!("FAT sector {s} beyond the end of the file")),
            }
        }
        // Entries past the file's end can never be read; keep the table no larger than needed.
        fat.truncate(n_sectors.max(1));
        cfb.fat = fat;

        // Directory ([MS-CFB] 2.6).
        let first_dir = u32_at(data, 0x30).unwrap_or(NOSTREAM);
        let (dir, err) = cfb.read_chain(first_dir, u64::MAX, false);
        if let Some(e) = err {
            problems.push(format!("directory: {e}"));
        }
        let raw: Vec<&[u8]> = dir.chunks_exact(128).take(MAX_ENTRIES).collect();
        if raw.is_empty() {
            return Err("no directory entries".into());
        }
        let root_type = raw.first().and_then(|e| e.get(0x42)).copied().unwrap_or(0);
        if root_type != 5 {
            problems.push(format!(
                "first directory entry is not the root (type {root_type})"
            ));
        }

        // MiniFAT and the mini stream (the root entry's stream).
        let first_minifat = u32_at(data, 0x3C).unwrap_or(NOSTREAM);
        let (mf, err) = cfb.read_chain(first_minifat, u64::MAX, false);
        if let Some(e) = err {
            problems.push(format!("MiniFAT: {e}"));
        }
        cfb.minifat = mf
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(crate::bytes::pad::<4>(c)))
            .collect();
        if let Some(root) = raw.first() {
            let start = u32_at(root, 0x74).unwrap_or(NOSTREAM);
            let size = u64_at(root, 0x78).unwrap_or(0);
            let size = if sector_size == 512 {
                size & 0xFFFF_FFFF
            } else {
                size
            };
            let (ms, err) = cfb.read_chain(start, size, false);
            if let Some(e) = err {
                problems.push(format!("mini stream: {e}"));
            }
            cfb.ministream = ms;
        }

        // Walk the tree from the root's child, linking each entry to its parent storage.
        let mut entries = vec![Entry {
            name: String::new(),
            parent: 0,
            depth: 0,
            kind: EntryKind::Root,
            start: 0,
            size: 0,
        }];
        let mut visited = vec![false; raw.len()];
        if let Some(v) = visited.get_mut(0) {
            *v = true;
        }
        let root_child = raw
            .first()
            .and_then(|r| u32_at(r, 0x4C))
            .unwrap_or(NOSTREAM);
        // Stack of (entry id, index of the parent in `entries`).
        let mut stack: Vec<(u32, usize)> = vec![(root_child, 0)];
        while let Some((id, parent)) = stack.pop() {
            if id == NOSTREAM {
                continue;
            }
            let Some(e) = raw.get(id as usize) else {
                problems.push(format!("directory link to missing entry {id}"));
                continue;
            };
            match visited.get_mut(id as usize) {
                Some(v) if !*v => *v = true,
                _ => {
                    problems.push(format!("directory entry {id} linked twice"));
                    continue;
                }
            }
            let left = u32_at(e, 0x44).unwrap_or(NOSTREAM);
            let right = u32_at(e, 0x48).unwrap_or(NOSTREAM);
            let child = u32_at(e, 0x4C).unwrap_or(NOSTREAM);
            stack.push((left, parent));
            stack.push((right, parent));
            let kind = match e.get(0x42).copied().unwrap_or(0) {
                1 => EntryKind::Storage,
                2 => EntryKind::Stream,
                5 => EntryKind::Root,
                _ => continue,
            };
            let name_len = (u16_at(e, 0x40).unwrap_or(0) as usize).min(64);
            let units = e
                .get(..name_len)
                .unwrap_or(&[])
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)))
                .take_while(|&u| u != 0);
            // As `String::from_utf16_lossy`, without the intermediate vector.
            let name: String = char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            let size = u64_at(e, 0x78).unwrap_or(0);
            let size = if sector_size == 512 {
                size & 0xFFFF_FFFF
            } else {
                size
            };
            let depth = entries
                .get(parent)
                .map(|p| p.depth)
                .unwrap_or(0)
                .saturating_add(1);
            let idx = entries.len();
            if kind == EntryKind::Storage && depth < MAX_TREE_DEPTH {
                stack.push((child, idx));
            }
            entries.push(Entry {
                name,
                parent,
                depth,
                kind,
                start: u32_at(e, 0x74).unwrap_or(NOSTREAM),
                size,
            });
        }
        let mut kids = vec![Vec::new(); entries.len()];
        for (i, e) in entries.iter().enumerate().skip(1) {
            if let Some(v) = kids.get_mut(e.parent) {
                v.push(i);
            }
        }
        cfb.entries = entries;
        cfb.kids = kids;
        cfb.problems = problems;
        Ok(cfb)
    }

    fn sector(&self, n: u32) -> Option<&'a [u8]> {
        let start = (n as usize).checked_add(1)?.checked_mul(self.sector_size)?;
        let end = start.checked_add(self.sector_size)?;
        if start >= self.data.len() {
            return None;
        }
        // A last, partial sector is read as far as the file goes.
        self.data.get(start..end.min(self.data.len()))
    }

    /// Follow a chain in the FAT (or the MiniFAT when `mini`), collecting up to `max` bytes.
    /// Returns what was read and, if the chain was broken, why.
    fn read_chain(&self, start: u32, max: u64, mini: bool) -> (Vec<u8>, Option<String>) {
        /// Chains up to this many sectors are checked for loops against a list.
        const SHORT_CHAIN: usize = 32;
        /// Most bytes reserved before reading.
        const PRESIZE_MAX: usize = 4 << 20;
        let (table, unit) = if mini {
            (&self.minifat, 64usize)
        } else {
            (&self.fat, self.sector_size)
        };
        let max = usize::try_from(max).unwrap_or(usize::MAX);
        // Room for the stream at once, bounded by the bytes that exist (not only by the size the
        // directory declares) and by a few MiB: a larger stream grows as it is read, so a broken
        // chain under a huge declared size reserves nothing it does not fill.
        let available = if mini {
            self.ministream.len()
        } else {
            self.data.len()
        };
        let mut out = Vec::with_capacity(max.min(available).min(PRESIZE_MAX));
        // Sectors already visited, to stop at the first one seen twice: a short list for the
        // usual short chain, a map of the whole table once the chain grows past it (a table-sized
        // map for every small stream of a `.msg` with thousands of them was most of its cost).
        let mut recent: Vec<u32> = Vec::new();
        let mut seen: Option<Vec<bool>> = None;
        let mut cur = start;
        while cur <= MAXREGSECT && out.len() < max {
            let idx = cur as usize;
            if idx >= table.len() {
                return (
                    out,
                    Some(format!("sector {cur} outside the allocation table")),
                );
            }
            let again = match seen.as_mut() {
                Some(map) => map.get_mut(idx).is_none_or(|v| std::mem::replace(v, true)),
                None if recent.contains(&cur) => true,
                None => {
                    recent.push(cur);
                    if recent.len() > SHORT_CHAIN {
                        let mut map = vec![false; table.len()];
                        for &r in &recent {
                            if let Some(v) = map.get_mut(r as usize) {
                                *v = true;
                            }
                        }
                        seen = Some(map);
                    }
                    false
                }
            };
            if again {
                return (out, Some("sector chain loops".into()));
            }
            let chunk = if mini {
                let off = idx.saturating_mul(64);
                self.ministream
                    .get(off..off.saturating_add(64).min(self.ministream.len()))
            } else {
                self.sector(cur)
            };
            let Some(chunk) = chunk else {
                return (
                    out,
                    Some(format!("sector {cur} beyond the end of the data")),
                );
            };
            let take = chunk.len().min(max.saturating_sub(out.len())).min(unit);
            out.extend_from_slice(chunk.get(..take).unwrap_or(&[]));
            cur = table.get(idx).copied().unwrap_or(NOSTREAM);
        }
        (out, None)
    }

    /// Read a stream, at most `max` bytes. `Err` when the chain is broken before the declared
    /// size (what was read is dropped: callers treat it as malformed).
    pub fn read(&self, e: &Entry, max: usize) -> Result<Vec<u8>, String> {
        if e.kind != EntryKind::Stream {
            return Err("not a stream".into());
        }
        let want = e.size.min(max as u64);
        let mini = e.size < self.mini_cutoff;
        let (data, err) = self.read_chain(e.start, want, mini);
        if (data.len() as u64) < want {
            return Err(err.unwrap_or_else(|| {
                format!(
                    "stream {} ends after {} of {} bytes",
                    e.name,
                    data.len(),
                    e.size
                )
            }));
        }
        Ok(data)
    }

    /// The `/`-joined path of entry `idx` (`Macros/VBA`).
    pub fn path_of(&self, idx: usize) -> String {
        let mut segs: Vec<&str> = Vec::new();
        let mut cur = idx;
        // Parents always come before children, so this ends; the bound is for safety.
        for _ in 0..=MAX_TREE_DEPTH {
            match self.entries.get(cur) {
                Some(e) if cur != 0 => {
                    segs.push(&e.name);
                    cur = e.parent;
                }
                _ => break,
            }
        }
        segs.reverse();
        segs.join("/")
    }

    /// Find an entry by path below the root, comparing names case-insensitively (as CFB
    /// does). Returns its index.
    pub fn find_index(&self, path: &[&str]) -> Option<usize> {
        let mut cur = 0usize;
        for seg in path {
            cur = self.child_ids(cur).iter().copied().find(|&i| {
                self.entries
                    .get(i)
                    .is_some_and(|e| e.name.eq_ignore_ascii_case(seg))
            })?;
        }
        Some(cur)
    }

    /// Find an entry by path below the root.
    pub fn find(&self, path: &[&str]) -> Option<&Entry> {
        self.find_index(path).and_then(|i| self.entries.get(i))
    }

    /// The indices in [`Cfb::entries`] of the entries directly inside storage `idx`.
    pub fn child_ids(&self, idx: usize) -> &[usize] {
        self.kids.get(idx).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The entries directly inside storage `idx`.
    pub fn children(&self, idx: usize) -> impl Iterator<Item = &Entry> + '_ {
        self.child_ids(idx)
            .iter()
            .filter_map(|&i| self.entries.get(i))
    }

    /// Sum of the declared stream sizes below storage `idx` (for object lists only).
    pub fn subtree_size(&self, idx: usize) -> u64 {
        let mut total = 0u64;
        let mut stack = vec![idx];
        let mut steps = 0usize;
        while let Some(s) = stack.pop() {
            steps = steps.saturating_add(1);
            if steps > self.entries.len() {
                break;
            }
            for &i in self.child_ids(s) {
                match self.entries.get(i).map(|e| (e.kind, e.size)) {
                    Some((EntryKind::Stream, size)) => total = total.saturating_add(size),
                    Some(_) => stack.push(i),
                    None => {}
                }
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-built v3 compound file: `n` stream entries chained as right siblings below the
    /// root, plus what `fat_patch` changes in the FAT.
    fn build(n: usize, fat_patch: impl Fn(&mut Vec<u32>)) -> Vec<u8> {
        let dir_sectors = (n + 1).div_ceil(4);
        let mut fat_sectors = 1;
        while fat_sectors * 128 < fat_sectors + dir_sectors {
            fat_sectors += 1;
        }
        let mut fat = vec![0xFFFF_FFFFu32; fat_sectors * 128];
        for f in fat.iter_mut().take(fat_sectors) {
            *f = 0xFFFF_FFFD;
        }
        for d in 0..dir_sectors {
            let s = fat_sectors + d;
            fat[s] = if d + 1 == dir_sectors {
                0xFFFF_FFFE
            } else {
                (s + 1) as u32
            };
        }
        fat_patch(&mut fat);
        let mut h = vec![0u8; 512];
        h[..8].copy_from_slice(MAGIC);
        h[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes());
        h[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
        h[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
        h[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
        h[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
        h[0x2C..0x30].copy_from_slice(&(fat_sectors as u32).to_le_bytes());
        h[0x30..0x34].copy_from_slice(&(fat_sectors as u32).to_le_bytes());
        h[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
        h[0x3C..0x40].copy_from_slice(&NOSTREAM.wrapping_sub(1).to_le_bytes());
        h[0x44..0x48].copy_from_slice(&NOSTREAM.wrapping_sub(1).to_le_bytes());
        for i in 0..109 {
            let v = if i < fat_sectors { i as u32 } else { NOSTREAM };
            h[0x4C + i * 4..0x50 + i * 4].copy_from_slice(&v.to_le_bytes());
        }
        let mut out = h;
        out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
        let mut dir = vec![0u8; dir_sectors * 512];
        for i in 0..=n {
            let e = &mut dir[i * 128..(i + 1) * 128];
            let name: String = if i == 0 {
                "Root Entry".into()
            } else {
                format!("S{i}")
            };
            let units: Vec<u8> = name
                .encode_utf16()
                .chain([0])
                .flat_map(|u| u.to_le_bytes())
                .collect();
            e[..units.len()].copy_from_slice(&units);
            e[0x40..0x42].copy_from_slice(&(units.len() as u16).to_le_bytes());
            e[0x42] = if i == 0 { 5 } else { 2 };
            e[0x44..0x48].copy_from_slice(&NOSTREAM.to_le_bytes());
            let right = if i == 0 || i == n {
                NOSTREAM
            } else {
                (i + 1) as u32
            };
            e[0x48..0x4C].copy_from_slice(&right.to_le_bytes());
            let child = if i == 0 && n > 0 { 1 } else { NOSTREAM };
            e[0x4C..0x50].copy_from_slice(&child.to_le_bytes());
            e[0x74..0x78].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        }
        out.extend(dir);
        out
    }

    #[test]
    fn reads_hand_built_file() {
        let b = build(10, |_| {});
        let c = Cfb::open(&b).unwrap();
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.entries.len(), 11);
        assert_eq!(c.find_index(&["s7"]), Some(7));
        assert_eq!(c.path_of(7), "S7");
        assert_eq!(c.children(0).count(), 10);
    }

    #[test]
    fn many_entries_stay_fast() {
        let b = build(30_000, |_| {});
        let t = std::time::Instant::now();
        let c = Cfb::open(&b).unwrap();
        assert_eq!(c.entries.len(), 30_001);
        let _ = super::super::vba::find_projects(&c);
        assert!(c.find(&["S29999"]).is_some());
        assert!(t.elapsed().as_secs() < 10, "{:?}", t.elapsed());
    }

    #[test]
    fn looping_directory_chain_ends() {
        // The directory chain's last link points back into the chain: with 40 entries (10
        // sectors, checked against the short list of visited sectors) to its first sector, with
        // 300 (75 sectors, past the list, checked against the map) to sector 40.
        for (n, back) in [(40usize, 1u32), (300, 40)] {
            let b = build(n, |fat| {
                let last = fat.iter().position(|&v| v == 0xFFFF_FFFE).unwrap();
                fat[last] = back;
            });
            let c = Cfb::open(&b).unwrap();
            assert!(
                c.problems.iter().any(|p| p.contains("loops")),
                "{n}: {:?}",
                c.problems
            );
            assert_eq!(c.entries.len(), n + 1);
        }
    }
}
