//! [MS-OVBA] 2.4.1 Compression and Decompression: the LZ77 variant used for the `dir` stream,
//! module source and the `PROJECT`-related streams.
//!
//! - 2.4.1.1.1 CompressedContainer: a signature byte 0x01, then CompressedChunks.
//! - 2.4.1.1.4 CompressedChunkHeader: 12-bit size (chunk bytes minus 3), 3-bit signature 0b011,
//!   1-bit flag (1 = compressed token sequences, 0 = 4096 raw bytes).
//! - 2.4.1.1.7 TokenSequence: a FlagByte then 8 tokens (bit set = 2-byte CopyToken).
//! - 2.4.1.3.19.1 CopyToken Help: bit count = max(ceil(log2(decompressed position in chunk)), 4).
//!
//! Output is bounded by the caller's `max_out`. Malformed input stops decompression with what
//! was produced so far and an error message.

/// The result: the bytes produced and, when the input was damaged, why decompression stopped.
pub struct Decompressed {
    pub data: Vec<u8>,
    pub error: Option<String>,
    /// `true` when the output hit `max_out`.
    pub truncated: bool,
}

const CHUNK: usize = 4096;

/// Decompress a CompressedContainer. `max_out` caps the output.
pub fn decompress(input: &[u8], max_out: usize) -> Decompressed {
    let mut out: Vec<u8> = Vec::new();
    let fail = |out: Vec<u8>, e: String| Decompressed {
        data: out,
        error: Some(e),
        truncated: false,
    };
    match input.first() {
        Some(1) => {}
        Some(b) => return fail(out, format!("bad compressed container signature 0x{b:02X}")),
        None => return fail(out, "empty compressed container".into()),
    }
    let mut pos = 1usize;
    while pos < input.len() {
        let Some(h) = input.get(pos..pos.saturating_add(2)) else {
            return fail(out, "truncated chunk header".into());
        };
        let header = u16::from_le_bytes(crate::bytes::pad::<2>(h));
        let size = ((header & 0x0FFF) as usize).saturating_add(3);
        let sig = (header >> 12) & 0x7;
        let compressed = header & 0x8000 != 0;
        if sig != 0b011 {
            return fail(
                out,
                format!("bad chunk signature {sig:#05b} at offset {pos}"),
            );
        }
        let chunk_end = pos.saturating_add(size).min(input.len());
        let data_start = pos.saturating_add(2);
        let chunk_start_out = out.len();
        if !compressed {
            // A raw chunk: 4096 bytes copied as is (a short last one is tolerated).
            let raw = input
                .get(data_start..data_start.saturating_add(CHUNK).min(input.len()))
                .unwrap_or(&[]);
            let room = max_out.saturating_sub(out.len());
            if raw.len() > room {
                out.extend_from_slice(raw.get(..room).unwrap_or(&[]));
                return Decompressed {
                    data: out,
                    error: None,
                    truncated: true,
                };
            }
            out.extend_from_slice(raw);
            pos = data_start.saturating_add(CHUNK);
            continue;
        }
        let mut p = data_start;
        while p < chunk_end {
            let flags = input.get(p).copied().unwrap_or(0);
            p = p.saturating_add(1);
            for bit in 0..8 {
                if p >= chunk_end {
                    break;
                }
                if flags & (1 << bit) == 0 {
                    if out.len() >= max_out {
                        return Decompressed {
                            data: out,
                            error: None,
                            truncated: true,
                        };
                    }
                    out.push(input.get(p).copied().unwrap_or(0));
                    p = p.saturating_add(1);
                } else {
                    let Some(t) = input.get(p..p.saturating_add(2)) else {
                        return fail(out, "truncated copy token".into());
                    };
                    p = p.saturating_add(2);
                    let token = u16::from_le_bytes(crate::bytes::pad::<2>(t));
                    let difference = out.len().saturating_sub(chunk_start_out);
                    let (offset, length) = unpack_copy_token(token, difference);
                    if offset > difference || offset == 0 {
                        return fail(
                            out,
                            format!("copy token reaches {offset} bytes back, only {difference} in chunk"),
                        );
                    }
                    // Copy in runs of at most `offset` bytes, so each run reads only bytes
                    // already written (an overlapping copy repeats the last `offset` bytes).
                    let mut left = length;
                    while left > 0 {
                        let room = max_out.saturating_sub(out.len());
                        if room == 0 {
                            return Decompressed {
                                data: out,
                                error: None,
                                truncated: true,
                            };
                        }
                        let n = left.min(offset).min(room);
                        let from = out.len().saturating_sub(offset);
                        out.extend_from_within(from..from.saturating_add(n));
                        left = left.saturating_sub(n);
                    }
                }
            }
        }
        pos = chunk_end;
    }
    Decompressed {
        data: out,
        error: None,
        truncated: false,
    }
}

/// 2.4.1.3.19.1: the number of offset bits for a token at `difference` bytes into the chunk.
pub fn copy_token_bit_count(difference: usize) -> u32 {
    let mut bits = 0u32;
    // Stop at 12 (the clamp below caps there anyway), so the shift cannot overflow.
    while bits < 12 && (1usize << bits) < difference {
        bits = bits.saturating_add(1);
    }
    bits.clamp(4, 12)
}

/// 2.4.1.3.19.2 Unpack CopyToken: (offset, length).
pub fn unpack_copy_token(token: u16, difference: usize) -> (usize, usize) {
    let bit_count = copy_token_bit_count(difference);
    let length_mask: u16 = 0xFFFF >> bit_count;
    let offset_mask: u16 = !length_mask;
    let length = ((token & length_mask) as usize).saturating_add(3);
    let offset =
        (((token & offset_mask) >> 16u32.saturating_sub(bit_count)) as usize).saturating_add(1);
    (offset, length)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decompressor as it was before copy tokens were copied in runs (byte by byte).
    fn old_decompress(input: &[u8], max_out: usize) -> Decompressed {
        let mut out: Vec<u8> = Vec::new();
        let fail = |out: Vec<u8>, e: String| Decompressed {
            data: out,
            error: Some(e),
            truncated: false,
        };
        match input.first() {
            Some(1) => {}
            Some(b) => return fail(out, format!("bad compressed container signature 0x{b:02X}")),
            None => return fail(out, "empty compressed container".into()),
        }
        let mut pos = 1usize;
        while pos < input.len() {
            let Some(h) = input.get(pos..pos.saturating_add(2)) else {
                return fail(out, "truncated chunk header".into());
            };
            let header = u16::from_le_bytes(crate::bytes::pad::<2>(h));
            let size = ((header & 0x0FFF) as usize).saturating_add(3);
            let sig = (header >> 12) & 0x7;
            let compressed = header & 0x8000 != 0;
            if sig != 0b011 {
                return fail(
                    out,
                    format!("bad chunk signature {sig:#05b} at offset {pos}"),
                );
            }
            let chunk_end = pos.saturating_add(size).min(input.len());
            let data_start = pos.saturating_add(2);
            let chunk_start_out = out.len();
            if !compressed {
                // A raw chunk: 4096 bytes copied as is (a short last one is tolerated).
                let raw = input
                    .get(data_start..data_start.saturating_add(CHUNK).min(input.len()))
                    .unwrap_or(&[]);
                let room = max_out.saturating_sub(out.len());
                if raw.len() > room {
                    out.extend_from_slice(raw.get(..room).unwrap_or(&[]));
                    return Decompressed {
                        data: out,
                        error: None,
                        truncated: true,
                    };
                }
                out.extend_from_slice(raw);
                pos = data_start.saturating_add(CHUNK);
                continue;
            }
            let mut p = data_start;
            while p < chunk_end {
                let flags = input.get(p).copied().unwrap_or(0);
                p = p.saturating_add(1);
                for bit in 0..8 {
                    if p >= chunk_end {
                        break;
                    }
                    if flags & (1 << bit) == 0 {
                        if out.len() >= max_out {
                            return Decompressed {
                                data: out,
                                error: None,
                                truncated: true,
                            };
                        }
                        out.push(input.get(p).copied().unwrap_or(0));
                        p = p.saturating_add(1);
                    } else {
                        let Some(t) = input.get(p..p.saturating_add(2)) else {
                            return fail(out, "truncated copy token".into());
                        };
                        p = p.saturating_add(2);
                        let token = u16::from_le_bytes(crate::bytes::pad::<2>(t));
                        let difference = out.len().saturating_sub(chunk_start_out);
                        let (offset, length) = unpack_copy_token(token, difference);
                        if offset > difference || offset == 0 {
                            return fail(
                                out,
                                format!("copy token reaches {offset} bytes back, only {difference} in chunk"),
                            );
                        }
                        for _ in 0..length {
                            if out.len() >= max_out {
                                return Decompressed {
                                    data: out,
                                    error: None,
                                    truncated: true,
                                };
                            }
                            let b = out
                                .get(out.len().saturating_sub(offset))
                                .copied()
                                .unwrap_or(0);
                            out.push(b);
                        }
                    }
                }
            }
            pos = chunk_end;
        }
        Decompressed {
            data: out,
            error: None,
            truncated: false,
        }
    }

    /// 2.4.1.3.19.1: the number of offset bits for a token at `difference` bytes into the chunk.

    #[test]
    fn run_copy_equals_byte_copy() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for round in 0..3000 {
            // A container of compressed chunks with random flags, literals and copy tokens.
            let mut c = vec![1u8];
            for _ in 0..1 + next() % 3 {
                let body: Vec<u8> = (0..next() % 300).map(|_| next() as u8).collect();
                let size = body.len().saturating_add(2).saturating_sub(3) as u16 & 0x0FFF;
                let header = 0x8000u16 | 0x3000 | size;
                c.extend_from_slice(&header.to_le_bytes());
                c.extend_from_slice(&body);
            }
            for max in [usize::MAX, (next() % 600) as usize] {
                let a = decompress(&c, max);
                let b = old_decompress(&c, max);
                assert_eq!(
                    (a.data, a.error, a.truncated),
                    (b.data, b.error, b.truncated),
                    "round {round}"
                );
            }
        }
    }

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|h| u8::from_str_radix(h, 16).unwrap())
            .collect()
    }

    /// [MS-OVBA] 3.2.1 No Compression Example.
    #[test]
    fn spec_example_no_compression() {
        let c = hex("01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E");
        let d = decompress(&c, 1 << 20);
        assert!(d.error.is_none(), "{:?}", d.error);
        assert_eq!(d.data, b"abcdefghijklmnopqrstuv.");
    }

    /// [MS-OVBA] 3.2.2 Normal Compression Example.
    #[test]
    fn spec_example_normal() {
        let c = hex(
            "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C",
        );
        let d = decompress(&c, 1 << 20);
        assert!(d.error.is_none(), "{:?}", d.error);
        assert_eq!(
            String::from_utf8(d.data).unwrap(),
            "#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
        );
    }

    /// [MS-OVBA] 3.2.3 Maximum Compression Example: one literal 'a' and one copy token of 72.
    #[test]
    fn spec_example_maximum() {
        let c = hex("01 03 B0 02 61 45 00");
        let d = decompress(&c, 1 << 20);
        assert!(d.error.is_none(), "{:?}", d.error);
        assert_eq!(d.data, vec![b'a'; 73]);
    }

    #[test]
    fn output_is_bounded() {
        let c = hex("01 03 B0 02 61 45 00");
        let d = decompress(&c, 10);
        assert!(d.truncated);
        assert_eq!(d.data.len(), 10);
    }

    #[test]
    fn bad_input_reports_error_not_panic() {
        assert!(decompress(&[], 100).error.is_some());
        assert!(decompress(&[2, 0, 0], 100).error.is_some());
        // A copy token at position 0 of a chunk cannot reach back.
        let d = decompress(&hex("01 03 B0 01 00 00"), 100);
        assert!(d.error.is_some());
        // Truncated chunk.
        let d = decompress(&hex("01 2F B0 00 23 61"), 100);
        assert_eq!(d.data, b"#a");
    }

    #[test]
    fn bit_count_table() {
        assert_eq!(copy_token_bit_count(1), 4);
        assert_eq!(copy_token_bit_count(16), 4);
        assert_eq!(copy_token_bit_count(17), 5);
        assert_eq!(copy_token_bit_count(2048), 11);
        assert_eq!(copy_token_bit_count(2049), 12);
        assert_eq!(copy_token_bit_count(4096), 12);
    }
}
