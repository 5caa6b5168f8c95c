//! Password candidates written in a mail body ("パスワード：abc123", "PW=abc", "【パスワード】abc",
//! "Password is abc", or the value on the next line).
//!
//! Each line is NFKC-normalised first (UAX #15), so full-width letters, digits, colons and
//! equals signs (`ＰＷ：ａｂｃ１２３`) read as ASCII. A value must be printable ASCII, 1 to 64
//! characters, with at least one letter or digit; surrounding quotes/brackets and trailing
//! sentence punctuation are stripped. Every candidate found is kept.

/// One candidate: the value, the label it followed, and the 1-based line of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub label: String,
    pub line: usize,
}

/// Labels, longest first at any position. `strict` labels (short ones) need a separator right
/// after them; the others may have a few words before a `:`.
struct Label {
    text: &'static str,
    ascii: bool,
    strict: bool,
}

const LABELS: &[Label] = &[
    Label {
        text: "解凍パスワード",
        ascii: false,
        strict: false,
    },
    Label {
        text: "パスワード",
        ascii: false,
        strict: false,
    },
    Label {
        text: "暗証番号",
        ascii: false,
        strict: false,
    },
    Label {
        text: "解凍キー",
        ascii: false,
        strict: false,
    },
    Label {
        text: "パス",
        ascii: false,
        strict: true,
    },
    Label {
        text: "password",
        ascii: true,
        strict: false,
    },
    Label {
        text: "passcode",
        ascii: true,
        strict: false,
    },
    Label {
        text: "passwd",
        ascii: true,
        strict: false,
    },
    Label {
        text: "pass",
        ascii: true,
        strict: true,
    },
    Label {
        text: "pwd",
        ascii: true,
        strict: true,
    },
    Label {
        text: "pw",
        ascii: true,
        strict: true,
    },
];

/// Most candidates taken from one body.
const MAX_CANDIDATES: usize = 32;
/// Lines longer than this are not scanned for labels (base64 blobs, minified HTML).
const MAX_LINE_CHARS: usize = 2000;
const MAX_VALUE_CHARS: usize = 64;

const OPENERS: &[char] = &[
    '「', '『', '【', '"', '\'', '“', '‘', '[', '(', '<', '〈', '《', '〔', '{',
];
const CLOSERS: &[char] = &[
    '」', '』', '】', '"', '\'', '”', '’', ']', ')', '>', '〉', '》', '〕', '}',
];
const STOP_WORDS: &[&str] = &[
    "is",
    "below",
    "follows",
    "following",
    "attached",
    "none",
    "n/a",
    "na",
    "tbd",
    "same",
    "here",
    "protected",
    "required",
    "sent",
    "separately",
    "the",
    "for",
    "of",
];

/// All candidates in `text`, in order of appearance, de-duplicated by value.
pub fn extract(text: &str) -> Vec<Candidate> {
    let lines: Vec<String> = text
        .lines()
        .take(200_000)
        .map(crate::text::fold_width)
        .collect();
    let mut out: Vec<Candidate> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.chars().count() > MAX_LINE_CHARS {
            continue;
        }
        let mut search_from = 0;
        // Several labels can sit on one line ("PW: a / 暗証番号: b").
        for _ in 0..8 {
            let Some((start, label)) = find_label(line, search_from) else {
                break;
            };
            let label_end = start.saturating_add(label.text.len());
            search_from = label_end;
            let shown = line.get(start..label_end).unwrap_or(label.text).to_string();
            let opened = line
                .get(..start)
                .is_some_and(|b| b.trim_end().ends_with(OPENERS));
            if let Some(value) = value_after(
                line.get(label_end..).unwrap_or(""),
                label,
                opened,
                &lines,
                i,
            ) {
                if !out.iter().any(|c| c.value == value) {
                    out.push(Candidate {
                        value,
                        label: shown,
                        line: i.saturating_add(1),
                    });
                    if out.len() >= MAX_CANDIDATES {
                        return out;
                    }
                }
            }
        }
    }
    out
}

/// The next label at or after byte `from`, respecting word boundaries for ASCII labels.
fn find_label(line: &str, from: usize) -> Option<(usize, &'static Label)> {
    let lower = line.to_ascii_lowercase();
    let mut pos = from;
    while pos < lower.len() {
        let rest = lower.get(pos..)?;
        let first = rest.as_bytes().first();
        for label in LABELS {
            // The first byte rules out almost every label without a call to compare.
            if label.text.as_bytes().first() != first || !rest.starts_with(label.text) {
                continue;
            }
            if label.ascii {
                let before = lower.get(..pos).and_then(|b| b.chars().next_back());
                let after = rest.get(label.text.len()..).and_then(|a| a.chars().next());
                if before.is_some_and(|c| c.is_ascii_alphanumeric())
                    || after.is_some_and(|c| c.is_ascii_alphabetic())
                {
                    continue;
                }
            }
            return Some((pos, label));
        }
        pos = pos.saturating_add(rest.chars().next().map_or(1, char::len_utf8));
    }
    None
}

/// The value following a label, on the same line or (when the line offers none) the next one.
fn value_after(
    rest: &str,
    label: &Label,
    opened: bool,
    lines: &[String],
    idx: usize,
) -> Option<String> {
    let mut r = rest;
    let mut bracketed = false;
    // `【パスワード】`, `「PW」`: the closing bracket works as the separator.
    if let Some(s) = r.strip_prefix(CLOSERS) {
        if opened {
            bracketed = true;
        }
        r = s;
    }
    // A short parenthetical: `パスワード(半角英数字):`.
    let t = r.trim_start();
    if let Some(inner) = t.strip_prefix('(') {
        if let Some(close) = inner
            .find(')')
            .filter(|&c| inner.get(..c).is_some_and(|s| s.chars().count() <= 20))
        {
            r = inner.get(close.saturating_add(1)..).unwrap_or("");
        }
    }
    let t = r.trim_start();
    let after_sep = if let Some(s) = t.strip_prefix([':', '=']) {
        Some(s)
    } else if let Some(s) = t.strip_prefix('は') {
        Some(s)
    } else if t.len() >= 3
        && t.get(..2).is_some_and(|w| w.eq_ignore_ascii_case("is"))
        && t.get(2..3).is_some_and(|c| c == " " || c == ":")
    {
        t.get(2..)
    } else if bracketed || t.starts_with(['「', '『', '【', '"', '“', '[']) {
        // `【パスワード】abc`, or the value bracketed right after the label: `暗証番号【4421】`.
        Some(t)
    } else if t.is_empty() {
        // Label alone on its line ("パスワード" / "Password"): value on the next line.
        return next_line_value(lines, idx);
    } else if !label.strict {
        // A few words, then a colon: "Password for the attachment: abc".
        let head: String = t.chars().take(30).collect();
        head.find([':', '='])
            .and_then(|p| t.get(p.saturating_add(1)..))
    } else {
        None
    };
    let s = after_sep?;
    // More separators may follow ("は:", "is:", "は、").
    let s = s.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '=' | '、' | ',' | 'は' | '-' | '>' | '→')
    });
    if let Some(v) = value_in(s) {
        // "is as follows", "see below": a lower-case word followed by more words is prose.
        let prose = v.bytes().all(|b| b.is_ascii_lowercase())
            && s.trim_start().get(v.len()..).is_some_and(|r| {
                r.starts_with(char::is_whitespace)
                    && r.trim_start()
                        .starts_with(|c: char| c.is_ascii_alphabetic())
            });
        if !prose {
            return Some(v);
        }
    }
    // "パスワードは以下の通りです。" / "Password:" → the next line, when the rest is empty or a
    // phrase pointing below (not "別途お送りします", which announces a separate mail).
    let points_below = s.trim().is_empty()
        || s.trim_end().ends_with(':')
        || [
            "以下",
            "下記",
            "次の",
            "次に",
            "below",
            "following",
            "follows",
        ]
        .iter()
        .any(|w| s.to_lowercase().contains(w));
    if points_below || s.trim().is_empty() {
        return next_line_value(lines, idx);
    }
    None
}

/// A value at the start of `s`: bracketed/quoted content, or a run of printable ASCII.
fn value_in(s: &str) -> Option<String> {
    let s = s.trim_start();
    let first = s.chars().next()?;
    let raw: &str = if OPENERS.contains(&first) {
        let inner = s.get(first.len_utf8()..).unwrap_or("");
        let end = inner.find(CLOSERS).unwrap_or(inner.len());
        inner.get(..end).unwrap_or("").trim()
    } else {
        let end = s
            .char_indices()
            .find(|&(_, c)| !c.is_ascii_graphic())
            .map(|(i, _)| i)
            .unwrap_or(s.len());
        s.get(..end).unwrap_or("")
    };
    clean(raw)
}

/// Strip quotes/brackets and trailing sentence punctuation; validate.
fn clean(raw: &str) -> Option<String> {
    let mut v = raw.trim();
    for _ in 0..4 {
        let before = v;
        v = v.trim_start_matches(OPENERS).trim_end_matches(CLOSERS);
        v = v.trim_end_matches(['.', ',', ';', ':', '。', '、', '(', '[', '<', '{']);
        if v == before {
            break;
        }
    }
    let n = v.chars().count();
    if n == 0 || n > MAX_VALUE_CHARS {
        return None;
    }
    if !v.chars().all(|c| c.is_ascii_graphic()) || !v.chars().any(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    if v.contains("://") || STOP_WORDS.iter().any(|w| v.eq_ignore_ascii_case(w)) {
        return None;
    }
    Some(v.to_string())
}

/// The value alone on one of the next two non-empty lines.
fn next_line_value(lines: &[String], idx: usize) -> Option<String> {
    let mut seen = 0usize;
    for line in lines.iter().skip(idx.saturating_add(1)).take(4) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        seen = seen.saturating_add(1);
        if seen > 1 {
            break;
        }
        // One token only (brackets allowed around it).
        if t.chars().count() > MAX_VALUE_CHARS + 4
            || t.split_whitespace().count() != 1 && !t.starts_with(OPENERS)
        {
            return None;
        }
        return value_in(t);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        extract(text).into_iter().map(|c| c.value).collect()
    }

    #[test]
    fn japanese_forms() {
        assert_eq!(values("パスワード：abc123"), ["abc123"]);
        assert_eq!(values("パスワード:abc123"), ["abc123"]);
        assert_eq!(values("解凍パスワード： Xy9#kq"), ["Xy9#kq"]);
        assert_eq!(values("パスワードは「Qw3rty」です。"), ["Qw3rty"]);
        assert_eq!(values("パスワードは abc123 です"), ["abc123"]);
        assert_eq!(values("【パスワード】zip2024"), ["zip2024"]);
        assert_eq!(values("暗証番号＝4821"), ["4821"]);
        assert_eq!(values("暗証番号【4421】"), ["4421"]);
        assert_eq!(values("パスワード「abc-9」"), ["abc-9"]);
        assert_eq!(values("パス：hoge77"), ["hoge77"]);
        assert_eq!(values("パスワード（半角英数字）：K8s2m1"), ["K8s2m1"]);
        assert_eq!(values("添付ファイルのパスワード：「pw-1234」"), ["pw-1234"]);
    }

    #[test]
    fn full_width_is_normalised() {
        assert_eq!(values("ＰＷ：ａｂｃ１２３"), ["abc123"]);
        assert_eq!(values("パスワード：ＺＩＰ２０２４"), ["ZIP2024"]);
        let c = extract("ＰＡＳＳ＝ｘｙｚ９");
        assert_eq!(c[0].value, "xyz9");
        assert_eq!(c[0].label, "PASS");
    }

    #[test]
    fn english_forms() {
        assert_eq!(values("Password: Secret99"), ["Secret99"]);
        assert_eq!(values("The password is Password1!"), ["Password1!"]);
        assert_eq!(values("PW=abc"), ["abc"]);
        assert_eq!(values("pass: \"q1w2e3\"."), ["q1w2e3"]);
        assert_eq!(values("Password for the attachment: x7Y7z"), ["x7Y7z"]);
    }

    #[test]
    fn value_on_next_line() {
        assert_eq!(
            values("解凍パスワードは以下の通りです。\n\n  Hx83kd  \nよろしくお願いします"),
            ["Hx83kd"]
        );
        assert_eq!(values("パスワード\n【aa11bb】"), ["aa11bb"]);
        assert_eq!(values("Password:\nTr0ub4dor"), ["Tr0ub4dor"]);
        // A sentence on the next line is not a value.
        assert!(values("パスワードは別途お送りします。\nよろしくお願いします。").is_empty());
        assert!(values("パスワードは以下の通りです。\nTanaka Taro").is_empty());
        assert!(values("パスワードは別途お送りします。\nRegards,\nTanaka").is_empty());
        assert_eq!(values("The password is as follows\nq9q9q9"), ["q9q9q9"]);
        assert_eq!(values("Password: see below\n\nxK2-77"), ["xK2-77"]);
        assert_eq!(values("解凍パスワードは下記です\n「Zz-88」"), ["Zz-88"]);
    }

    #[test]
    fn several_candidates_kept() {
        let c = extract("ZIPのパスワード：first1\n念のため PW: second2\n暗証番号：first1");
        let v: Vec<_> = c.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(v, ["first1", "second2"]);
        assert_eq!(c[0].label, "パスワード");
        assert_eq!(c[1].label, "PW");
        assert_eq!(c[1].line, 2);
        assert_eq!(values("PW: a1 / 暗証番号: 99"), ["a1", "99"]);
    }

    #[test]
    fn no_false_positives() {
        assert!(values("パスワードを忘れた場合はこちら").is_empty());
        assert!(values("This file is password protected.").is_empty());
        assert!(values("passport: none").is_empty());
        assert!(values("bypass: abc").is_empty());
        assert!(values("パスポートを持参してください").is_empty());
        assert!(values("Password: https://example.com/reset").is_empty());
        assert!(values("パスタ：美味しい").is_empty());
    }
}
