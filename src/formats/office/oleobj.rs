//! Embedded OLE objects: the `\x01Ole10Native` stream of an OLE 1.0 "Package" object.
//!
//! - [MS-OLEDS] 2.3.6 / 2.2.4: an embedded object's native data is kept in a stream named
//!   `\x01Ole10Native` inside the object's storage: `NativeDataSize (u32)` then the native data.
//!   The storages are `ObjectPool/_<id>` in Word documents ([MS-DOC] 2.2.1 ObjectPool),
//!   `MBD<hex>` in Excel workbooks ([MS-XLS] 2.1.7.x embedded storages), a compound file in an
//!   ExOleObjStg record in PowerPoint ([MS-PPT] 2.10.34), and `*/embeddings/oleObject*.bin`
//!   parts in OOXML (ECMA-376 Part 1, 15.2.10 Embedded Object Part).
//! - The native data of the Packager ("Package", CLSID {0003000C-0000-0000-C000-000000000046})
//!   is the OLE Package layout (not in a Microsoft spec; as written by packager.exe and read by
//!   oletools' oleobj): `u16 signature (2)`, label (the file name) as a NUL-terminated ANSI
//!   string, the source path (NUL-terminated ANSI), `u16 reserved (0)`, `u16 type` (3 = embedded
//!   file, 1 = link to a file), `u32 length` of the temporary path, that path (NUL-terminated
//!   ANSI), `u32 data size`, the file's bytes; optionally followed by the temporary path, label
//!   and source path again as `u32 character count` + UTF-16LE (Unicode names).
//!
//! Nothing here allocates by a size read from the file: the payload is a slice of the stream.

/// One parsed OLE Package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package<'a> {
    /// The label (what Office shows; the file name).
    pub label: String,
    /// The path the file was embedded from.
    pub source_path: String,
    /// The temporary path it is written to when opened.
    pub temp_path: String,
    /// The embedded file's bytes (empty for a link).
    pub data: &'a [u8],
    /// A link to a file (type 1): only the path is stored.
    pub link: bool,
    /// The data size field said more than the stream holds (data was cut).
    pub truncated: bool,
}

impl Package<'_> {
    /// The file name to report: the label, else the last segment of a path.
    pub fn file_name(&self) -> String {
        let base = |s: &str| {
            s.rsplit(['\\', '/'])
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        };
        for cand in [&self.label, &self.source_path, &self.temp_path] {
            let b = base(cand);
            if !b.is_empty() {
                return b;
            }
        }
        "Ole10Native".to_string()
    }
}

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    crate::bytes::u16_le(b, off)
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    crate::bytes::u32_le(b, off)
}

/// An ANSI string up to NUL (at most 1024 bytes); returns it and the offset after the NUL.
fn cstr(b: &[u8], off: usize) -> Option<(String, usize)> {
    let rest = b.get(off..)?;
    let end = rest.iter().take(1024).position(|&c| c == 0)?;
    Some((
        ansi(rest.get(..end)?),
        off.checked_add(end)?.checked_add(1)?,
    ))
}

/// ANSI bytes: ASCII as is; otherwise Shift_JIS when it decodes cleanly (Japanese Windows),
/// else windows-1252.
pub fn ansi(b: &[u8]) -> String {
    if b.is_ascii() {
        return String::from_utf8_lossy(b).into_owned();
    }
    let (s, _, bad) = encoding_rs::SHIFT_JIS.decode(b);
    if !bad {
        return s.into_owned();
    }
    encoding_rs::WINDOWS_1252.decode(b).0.into_owned()
}

/// A `u32` count of UTF-16 units then the units (the optional Unicode trailer).
fn wstr(b: &[u8], off: usize) -> Option<(String, usize)> {
    let n = u32_at(b, off)? as usize;
    if n > 1024 {
        return None;
    }
    let start = off.checked_add(4)?;
    let end = start.checked_add(n.checked_mul(2)?)?;
    let units: Vec<u16> = b
        .get(start..end)?
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)))
        .take_while(|&u| u != 0)
        .collect();
    Some((String::from_utf16_lossy(&units), end))
}

/// Parse the content of an `\x01Ole10Native` stream as an OLE Package. `None` when it is not
/// one (another class's native data).
pub fn parse_package(stream: &[u8]) -> Option<Package<'_>> {
    // NativeDataSize, then the package (the size is not trusted: the stream's end bounds it).
    let body = stream.get(4..)?;
    if u16_at(body, 0)? != 2 {
        return None;
    }
    let (label, p) = cstr(body, 2)?;
    let (source_path, p) = cstr(body, p)?;
    let kind = u16_at(body, p.checked_add(2)?)?;
    let p = p.checked_add(4)?;
    if kind == 1 {
        // A link: no data, the path is what counts.
        return Some(Package {
            label,
            source_path,
            temp_path: String::new(),
            data: &[],
            link: true,
            truncated: false,
        });
    }
    let tlen = u32_at(body, p)? as usize;
    let p = p.checked_add(4)?;
    let (temp_path, p) = match body.get(p..p.checked_add(tlen)?) {
        Some(t) if tlen > 0 && tlen <= 1024 => {
            let t = t.split(|&c| c == 0).next().unwrap_or(&[]);
            (ansi(t), p.saturating_add(tlen))
        }
        _ => cstr(body, p)?,
    };
    let size = u32_at(body, p)? as usize;
    let p = p.checked_add(4)?;
    let avail = body.len().saturating_sub(p);
    let take = size.min(avail);
    let data = body.get(p..p.checked_add(take)?)?;
    let mut pkg = Package {
        label,
        source_path,
        temp_path,
        data,
        link: false,
        truncated: size > avail,
    };
    // Optional Unicode trailer: temp path, label, source path.
    let q = p.saturating_add(take);
    if let Some((wt, q)) = wstr(body, q) {
        if let Some((wl, q)) = wstr(body, q) {
            if !wl.is_empty() {
                pkg.label = wl;
            }
            if let Some((ws, _)) = wstr(body, q) {
                if !ws.is_empty() {
                    pkg.source_path = ws;
                }
            }
        }
        if !wt.is_empty() {
            pkg.temp_path = wt;
        }
    }
    Some(pkg)
}

/// The native data of a non-Package `\x01Ole10Native` stream (after its size field), bounded
/// by the stream.
pub fn native_data(stream: &[u8]) -> &[u8] {
    let size = u32_at(stream, 0).unwrap_or(0) as usize;
    let body = stream.get(4..).unwrap_or(&[]);
    body.get(..size.min(body.len())).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(
        label: &str,
        src: &str,
        tmp: &str,
        data: &[u8],
        unicode_label: Option<&str>,
    ) -> Vec<u8> {
        let mut p = 2u16.to_le_bytes().to_vec();
        for s in [label, src] {
            p.extend_from_slice(s.as_bytes());
            p.push(0);
        }
        p.extend_from_slice(&[0, 0, 3, 0]);
        p.extend_from_slice(&((tmp.len() + 1) as u32).to_le_bytes());
        p.extend_from_slice(tmp.as_bytes());
        p.push(0);
        p.extend_from_slice(&(data.len() as u32).to_le_bytes());
        p.extend_from_slice(data);
        if let Some(u) = unicode_label {
            for s in [tmp, u, src] {
                let units: Vec<u16> = s.encode_utf16().collect();
                p.extend_from_slice(&(units.len() as u32).to_le_bytes());
                p.extend(units.iter().flat_map(|u| u.to_le_bytes()));
            }
        }
        let mut s = (p.len() as u32).to_le_bytes().to_vec();
        s.extend(p);
        s
    }

    #[test]
    fn parses_package_and_unicode_trailer() {
        let s = package(
            "calc.exe",
            "C:\\x\\calc.exe",
            "C:\\tmp\\calc.exe",
            b"MZ\x90\x00",
            None,
        );
        let p = parse_package(&s).unwrap();
        assert_eq!(p.label, "calc.exe");
        assert_eq!(p.data, b"MZ\x90\x00");
        assert!(!p.truncated && !p.link);
        let s = package(
            "??.txt",
            "C:\\x\\??.txt",
            "C:\\t\\??.txt",
            b"hi",
            Some("請求書.txt"),
        );
        let p = parse_package(&s).unwrap();
        assert_eq!(p.file_name(), "請求書.txt");
        // Cut short: the data is what is there, marked truncated.
        let s = package("a.bat", "a.bat", "a.bat", b"echo hello", None);
        let p = parse_package(&s[..s.len() - 4]).unwrap();
        assert!(p.truncated);
        assert_eq!(p.data, b"echo h");
        assert!(parse_package(b"\x10\0\0\0\x07\0junk").is_none());
        for n in 0..s.len() {
            let _ = parse_package(&s[..n]);
        }
    }
}
