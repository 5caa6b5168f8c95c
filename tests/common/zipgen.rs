//! ZIP fixture builders (see mod.rs). Archives are written with the `zip` crate; the hostile
//! ones (CP932 names without the UTF-8 flag, overlapping entries, lying sizes, unsupported
//! methods) are written normally and then patched at the header fields APPNOTE 6.3.10 defines
//! (4.3.7 local header, 4.3.12 central directory header, 4.3.16 end record).

use std::io::{Cursor, Write};

use zip::unstable::write::FileOptionsExt;
use zip::write::SimpleFileOptions;
use zip::{AesMode, CompressionMethod, ZipWriter};

fn build(entries: &[(&str, &[u8])], opts: impl Fn() -> SimpleFileOptions) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        if name.ends_with('/') {
            w.add_directory(*name, opts()).unwrap();
        } else {
            w.start_file(*name, opts()).unwrap();
            w.write_all(data).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}

/// A deflated archive.
pub fn plain(entries: &[(&str, &[u8])]) -> Vec<u8> {
    build(entries, || {
        SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
    })
}

/// A stored (uncompressed) archive.
pub fn stored(entries: &[(&str, &[u8])]) -> Vec<u8> {
    build(entries, || {
        SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
    })
}

/// Every entry encrypted with traditional PKWARE encryption (ZipCrypto), deflated.
pub fn zip_crypto(entries: &[(&str, &[u8])], password: &str) -> Vec<u8> {
    zip_crypto_method(entries, password, CompressionMethod::Deflated)
}

/// ZipCrypto with stored entries: a wrong password that passes the header check decrypts to
/// garbage that nothing but the CRC-32 can reject.
pub fn zip_crypto_stored(entries: &[(&str, &[u8])], password: &str) -> Vec<u8> {
    zip_crypto_method(entries, password, CompressionMethod::Stored)
}

fn zip_crypto_method(
    entries: &[(&str, &[u8])],
    password: &str,
    method: CompressionMethod,
) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        let o = SimpleFileOptions::default()
            .compression_method(method)
            .with_deprecated_encryption(password.as_bytes())
            .unwrap();
        w.start_file(*name, o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Every entry encrypted with WinZip AES-256 (AE-2), deflated.
pub fn aes256(entries: &[(&str, &[u8])], password: &str) -> Vec<u8> {
    let pw = password.to_string();
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        let o = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .with_aes_encryption(AesMode::Aes256, &pw);
        w.start_file(*name, o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Names stored as CP932 bytes without the UTF-8 flag (what Windows Explorer on Japanese
/// Windows writes). Written with same-length ASCII placeholders, then patched in both headers.
pub fn cp932_names(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let encoded: Vec<Vec<u8>> = entries
        .iter()
        .map(|(n, _)| encoding_rs::SHIFT_JIS.encode(n).0.into_owned())
        .collect();
    let placeholders: Vec<String> = encoded
        .iter()
        .enumerate()
        .map(|(i, e)| placeholder(i, e.len()))
        .collect();
    let tmp: Vec<(&str, &[u8])> = placeholders
        .iter()
        .zip(entries)
        .map(|(p, (_, d))| (p.as_str(), *d))
        .collect();
    let mut z = plain(&tmp);
    for (i, rec) in central_records(&z).into_iter().enumerate() {
        let local = u32_at(&z, rec + 42) as usize;
        let len = encoded[i].len();
        assert_eq!(
            u16_at(&z, rec + 8) & (1 << 11),
            0,
            "writer set the UTF-8 flag"
        );
        z[rec + 46..rec + 46 + len].copy_from_slice(&encoded[i]);
        z[local + 30..local + 30 + len].copy_from_slice(&encoded[i]);
    }
    z
}

fn placeholder(i: usize, len: usize) -> String {
    let mut s = format!("p{i}_");
    while s.len() < len {
        s.push('x');
    }
    s.truncate(len.max(1));
    s
}

/// Two central directory entries (`a.txt`, `b.txt`) pointing at the same local header and
/// data: the overlapping-entry construction of non-recursive zip bombs (Fifield's zbsm.zip).
pub fn overlapping() -> Vec<u8> {
    let z = plain(&[("a.txt", &[b'A'; 10_000])]);
    let rec = central_records(&z)[0];
    let eocd = eocd(&z);
    let rec_end = eocd; // one record, directly before the end record
    let mut copy = z[rec..rec_end].to_vec();
    copy[46..51].copy_from_slice(b"b.txt");
    let mut out = z[..eocd].to_vec();
    out.extend_from_slice(&copy);
    let mut end = z[eocd..].to_vec();
    let count = u16::from_le_bytes([end[10], end[11]]) + 1;
    end[8..10].copy_from_slice(&count.to_le_bytes());
    end[10..12].copy_from_slice(&count.to_le_bytes());
    let size = u32::from_le_bytes(end[12..16].try_into().unwrap()) + copy.len() as u32;
    end[12..16].copy_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&end);
    out
}

/// One entry whose central directory declares `declared` uncompressed bytes for its few
/// compressed bytes (an impossible ratio), like the declared sizes of a zip bomb.
pub fn declared_bomb(declared: u32) -> Vec<u8> {
    let mut z = plain(&[("bomb.bin", &[0u8; 100])]);
    set_u32_both(&mut z, 0, 24, declared);
    z
}

/// Set a 32-bit field of central directory record `index` only (offset within the record:
/// 16 CRC-32, 20 compressed size, 24 uncompressed size). The local header then disagrees.
pub fn set_central_u32(z: &mut [u8], index: usize, field: usize, value: u32) {
    let rec = central_records(z)[index];
    z[rec + field..rec + field + 4].copy_from_slice(&value.to_le_bytes());
}

/// Set the same 32-bit field (16 CRC-32, 20 compressed size, 24 uncompressed size, as offsets in
/// the central record) in both the central and the local header of entry `index`, so the
/// archive is consistent and merely lies.
pub fn set_u32_both(z: &mut [u8], index: usize, field: usize, value: u32) {
    let rec = central_records(z)[index];
    let local = u32_at(z, rec + 42) as usize;
    z[rec + field..rec + field + 4].copy_from_slice(&value.to_le_bytes());
    z[local + field - 2..local + field + 2].copy_from_slice(&value.to_le_bytes());
}

/// Set the compression method of entry `index` in both headers (e.g. 12 = bzip2).
pub fn set_method(z: &mut [u8], index: usize, method: u16) {
    let rec = central_records(z)[index];
    let local = u32_at(z, rec + 42) as usize;
    z[rec + 10..rec + 12].copy_from_slice(&method.to_le_bytes());
    z[local + 8..local + 10].copy_from_slice(&method.to_le_bytes());
}

/// The data range (after the local header) of entry `index`.
pub fn data_range(z: &[u8], index: usize) -> std::ops::Range<usize> {
    let rec = central_records(z)[index];
    let local = u32_at(z, rec + 42) as usize;
    let start = local + 30 + u16_at(z, local + 26) as usize + u16_at(z, local + 28) as usize;
    start..start + u32_at(z, rec + 20) as usize
}

/// Offsets of the central directory records.
pub fn central_records(z: &[u8]) -> Vec<usize> {
    let e = eocd(z);
    let count = u16_at(z, e + 10) as usize;
    let mut at = u32_at(z, e + 16) as usize;
    let mut v = Vec::new();
    for _ in 0..count {
        assert_eq!(&z[at..at + 4], b"PK\x01\x02");
        v.push(at);
        at += 46
            + u16_at(z, at + 28) as usize
            + u16_at(z, at + 30) as usize
            + u16_at(z, at + 32) as usize;
    }
    v
}

fn eocd(z: &[u8]) -> usize {
    z.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap()
}

fn u16_at(z: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([z[at], z[at + 1]])
}

fn u32_at(z: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(z[at..at + 4].try_into().unwrap())
}

/// A minimal PE: MZ header whose e_lfanew points at `PE\0\0`.
pub fn tiny_pe() -> Vec<u8> {
    let mut v = vec![0u8; 0x80];
    v[0] = b'M';
    v[1] = b'Z';
    v[0x3C] = 0x40;
    v[0x40..0x44].copy_from_slice(b"PE\0\0");
    v
}
