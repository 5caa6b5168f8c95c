//! PowerPoint binary (`.ppt`, [MS-PPT]): the VBA project is not a storage of the compound file
//! but a compound file of its own, kept in an ExOleObjStg record of the `PowerPoint Document`
//! stream (referenced by VbaInfoAtom).
//!
//! - 2.3.1 RecordHeader: recVer (4 bits; 0xF = container) | recInstance (12 bits), recType
//!   (u16), recLen (u32). Containers hold records, atoms hold data.
//! - 2.10.34 ExOleObjStg (0x1011): recInstance 0 = raw storage bytes; 1 = compressed:
//!   decompressedSize (u32) then a zlib stream (2.10.35 ExOleObjStgCompressedAtom).
//!
//! The stream is walked record by record (entering containers, skipping atoms), so every step
//! moves forward at least 8 bytes.

use std::io::Read;

const EX_OLE_OBJ_STG: u16 = 0x1011;
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// ExOleObjStg records looked at in one stream.
const MAX_OBJECTS: usize = 64;

/// Why the walk stopped early.
#[derive(Debug, PartialEq, Eq)]
pub enum WalkError {
    /// The record structure broke off.
    Malformed(String),
    /// `charge` refused, or more embedded storages than are looked at.
    Limit(String),
}

/// The embedded storages that are compound files (VBA projects and embedded OLE objects),
/// each decompressed up to `max_out` bytes with `charge` asked first. The second value is set
/// when the record structure broke off or a budget was hit.
pub fn embedded_storages(
    stream: &[u8],
    max_out: u64,
    charge: &mut dyn FnMut(u64) -> bool,
) -> (Vec<Vec<u8>>, Option<WalkError>) {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut seen = 0usize;
    while pos.saturating_add(8) <= stream.len() {
        let Some(h) = stream.get(pos..pos.saturating_add(8)) else {
            break;
        };
        let ver_inst = u16::from_le_bytes(crate::bytes::pad::<2>(h));
        let rec_type = u16::from_le_bytes(crate::bytes::pad::<2>(h.get(2..).unwrap_or_default()));
        let len =
            u32::from_le_bytes(crate::bytes::pad::<4>(h.get(4..).unwrap_or_default())) as usize;
        let body_start = pos.saturating_add(8);
        if ver_inst & 0x000F == 0x000F {
            // A container: its children follow.
            pos = body_start;
            continue;
        }
        let body_end = body_start.saturating_add(len);
        let Some(body) = stream.get(body_start..body_end) else {
            return (
                out,
                Some(WalkError::Malformed(format!(
                    "record 0x{rec_type:04X} at offset {pos} runs past the end"
                ))),
            );
        };
        pos = body_end;
        if rec_type != EX_OLE_OBJ_STG {
            continue;
        }
        seen = seen.saturating_add(1);
        if seen > MAX_OBJECTS {
            return (
                out,
                Some(WalkError::Limit(format!(
                    "more than {MAX_OBJECTS} embedded storages in the PowerPoint Document stream"
                ))),
            );
        }
        let instance = ver_inst >> 4;
        let data = if instance == 1 {
            let declared = body
                .get(..4)
                .map(|b| u32::from_le_bytes(crate::bytes::pad::<4>(b)) as u64)
                .unwrap_or(0);
            let cap = declared.min(max_out);
            let mut d = Vec::new();
            let z = flate2::read::ZlibDecoder::new(body.get(4..).unwrap_or(&[]));
            if z.take(cap).read_to_end(&mut d).is_err() && d.is_empty() {
                continue;
            }
            if !charge(d.len() as u64) {
                return (
                    out,
                    Some(WalkError::Limit(
                        "embedded storages of the PowerPoint Document stream over the decompression budget".into(),
                    )),
                );
            }
            d
        } else {
            body.to_vec()
        };
        if data.starts_with(CFB_MAGIC) {
            out.push(data);
        }
    }
    (out, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn rec(ver_inst: u16, ty: u16, body: &[u8]) -> Vec<u8> {
        let mut v = ver_inst.to_le_bytes().to_vec();
        v.extend_from_slice(&ty.to_le_bytes());
        v.extend_from_slice(&(body.len() as u32).to_le_bytes());
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn finds_compressed_and_raw_storages() {
        let payload = [CFB_MAGIC, &[7u8; 100][..]].concat();
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&payload).unwrap();
        let mut body = (payload.len() as u32).to_le_bytes().to_vec();
        body.extend(z.finish().unwrap());
        let mut s = rec(0x000F, 0x03E8, &rec(0x0001, 0x03E9, &[0; 40]));
        s.extend(rec(0x0010, EX_OLE_OBJ_STG, &body));
        s.extend(rec(0x0000, EX_OLE_OBJ_STG, &payload));
        s.extend(rec(0x0000, EX_OLE_OBJ_STG, b"not a storage"));
        let (v, err) = embedded_storages(&s, 1 << 20, &mut |_| true);
        assert!(err.is_none());
        assert_eq!(v, vec![payload.clone(), payload.clone()]);
        // A budget that says no stops with a reason.
        let (v, err) = embedded_storages(&s, 1 << 20, &mut |_| false);
        assert!(v.is_empty() && matches!(err, Some(WalkError::Limit(_))));
        // Truncated: what was found before is kept.
        let (_, err) = embedded_storages(&s[..s.len() - 3], 1 << 20, &mut |_| true);
        assert!(err.is_some());
    }
}
