//! Inputs of the benchmarks (`make bench`, issue 6), built from the other fixture builders.
//! `examples/bench_inputs.rs` writes them at full size (up to 600 MB); `tests/bench_inputs.rs`
//! checks, at small sizes, that each series gets the verdict the benchmark expects, so the
//! benchmark measures what it claims to measure.
//!
//! Series:
//! - `emotet_mail`: the typical Emotet mail, about 150 KB: display-name spoof, fake `Re:`, the
//!   password in the body, a ZipCrypto ZIP holding a `.doc` whose obfuscated macro runs on open.
//! - `padded_doc_zip`: that `.doc` padded with zeros to N bytes, deflated in a ZIP (the file on
//!   disk is about N/1000; the checker sees N bytes declared).
//! - `padded_doc`: the padded `.doc` itself, N bytes on disk.
//! - `clean_zip`: a ZIP of N bytes of ordinary text files, alternately stored and deflated.
//! - `many_attachments`: a plain mail with N small attachments (text and .docx).
//! - `big_attachment_mail`: a plain mail carrying one stored ZIP of N bytes.
//! - `password_zip`: a ZipCrypto or AES-256 ZIP of 4 entries whose password is not among the
//!   candidates, to count password trials per second.
#![allow(dead_code)]

use std::io::{Cursor, Seek, Write};

use zip::unstable::write::FileOptionsExt;
use zip::write::SimpleFileOptions;
use zip::{AesMode, CompressionMethod, ZipWriter};

use super::{mailgen, olegen};

/// The verdicts the benchmark expects for each series (see [`expected_verdict`]).
pub const DANGEROUS: &str = "dangerous";
pub const SUSPICIOUS: &str = "suspicious";
pub const NO_FINDINGS: &str = "no_findings";

/// Total inflated bytes one check may produce (`Limits::max_total_inflated`); a clean ZIP with
/// more content than this is reported incomplete (suspicious), by design.
pub const TOTAL_INFLATE_BUDGET: u64 = 256 * 1024 * 1024;

/// A small deterministic generator (xorshift64*), so every run builds the same bytes.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const WORDS: &[&str] = &[
    "the",
    "meeting",
    "report",
    "budget",
    "schedule",
    "project",
    "review",
    "draft",
    "minutes",
    "team",
    "office",
    "customer",
    "order",
    "invoice",
    "delivery",
    "quarter",
    "sales",
    "plan",
    "会議",
    "資料",
    "予定",
    "確認",
    "報告",
    "請求",
    "納品",
    "担当",
    "お願い",
    "よろしく",
];

/// `len` bytes of ordinary text (words, spaces and line breaks), deterministic for `seed`.
pub fn text(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(len + 16);
    while out.len() < len {
        let w = WORDS[rng.below(WORDS.len() as u64) as usize];
        out.extend_from_slice(w.as_bytes());
        out.extend_from_slice(if rng.below(12) == 0 { b".\r\n" } else { b" " });
        if rng.below(9) == 0 {
            out.extend_from_slice(format!("{}", rng.below(100_000)).as_bytes());
            out.push(b' ');
        }
    }
    // Cut on a character boundary so the text stays valid UTF-8.
    let mut cut = len.min(out.len());
    while cut > 0 && cut < out.len() && (out[cut] & 0xC0) == 0x80 {
        cut -= 1;
    }
    out.truncate(cut);
    out.resize(len, b' ');
    out
}

/// An Emotet-style VBA module: `AutoOpen` that builds a PowerShell command and runs it with
/// `Shell`, after `lines` lines of string-building junk (the usual obfuscation padding).
pub fn emotet_macro(lines: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut s = String::from(
        "Attribute VB_Name = \"Module1\"\r\nSub AutoOpen()\r\n    Dim s As String\r\n",
    );
    for i in 0..lines {
        let a: String = (0..24)
            .map(|_| (b'a' + rng.below(26) as u8) as char)
            .collect();
        s.push_str(&format!(
            "    v{i:05} = \"{a}\" & Chr({}) & Mid(\"{a}\", {}, {})\r\n",
            65 + rng.below(26),
            1 + rng.below(8),
            1 + rng.below(8)
        ));
    }
    s.push_str("    s = \"powershell -w hidden -c \" & Chr(34) & \"IEX\" & Chr(34)\r\n");
    s.push_str("    Shell s, vbHide\r\nEnd Sub\r\n");
    s
}

/// The macro `.doc` of the series: [`emotet_macro`] in a Word compound file.
pub fn macro_doc(lines: usize) -> Vec<u8> {
    olegen::vba_doc(&[("Module1", &emotet_macro(lines, 7))])
}

pub const EMOTET_PASSWORD: &str = "Kaigi2026";

fn plain_headers(subject: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("From", "\"佐藤 花子\" <sato@example.co.jp>"),
        ("To", "suzuki@example.co.jp"),
        ("Subject", subject),
        ("Date", "Tue, 24 Nov 2026 10:00:00 +0900"),
        ("Message-ID", "<20261124100000.42@example.co.jp>"),
    ]
}

/// The Emotet mail with a macro of `lines` junk lines.
pub fn emotet_mail_lines(lines: usize) -> Vec<u8> {
    let doc = macro_doc(lines);
    let zip = super::zipgen::zip_crypto(&[("会議資料.doc", &doc)], EMOTET_PASSWORD);
    mailgen::eml_iso2022jp(
        super::fixtures::SPOOF_HEADERS,
        "鈴木様\r\n\r\nいつもお世話になっております。\r\n会議資料を送付いたします。\r\n\r\nパスワード：Kaigi2026\r\n\r\n> 先日の件、よろしくお願いします。\r\n",
        &[("会議資料.zip", &zip)],
    )
}

/// The Emotet mail, grown (by macro junk lines) to at least `target` bytes.
pub fn emotet_mail(target: usize) -> Vec<u8> {
    let mut lines = 64usize;
    let mut mail = emotet_mail_lines(lines);
    // The size grows about linearly with the lines: two estimates, then step up to the target.
    for _ in 0..2 {
        if mail.len() >= target {
            break;
        }
        let per_line = (mail.len().saturating_sub(emotet_mail_lines(0).len()) / lines).max(1);
        lines += (target - mail.len()) / per_line + 1;
        mail = emotet_mail_lines(lines);
    }
    while mail.len() < target {
        lines += 16;
        mail = emotet_mail_lines(lines);
    }
    mail
}

/// The padded `.doc` (front: the macro doc) as a ZIP entry of `total` bytes, deflated.
pub fn padded_doc_zip(total: u64) -> Vec<u8> {
    let doc = macro_doc(200);
    let pad = total.saturating_sub(doc.len() as u64);
    super::docgen::padded_zip("請求書.doc", &doc, pad)
}

/// Writes the padded `.doc` itself (`total` bytes: the macro doc, then zeros) to `w`.
pub fn write_padded_doc<W: Write>(w: &mut W, total: u64) -> std::io::Result<()> {
    let doc = macro_doc(200);
    w.write_all(&doc)?;
    let chunk = vec![0u8; 1 << 20];
    let mut left = total.saturating_sub(doc.len() as u64);
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        w.write_all(&chunk[..n])?;
        left -= n as u64;
    }
    Ok(())
}

/// Entry size of [`write_clean_zip`] for a given total: 100 entries up to 100 MB, then 1 MiB each.
pub fn clean_entry_size(total: u64) -> u64 {
    (total / 100).clamp(1024, 1 << 20)
}

/// Writes a clean ZIP holding `total` bytes of text files to `w`: entries of
/// [`clean_entry_size`], even ones stored, odd ones deflated (fast level).
pub fn write_clean_zip<W: Write + Seek>(w: W, total: u64) -> zip::result::ZipResult<W> {
    let mut z = ZipWriter::new(w);
    let size = clean_entry_size(total);
    let mut left = total;
    let mut i = 0u64;
    while left > 0 {
        let n = left.min(size);
        let stored = i.is_multiple_of(2);
        let o = SimpleFileOptions::default()
            .compression_method(if stored {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            })
            .compression_level(if stored { None } else { Some(1) });
        z.start_file(format!("docs/{:04}/notes-{i:05}.txt", i / 100), o)?;
        z.write_all(&text(n as usize, i + 1))?;
        left -= n;
        i += 1;
    }
    z.finish()
}

pub fn clean_zip(total: u64) -> Vec<u8> {
    write_clean_zip(Cursor::new(Vec::new()), total)
        .unwrap()
        .into_inner()
}

/// A plain mail with `n` attachments: every tenth a clean .docx, the others 8 KB text files.
pub fn many_attachments_mail(n: usize) -> Vec<u8> {
    let docx = olegen::docx_clean();
    let files: Vec<(String, Vec<u8>)> = (0..n)
        .map(|i| {
            if i % 10 == 9 {
                (format!("報告書-{i:04}.docx"), docx.clone())
            } else {
                (format!("メモ-{i:04}.txt"), text(8 * 1024, 1000 + i as u64))
            }
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    mailgen::eml(
        &plain_headers("資料一式"),
        "鈴木様\r\n\r\n資料一式をお送りします。\r\nよろしくお願いいたします。\r\n",
        &refs,
    )
}

/// A plain mail carrying one ZIP of about `total` bytes (stored text files).
pub fn big_attachment_mail(total: u64) -> Vec<u8> {
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    let size = clean_entry_size(total);
    let mut left = total;
    let mut i = 0u64;
    while left > 0 {
        let n = left.min(size);
        let o = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        z.start_file(format!("資料/part-{i:04}.txt"), o).unwrap();
        z.write_all(&text(n as usize, 500 + i)).unwrap();
        left -= n;
        i += 1;
    }
    let zip = z.finish().unwrap().into_inner();
    mailgen::eml(
        &plain_headers("四半期の資料"),
        "鈴木様\r\n\r\n四半期の資料をお送りします。\r\n",
        &[("四半期資料.zip", &zip)],
    )
}

/// The password that opens the password-trial ZIPs; never among [`wrong_candidates`].
pub const TRIAL_PASSWORD: &str = "correct horse battery staple";

/// `n` wrong candidate passwords (ASCII, so each is one trial: no CP932 variant).
pub fn wrong_candidates(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("candidate-{i:03}")).collect()
}

/// Entries of the password-trial ZIPs: 4, so the per-archive trial budget (4 × 64) is used up
/// by 64 candidates.
pub const TRIAL_ENTRIES: usize = 4;

fn trial_entries() -> Vec<(String, Vec<u8>)> {
    (0..TRIAL_ENTRIES)
        .map(|i| (format!("資料{i}.txt"), text(4096, 77 + i as u64)))
        .collect()
}

/// A ZipCrypto (`aes == false`) or WinZip AES-256 ZIP of [`TRIAL_ENTRIES`] text files.
pub fn password_zip(aes: bool) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in trial_entries() {
        let o = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let o = if aes {
            o.with_aes_encryption(AesMode::Aes256, TRIAL_PASSWORD)
        } else {
            o.with_deprecated_encryption(TRIAL_PASSWORD.as_bytes())
                .unwrap()
        };
        w.start_file(name, o).unwrap();
        w.write_all(&data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The verdict the benchmark expects for an input of `series` whose content is `size` bytes.
pub fn expected_verdict(series: &str, size: u64) -> &'static str {
    match series {
        "emotet_mail" | "padded_doc_zip" | "padded_doc" => DANGEROUS,
        // Over the inflate budget the check stops and says so: never no_findings.
        "clean_zip" if size > TOTAL_INFLATE_BUDGET => SUSPICIOUS,
        "clean_zip" | "many_attachments" | "big_attachment_mail" => NO_FINDINGS,
        // The password is not among the candidates: the content stays locked.
        "password_zip" => SUSPICIOUS,
        _ => "unknown series",
    }
}
