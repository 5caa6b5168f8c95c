//! What a file is, decided by its content (magic bytes), never by its name alone.
//!
//! The name is used only where content cannot tell (plain-text scripts such as `.vbs` or `.bat`),
//! and to compare against the content for `file.type_mismatch`.

use crate::bytes::find;

/// A detected file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// RFC 5322 message (`.eml`).
    Mail,
    /// ZIP container (plain archive or OOXML; the zip module tells them apart).
    Zip,
    /// Compound File Binary (OLE2): `.doc`, `.xls`, `.ppt`, `.msg`, ...
    Ole,
    /// Windows PE executable or DLL (`MZ` with a `PE\0\0` header).
    Pe,
    /// MZ without a valid PE header (DOS stub or truncated PE).
    Mz,
    Pdf,
    Rtf,
    OneNote,
    Lnk,
    Iso,
    /// UDF disk image without an ISO 9660 volume (ECMA-167 volume recognition sequence).
    Udf,
    /// Virtual hard disk (VHD footer `conectix`, VHDX `vhdxfile`).
    Vhd,
    /// Raw disk image (`.img`): a FAT / exFAT / NTFS boot sector or an MBR partition table.
    Img,
    /// Internet shortcut (`.url`, `[InternetShortcut]`).
    Url,
    /// SYLK spreadsheet (`ID;P`), which can carry Excel 4.0 macros.
    Sylk,
    Gzip,
    Rar,
    SevenZip,
    Cab,
    Png,
    Jpeg,
    Gif,
    Html,
    /// A script or installer type recognised by content (e.g. a `<HTA:APPLICATION>` or `#!` line).
    Script,
    Text,
    Unknown,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Mail => "mail",
            Kind::Zip => "zip",
            Kind::Ole => "ole",
            Kind::Pe => "pe",
            Kind::Mz => "mz",
            Kind::Pdf => "pdf",
            Kind::Rtf => "rtf",
            Kind::OneNote => "onenote",
            Kind::Lnk => "lnk",
            Kind::Iso => "iso",
            Kind::Udf => "udf",
            Kind::Vhd => "vhd",
            Kind::Img => "img",
            Kind::Url => "url",
            Kind::Sylk => "sylk",
            Kind::Gzip => "gzip",
            Kind::Rar => "rar",
            Kind::SevenZip => "7z",
            Kind::Cab => "cab",
            Kind::Png => "png",
            Kind::Jpeg => "jpeg",
            Kind::Gif => "gif",
            Kind::Html => "html",
            Kind::Script => "script",
            Kind::Text => "text",
            Kind::Unknown => "unknown",
        }
    }
}

const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// `{7B5C52E4-D88C-4DA7-AEB1-5378D02996D3}` as stored: the OneNote section file format GUID
/// ([MS-ONESTORE] 2.3.1 Header, guidFileType).
const ONENOTE_MAGIC: &[u8] = &[
    0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D, 0xAE, 0xB1, 0x53, 0x78, 0xD0, 0x29, 0x96, 0xD3,
];
/// HeaderSize 0x4C and LinkCLSID 00021401-0000-0000-C000-000000000046 ([MS-SHLLINK] 2.1).
const LNK_MAGIC: &[u8] = &[
    0x4C, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x46,
];

/// Decide the type of `bytes`. `name` only breaks ties for plain text.
pub fn sniff(bytes: &[u8], name: &str) -> Kind {
    if bytes.starts_with(CFB_MAGIC) {
        return Kind::Ole;
    }
    if bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
        || bytes.starts_with(b"PK\x07\x08")
    {
        return Kind::Zip;
    }
    if bytes.starts_with(b"MZ") {
        return if is_pe(bytes) { Kind::Pe } else { Kind::Mz };
    }
    if bytes.starts_with(b"%PDF-") || find(bytes.get(..1024).unwrap_or(bytes), b"%PDF-").is_some() {
        return Kind::Pdf;
    }
    if bytes.starts_with(b"{\\rt") {
        return Kind::Rtf;
    }
    if bytes.starts_with(ONENOTE_MAGIC) {
        return Kind::OneNote;
    }
    if bytes.starts_with(LNK_MAGIC) {
        return Kind::Lnk;
    }
    // ISO 9660: the primary volume descriptor at sector 16 (ECMA-119 8.4).
    if bytes.get(0x8001..0x8006) == Some(b"CD001") {
        return Kind::Iso;
    }
    // UDF without ISO 9660: "BEA01" then "NSR02"/"NSR03" in the volume recognition sequence
    // (ECMA-167 2/9.1), from sector 16 on.
    if bytes.get(0x8001..0x8006) == Some(b"BEA01")
        && [0x8801usize, 0x9001].iter().any(|&o| {
            matches!(
                bytes.get(o..o.saturating_add(5)),
                Some(b"NSR02") | Some(b"NSR03")
            )
        })
    {
        return Kind::Udf;
    }
    if bytes.starts_with(b"vhdxfile")
        || bytes
            .len()
            .checked_sub(512)
            .and_then(|footer| bytes.get(footer..)?.get(..8))
            == Some(b"conectix")
    {
        return Kind::Vhd;
    }
    if is_raw_disk(bytes) {
        return Kind::Img;
    }
    if bytes.starts_with(&[0x1F, 0x8B]) {
        return Kind::Gzip;
    }
    if bytes.starts_with(b"Rar!\x1A\x07") {
        return Kind::Rar;
    }
    if bytes.starts_with(&[b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C]) {
        return Kind::SevenZip;
    }
    if bytes.starts_with(b"MSCF") {
        return Kind::Cab;
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Kind::Png;
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Kind::Jpeg;
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Kind::Gif;
    }
    // A ZIP with something prepended (self-extractors, or junk put in front to dodge scanners):
    // an end-of-central-directory record near the end.
    if has_zip_eocd(bytes) {
        return Kind::Zip;
    }
    if !looks_textual(bytes) {
        return Kind::Unknown;
    }
    if looks_like_mail(bytes) {
        return Kind::Mail;
    }
    let head = lower_head(bytes, 4096);
    if head
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with("[internetshortcut]")
    {
        return Kind::Url;
    }
    if head.starts_with("id;p") {
        return Kind::Sylk;
    }
    if head.contains("<hta:application") || head.starts_with("#!") || head.starts_with("#@~^") {
        return Kind::Script;
    }
    // HTML markers may follow a long comment or whitespace prefix (a smuggling page padded to
    // push its markup past a scanner's first block), so look further than the other checks.
    let wide = lower_head(bytes, 64 * 1024);
    if wide.contains("<html") || wide.contains("<!doctype html") || wide.contains("<script") {
        return Kind::Html;
    }
    let _ = name;
    Kind::Text
}

/// A raw disk image: the 0x55AA boot signature at 510 with a FAT12/16/32, exFAT or NTFS boot
/// sector (Microsoft FAT specification 3.1–3.3; the OEM/type strings), or an MBR whose four
/// partition entries are well formed (boot flag 0 or 0x80, a used entry starting inside the file).
fn is_raw_disk(bytes: &[u8]) -> bool {
    if bytes.len() < 1024 || bytes.get(510..512) != Some(&[0x55, 0xAA][..]) {
        return false;
    }
    let at = |o: usize, s: &[u8]| bytes.get(o..).and_then(|b| b.get(..s.len())) == Some(s);
    if at(0x36, b"FAT12   ")
        || at(0x36, b"FAT16   ")
        || at(0x52, b"FAT32   ")
        || at(3, b"NTFS    ")
        || at(3, b"EXFAT   ")
    {
        return true;
    }
    let sectors = (bytes.len() / 512) as u64;
    let Some(table) = bytes.get(0x1BE..0x1FE) else {
        return false;
    };
    let mut used = false;
    for entry in table.chunks_exact(16) {
        let Some((&boot, &[_, _, _, kind, _, _, _, s0, s1, s2, s3, ..])) = entry.split_first()
        else {
            return false;
        };
        if boot != 0 && boot != 0x80 {
            return false;
        }
        if kind != 0 {
            let start = u32::from_le_bytes([s0, s1, s2, s3]) as u64;
            if start == 0 || start >= sectors {
                return false;
            }
            used = true;
        }
    }
    used
}

/// MZ header with `e_lfanew` pointing at `PE\0\0` inside the file.
pub fn is_pe(bytes: &[u8]) -> bool {
    let Some(&off) = bytes.get(0x3C..).and_then(|b| b.first_chunk::<4>()) else {
        return false;
    };
    let off = u32::from_le_bytes(off) as usize;
    match off.checked_add(4).and_then(|end| bytes.get(off..end)) {
        Some(sig) => sig == b"PE\0\0",
        None => false,
    }
}

fn has_zip_eocd(bytes: &[u8]) -> bool {
    // EOCD is 22 bytes plus a comment of at most 65535 bytes (APPNOTE 4.3.16).
    let start = bytes.len().saturating_sub(22 + 65_535);
    let Some(tail) = bytes.get(start..) else {
        return false;
    };
    match memchr::memmem::rfind(tail, b"PK\x05\x06") {
        Some(pos) => {
            // Require a central directory header somewhere before it, so a stray "PK\5\6" in
            // a text file is not taken for an archive.
            let abs = start.saturating_add(pos);
            find(bytes.get(..abs).unwrap_or(&[]), b"PK\x01\x02").is_some()
        }
        None => false,
    }
}

/// Mostly printable in the first 4 KiB (allowing UTF-8, ISO-2022-JP escapes and Shift_JIS).
fn looks_textual(bytes: &[u8]) -> bool {
    let head = bytes.get(..4096).unwrap_or(bytes);
    if head.is_empty() {
        return false;
    }
    let bad = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)))
        .count();
    bad.saturating_mul(100) <= head.len()
}

fn lower_head(bytes: &[u8], n: usize) -> String {
    String::from_utf8_lossy(bytes.get(..n).unwrap_or(bytes)).to_ascii_lowercase()
}

/// RFC 5322 header block: it starts with a `Name: value` line, the block names at least one of
/// the headers real messages carry, and most of its lines are header fields or folded
/// continuations (some mailers break folding, so a few stray lines are tolerated).
fn looks_like_mail(bytes: &[u8]) -> bool {
    const KNOWN: &[&str] = &[
        "from",
        "to",
        "subject",
        "date",
        "received",
        "message-id",
        "mime-version",
        "return-path",
        "delivered-to",
        "reply-to",
        "content-type",
        "x-mailer",
        "authentication-results",
        "cc",
        "sender",
        "x-original-to",
        "dkim-signature",
        "thread-topic",
        "in-reply-to",
        "references",
    ];
    let head = lower_head(bytes, 16 * 1024);
    let head = head.strip_prefix('\u{feff}').unwrap_or(&head);
    let mut header_lines = 0usize;
    let mut known = 0usize;
    let mut stray = 0usize;
    for (i, line) in head.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            break;
        }
        if i == 0 && line.starts_with("from ") {
            // mbox "From " separator line.
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            if header_lines == 0 {
                return false;
            }
            continue;
        }
        let field = line.split_once(':').map(|(f, _)| f);
        match field {
            Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_graphic()) => {
                header_lines = header_lines.saturating_add(1);
                if KNOWN.contains(&f) {
                    known = known.saturating_add(1);
                }
            }
            _ if header_lines == 0 => return false,
            _ => stray = stray.saturating_add(1),
        }
        if header_lines.saturating_add(stray) >= 400 {
            break;
        }
    }
    known >= 1 && stray.saturating_mul(4) <= header_lines
}

/// The extension of a file name, lower-cased, without the dot.
pub fn extension(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = base.rsplit_once('.')?;
    if stem.is_empty() || ext.is_empty() || ext.len() > 8 {
        return None;
    }
    Some(ext.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_magic() {
        assert_eq!(sniff(CFB_MAGIC, "x.txt"), Kind::Ole);
        assert_eq!(sniff(b"PK\x03\x04rest", "x.pdf"), Kind::Zip);
        assert_eq!(sniff(b"%PDF-1.7\n", "x"), Kind::Pdf);
        assert_eq!(sniff(b"{\\rtf1\\ansi", "x.doc"), Kind::Rtf);
        assert_eq!(sniff(b"MZ\x90\x00", "x"), Kind::Mz);
        let mut fat = vec![0u8; 4096];
        fat[0x36..0x3E].copy_from_slice(b"FAT16   ");
        fat[510] = 0x55;
        fat[511] = 0xAA;
        assert_eq!(sniff(&fat, "disk.img"), Kind::Img);
        let mut mbr = vec![0u8; 4096];
        mbr[510] = 0x55;
        mbr[511] = 0xAA;
        assert_eq!(sniff(&mbr, "x"), Kind::Unknown, "no partition: not a disk");
        mbr[0x1BE + 4] = 0x0C;
        mbr[0x1BE + 8] = 2;
        assert_eq!(sniff(&mbr, "x"), Kind::Img);
    }

    #[test]
    fn pe_needs_pe_header() {
        let mut pe = vec![0u8; 0x100];
        pe[0] = b'M';
        pe[1] = b'Z';
        pe[0x3C] = 0x80;
        pe[0x80..0x84].copy_from_slice(b"PE\0\0");
        assert_eq!(sniff(&pe, "a.pdf"), Kind::Pe);
        pe[0x3C] = 0xFF; // points past the end
        pe[0x3D] = 0xFF;
        assert_eq!(sniff(&pe, "a.pdf"), Kind::Mz);
    }

    #[test]
    fn mail_by_headers_not_name() {
        let m = b"Received: from x\r\nFrom: a@b.jp\r\nSubject: hi\r\n\r\nbody";
        assert_eq!(sniff(m, "whatever.bin"), Kind::Mail);
        assert_eq!(sniff(b"just some text\nwith lines\n", "x.eml"), Kind::Text);
        // A bare MIME entity (only Content-Type) and broken folding still count.
        assert_eq!(
            sniff(b"Content-Type: text/plain\r\n\r\nbody", "x"),
            Kind::Mail
        );
        let broken = b"Received: a\r\nSubject: =?utf-8?B?x?=\r\n=?utf-8?B?y?=\r\nFrom: a@b\r\nTo: c@d\r\nDate: x\r\n\r\n";
        assert_eq!(sniff(broken, "x"), Kind::Mail);
        assert_eq!(
            sniff(b"Note: this is\nnot a mail at all\nreally\n", "x"),
            Kind::Text
        );
        let mut padded = b"<!-- ".to_vec();
        padded.extend(std::iter::repeat_n(b' ', 10_000));
        padded.extend_from_slice(b" --><script>x()</script>");
        assert_eq!(sniff(&padded, "invoice.htm"), Kind::Html);
    }

    #[test]
    fn extension_rules() {
        assert_eq!(extension("請求書.PDF").as_deref(), Some("pdf"));
        assert_eq!(extension(".bashrc"), None);
        assert_eq!(extension("dir/a.tar.gz").as_deref(), Some("gz"));
    }
}
