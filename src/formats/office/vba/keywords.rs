//! Keyword tables for VBA source and the line scanner that applies them.
//!
//! The tables are modelled on oletools' olevba `AUTOEXEC_KEYWORDS` and `SUSPICIOUS_KEYWORDS`
//! (oletools 0.60), reduced to what matters for a mail attachment and sorted into the four
//! categories the policy weighs: `execute`, `download`, `write`, `obfuscation`.
//!
//! Matching works on logical lines (continuations joined) with comments removed:
//! - `Ident` keywords match whole identifiers in code outside string literals
//!   (`Shell`, `AutoOpen`), case-insensitively, as VBA is.
//! - `Suffix` keywords match identifiers ending in `_Event` (ActiveX control events such as
//!   `InkPicture1_Painted`).
//! - `Text` keywords match anywhere in code or strings, case-insensitively (`WScript.Shell`,
//!   `powershell`), because attackers pass them as strings to `CreateObject` or `Shell`.
//! - A few structural patterns (`Open … For Output`, `Declare … Lib`, chains of `Chr()`, long
//!   hex/Base64 literals) are checked by code below.
//!
//! `Run`, `CreateObject` and `GetObject` are checked by code: `Application.Run` (runs a macro
//! of the workbook) and `CreateObject` of everyday automation objects (`Scripting.Dictionary`,
//! `ADODB.Connection`, `Outlook.Application`, ...) are common in business macros and are not
//! counted; any other `.Run`, and `CreateObject`/`GetObject` with another or a computed
//! ProgID, are `execute`.
//!
//! Deliberately left out: `_Click` / `_Change` (need a user action), `UserForm_Initialize`
//! (runs only when code shows the form), and bare `Open`, `Write`, `Print` (every file-reading
//! macro has them).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pat {
    Ident(&'static str),
    Suffix(&'static str),
    Text(&'static str),
}

/// An auto-exec entry point.
pub struct AutoKw {
    pub pat: Pat,
    pub desc: &'static str,
}

/// A suspicious keyword and its category tag.
pub struct SusKw {
    pub pat: Pat,
    pub category: &'static str,
    pub desc: &'static str,
}

use Pat::{Ident, Suffix, Text};

const WORD_OPEN: &str = "runs when the Word document is opened";
const WORD_CLOSE: &str = "runs when the Word document is closed";
const WORD_NEW: &str = "runs when a new Word document is created";
const XL_OPEN: &str = "runs when the Excel workbook is opened";
const XL_CLOSE: &str = "runs when the Excel workbook is closed";
const ACTIVEX: &str = "runs when an ActiveX control in the file triggers this event on opening";

pub static AUTOEXEC: &[AutoKw] = &[
    AutoKw {
        pat: Ident("AutoExec"),
        desc: WORD_OPEN,
    },
    AutoKw {
        pat: Ident("AutoOpen"),
        desc: WORD_OPEN,
    },
    AutoKw {
        pat: Ident("DocumentOpen"),
        desc: WORD_OPEN,
    },
    AutoKw {
        pat: Ident("Document_Open"),
        desc: WORD_OPEN,
    },
    AutoKw {
        pat: Ident("Document_ContentControlOnEnter"),
        desc: WORD_OPEN,
    },
    AutoKw {
        pat: Ident("DocumentChange"),
        desc: WORD_OPEN,
    },
    AutoKw {
        pat: Ident("AutoExit"),
        desc: WORD_CLOSE,
    },
    AutoKw {
        pat: Ident("AutoClose"),
        desc: WORD_CLOSE,
    },
    AutoKw {
        pat: Ident("Document_Close"),
        desc: WORD_CLOSE,
    },
    AutoKw {
        pat: Ident("DocumentBeforeClose"),
        desc: WORD_CLOSE,
    },
    AutoKw {
        pat: Ident("Document_BeforeClose"),
        desc: WORD_CLOSE,
    },
    AutoKw {
        pat: Ident("AutoNew"),
        desc: WORD_NEW,
    },
    AutoKw {
        pat: Ident("Document_New"),
        desc: WORD_NEW,
    },
    AutoKw {
        pat: Ident("NewDocument"),
        desc: WORD_NEW,
    },
    AutoKw {
        pat: Ident("Auto_Open"),
        desc: XL_OPEN,
    },
    AutoKw {
        pat: Ident("Auto_Ope"),
        desc: XL_OPEN,
    },
    AutoKw {
        pat: Ident("Workbook_Open"),
        desc: XL_OPEN,
    },
    AutoKw {
        pat: Ident("Workbook_Activate"),
        desc: XL_OPEN,
    },
    AutoKw {
        pat: Ident("Workbook_WindowActivate"),
        desc: XL_OPEN,
    },
    AutoKw {
        pat: Ident("Auto_Close"),
        desc: XL_CLOSE,
    },
    AutoKw {
        pat: Ident("Workbook_Close"),
        desc: XL_CLOSE,
    },
    AutoKw {
        pat: Ident("Workbook_BeforeClose"),
        desc: XL_CLOSE,
    },
    AutoKw {
        pat: Ident("Workbook_Deactivate"),
        desc: XL_CLOSE,
    },
    AutoKw {
        pat: Suffix("_Layout"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_Painted"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_Painting"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_Resize"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_GotFocus"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_LostFocus"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_MouseHover"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_MouseMove"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_MouseEnter"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_BeforeNavigate2"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_BeforeScriptExecute"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_DocumentComplete"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_DownloadBegin"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_DownloadComplete"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_FileDownload"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_NavigateComplete2"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_NavigateError"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_ProgressChange"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_PropertyChange"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_SetSecureLockIcon"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_StatusTextChange"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_TitleChange"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_OnConnecting"),
        desc: ACTIVEX,
    },
    AutoKw {
        pat: Suffix("_OnConnected"),
        desc: ACTIVEX,
    },
];

const EXEC: &str = "execute";
const DL: &str = "download";
const WR: &str = "write";
const OBF: &str = "obfuscation";

pub static SUSPICIOUS: &[SusKw] = &[
    // execute
    SusKw {
        pat: Ident("Shell"),
        category: EXEC,
        desc: "runs a program or system command",
    },
    SusKw {
        pat: Ident("ShellExecute"),
        category: EXEC,
        desc: "runs a program",
    },
    SusKw {
        pat: Ident("ShellExecuteA"),
        category: EXEC,
        desc: "runs a program",
    },
    SusKw {
        pat: Ident("ShellExecuteW"),
        category: EXEC,
        desc: "runs a program",
    },
    SusKw {
        pat: Text("WScript.Shell"),
        category: EXEC,
        desc: "runs a program through Windows Script Host",
    },
    SusKw {
        pat: Text("Shell.Application"),
        category: EXEC,
        desc: "runs a program through the Windows shell",
    },
    SusKw {
        pat: Text("shell32"),
        category: EXEC,
        desc: "calls the Windows shell DLL",
    },
    SusKw {
        pat: Ident("Exec"),
        category: EXEC,
        desc: "runs a program",
    },
    SusKw {
        pat: Ident("InvokeVerb"),
        category: EXEC,
        desc: "runs a program through the shell",
    },
    SusKw {
        pat: Ident("InvokeVerbEx"),
        category: EXEC,
        desc: "runs a program through the shell",
    },
    SusKw {
        pat: Ident("vbHide"),
        category: EXEC,
        desc: "runs a program with a hidden window",
    },
    SusKw {
        pat: Ident("SendKeys"),
        category: EXEC,
        desc: "types keystrokes into other programs",
    },
    SusKw {
        pat: Ident("FollowHyperlink"),
        category: EXEC,
        desc: "opens a URL or file with its default program",
    },
    SusKw {
        pat: Ident("CallByName"),
        category: EXEC,
        desc: "calls a method by a name built at run time",
    },
    SusKw {
        pat: Ident("MacScript"),
        category: EXEC,
        desc: "runs an AppleScript on a Mac",
    },
    SusKw {
        pat: Ident("ExecuteExcel4Macro"),
        category: EXEC,
        desc: "runs an Excel 4.0 (XLM) macro from VBA",
    },
    SusKw {
        pat: Text("powershell"),
        category: EXEC,
        desc: "runs PowerShell",
    },
    SusKw {
        pat: Text("Invoke-Expression"),
        category: EXEC,
        desc: "runs PowerShell code",
    },
    SusKw {
        pat: Text("Start-Process"),
        category: EXEC,
        desc: "starts a program from PowerShell",
    },
    SusKw {
        pat: Text("cmd.exe"),
        category: EXEC,
        desc: "runs the command prompt",
    },
    SusKw {
        pat: Text("cmd /c"),
        category: EXEC,
        desc: "runs the command prompt",
    },
    SusKw {
        pat: Text("mshta"),
        category: EXEC,
        desc: "runs an HTML application",
    },
    SusKw {
        pat: Text("rundll32"),
        category: EXEC,
        desc: "runs code from a DLL",
    },
    SusKw {
        pat: Text("regsvr32"),
        category: EXEC,
        desc: "registers or runs a DLL",
    },
    SusKw {
        pat: Text("certutil"),
        category: EXEC,
        desc: "often used to download or decode payloads",
    },
    SusKw {
        pat: Text("bitsadmin"),
        category: EXEC,
        desc: "often used to download payloads",
    },
    SusKw {
        pat: Text("Win32_Process"),
        category: EXEC,
        desc: "starts a process through WMI",
    },
    SusKw {
        pat: Text("winmgmts"),
        category: EXEC,
        desc: "uses WMI",
    },
    SusKw {
        pat: Ident("CreateThread"),
        category: EXEC,
        desc: "may inject code",
    },
    SusKw {
        pat: Ident("VirtualAlloc"),
        category: EXEC,
        desc: "may inject code",
    },
    SusKw {
        pat: Ident("VirtualAllocEx"),
        category: EXEC,
        desc: "may inject code",
    },
    SusKw {
        pat: Ident("RtlMoveMemory"),
        category: EXEC,
        desc: "may inject code",
    },
    SusKw {
        pat: Ident("WriteProcessMemory"),
        category: EXEC,
        desc: "may inject code into another process",
    },
    SusKw {
        pat: Ident("VirtualProtect"),
        category: EXEC,
        desc: "may inject code",
    },
    // download
    SusKw {
        pat: Ident("URLDownloadToFile"),
        category: DL,
        desc: "downloads a file from the internet",
    },
    SusKw {
        pat: Ident("URLDownloadToFileA"),
        category: DL,
        desc: "downloads a file from the internet",
    },
    SusKw {
        pat: Ident("URLDownloadToFileW"),
        category: DL,
        desc: "downloads a file from the internet",
    },
    SusKw {
        pat: Text("XMLHTTP"),
        category: DL,
        desc: "makes HTTP requests",
    },
    SusKw {
        pat: Text("WinHttp"),
        category: DL,
        desc: "makes HTTP requests",
    },
    SusKw {
        pat: Text("Net.WebClient"),
        category: DL,
        desc: "downloads with .NET",
    },
    SusKw {
        pat: Text("DownloadFile"),
        category: DL,
        desc: "downloads a file",
    },
    SusKw {
        pat: Text("DownloadString"),
        category: DL,
        desc: "downloads code",
    },
    SusKw {
        pat: Ident("InternetOpen"),
        category: DL,
        desc: "opens an internet connection",
    },
    SusKw {
        pat: Ident("InternetOpenA"),
        category: DL,
        desc: "opens an internet connection",
    },
    SusKw {
        pat: Ident("InternetOpenUrl"),
        category: DL,
        desc: "opens a URL",
    },
    SusKw {
        pat: Ident("InternetOpenUrlA"),
        category: DL,
        desc: "opens a URL",
    },
    SusKw {
        pat: Ident("InternetReadFile"),
        category: DL,
        desc: "reads data from the internet",
    },
    // write
    SusKw {
        pat: Text("ADODB.Stream"),
        category: WR,
        desc: "writes binary data to a file",
    },
    SusKw {
        pat: Ident("SaveToFile"),
        category: WR,
        desc: "writes a file",
    },
    SusKw {
        pat: Ident("CreateTextFile"),
        category: WR,
        desc: "creates a file",
    },
    SusKw {
        pat: Ident("Kill"),
        category: WR,
        desc: "deletes a file",
    },
    SusKw {
        pat: Ident("FileCopy"),
        category: WR,
        desc: "copies a file",
    },
    SusKw {
        pat: Ident("CopyFile"),
        category: WR,
        desc: "copies a file",
    },
    SusKw {
        pat: Ident("MkDir"),
        category: WR,
        desc: "creates a folder",
    },
    // obfuscation
    SusKw {
        pat: Ident("StrReverse"),
        category: OBF,
        desc: "reverses strings to hide them",
    },
    SusKw {
        pat: Ident("Environ"),
        category: OBF,
        desc: "reads environment variables (paths, user name)",
    },
];

/// ProgIDs of everyday automation objects: `CreateObject` of these alone is not counted.
/// (Writing files through FileSystemObject is caught by `CreateTextFile`, `CopyFile`, ...)
const ORDINARY_PROGIDS: &[&str] = &[
    "scripting.dictionary",
    "scripting.filesystemobject",
    "vbscript.regexp",
    "adodb.connection",
    "adodb.recordset",
    "adodb.command",
    "excel.application",
    "word.application",
    "outlook.application",
    "powerpoint.application",
    "access.application",
    "msforms.dataobject",
    "new:{1c3b4210-f441-11ce-b9ea-00aa006b1a69}",
];

/// What matched on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// `None` for an auto-exec entry point, `Some(category)` for a suspicious keyword.
    pub category: Option<&'static str>,
    /// The keyword as written in the table (or the identifier for suffix matches).
    pub keyword: String,
    pub desc: &'static str,
    /// The logical source line, trimmed.
    pub line: String,
}

/// One logical line split into identifiers and string literals, comment removed. The buffers
/// are reused from line to line; identifiers are byte ranges into `ids` (as written) and
/// `ids_lower` (the same bytes, ASCII lower-cased, so the ranges fit both).
#[derive(Default)]
struct Lexed {
    ids: String,
    ids_lower: String,
    spans: Vec<(usize, usize)>,
    /// The string literals' contents, one after another; `str_spans` are their byte ranges.
    strs: String,
    str_spans: Vec<(usize, usize)>,
    /// Code and strings (comment removed), for `Text` keywords.
    text: String,
    /// `text` lower-cased (Unicode, as `str::to_lowercase`): holds no ASCII capital.
    text_lower: String,
}

impl Lexed {
    fn clear(&mut self) {
        self.ids.clear();
        self.ids_lower.clear();
        self.spans.clear();
        self.strs.clear();
        self.str_spans.clear();
        self.text.clear();
        self.text_lower.clear();
    }

    fn is_empty(&self) -> bool {
        self.spans.is_empty() && self.str_spans.is_empty()
    }

    /// The string literals of the line, `""` already turned into `"`.
    fn strings(&self) -> impl Iterator<Item = &str> + '_ {
        self.str_spans
            .iter()
            .map(|&(a, b)| self.strs.get(a..b).unwrap_or_default())
    }

    fn ident(&self, i: usize) -> &str {
        self.spans
            .get(i)
            .and_then(|&(a, b)| self.ids.get(a..b))
            .unwrap_or_default()
    }

    fn idents(&self) -> impl Iterator<Item = &str> + '_ {
        self.spans
            .iter()
            .map(|&(a, b)| self.ids.get(a..b).unwrap_or_default())
    }

    fn idents_lower(&self) -> impl Iterator<Item = &str> + '_ {
        self.spans
            .iter()
            .map(|&(a, b)| self.ids_lower.get(a..b).unwrap_or_default())
    }

    fn end_ident(&mut self, start: &mut usize) {
        let end = self.ids.len();
        if end > *start {
            self.spans.push((*start, end));
        }
        *start = end;
    }

    /// Lex `line` into the buffers (cleared first). Works on bytes: the characters that
    /// matter (`"`, `'`) are ASCII, and only non-ASCII characters are decoded.
    fn lex(&mut self, line: &str) {
        self.clear();
        let bytes = line.as_bytes();
        let mut start = 0usize;
        let mut i = 0usize;
        while let Some(&c) = bytes.get(i) {
            if c == b'"' {
                self.end_ident(&mut start);
                // A string literal: up to the next lone `"` (a doubled `""` is one quote).
                let from = self.strs.len();
                let mut j = i.saturating_add(1);
                loop {
                    let rest = bytes.get(j..).unwrap_or_default();
                    match memchr::memchr(b'"', rest) {
                        Some(p) => {
                            let q = j.saturating_add(p);
                            self.strs.push_str(line.get(j..q).unwrap_or_default());
                            if bytes.get(q.saturating_add(1)) == Some(&b'"') {
                                self.strs.push('"');
                                j = q.saturating_add(2);
                            } else {
                                j = q.saturating_add(1);
                                break;
                            }
                        }
                        None => {
                            self.strs.push_str(line.get(j..).unwrap_or_default());
                            j = bytes.len();
                            break;
                        }
                    }
                }
                let to = self.strs.len();
                self.text.push(' ');
                self.text
                    .push_str(self.strs.get(from..to).unwrap_or_default());
                self.text.push(' ');
                self.str_spans.push((from, to));
                i = j;
                continue;
            }
            if c == b'\'' {
                break;
            }
            if c.is_ascii() {
                // A run of ASCII identifier bytes, or of other ASCII bytes, taken at once.
                let ident = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
                let is_ident = ident(&c);
                let rest = bytes.get(i..).unwrap_or_default();
                let run = rest
                    .iter()
                    .position(|b| {
                        !b.is_ascii()
                            || ident(b) != is_ident
                            || (!is_ident && matches!(b, b'"' | b'\''))
                    })
                    .unwrap_or(rest.len())
                    .max(1);
                let end = i.saturating_add(run);
                let piece = line.get(i..end).unwrap_or_default();
                if is_ident {
                    self.ids.push_str(piece);
                } else {
                    self.end_ident(&mut start);
                }
                self.text.push_str(piece);
                i = end;
            } else {
                let Some(ch) = line.get(i..).and_then(|r| r.chars().next()) else {
                    break;
                };
                if ch.is_alphanumeric() {
                    self.ids.push(ch);
                } else {
                    self.end_ident(&mut start);
                }
                self.text.push(ch);
                i = i.saturating_add(ch.len_utf8());
            }
        }
        self.end_ident(&mut start);
        // `Rem` comments.
        if self.ident(0).eq_ignore_ascii_case("Rem") {
            self.clear();
            return;
        }
        self.ids_lower.push_str(&self.ids);
        self.ids_lower.make_ascii_lowercase();
        if self.text.is_ascii() {
            self.text_lower.push_str(&self.text);
            self.text_lower.make_ascii_lowercase();
        } else {
            self.text_lower = self.text.to_lowercase();
        }
    }
}

fn has_ident(l: &Lexed, w: &str) -> bool {
    l.idents().any(|i| i.eq_ignore_ascii_case(w))
}

/// The keyword tables prepared for one pass per line. Slots number the entries of
/// [`AUTOEXEC`] then [`SUSPICIOUS`], the order hits are reported in.
struct Matcher {
    /// `Ident` keywords lower-cased and sorted, with their slot.
    idents: Vec<(String, usize)>,
    /// Shortest and longest `Ident` keyword, in bytes.
    ident_len: (usize, usize),
    /// Bit `b` set when an `Ident` keyword starts with byte `b` (lower-cased).
    ident_firsts: Vec<u64>,
    /// `Suffix` keywords (each starts with `_`), with their slot.
    suffixes: Vec<(&'static str, usize)>,
    /// `Text` keywords lower-cased, with their slot.
    texts: Vec<(String, usize)>,
    /// Bit `b0 << 8 | b1` set when a `Text` keyword starts with the bytes `b0 b1`.
    text_pairs: Vec<u64>,
    /// Per slot on the current line: `None`, or `Some(i)`: matched (for `Suffix`, by
    /// identifier `i`, the first that matched).
    state: Vec<Option<usize>>,
    /// Whether any slot matched on the current line.
    any: bool,
}

/// The first two bytes of a `Text` keyword (what `text_pairs` indexes).
fn text_pair(t: &str) -> &[u8] {
    t.as_bytes().get(..2).unwrap_or_default()
}

fn pair_bit(pairs: &[u64], key: usize) -> bool {
    pairs
        .get(key / 64)
        .is_some_and(|w| w & (1u64 << (key % 64)) != 0)
}

impl Matcher {
    fn new() -> Matcher {
        let pats = AUTOEXEC
            .iter()
            .map(|k| k.pat)
            .chain(SUSPICIOUS.iter().map(|k| k.pat));
        let mut m = Matcher {
            idents: Vec::new(),
            ident_len: (usize::MAX, 0),
            ident_firsts: vec![0u64; 4],
            suffixes: Vec::new(),
            texts: Vec::new(),
            text_pairs: vec![0u64; 1024],
            state: Vec::new(),
            any: false,
        };
        for (slot, pat) in pats.enumerate() {
            match pat {
                Ident(w) => {
                    m.ident_len = (m.ident_len.0.min(w.len()), m.ident_len.1.max(w.len()));
                    let low = w.to_ascii_lowercase();
                    if let Some(&b) = low.as_bytes().first() {
                        if let Some(bits) = m.ident_firsts.get_mut(usize::from(b) / 64) {
                            *bits |= 1u64 << (usize::from(b) % 64);
                        }
                    }
                    m.idents.push((low, slot));
                }
                Suffix(s) => m.suffixes.push((s, slot)),
                Text(t) => {
                    let t = t.to_ascii_lowercase();
                    if let [b0, b1, ..] = *t.as_bytes() {
                        let key = usize::from(b0) << 8 | usize::from(b1);
                        if let Some(w) = m.text_pairs.get_mut(key / 64) {
                            *w |= 1u64 << (key % 64);
                        }
                    }
                    m.texts.push((t, slot));
                }
            }
            m.state.push(None);
        }
        // Stable: equal keywords keep table order (each gets its own slot anyway).
        m.idents.sort_by(|a, b| a.0.cmp(&b.0));
        m.texts.sort_by(|a, b| text_pair(&a.0).cmp(text_pair(&b.0)));
        m
    }

    fn set(&mut self, slot: usize, i: usize) {
        if let Some(s) = self.state.get_mut(slot) {
            if s.is_none() {
                *s = Some(i);
                self.any = true;
            }
        }
    }

    /// Mark the slots `l` matches.
    fn run(&mut self, l: &Lexed) {
        if self.any {
            self.state.fill(None);
            self.any = false;
        }
        for (i, low) in l.idents_lower().enumerate() {
            let first = low.as_bytes().first().copied().unwrap_or(0);
            if (self.ident_len.0..=self.ident_len.1).contains(&low.len())
                && pair_bit(&self.ident_firsts, usize::from(first))
            {
                let from = self.idents.partition_point(|(k, _)| k.as_str() < low);
                let mut j = from;
                while let Some((k, slot)) = self.idents.get(j) {
                    if k != low {
                        break;
                    }
                    let slot = *slot;
                    self.set(slot, i);
                    j = j.saturating_add(1);
                }
            }
            if low.contains('_') {
                for n in 0..self.suffixes.len() {
                    let Some(&(suf, slot)) = self.suffixes.get(n) else {
                        break;
                    };
                    if low.len() > suf.len()
                        && low
                            .as_bytes()
                            .get(low.len().saturating_sub(suf.len())..)
                            .is_some_and(|t| t.eq_ignore_ascii_case(suf.as_bytes()))
                    {
                        self.set(slot, i);
                    }
                }
            }
        }
        // `Text` keywords: where a keyword's first two bytes occur, compare the rest.
        let text = l.text_lower.as_bytes();
        for (p, w) in text.windows(2).enumerate() {
            let [b0, b1] = *w else { continue };
            if !pair_bit(&self.text_pairs, usize::from(b0) << 8 | usize::from(b1)) {
                continue;
            }
            let rest = text.get(p..).unwrap_or_default();
            // Only the keywords that start with these two bytes (`texts` is sorted by them).
            let pair = [b0, b1];
            let mut n = self.texts.partition_point(|(t, _)| text_pair(t) < &pair[..]);
            while let Some((t, slot)) = self.texts.get(n) {
                if text_pair(t) != &pair[..] {
                    break;
                }
                if rest.starts_with(t.as_bytes()) {
                    let slot = *slot;
                    self.set(slot, 0);
                }
                n = n.saturating_add(1);
            }
        }
    }

    /// The keyword a matched slot reports: the table's spelling, or the identifier for suffixes.
    fn keyword(&self, l: &Lexed, pat: Pat, slot: usize) -> Option<String> {
        let i = (*self.state.get(slot)?)?;
        Some(match pat {
            Ident(w) | Text(w) => w.to_string(),
            Suffix(_) => l.ident(i).to_string(),
        })
    }
}

/// Split VBA source into logical lines (joining ` _` continuations, at most 25 per line),
/// skipping `Attribute` lines. Lines end at LF, CR or CRLF.
pub fn logical_lines(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut acc = String::new();
    let mut parts = 0usize;
    let bytes = source.as_bytes();
    let mut start = 0usize;
    loop {
        let rest = bytes.get(start..).unwrap_or_default();
        let (end, next) = match memchr::memchr2(b'\n', b'\r', rest) {
            Some(p) => {
                let end = start.saturating_add(p);
                let crlf = rest.get(p..p.saturating_add(2)) == Some(b"\r\n");
                (end, Some(end.saturating_add(if crlf { 2 } else { 1 })))
            }
            None => (bytes.len(), None),
        };
        // `end` sits on an ASCII byte (or the end), so this is a char boundary.
        let t = source.get(start..end).unwrap_or_default().trim();
        if let Some(n) = next {
            start = n;
        }
        if !(t.is_empty() && acc.is_empty()) {
            if let Some(stripped) = t.strip_suffix(" _").filter(|_| parts < 25) {
                acc.push_str(stripped);
                acc.push(' ');
                parts = parts.saturating_add(1);
            } else {
                acc.push_str(t);
                let line = std::mem::take(&mut acc);
                parts = 0;
                let attribute = line
                    .get(..10)
                    .is_some_and(|p| p.eq_ignore_ascii_case("Attribute "));
                if !attribute && !line.is_empty() {
                    out.push(line);
                }
            }
        }
        if next.is_none() {
            break;
        }
    }
    if !acc.is_empty() {
        out.push(acc);
    }
    out
}

/// Every keyword hit in `source`, in source order.
pub fn scan(source: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut l = Lexed::default();
    let mut m = Matcher::new();
    for line in logical_lines(source) {
        l.lex(&line);
        if l.is_empty() {
            continue;
        }
        m.run(&l);
        let any = m.any;
        let mut push = |category, keyword: String, desc| {
            hits.push(Hit {
                category,
                keyword,
                desc,
                line: line.clone(),
            });
        };
        for (slot, k) in AUTOEXEC.iter().enumerate().filter(|_| any) {
            if let Some(kw) = m.keyword(&l, k.pat, slot) {
                push(None, kw, k.desc);
            }
        }
        for (slot, k) in SUSPICIOUS.iter().enumerate().filter(|_| any) {
            if let Some(kw) = m.keyword(&l, k.pat, AUTOEXEC.len().saturating_add(slot)) {
                push(Some(k.category), kw, k.desc);
            }
        }
        // `.Run` other than Application.Run.
        let mut prev: Option<&str> = None;
        for id in l.idents() {
            if id.eq_ignore_ascii_case("Run")
                && !prev.is_some_and(|p| p.eq_ignore_ascii_case("Application"))
            {
                push(Some(EXEC), "Run".into(), "runs a program or command");
                break;
            }
            prev = Some(id);
        }
        // CreateObject / GetObject, unless every ProgID on the line is an everyday one.
        for call in ["CreateObject", "GetObject"] {
            if has_ident(&l, call) {
                let ordinary = !l.str_spans.is_empty()
                    && l.strings()
                        .all(|s| ORDINARY_PROGIDS.contains(&s.trim().to_lowercase().as_str()));
                if !ordinary {
                    push(
                        Some(EXEC),
                        call.into(),
                        "creates or gets an OLE/COM object (can run programs)",
                    );
                }
            }
        }
        // Open <path> For Output|Binary|Append: writes a file.
        if let Some(o) = l.idents().position(|i| i.eq_ignore_ascii_case("Open")) {
            let mut rest = l.idents().skip(o.saturating_add(1));
            if rest.any(|i| i.eq_ignore_ascii_case("For")) {
                if let Some(mode) = rest.next() {
                    if ["Output", "Binary", "Append"]
                        .iter()
                        .any(|m| mode.eq_ignore_ascii_case(m))
                    {
                        push(
                            Some(WR),
                            format!("Open For {mode}"),
                            "opens a file for writing",
                        );
                    }
                }
            }
        }
        // Declare ... Lib "x.dll": calls into a DLL.
        if has_ident(&l, "Declare") && has_ident(&l, "Lib") {
            push(Some(EXEC), "Lib".into(), "declares a function from a DLL");
        }
        // Chains of Chr()/ChrW()/ChrB(): builds hidden strings character by character.
        let chr = l
            .idents()
            .filter(|i| {
                ["Chr", "ChrW", "ChrB"]
                    .iter()
                    .any(|c| i.eq_ignore_ascii_case(c))
            })
            .count();
        if chr >= 3 {
            push(
                Some(OBF),
                "Chr".into(),
                "builds strings from character codes",
            );
        }
        for s in l.strings() {
            if is_long_hex(s) {
                push(
                    Some(OBF),
                    "hex string".into(),
                    "long hexadecimal string (encoded data)",
                );
            } else if is_long_base64(s) {
                push(
                    Some(OBF),
                    "Base64 string".into(),
                    "long Base64 string (encoded data)",
                );
            }
        }
    }
    hits
}

fn is_long_hex(s: &str) -> bool {
    s.len() >= 40 && s.len().is_multiple_of(2) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_long_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    body.len() >= 48
        && s.len().saturating_sub(body.len()) <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        && body.bytes().any(|b| b.is_ascii_uppercase())
        && body.bytes().any(|b| b.is_ascii_lowercase())
        && body.bytes().any(|b| b.is_ascii_digit())
}

/// The matcher as it was before the one-pass rewrite (a table scan per keyword), kept to test
/// that the rewrite reports exactly the same hits.
#[cfg(test)]
mod old {
    use super::*;

    /// The splitter before it worked on bytes (a copy with CRLF replaced, then a split on LF
    /// and CR), kept to test that the byte splitter gives the same lines.
    pub fn logical_lines(source: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut acc = String::new();
        let mut parts = 0usize;
        let normalized = source.replace("\r\n", "\n");
        for raw in normalized.split(['\n', '\r']) {
            let t = raw.trim();
            if t.is_empty() && acc.is_empty() {
                continue;
            }
            if let Some(stripped) = t.strip_suffix(" _").filter(|_| parts < 25) {
                acc.push_str(stripped);
                acc.push(' ');
                parts = parts.saturating_add(1);
                continue;
            }
            acc.push_str(t);
            let line = std::mem::take(&mut acc);
            parts = 0;
            if line
                .get(..10)
                .is_some_and(|p| p.eq_ignore_ascii_case("Attribute "))
            {
                continue;
            }
            if !line.is_empty() {
                out.push(line);
            }
        }
        if !acc.is_empty() {
            out.push(acc);
        }
        out
    }

    /// One logical line split into code (strings blanked) and string literals, comment removed.
    struct OldLexed {
        idents: Vec<String>,
        strings: Vec<String>,
        /// Code and strings (comment removed), for `Text` keywords.
        text_lower: String,
    }

    fn lex(line: &str) -> OldLexed {
        let mut idents = Vec::new();
        let mut strings = Vec::new();
        let mut text = String::new();
        let mut cur = String::new();
        let mut chars = line.chars().peekable();
        let flush = |cur: &mut String, idents: &mut Vec<String>| {
            if !cur.is_empty() {
                idents.push(std::mem::take(cur));
            }
        };
        while let Some(c) = chars.next() {
            if c == '"' {
                flush(&mut cur, &mut idents);
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            s.push('"');
                        }
                        Some('"') | None => break,
                        Some(ch) => s.push(ch),
                    }
                }
                text.push(' ');
                text.push_str(&s);
                text.push(' ');
                strings.push(s);
                continue;
            }
            if c == '\'' {
                break;
            }
            if c.is_alphanumeric() || c == '_' {
                cur.push(c);
            } else {
                flush(&mut cur, &mut idents);
            }
            text.push(c);
        }
        flush(&mut cur, &mut idents);
        // `Rem` comments.
        if idents
            .first()
            .is_some_and(|i| i.eq_ignore_ascii_case("Rem"))
        {
            return OldLexed {
                idents: Vec::new(),
                strings: Vec::new(),
                text_lower: String::new(),
            };
        }
        OldLexed {
            idents,
            strings,
            text_lower: text.to_lowercase(),
        }
    }

    fn has_ident(l: &OldLexed, w: &str) -> bool {
        l.idents.iter().any(|i| i.eq_ignore_ascii_case(w))
    }

    fn matches(l: &OldLexed, pat: Pat) -> Option<String> {
        match pat {
            Ident(w) => has_ident(l, w).then(|| w.to_string()),
            Suffix(s) => l
                .idents
                .iter()
                .find(|i| {
                    i.len() > s.len()
                        && i.is_char_boundary(i.len().saturating_sub(s.len()))
                        && i.get(i.len().saturating_sub(s.len())..)
                            .unwrap_or_default()
                            .eq_ignore_ascii_case(s)
                })
                .cloned(),
            Text(t) => {
                let n = t.as_bytes();
                let found = !n.is_empty()
                    && l.text_lower
                        .as_bytes()
                        .windows(n.len())
                        .any(|w| w.eq_ignore_ascii_case(n));
                found.then(|| t.to_string())
            }
        }
    }

    /// Every keyword hit in `source`, in source order.
    pub fn scan(source: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        for line in logical_lines(source) {
            let l = lex(&line);
            if l.idents.is_empty() && l.strings.is_empty() {
                continue;
            }
            let mut push = |category, keyword: String, desc| {
                hits.push(Hit {
                    category,
                    keyword,
                    desc,
                    line: line.clone(),
                });
            };
            for k in AUTOEXEC {
                if let Some(kw) = matches(&l, k.pat) {
                    push(None, kw, k.desc);
                }
            }
            for k in SUSPICIOUS {
                if let Some(kw) = matches(&l, k.pat) {
                    push(Some(k.category), kw, k.desc);
                }
            }
            // `.Run` other than Application.Run.
            for (i, id) in l.idents.iter().enumerate() {
                if id.eq_ignore_ascii_case("Run") {
                    let prev = i.checked_sub(1).and_then(|p| l.idents.get(p));
                    if !prev.is_some_and(|p| p.eq_ignore_ascii_case("Application")) {
                        push(Some(EXEC), "Run".into(), "runs a program or command");
                        break;
                    }
                }
            }
            // CreateObject / GetObject, unless every ProgID on the line is an everyday one.
            for call in ["CreateObject", "GetObject"] {
                if has_ident(&l, call) {
                    let ordinary = !l.strings.is_empty()
                        && l.strings
                            .iter()
                            .all(|s| ORDINARY_PROGIDS.contains(&s.trim().to_lowercase().as_str()));
                    if !ordinary {
                        push(
                            Some(EXEC),
                            call.into(),
                            "creates or gets an OLE/COM object (can run programs)",
                        );
                    }
                }
            }
            // Open <path> For Output|Binary|Append: writes a file.
            if let Some(o) = l.idents.iter().position(|i| i.eq_ignore_ascii_case("Open")) {
                let rest = l.idents.get(o.saturating_add(1)..).unwrap_or(&[]);
                if let Some(f) = rest.iter().position(|i| i.eq_ignore_ascii_case("For")) {
                    if let Some(mode) = rest.get(f.saturating_add(1)) {
                        if ["Output", "Binary", "Append"]
                            .iter()
                            .any(|m| mode.eq_ignore_ascii_case(m))
                        {
                            push(
                                Some(WR),
                                format!("Open For {mode}"),
                                "opens a file for writing",
                            );
                        }
                    }
                }
            }
            // Declare ... Lib "x.dll": calls into a DLL.
            if has_ident(&l, "Declare") && has_ident(&l, "Lib") {
                push(Some(EXEC), "Lib".into(), "declares a function from a DLL");
            }
            // Chains of Chr()/ChrW()/ChrB(): builds hidden strings character by character.
            let chr = l
                .idents
                .iter()
                .filter(|i| {
                    ["Chr", "ChrW", "ChrB"]
                        .iter()
                        .any(|c| i.eq_ignore_ascii_case(c))
                })
                .count();
            if chr >= 3 {
                push(
                    Some(OBF),
                    "Chr".into(),
                    "builds strings from character codes",
                );
            }
            for s in &l.strings {
                if is_long_hex(s) {
                    push(
                        Some(OBF),
                        "hex string".into(),
                        "long hexadecimal string (encoded data)",
                    );
                } else if is_long_base64(s) {
                    push(
                        Some(OBF),
                        "Base64 string".into(),
                        "long Base64 string (encoded data)",
                    );
                }
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kws(src: &str) -> Vec<(Option<&'static str>, String)> {
        scan(src)
            .into_iter()
            .map(|h| (h.category, h.keyword))
            .collect()
    }

    #[test]
    fn autoexec_as_identifier_only() {
        let h = kws("Sub AutoOpen()\r\n  MsgBox \"hi\"\r\nEnd Sub\r\n");
        assert_eq!(h, vec![(None, "AutoOpen".to_string())]);
        // In a comment or a string it does not count.
        assert!(kws("' AutoOpen is called here\r\nx = \"Document_Open\"\r\n").is_empty());
        // Case-insensitive, as VBA.
        assert_eq!(kws("Private Sub document_open()\n").len(), 1);
        // Part of a longer identifier does not count.
        assert!(kws("Sub MyAutoOpenHelper()\n").is_empty());
    }

    #[test]
    fn activex_suffix() {
        let h = kws("Private Sub InkPicture1_Painted(ByVal h As Long)\n");
        assert_eq!(h, vec![(None, "InkPicture1_Painted".to_string())]);
        assert!(kws("Private Sub CommandButton1_Click()\n").is_empty());
    }

    #[test]
    fn suspicious_categories() {
        let h = kws("x = Shell(\"cmd /c calc\", vbHide)\n");
        assert!(h.contains(&(Some("execute"), "Shell".into())));
        assert!(h.contains(&(Some("execute"), "cmd /c".into())));
        assert!(h.contains(&(Some("execute"), "vbHide".into())));
        let h = kws("Set o = CreateObject(\"MSXML2.XMLHTTP\")\n");
        assert!(h.contains(&(Some("download"), "XMLHTTP".into())));
        assert!(h.contains(&(Some("execute"), "CreateObject".into())));
        let h = kws("Open Environ(\"TEMP\") & \"\\a.exe\" For Binary As #1\n");
        assert!(h.contains(&(Some("write"), "Open For Binary".into())));
        assert!(h.contains(&(Some("obfuscation"), "Environ".into())));
        let h = kws("s = Chr(99) & Chr(109) & ChrW(100)\n");
        assert_eq!(h, vec![(Some("obfuscation"), "Chr".into())]);
        let h = kws("Private Declare Function URLDownloadToFileA Lib \"urlmon\" (ByVal a As Long) As Long\n");
        assert!(h.contains(&(Some("download"), "URLDownloadToFileA".into())));
        assert!(h.contains(&(Some("execute"), "Lib".into())));
    }

    #[test]
    fn run_and_createobject_refined() {
        assert!(kws("Application.Run \"Macro2\"\n").is_empty());
        assert_eq!(
            kws("sh.Run \"calc\", 0\n"),
            vec![(Some("execute"), "Run".to_string())]
        );
        assert!(kws("Set d = CreateObject(\"Scripting.Dictionary\")\n").is_empty());
        assert!(kws("Set o = CreateObject(\"Outlook.Application\")\n").is_empty());
        assert_eq!(
            kws("Set o = CreateObject(p)\n"),
            vec![(Some("execute"), "CreateObject".to_string())]
        );
        assert_eq!(
            kws("Set o = CreateObject(\"Sch\" & \"edule.Service\")\n"),
            vec![(Some("execute"), "CreateObject".to_string())]
        );
        let h = kws("Set w = GetObject(\"winmgmts:\\\\.\\root\\cimv2\")\n");
        assert!(h.contains(&(Some("execute"), "GetObject".to_string())));
    }

    #[test]
    fn no_false_positives_on_plain_code() {
        let src = "Sub Report()\r\n  ' Shell out? no\r\n  Dim shellColor As Long\r\n  Range(\"A1\").Value = \"会議資料\"\r\n  Open \"a.txt\" For Input As #1\r\nEnd Sub\r\n";
        assert!(kws(src).is_empty(), "{:?}", kws(src));
    }

    #[test]
    fn continuation_lines_join_and_attributes_skip() {
        let src =
            "Attribute VB_Name = \"Shell\"\r\nx = CreateObject( _\r\n  \"WScript.Shell\")\r\n";
        let h = scan(src);
        assert!(h
            .iter()
            .any(|h| h.keyword == "WScript.Shell" && h.line.contains("CreateObject(")));
        assert!(!h.iter().any(|h| h.keyword == "Shell"));
    }

    #[test]
    fn multibyte_lines_do_not_panic() {
        // A line whose 10th byte falls inside a multi-byte character.
        assert!(kws("集計表のテスト行です\n").is_empty());
        assert!(kws("あ_Layout\n").len() == 1);
    }

    #[test]
    fn encoded_strings() {
        let hex = "4D5A90000300000004000000FFFF0000B800000000000000";
        assert!(
            kws(&format!("s = \"{hex}\"\n")).contains(&(Some("obfuscation"), "hex string".into()))
        );
        let b64 = "cG93ZXJzaGVsbCAtbm9wIC13IGhpZGRlbiAtZW5jb2RlZGNvbW1hbmQgSkFCa0FH";
        assert!(kws(&format!("s = \"{b64}\"\n"))
            .contains(&(Some("obfuscation"), "Base64 string".into())));
        assert!(
            kws("s = \"just a normal sentence with words in it, nothing encoded\"\n").is_empty()
        );
    }

    /// VBA-ish lines from pieces: keywords in random case, suffixes, strings, comments,
    /// continuations, non-ASCII letters (including ones whose lower case is ASCII).
    fn generated_source(seed: u64, lines: usize) -> String {
        let mut next = crate::testing::xorshift(seed);
        let mut words: Vec<String> = Vec::new();
        for k in AUTOEXEC
            .iter()
            .map(|k| k.pat)
            .chain(SUSPICIOUS.iter().map(|k| k.pat))
        {
            match k {
                Ident(w) | Text(w) => words.push(w.to_string()),
                Suffix(s) => words.push(format!("Btn1{s}")),
            }
        }
        for w in [
            "Run",
            "Application",
            "CreateObject",
            "GetObject",
            "Open",
            "For",
            "Output",
            "Binary",
            "Append",
            "Input",
            "Declare",
            "Lib",
            "Chr",
            "ChrW",
            "ChrB",
            "Rem",
            "Attribute",
            "Sub",
            "End",
            "Dim",
            "x",
            "Set",
            "MyAutoOpen",
            "Shellx",
            "_Layout",
            "a_b_Painted",
            "集計",
            "あ_Resize",
            "\u{212A}ill",
            "\u{130}nvoke",
            "Invo\u{212A}e-Expression",
            "ﾊﾟ",
            "Ω",
            "Scripting.Dictionary",
            "4D5A90000300000004000000FFFF0000B800000000000000",
            "cG93ZXJzaGVsbCAtbm9wIC13IGhpZGRlbiAtZW5jb2RlZGNvbW1hbmQgSkFCa0FH",
        ] {
            words.push(w.to_string());
        }
        let seps = [
            " ", " ", ".", "(", ")", ", ", " & ", " = ", "\"", "\"\"", "'", " _\r\n", "\r\n", "\n",
            "\r", ":", "-", "/", "\t",
        ];
        let mut out = String::new();
        for _ in 0..lines {
            let n = (next() % 9) as usize;
            for _ in 0..=n {
                let w = &words[(next() % words.len() as u64) as usize];
                let w: String = match next() % 4 {
                    0 => w.to_ascii_lowercase(),
                    1 => w.to_ascii_uppercase(),
                    2 => w
                        .chars()
                        .enumerate()
                        .map(|(i, c)| {
                            if i % 2 == 0 {
                                c.to_ascii_uppercase()
                            } else {
                                c
                            }
                        })
                        .collect(),
                    _ => w.clone(),
                };
                out.push_str(&w);
                out.push_str(seps[(next() % seps.len() as u64) as usize]);
            }
            out.push_str(if next() % 3 == 0 { "\n" } else { "\r\n" });
        }
        out
    }

    #[test]
    fn byte_splitter_equals_the_old_splitter() {
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        let pieces = [
            "a",
            " _",
            "\r",
            "\n",
            "\r\n",
            "\n\r",
            " ",
            "Attribute VB_Name = 1",
            "x = 1 _",
            "日本",
            "\t",
            "",
            "Sub A()",
            "'c _",
        ];
        for case in 0..5000 {
            let src: String = (0..(next() % 30))
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            assert_eq!(
                logical_lines(&src),
                old::logical_lines(&src),
                "case {case}: {src:?}"
            );
        }
        // Many continuations: the 25-part cap.
        let long = "x _\r\n".repeat(60) + "y";
        assert_eq!(logical_lines(&long), old::logical_lines(&long));
    }

    #[test]
    fn one_pass_matcher_equals_the_table_scan() {
        let mut total = 0usize;
        for seed in 1..=300u64 {
            let src = generated_source(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15), 40);
            let new = scan(&src);
            let old = old::scan(&src);
            assert_eq!(new, old, "seed {seed}:\n{src}");
            total += new.len();
        }
        // The generator does exercise the matcher.
        assert!(total > 5000, "only {total} hits");
    }
}
