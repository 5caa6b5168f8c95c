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
    lnk_full(target, args, "C:\\Windows\\System32", "%SystemRoot%\\System32\\shell32.dll")
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
    let ansi: Vec<u8> = target.chars().map(|c| if c.is_ascii() { c as u8 } else { b'?' }).collect();
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
                format!("{name};1").encode_utf16().flat_map(|u| u.to_be_bytes()).collect()
            } else if name.is_ascii() {
                format!("{};1", name.to_ascii_uppercase()).into_bytes()
            } else {
                let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_uppercase()).unwrap_or_default();
                format!("FILE{i}.{ext};1").into_bytes()
            };
            dir.extend(dir_record(lbas[i], d.len() as u32, 0, &id));
        }
        assert!(dir.len() <= SECTOR, "builder keeps the root directory in one sector");
        dir.resize(SECTOR, 0);
        dir
    };
    let mut img = vec![0u8; 16 * SECTOR];
    let label_ucs2: Vec<u8> = label.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    img.extend(volume_descriptor(1, label.as_bytes(), total, &dir_record(19, SECTOR as u32, 2, &[0]), false));
    img.extend(volume_descriptor(2, &label_ucs2, total, &dir_record(20, SECTOR as u32, 2, &[0]), true));
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
