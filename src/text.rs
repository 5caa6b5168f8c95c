//! Width folding for Japanese mail text: the part of Unicode NFKC that matters for the checks.
//!
//! Japanese mail writes labels, passwords, domains and subject prefixes in full-width forms
//! (`ＰＷ：Ａｂｃ１２３`, `Ｒｅ：`, `ｅｘａｍｐｌｅ．ｃｏ．ｊｐ`) or half-width katakana
//! (`ﾊﾟｽﾜｰﾄﾞ`). Full NFKC would fold them, but its tables add over 100 KB to the page's
//! WebAssembly; this fold does what NFKC does for these ranges (Unicode 15, UAX #15) and leaves
//! everything else unchanged:
//!
//! - U+FF01..U+FF5E full-width ASCII → U+0021..U+007E; U+3000 ideographic space → U+0020;
//! - U+FF61..U+FF9F half-width katakana and punctuation → their full-width forms, with a
//!   following half-width voiced / semi-voiced mark (U+FF9E / U+FF9F) composed onto the kana
//!   (`ﾊﾟ` → `パ`), as NFKC's canonical composition does;
//! - ①..⑳ → 1..20, ㈱ → (株), ㈲ → (有);
//! - U+FFE0..U+FFE6 full-width signs (`￥`, `￠`, …) → their ordinary forms (U+FFE3 → space +
//!   combining macron, as NFKC).
//!
//! The test below checks every character of these ranges (and the voiced pairs) against
//! `unicode-normalization`'s NFKC.

/// Half-width katakana U+FF61..=U+FF9F mapped to full-width (NFKC decomposition targets).
const HALFWIDTH_KANA: [char; 63] = [
    '。', '「', '」', '、', '・', 'ヲ', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ', 'ッ', 'ー',
    'ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ', 'タ',
    'チ', 'ツ', 'テ', 'ト', 'ナ', 'ニ', 'ヌ', 'ネ', 'ノ', 'ハ', 'ヒ', 'フ', 'ヘ', 'ホ', 'マ', 'ミ',
    'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ', 'ラ', 'リ', 'ル', 'レ', 'ロ', 'ワ', 'ン', '\u{3099}',
    '\u{309A}',
];

fn fold_one(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => {
            char::from_u32(off(c, '\u{FF01}').saturating_add(0x21)).unwrap_or(c)
        }
        '\u{3000}' => ' ',
        '\u{FF61}'..='\u{FF9F}' => HALFWIDTH_KANA
            .get(off(c, '\u{FF61}') as usize)
            .copied()
            .unwrap_or(c),
        '\u{FFE0}' => '\u{A2}',
        '\u{FFE1}' => '\u{A3}',
        '\u{FFE2}' => '\u{AC}',
        '\u{FFE4}' => '\u{A6}',
        '\u{FFE5}' => '\u{A5}',
        '\u{FFE6}' => '\u{20A9}',
        _ => c,
    }
}

/// How far `c` is past `base` (callers match `c` in a range starting at `base`, so this never
/// saturates).
fn off(c: char, base: char) -> u32 {
    (c as u32).saturating_sub(base as u32)
}

/// Compose kana + combining (semi-)voiced mark the way NFKC does (`カ` + U+3099 → `ガ`).
fn compose(base: char, mark: char) -> Option<char> {
    let b = base as u32;
    match mark {
        '\u{3099}' => {
            // カ..チ and ツ..ト alternate base/voiced; ッ (small tsu) between them shifts the parity.
            let voiced = match base {
                'カ'..='チ' => off(base, 'カ').is_multiple_of(2),
                'ツ'..='ト' => off(base, 'ツ').is_multiple_of(2),
                'ハ'..='ホ' => off(base, 'ハ').is_multiple_of(3),
                'ウ' | 'ワ' | 'ヰ' | 'ヱ' | 'ヲ' | 'ヽ' => true,
                'か'..='ち' => off(base, 'か').is_multiple_of(2),
                'つ'..='と' => off(base, 'つ').is_multiple_of(2),
                'は'..='ほ' => off(base, 'は').is_multiple_of(3),
                'う' | 'ゝ' => true,
                _ => false,
            };
            if !voiced {
                return None;
            }
            match base {
                'ウ' => Some('ヴ'),
                'ワ' => Some('ヷ'),
                'ヰ' => Some('ヸ'),
                'ヱ' => Some('ヹ'),
                'ヲ' => Some('ヺ'),
                'ヽ' => Some('ヾ'),
                'う' => Some('ゔ'),
                'ゝ' => Some('ゞ'),
                _ => char::from_u32(b.saturating_add(1)),
            }
        }
        '\u{309A}' => match base {
            'ハ'..='ホ' | 'は'..='ほ' => {
                let first = if base >= 'ハ' { 'ハ' } else { 'は' };
                if off(base, first).is_multiple_of(3) {
                    char::from_u32(b.saturating_add(2))
                } else {
                    None
                }
            }
            _ => None,
        },
        _ => None,
    }
}

/// Enclosed forms that NFKC expands to several characters: circled numbers ①..⑳ (U+2460..U+2473)
/// and the company marks ㈱ ㈲ (U+3231, U+3232), common in Japanese names and subjects.
fn expand(c: char) -> Option<String> {
    match c {
        '\u{2460}'..='\u{2473}' => Some(off(c, '\u{2460}').saturating_add(1).to_string()),
        '\u{3231}' => Some("(株)".into()),
        '\u{3232}' => Some("(有)".into()),
        _ => None,
    }
}

/// Fold full-width and half-width forms as NFKC does (see the module docs).
pub fn fold_width(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if let Some(expanded) = expand(c) {
            out.push_str(&expanded);
            prev = expanded.chars().last();
            continue;
        }
        if c == '\u{FFE3}' {
            // FULLWIDTH MACRON: NFKC gives a space and a combining macron.
            out.push_str(" \u{0304}");
            prev = Some('\u{0304}');
            continue;
        }
        let c = fold_one(c);
        if matches!(c, '\u{3099}' | '\u{309A}') {
            if let Some(composed) = prev.and_then(|p| compose(p, c)) {
                out.pop();
                out.push(composed);
                prev = Some(composed);
                continue;
            }
            // NFKC turns a lone half-width mark into a combining mark; keep it as that.
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold_width;
    use unicode_normalization::UnicodeNormalization;

    fn nfkc(s: &str) -> String {
        s.nfkc().collect()
    }

    #[test]
    fn matches_nfkc_on_every_folded_character() {
        let ranges = [
            0xFF01u32..=0xFF5E,
            0xFF61..=0xFF9F,
            0xFFE0..=0xFFE6,
            0x3000..=0x3000,
            0x2460..=0x2473,
            0x3231..=0x3232,
        ];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(fold_width(&s), nfkc(&s), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn matches_nfkc_on_voiced_pairs() {
        for base in (0xFF61u32..=0xFF9D).filter_map(char::from_u32) {
            for mark in ['\u{FF9E}', '\u{FF9F}'] {
                let s: String = [base, mark].iter().collect();
                assert_eq!(fold_width(&s), nfkc(&s), "{s}");
            }
        }
        for base in "かきくけこさしすせそたちつてとはひふへほうカキクケコサシスセソタチツテトハヒフヘホウワヲ".chars() {
            for mark in ['\u{FF9E}', '\u{FF9F}'] {
                let s: String = [base, mark].iter().collect();
                assert_eq!(fold_width(&s), nfkc(&s), "{s}");
            }
        }
    }

    #[test]
    fn japanese_mail_text() {
        assert_eq!(fold_width("ﾊﾟｽﾜｰﾄﾞ：Ａｂｃ１２３"), "パスワード:Abc123");
        assert_eq!(fold_width("Ｒｅ：　会議"), "Re: 会議");
        assert_eq!(fold_width("ｅｘａｍｐｌｅ．ｃｏ．ｊｐ"), "example.co.jp");
        assert_eq!(fold_width("漢字とかなはそのまま"), "漢字とかなはそのまま");
    }
}
