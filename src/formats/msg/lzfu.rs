//! Compressed RTF ([MS-OXRTFCP] 2.1: LZFu and uncompressed MELA) and a small RTF reader that
//! gives the body text, or the HTML when the RTF encapsulates HTML ([MS-OXRTFEX] 2.1:
//! `\fromhtml1`, original tags in `{\*\htmltag ...}` groups, RTF-only text under `\htmlrtf`).
//!
//! Used only for messages with neither a plain nor an HTML body. Output is capped by the
//! caller's limit, never by the RAWSIZE the header declares.

/// [MS-OXRTFCP] 2.1.2.1: the dictionary's initial 207 bytes.
const PREFIX: &[u8] = b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
const LZFU: u32 = 0x7546_5A4C;
const MELA: u32 = 0x414C_454D;

/// Decompress a PR_RTF_COMPRESSED stream, at most `max` output bytes (more is an error).
pub fn decompress(data: &[u8], max: usize) -> Result<Vec<u8>, String> {
    let rd = |o: usize| {
        data.get(o..o.saturating_add(4))
            .map(|b| u32::from_le_bytes(crate::bytes::pad::<4>(b)))
    };
    let (Some(comp_size), Some(raw), Some(kind)) = (rd(0), rd(4), rd(8)) else {
        return Err("shorter than its 16-byte header".into());
    };
    let end = (comp_size as usize).saturating_add(4).min(data.len());
    let body = data.get(16..end).unwrap_or(&[]);
    match kind {
        MELA => {
            // Uncompressed: RAWSIZE bytes follow the header (writers disagree on COMPSIZE).
            let body = data.get(16..).unwrap_or(&[]);
            let body = body.get(..raw as usize).unwrap_or(body);
            if body.len() > max {
                return Err(format!("uncompressed RTF over {max} bytes"));
            }
            Ok(body.to_vec())
        }
        LZFU => {
            let mut dict = [0u8; 4096];
            for (d, s) in dict.iter_mut().zip(PREFIX) {
                *d = *s;
            }
            let mut wpos = PREFIX.len();
            // A control byte and 8 two-byte references give at most 8 × 17 bytes: the output
            // is bounded by the input's length, whatever RAWSIZE says.
            let cap = (raw as usize).min(max).min(body.len().saturating_mul(8));
            let mut out = Vec::with_capacity(cap);
            let mut tokens = body.iter().copied();
            'stream: while let Some(control) = tokens.next() {
                for bit in 0..8 {
                    if control & (1 << bit) == 0 {
                        let Some(b) = tokens.next() else {
                            break 'stream;
                        };
                        out.push(b);
                        // `& 0xFFF` keeps every index inside the 4096-byte dictionary.
                        if let Some(d) = dict.get_mut(wpos & 0xFFF) {
                            *d = b;
                        }
                        wpos = (wpos & 0xFFF).saturating_add(1);
                    } else {
                        let (Some(hi), Some(lo)) = (tokens.next(), tokens.next()) else {
                            break 'stream;
                        };
                        let word = u16::from_be_bytes([hi, lo]) as usize;
                        let offset = word >> 4;
                        let len = (word & 0xF).saturating_add(2);
                        if offset == wpos & 0xFFF {
                            break 'stream;
                        }
                        for k in 0..len {
                            let b = dict
                                .get(offset.saturating_add(k) & 0xFFF)
                                .copied()
                                .unwrap_or(0);
                            out.push(b);
                            if let Some(d) = dict.get_mut(wpos & 0xFFF) {
                                *d = b;
                            }
                            wpos = (wpos & 0xFFF).saturating_add(1);
                        }
                    }
                }
                if out.len() > max {
                    return Err(format!("decompressed RTF over {max} bytes"));
                }
            }
            if out.len() > max {
                return Err(format!("decompressed RTF over {max} bytes"));
            }
            Ok(out)
        }
        other => Err(format!("unknown compression type {other:#010x}")),
    }
}

/// Destinations whose text is not body text.
const SKIP: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "object",
    "themedata",
    "datastore",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "xmlnstbl",
    "latentstyles",
    "mmathPr",
    "header",
    "footer",
    "fldinst",
    "filetbl",
    "revtbl",
];

#[derive(Clone, Copy)]
struct Group {
    skip: bool,
    htmltag: bool,
    htmlrtf: bool,
    uc: usize,
}

/// Body text of an RTF document: `(text, true)` with the original HTML when it encapsulates
/// HTML, else `(plain text, false)`. `cp` is used when the RTF names no `\ansicpg`.
pub fn rtf_to_text(rtf: &[u8], cp: Option<u32>) -> (String, bool) {
    let from_html = rtf.windows(10).take(4096).any(|w| w == b"\\fromhtml1");
    let mut enc = cp.and_then(super::props::ansi_encoding);
    let mut out = String::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut stack: Vec<Group> = Vec::new();
    let mut g = Group {
        skip: false,
        htmltag: false,
        htmlrtf: false,
        uc: 1,
    };
    let mut skip_chars = 0usize;
    let mut group_start = false;
    let mut i = 0usize;
    let flush = |pending: &mut Vec<u8>, out: &mut String, enc| {
        if pending.is_empty() {
            return;
        }
        // ASCII reads as itself in any ASCII-compatible code page (no allocation for the usual
        // case); anything else goes through the decoder.
        let enc: Option<&'static encoding_rs::Encoding> = enc;
        match std::str::from_utf8(pending) {
            Ok(ascii) if ascii.is_ascii() && enc.is_none_or(|e| e.is_ascii_compatible()) => {
                out.push_str(ascii)
            }
            _ => out.push_str(&super::props::decode_with(pending, enc)),
        }
        pending.clear();
    };
    while let Some(&c) = rtf.get(i) {
        let emit = !g.skip && (!from_html || g.htmltag || !g.htmlrtf);
        match c {
            b'{' => {
                if stack.len() < 256 {
                    stack.push(g);
                }
                group_start = true;
                i = i.saturating_add(1);
                continue;
            }
            b'}' => {
                flush(&mut pending, &mut out, enc);
                g = stack.pop().unwrap_or(g);
                i = i.saturating_add(1);
            }
            b'\\' => {
                let next = rtf.get(i.saturating_add(1)).copied().unwrap_or(0);
                if next.is_ascii_alphabetic() {
                    let mut j = i.saturating_add(1);
                    while rtf.get(j).is_some_and(|b| b.is_ascii_alphabetic())
                        && j.saturating_sub(i) < 40
                    {
                        j = j.saturating_add(1);
                    }
                    let word = std::str::from_utf8(rtf.get(i.saturating_add(1)..j).unwrap_or(&[]))
                        .unwrap_or("");
                    let ns = j;
                    if rtf.get(j) == Some(&b'-') {
                        j = j.saturating_add(1);
                    }
                    while rtf.get(j).is_some_and(|b| b.is_ascii_digit())
                        && j.saturating_sub(ns) < 12
                    {
                        j = j.saturating_add(1);
                    }
                    let param: Option<i64> = std::str::from_utf8(rtf.get(ns..j).unwrap_or(&[]))
                        .ok()
                        .and_then(|s| s.parse().ok());
                    if rtf.get(j) == Some(&b' ') {
                        j = j.saturating_add(1);
                    }
                    i = j;
                    if group_start && SKIP.contains(&word) {
                        g.skip = true;
                    }
                    match word {
                        "ansicpg" => {
                            enc = param
                                .and_then(|p| u32::try_from(p).ok())
                                .and_then(super::props::ansi_encoding)
                                .or(enc)
                        }
                        "htmltag" | "mhtmltag" => g.htmltag = true,
                        "htmlrtf" => g.htmlrtf = param != Some(0),
                        "uc" => {
                            g.uc = param
                                .and_then(|p| usize::try_from(p).ok())
                                .unwrap_or(1)
                                .min(8)
                        }
                        "u" if emit && skip_chars == 0 => {
                            flush(&mut pending, &mut out, enc);
                            let v = param.unwrap_or(0);
                            let v = if v < 0 { v.saturating_add(65536) } else { v };
                            out.push(
                                u32::try_from(v)
                                    .ok()
                                    .and_then(char::from_u32)
                                    .unwrap_or('\u{fffd}'),
                            );
                            skip_chars = g.uc;
                        }
                        "par" | "line" if emit => {
                            flush(&mut pending, &mut out, enc);
                            out.push_str("\r\n");
                        }
                        "tab" if emit => out.push('\t'),
                        _ => {}
                    }
                    group_start = false;
                    continue;
                }
                match next {
                    b'*' => {
                        // `{\*\htmltag` is kept in HTML mode; other `\*` destinations are skipped.
                        let rest = rtf.get(i.saturating_add(2)..).unwrap_or(&[]);
                        let rest = rest.strip_prefix(b" ").unwrap_or(rest);
                        let keep = from_html
                            && (rest.starts_with(b"\\htmltag") || rest.starts_with(b"\\mhtmltag"));
                        if !keep {
                            g.skip = true;
                        }
                        i = i.saturating_add(2);
                        continue;
                    }
                    b'\'' => {
                        let hex = rtf
                            .get(i.saturating_add(2)..i.saturating_add(4))
                            .and_then(|h| std::str::from_utf8(h).ok())
                            .and_then(|h| u8::from_str_radix(h, 16).ok());
                        i = i.saturating_add(4);
                        if let Some(b) = hex {
                            if skip_chars > 0 {
                                skip_chars = skip_chars.saturating_sub(1);
                            } else if emit {
                                pending.push(b);
                            }
                        }
                    }
                    b'\r' | b'\n' => {
                        if emit {
                            flush(&mut pending, &mut out, enc);
                            out.push_str("\r\n");
                        }
                        i = i.saturating_add(2);
                    }
                    b'~' => {
                        if emit {
                            out.push('\u{a0}');
                        }
                        i = i.saturating_add(2);
                    }
                    0 => break,
                    other => {
                        if emit && matches!(other, b'\\' | b'{' | b'}') {
                            flush(&mut pending, &mut out, enc);
                            out.push(other as char);
                        }
                        i = i.saturating_add(2);
                    }
                }
            }
            b'\r' | b'\n' | 0 => i = i.saturating_add(1),
            _ => {
                if skip_chars > 0 {
                    skip_chars = skip_chars.saturating_sub(1);
                    i = i.saturating_add(1);
                } else {
                    // A run of plain text up to the next byte with a meaning, taken at once.
                    let rest = rtf.get(i..).unwrap_or(&[]);
                    let run = rest
                        .iter()
                        .position(|b| matches!(b, b'{' | b'}' | b'\\' | b'\r' | b'\n' | 0))
                        .unwrap_or(rest.len())
                        .max(1);
                    if emit {
                        pending.extend_from_slice(rest.get(..run).unwrap_or(&[]));
                    }
                    i = i.saturating_add(run);
                }
            }
        }
        group_start = false;
    }
    flush(&mut pending, &mut out, enc);
    (out, from_html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_example_decompresses() {
        // [MS-OXRTFCP] 3.1.1 example 1: "{\rtf1\ansi\ansicpg1252\pard hello world}\r\n".
        let comp: [u8; 59] = [
            0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5,
            0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42,
            0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0,
            0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00,
        ];
        let out = decompress(&comp[..49], 1 << 20).unwrap();
        assert_eq!(out, b"{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n");
        assert_eq!(rtf_to_text(&out, None).0, "hello world");
        assert!(decompress(&comp[..49], 10).is_err());
        assert!(decompress(&[1, 2, 3], 10).is_err());
    }

    #[test]
    fn html_is_de_encapsulated() {
        let rtf = b"{\\rtf1\\ansi\\ansicpg932\\fromhtml1 {\\fonttbl{\\f0 Arial;}}{\\*\\htmltag19 <html>}{\\*\\htmltag64 <p>}\\htmlrtf {\\htmlrtf0 \\'93\\'fa\\'96\\'7b PW: abc\\htmlrtf }\\htmlrtf0 {\\*\\htmltag72 </p>}}";
        let (t, html) = rtf_to_text(rtf, None);
        assert!(html);
        assert_eq!(t, "<html><p>日本 PW: abc</p>");
    }

    /// The first LZFu decoder (byte at a time, limit checked per token), kept as the reference
    /// the faster one must equal on every input, limit and truncation.
    fn reference(body: &[u8], max: usize) -> Result<Vec<u8>, String> {
        let mut dict = [0u8; 4096];
        dict[..PREFIX.len()].copy_from_slice(PREFIX);
        let mut wpos = PREFIX.len();
        let mut out = Vec::new();
        let mut i = 0usize;
        while let Some(&control) = body.get(i) {
            i += 1;
            for bit in 0..8 {
                if control & (1 << bit) == 0 {
                    let Some(&b) = body.get(i) else {
                        return Ok(out);
                    };
                    i += 1;
                    out.push(b);
                    dict[wpos] = b;
                    wpos = (wpos + 1) % 4096;
                } else {
                    let (Some(&hi), Some(&lo)) = (body.get(i), body.get(i + 1)) else {
                        return Ok(out);
                    };
                    i += 2;
                    let word = u16::from_be_bytes([hi, lo]) as usize;
                    let (offset, len) = (word >> 4, (word & 0xF) + 2);
                    if offset == wpos {
                        return Ok(out);
                    }
                    for k in 0..len {
                        let b = dict[(offset + k) % 4096];
                        out.push(b);
                        dict[wpos] = b;
                        wpos = (wpos + 1) % 4096;
                    }
                }
                if out.len() > max {
                    return Err(format!("decompressed RTF over {max} bytes"));
                }
            }
        }
        Ok(out)
    }

    #[test]
    fn faster_decoder_equals_the_reference() {
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        for case in 0..3000 {
            let len = (next() % 400) as usize;
            // Mostly literals, some references (some to the end marker position).
            let body: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 5 == 0 {
                        0xFF
                    } else {
                        (r >> 8) as u8
                    }
                })
                .collect();
            let max = [usize::MAX, 0, 50, 500, (next() % 2000) as usize][case % 5];
            let mut data = Vec::new();
            data.extend_from_slice(&((body.len() + 12) as u32).to_le_bytes());
            data.extend_from_slice(&(next() as u32).to_le_bytes());
            data.extend_from_slice(&LZFU.to_le_bytes());
            data.extend_from_slice(&[0; 4]);
            data.extend_from_slice(&body);
            assert_eq!(decompress(&data, max), reference(&body, max), "case {case}");
        }
    }
}
