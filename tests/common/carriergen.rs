//! Builders for carrier fixtures: Windows shortcuts ([MS-SHLLINK]), Internet shortcuts, ISO 9660
//! images with Joliet names (ECMA-119 + Joliet), and OneNote sections with FileDataStoreObjects
//! ([MS-ONESTORE] 2.6.13). Minimal but structurally valid for what the parsers read.

const SECTOR: usize = 2048;

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// A shortcut to `target` with command-line `args`: ShellLinkHeader, LinkInfo with the local base
/// path (ANSI and Unicode), StringData (working dir, arguments, icon location; Unicode), and an
/// empty ExtraData.
pub fn lnk(target: &str, args: &str) -> Vec<u8> {
    lnk_full(
        target,
        args,
        "C:\\Windows\\System32",
        "%SystemRoot%\\System32\\shell32.dll",
    )
}

/// [`lnk`] with a chosen working directory and icon location.
pub fn lnk_full(target: &str, args: &str, working_dir: &str, icon: &str) -> Vec<u8> {
    let mut b = vec![0u8; 0x4C];
    b[0] = 0x4C;
    b[4..20].copy_from_slice(&[1, 0x14, 2, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46]);
    // HasLinkInfo | HasWorkingDir | HasArguments | HasIconLocation | IsUnicode
    let flags: u32 = 0x2 | 0x10 | 0x20 | 0x40 | 0x80;
    b[0x14..0x18].copy_from_slice(&flags.to_le_bytes());
    b[0x3C..0x40].copy_from_slice(&1u32.to_le_bytes()); // SW_SHOWNORMAL

    // LinkInfo (2.3) with LinkInfoHeaderSize 0x24 (Unicode offsets present).
    let mut info = vec![0u8; 0x24];
    let vol_off = info.len();
    let mut vol = vec![0u8; 0x11];
    vol[0] = 0x11;
    vol[4..8].copy_from_slice(&3u32.to_le_bytes()); // DRIVE_FIXED
    vol[12..16].copy_from_slice(&0x10u32.to_le_bytes());
    info.extend_from_slice(&vol);
    let base_off = info.len();
    let ansi: Vec<u8> = target
        .chars()
        .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
        .collect();
    info.extend_from_slice(&ansi);
    info.push(0);
    let suffix_off = info.len();
    info.push(0);
    let base_uni_off = info.len();
    info.extend_from_slice(&utf16le(target));
    info.extend_from_slice(&[0, 0]);
    let suffix_uni_off = info.len();
    info.extend_from_slice(&[0, 0]);
    let size = info.len() as u32;
    for (at, v) in [
        (0usize, size),
        (4, 0x24),
        (8, 1), // VolumeIDAndLocalBasePath
        (12, vol_off as u32),
        (16, base_off as u32),
        (20, 0),
        (24, suffix_off as u32),
        (28, base_uni_off as u32),
        (32, suffix_uni_off as u32),
    ] {
        info[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(&info);
    for s in [working_dir, args, icon] {
        b.extend_from_slice(&(s.encode_utf16().count() as u16).to_le_bytes());
        b.extend_from_slice(&utf16le(s));
    }
    b.extend_from_slice(&[0, 0, 0, 0]); // TerminalBlock
    b
}

/// An Internet shortcut to `url`.
pub fn url_shortcut(url: &str) -> Vec<u8> {
    format!("[InternetShortcut]\r\nURL={url}\r\nIconIndex=0\r\n").into_bytes()
}

fn both_u32(v: u32) -> [u8; 8] {
    let mut a = [0u8; 8];
    a[..4].copy_from_slice(&v.to_le_bytes());
    a[4..].copy_from_slice(&v.to_be_bytes());
    a
}

fn both_u16(v: u16) -> [u8; 4] {
    let mut a = [0u8; 4];
    a[..2].copy_from_slice(&v.to_le_bytes());
    a[2..].copy_from_slice(&v.to_be_bytes());
    a
}

/// ECMA-119 9.1 directory record.
fn dir_record(lba: u32, len: u32, flags: u8, name: &[u8]) -> Vec<u8> {
    let rec_len = 33 + name.len() + (name.len() + 1) % 2;
    let mut r = vec![0u8; rec_len];
    r[0] = rec_len as u8;
    r[2..10].copy_from_slice(&both_u32(lba));
    r[10..18].copy_from_slice(&both_u32(len));
    r[25] = flags;
    r[28..32].copy_from_slice(&both_u16(1));
    r[32] = name.len() as u8;
    r[33..33 + name.len()].copy_from_slice(name);
    r
}

fn volume_descriptor(ty: u8, label: &[u8], total: u32, root: &[u8], joliet: bool) -> Vec<u8> {
    let mut d = vec![0u8; SECTOR];
    d[0] = ty;
    d[1..6].copy_from_slice(b"CD001");
    d[6] = 1;
    d[8..40].fill(b' ');
    d[40..72].fill(if joliet { 0 } else { b' ' });
    d[40..40 + label.len()].copy_from_slice(label);
    d[80..88].copy_from_slice(&both_u32(total));
    if joliet {
        d[88..91].copy_from_slice(b"%/E");
    }
    d[120..124].copy_from_slice(&both_u16(1));
    d[124..128].copy_from_slice(&both_u16(1));
    d[128..132].copy_from_slice(&both_u16(SECTOR as u16));
    d[156..156 + root.len()].copy_from_slice(root);
    d[881] = 1;
    d
}

/// An ISO 9660 image with a Joliet supplementary volume, all files in the root directory.
/// Primary-volume names are upper-case ASCII (`FILEn` with the extension when the name is not
/// ASCII); Joliet names are the given names in UCS-2 BE.
pub fn iso(files: &[(&str, &[u8])]) -> Vec<u8> {
    iso_labeled("TENPU_TEST", files)
}

/// [`iso`] with a volume label (ASCII).
pub fn iso_labeled(label: &str, files: &[(&str, &[u8])]) -> Vec<u8> {
    let data_start = 21u32;
    let mut lbas = Vec::new();
    let mut next = data_start;
    for (_, d) in files {
        lbas.push(next);
        next += d.len().div_ceil(SECTOR).max(1) as u32;
    }
    let total = next;
    let build_dir = |self_lba: u32, joliet: bool| -> Vec<u8> {
        let mut dir = Vec::new();
        dir.extend(dir_record(self_lba, SECTOR as u32, 2, &[0]));
        dir.extend(dir_record(self_lba, SECTOR as u32, 2, &[1]));
        for (i, (name, d)) in files.iter().enumerate() {
            let id: Vec<u8> = if joliet {
                format!("{name};1")
                    .encode_utf16()
                    .flat_map(|u| u.to_be_bytes())
                    .collect()
            } else if name.is_ascii() {
                format!("{};1", name.to_ascii_uppercase()).into_bytes()
            } else {
                let ext = name
                    .rsplit_once('.')
                    .map(|(_, e)| e.to_ascii_uppercase())
                    .unwrap_or_default();
                format!("FILE{i}.{ext};1").into_bytes()
            };
            dir.extend(dir_record(lbas[i], d.len() as u32, 0, &id));
        }
        assert!(
            dir.len() <= SECTOR,
            "builder keeps the root directory in one sector"
        );
        dir.resize(SECTOR, 0);
        dir
    };
    let mut img = vec![0u8; 16 * SECTOR];
    let label_ucs2: Vec<u8> = label.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    img.extend(volume_descriptor(
        1,
        label.as_bytes(),
        total,
        &dir_record(19, SECTOR as u32, 2, &[0]),
        false,
    ));
    img.extend(volume_descriptor(
        2,
        &label_ucs2,
        total,
        &dir_record(20, SECTOR as u32, 2, &[0]),
        true,
    ));
    let mut term = vec![0u8; SECTOR];
    term[0] = 255;
    term[1..6].copy_from_slice(b"CD001");
    term[6] = 1;
    img.extend(term);
    img.extend(build_dir(19, false));
    img.extend(build_dir(20, true));
    for (_, d) in files {
        let mut s = d.to_vec();
        s.resize(d.len().div_ceil(SECTOR).max(1) * SECTOR, 0);
        img.extend(s);
    }
    img
}

/// `{7B5C52E4-D88C-4DA7-AEB1-5378D02996D3}` (guidFileType of a .one section).
const ONE_FILE_TYPE: [u8; 16] = [
    0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D, 0xAE, 0xB1, 0x53, 0x78, 0xD0, 0x29, 0x96, 0xD3,
];
/// `{109ADD3F-911B-49F5-A5D0-1791EDC8AED8}` (guidFileFormat).
const ONE_FILE_FORMAT: [u8; 16] = [
    0x3F, 0xDD, 0x9A, 0x10, 0x1B, 0x91, 0xF5, 0x49, 0xA5, 0xD0, 0x17, 0x91, 0xED, 0xC8, 0xAE, 0xD8,
];
const FDSO_HEADER: [u8; 16] = [
    0xE7, 0x16, 0xE3, 0xBD, 0x65, 0x26, 0x11, 0x45, 0xA4, 0xC4, 0x8D, 0x4D, 0x0B, 0x7A, 0x9E, 0xAC,
];
const FDSO_FOOTER: [u8; 16] = [
    0x22, 0xA7, 0xFB, 0x71, 0x79, 0x0F, 0x0B, 0x4A, 0xBB, 0x13, 0x89, 0x92, 0x56, 0x42, 0x6B, 0x24,
];

/// One FileDataStoreObject ([MS-ONESTORE] 2.6.13).
pub fn file_data_store_object(data: &[u8]) -> Vec<u8> {
    let mut v = FDSO_HEADER.to_vec();
    v.extend_from_slice(&(data.len() as u64).to_le_bytes());
    v.extend_from_slice(&[0; 4]); // unused
    v.extend_from_slice(&[0; 8]); // reserved
    v.extend_from_slice(data);
    // Padding makes the whole structure a multiple of 8 bytes.
    v.resize(v.len() + (8 - (36 + data.len() + 16) % 8) % 8, 0);
    v.extend_from_slice(&FDSO_FOOTER);
    v
}

/// A minimal OneNote section: the 1024-byte header (guidFileType, guidFileFormat, cbExpectedFileLength)
/// followed by one FileDataStoreObject per file.
pub fn onenote_with(files: &[&[u8]]) -> Vec<u8> {
    let mut v = vec![0u8; 1024];
    v[0..16].copy_from_slice(&ONE_FILE_TYPE);
    v[16..32].copy_from_slice(&[0x11; 16]); // guidFile
    v[48..64].copy_from_slice(&ONE_FILE_FORMAT);
    for f in files {
        v.extend(file_data_store_object(f));
    }
    let len = v.len() as u64;
    v[0x44..0x4C].copy_from_slice(&len.to_le_bytes()); // cbExpectedFileLength
    v
}

/// ECMA-167 3/7.2 descriptor tag with its checksum, at `d[..16]`.
fn udf_tag(d: &mut [u8], id: u16, location: u32) {
    d[0..2].copy_from_slice(&id.to_le_bytes());
    d[2..4].copy_from_slice(&2u16.to_le_bytes());
    d[12..16].copy_from_slice(&location.to_le_bytes());
    d[4] = 0;
    let sum = d[..16]
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 4)
        .fold(0u8, |a, (_, &b)| a.wrapping_add(b));
    d[4] = sum;
}

/// OSTA CS0 with compression ID 16 (UCS-2 BE).
fn cs0_16(s: &str) -> Vec<u8> {
    let mut v = vec![16u8];
    v.extend(s.encode_utf16().flat_map(|u| u.to_be_bytes()));
    v
}

/// A UDF 1.02 image (ECMA-167 + OSTA UDF; no ISO 9660 volume): volume recognition sequence,
/// anchor at sector 256, a partition descriptor and a logical volume descriptor with one type-1
/// partition map, a file set descriptor, and a root directory holding `files` (CS0 16-bit names,
/// so Japanese names work). Each file is one short_ad extent.
pub fn udf(label: &str, files: &[(&str, &[u8])]) -> Vec<u8> {
    const PART_START: usize = 300;
    let blocks_for = |n: usize| n.div_ceil(SECTOR).max(1);
    let data_start = 3 + files.len(); // partition blocks: 0 FSD, 1 root FE, 2 root dir, FEs, data
    let mut data_blocks = Vec::new();
    let mut next = data_start;
    for (_, d) in files {
        data_blocks.push(next);
        next += blocks_for(d.len());
    }
    let part_len = next;
    let mut img = vec![0u8; (PART_START + part_len) * SECTOR];
    // Volume recognition sequence (ECMA-167 2/9.1).
    for (i, id) in [b"BEA01", b"NSR02", b"TEA01"].iter().enumerate() {
        let o = (16 + i) * SECTOR;
        img[o + 1..o + 6].copy_from_slice(*id);
        img[o + 6] = 1;
    }
    // Partition descriptor (3/10.5) at 32.
    let o = 32 * SECTOR;
    img[o + 22..o + 24].copy_from_slice(&0u16.to_le_bytes());
    img[o + 188..o + 192].copy_from_slice(&(PART_START as u32).to_le_bytes());
    img[o + 192..o + 196].copy_from_slice(&(part_len as u32).to_le_bytes());
    udf_tag(&mut img[o..o + SECTOR], 5, 32);
    // Logical volume descriptor (3/10.6) at 33.
    let o = 33 * SECTOR;
    let mut ident = cs0_16(label);
    ident.resize(127, 0);
    ident.push(cs0_16(label).len() as u8);
    img[o + 84..o + 212].copy_from_slice(&ident);
    img[o + 212..o + 216].copy_from_slice(&(SECTOR as u32).to_le_bytes());
    img[o + 248..o + 252].copy_from_slice(&(SECTOR as u32).to_le_bytes()); // FSD long_ad
    img[o + 252..o + 256].copy_from_slice(&0u32.to_le_bytes());
    img[o + 264..o + 268].copy_from_slice(&6u32.to_le_bytes());
    img[o + 268..o + 272].copy_from_slice(&1u32.to_le_bytes());
    img[o + 440..o + 446].copy_from_slice(&[1, 6, 1, 0, 0, 0]);
    udf_tag(&mut img[o..o + SECTOR], 6, 33);
    // Terminating descriptor at 34.
    let o = 34 * SECTOR;
    udf_tag(&mut img[o..o + SECTOR], 8, 34);
    // Anchor (3/10.2) at 256: main VDS at 32, 3 sectors.
    let o = 256 * SECTOR;
    img[o + 16..o + 20].copy_from_slice(&(3 * SECTOR as u32).to_le_bytes());
    img[o + 20..o + 24].copy_from_slice(&32u32.to_le_bytes());
    udf_tag(&mut img[o..o + SECTOR], 2, 256);

    let blk = |b: usize| (PART_START + b) * SECTOR;
    // File set descriptor (4/14.1): root ICB at partition block 1.
    let o = blk(0);
    img[o + 400..o + 404].copy_from_slice(&(SECTOR as u32).to_le_bytes());
    img[o + 404..o + 408].copy_from_slice(&1u32.to_le_bytes());
    udf_tag(&mut img[o..o + SECTOR], 256, 0);
    // A file entry (4/14.9) with one short_ad.
    let fe = |img: &mut Vec<u8>, at: usize, file_type: u8, len: usize, data_block: usize| {
        let o = blk(at);
        img[o + 16 + 11] = file_type;
        img[o + 56..o + 64].copy_from_slice(&(len as u64).to_le_bytes());
        img[o + 172..o + 176].copy_from_slice(&8u32.to_le_bytes());
        img[o + 176..o + 180].copy_from_slice(&(len as u32).to_le_bytes());
        img[o + 180..o + 184].copy_from_slice(&(data_block as u32).to_le_bytes());
        udf_tag(&mut img[o..o + SECTOR], 261, at as u32);
    };
    // Root directory: parent FID then one FID per file (4/14.4).
    let fid = |chars: u8, name: &[u8], icb: usize| -> Vec<u8> {
        let mut f = vec![0u8; 38];
        f[16..18].copy_from_slice(&1u16.to_le_bytes());
        f[18] = chars;
        f[19] = name.len() as u8;
        f[20..24].copy_from_slice(&(SECTOR as u32).to_le_bytes());
        f[24..28].copy_from_slice(&(icb as u32).to_le_bytes());
        f.extend_from_slice(name);
        f.resize(f.len().div_ceil(4) * 4, 0);
        udf_tag(&mut f, 257, 2);
        f
    };
    let mut dir = fid(0x0A, &[], 1);
    for (i, (name, _)) in files.iter().enumerate() {
        dir.extend(fid(0, &cs0_16(name), 3 + i));
    }
    assert!(
        dir.len() <= SECTOR,
        "builder keeps the root directory in one block"
    );
    let o = blk(2);
    img[o..o + dir.len()].copy_from_slice(&dir);
    fe(&mut img, 1, 4, dir.len(), 2);
    for (i, (_, d)) in files.iter().enumerate() {
        fe(&mut img, 3 + i, 5, d.len(), data_blocks[i]);
        let o = blk(data_blocks[i]);
        img[o..o + d.len()].copy_from_slice(d);
    }
    img
}

/// Like [`udf`] but UDF 2.50 style: the file set descriptor, directories and file entries live in
/// a metadata partition (OSTA UDF 2.50 2.2.10) whose metadata file has two extents in the
/// physical partition; file data is referenced with long_ads into the physical partition.
pub fn udf_with_metadata(label: &str, files: &[(&str, &[u8])]) -> Vec<u8> {
    const PART_START: usize = 300;
    const META_FE: usize = 5; // physical block of the metadata file's entry
    const EXT_A: usize = 10; // metadata blocks 0..2 (FSD, root FE)
    const EXT_B: usize = 20; // metadata blocks 2.. (root dir, file entries)
    const DATA: usize = 40;
    let mut data_blocks = Vec::new();
    let mut next = DATA;
    for (_, d) in files {
        data_blocks.push(next);
        next += d.len().div_ceil(SECTOR).max(1);
    }
    let part_len = next;
    let mut img = vec![0u8; (PART_START + part_len) * SECTOR];
    for (i, id) in [b"BEA01", b"NSR03", b"TEA01"].iter().enumerate() {
        let o = (16 + i) * SECTOR;
        img[o + 1..o + 6].copy_from_slice(*id);
        img[o + 6] = 1;
    }
    let o = 32 * SECTOR;
    img[o + 188..o + 192].copy_from_slice(&(PART_START as u32).to_le_bytes());
    img[o + 192..o + 196].copy_from_slice(&(part_len as u32).to_le_bytes());
    udf_tag(&mut img[o..o + SECTOR], 5, 32);
    let o = 33 * SECTOR;
    let mut ident = cs0_16(label);
    ident.resize(127, 0);
    ident.push(cs0_16(label).len() as u8);
    img[o + 84..o + 212].copy_from_slice(&ident);
    img[o + 212..o + 216].copy_from_slice(&(SECTOR as u32).to_le_bytes());
    img[o + 248..o + 252].copy_from_slice(&(SECTOR as u32).to_le_bytes());
    img[o + 252..o + 256].copy_from_slice(&0u32.to_le_bytes());
    img[o + 256..o + 258].copy_from_slice(&1u16.to_le_bytes()); // FSD in partition ref 1
    img[o + 264..o + 268].copy_from_slice(&(6u32 + 64).to_le_bytes());
    img[o + 268..o + 272].copy_from_slice(&2u32.to_le_bytes());
    img[o + 440..o + 446].copy_from_slice(&[1, 6, 1, 0, 0, 0]);
    let m = o + 446;
    img[m] = 2;
    img[m + 1] = 64;
    img[m + 5..m + 28].copy_from_slice(b"*UDF Metadata Partition");
    img[m + 36..m + 38].copy_from_slice(&1u16.to_le_bytes());
    img[m + 38..m + 40].copy_from_slice(&0u16.to_le_bytes());
    img[m + 40..m + 44].copy_from_slice(&(META_FE as u32).to_le_bytes());
    udf_tag(&mut img[o..o + SECTOR], 6, 33);
    let o = 34 * SECTOR;
    udf_tag(&mut img[o..o + SECTOR], 8, 34);
    let o = 256 * SECTOR;
    img[o + 16..o + 20].copy_from_slice(&(3 * SECTOR as u32).to_le_bytes());
    img[o + 20..o + 24].copy_from_slice(&32u32.to_le_bytes());
    udf_tag(&mut img[o..o + SECTOR], 2, 256);

    let phys = |b: usize| (PART_START + b) * SECTOR;
    let meta = |b: usize| {
        if b < 2 {
            phys(EXT_A + b)
        } else {
            phys(EXT_B + b - 2)
        }
    };
    let meta_len = 3 + files.len();
    // The metadata file: extended file entry (4/14.17), file type 250, two short_ads.
    let o = phys(META_FE);
    img[o + 16 + 11] = 250;
    img[o + 56..o + 64].copy_from_slice(&((meta_len * SECTOR) as u64).to_le_bytes());
    img[o + 212..o + 216].copy_from_slice(&16u32.to_le_bytes());
    img[o + 216..o + 220].copy_from_slice(&(2 * SECTOR as u32).to_le_bytes());
    img[o + 220..o + 224].copy_from_slice(&(EXT_A as u32).to_le_bytes());
    img[o + 224..o + 228].copy_from_slice(&(((meta_len - 2) * SECTOR) as u32).to_le_bytes());
    img[o + 228..o + 232].copy_from_slice(&(EXT_B as u32).to_le_bytes());
    udf_tag(&mut img[o..o + SECTOR], 266, META_FE as u32);
    // FSD at metadata block 0: root ICB at metadata block 1, partition ref 1.
    let o = meta(0);
    img[o + 400..o + 404].copy_from_slice(&(SECTOR as u32).to_le_bytes());
    img[o + 404..o + 408].copy_from_slice(&1u32.to_le_bytes());
    img[o + 408..o + 410].copy_from_slice(&1u16.to_le_bytes());
    udf_tag(&mut img[o..o + SECTOR], 256, 0);
    // Entries with one long_ad.
    let fe = |img: &mut Vec<u8>, at: usize, file_type: u8, len: usize, lbn: usize, part: u16| {
        let o = meta(at);
        img[o + 16 + 11] = file_type;
        img[o + 16 + 18] = 1; // long_ad
        img[o + 56..o + 64].copy_from_slice(&(len as u64).to_le_bytes());
        img[o + 172..o + 176].copy_from_slice(&16u32.to_le_bytes());
        img[o + 176..o + 180].copy_from_slice(&(len as u32).to_le_bytes());
        img[o + 180..o + 184].copy_from_slice(&(lbn as u32).to_le_bytes());
        img[o + 184..o + 186].copy_from_slice(&part.to_le_bytes());
        udf_tag(&mut img[o..o + SECTOR], 261, at as u32);
    };
    let fid = |chars: u8, name: &[u8], icb: usize| -> Vec<u8> {
        let mut f = vec![0u8; 38];
        f[16..18].copy_from_slice(&1u16.to_le_bytes());
        f[18] = chars;
        f[19] = name.len() as u8;
        f[20..24].copy_from_slice(&(SECTOR as u32).to_le_bytes());
        f[24..28].copy_from_slice(&(icb as u32).to_le_bytes());
        f[28..30].copy_from_slice(&1u16.to_le_bytes());
        f.extend_from_slice(name);
        f.resize(f.len().div_ceil(4) * 4, 0);
        udf_tag(&mut f, 257, 2);
        f
    };
    let mut dir = fid(0x0A, &[], 1);
    for (i, (name, _)) in files.iter().enumerate() {
        dir.extend(fid(0, &cs0_16(name), 3 + i));
    }
    assert!(dir.len() <= SECTOR);
    let o = meta(2);
    img[o..o + dir.len()].copy_from_slice(&dir);
    fe(&mut img, 1, 4, dir.len(), 2, 1);
    for (i, (_, d)) in files.iter().enumerate() {
        fe(&mut img, 3 + i, 5, d.len(), data_blocks[i], 0);
        let o = phys(data_blocks[i]);
        img[o..o + d.len()].copy_from_slice(d);
    }
    img
}

/// A OneNote section whose embedded files carry their recorded extensions (e.g. `.hta`): each
/// FileDataStoreObject is followed by a FileDataStoreObjectReferenceFND (2.5.21, FileNodeID
/// 0x094, 4-byte stp and cb) with its guidReference, and an ObjectDeclarationFileData3RefCountFND
/// (2.5.27, FileNodeID 0x072) naming `<ifndf>{GUID}` and the extension. Only what the scanner reads
/// is laid out; the file node lists themselves are not chained.
pub fn onenote_named(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut v = onenote_with(&[]);
    for (i, (ext, data)) in files.iter().enumerate() {
        let at = v.len() as u32;
        v.extend(file_data_store_object(data));
        let guid: [u8; 16] = [
            0x10 + i as u8,
            0x32,
            0x54,
            0x76,
            0x98,
            0xBA,
            0xDC,
            0xFE,
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            i as u8,
        ];
        // FileNode header: FileNodeID 0x094, Size 28, StpFormat 1, CbFormat 0.
        let hdr: u32 = 0x094 | (28 << 10) | (1 << 23);
        v.extend_from_slice(&hdr.to_le_bytes());
        v.extend_from_slice(&at.to_le_bytes());
        v.extend_from_slice(&(data.len() as u32).to_le_bytes());
        v.extend_from_slice(&guid);
        let text = format!(
            "<ifndf>{{{:02X}{:02X}{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}}}",
            guid[3], guid[2], guid[1], guid[0], guid[5], guid[4], guid[7], guid[6], guid[8], guid[9], guid[10], guid[11], guid[12], guid[13], guid[14], guid[15]
        );
        let hdr: u32 = 0x072;
        v.extend_from_slice(&hdr.to_le_bytes());
        v.extend_from_slice(&[0; 9]); // oid, jcid, cRef
        v.extend_from_slice(&(text.encode_utf16().count() as u32).to_le_bytes());
        v.extend(utf16le(&text));
        v.extend_from_slice(&(ext.encode_utf16().count() as u32).to_le_bytes());
        v.extend(utf16le(ext));
    }
    v
}
