//! VBA projects ([MS-OVBA]): finding the project storage, reading the `dir` stream and the
//! module sources. Parsing only; the checks live in [`super`].
//!
//! - 2.2.1 Project Root storage: a `VBA` storage with the `_VBA_PROJECT` and `dir` streams and
//!   one stream per module (plus `PROJECT`/`PROJECTwm` beside it).
//! - 2.3.4.2 `dir` stream (compressed, 2.4.1): module names, stream names, text offsets, code page.
//! - 2.3.4.3 Module stream: PerformanceCache (ignored), then from MODULEOFFSET the
//!   CompressedSourceCode (2.4.1), in the project code page.

pub mod decompress;
pub mod dir;
pub mod keywords;

use std::collections::HashMap;

use super::ole::{Cfb, Entry, EntryKind};

/// The `dir` stream of any real project is a few KB; its decompressed form stays small.
const MAX_DIR_OUT: usize = 4 << 20;
/// One module's source, decompressed.
const MAX_MODULE_OUT: usize = 8 << 20;
/// Bytes read from one stream of the compound file.
const MAX_STREAM_READ: usize = 64 << 20;

/// One module with its decoded source.
pub struct Module {
    pub name: String,
    pub source: String,
    /// Why the source is missing or partial.
    pub error: Option<String>,
}

/// A VBA project read from a compound file.
pub struct Project {
    /// `Macros/VBA`, `_VBA_PROJECT_CUR/VBA`, `VBA`, ...
    pub storage: String,
    pub code_page: u16,
    pub modules: Vec<Module>,
    /// Problems with the `dir` stream (the project could not be read fully).
    pub error: Option<String>,
    /// An output budget was hit.
    pub limit_hit: bool,
}

/// Storages that hold a VBA project: they contain a `dir` stream, and `_VBA_PROJECT` or are
/// named `VBA`. Returns entry indices; one pass over the directory.
pub fn find_projects(cfb: &Cfb<'_>) -> Vec<usize> {
    let n = cfb.entries.len();
    let mut has_dir = vec![false; n];
    let mut has_vba_project = vec![false; n];
    for e in cfb
        .entries
        .iter()
        .skip(1)
        .filter(|e| e.kind == EntryKind::Stream)
    {
        if e.name.eq_ignore_ascii_case("dir") {
            if let Some(v) = has_dir.get_mut(e.parent) {
                *v = true;
            }
        } else if e.name.eq_ignore_ascii_case("_VBA_PROJECT") {
            if let Some(v) = has_vba_project.get_mut(e.parent) {
                *v = true;
            }
        }
    }
    cfb.entries
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            matches!(e.kind, EntryKind::Storage | EntryKind::Root)
                && has_dir.get(*i).copied().unwrap_or(false)
                && (has_vba_project.get(*i).copied().unwrap_or(false)
                    || e.name.eq_ignore_ascii_case("VBA"))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Read the project in storage `vba`. `charge` is asked before every decompression output is
/// kept (the check's inflation budget); when it says no, reading stops with `limit_hit`.
pub fn read_project(cfb: &Cfb<'_>, vba: usize, charge: &mut dyn FnMut(u64) -> bool) -> Project {
    let mut p = Project {
        storage: cfb.path_of(vba),
        code_page: 0,
        modules: Vec::new(),
        error: None,
        limit_hit: false,
    };
    // The storage's streams by lower-case name (one pass, then lookups per module).
    let streams: HashMap<String, &Entry> = cfb
        .children(vba)
        .filter(|c| c.kind == EntryKind::Stream)
        .map(|c| (c.name.to_lowercase(), c))
        .collect();
    let Some(dir_entry) = streams.get("dir").copied() else {
        p.error = Some("no dir stream".into());
        return p;
    };
    let raw = match cfb.read(dir_entry, MAX_STREAM_READ) {
        Ok(r) => r,
        Err(e) => {
            p.error = Some(format!("dir stream: {e}"));
            return p;
        }
    };
    let d = decompress::decompress(&raw, MAX_DIR_OUT);
    if !charge(d.data.len() as u64) {
        p.limit_hit = true;
        return p;
    }
    let info = dir::parse_dir(&d.data, decode_cp);
    p.code_page = info.code_page;
    p.error = d
        .error
        .map(|e| format!("dir stream: {e}"))
        .or(info.error.map(|e| format!("dir stream: {e}")));
    if d.truncated {
        p.error = Some("dir stream larger than allowed".into());
    }
    for m in info.modules {
        let mut module = Module {
            name: m.name.clone(),
            source: String::new(),
            error: None,
        };
        let stream = streams.get(&m.stream_name.to_lowercase()).copied();
        let Some(stream) = stream else {
            module.error = Some(format!("module stream {} missing", m.stream_name));
            p.modules.push(module);
            continue;
        };
        match cfb.read(stream, MAX_STREAM_READ) {
            Err(e) => module.error = Some(e),
            Ok(data) => match data.get(m.text_offset as usize..) {
                None => {
                    module.error =
                        Some(format!("source offset {} beyond the stream", m.text_offset))
                }
                Some(compressed) => {
                    let d = decompress::decompress(compressed, MAX_MODULE_OUT);
                    if !charge(d.data.len() as u64) {
                        p.limit_hit = true;
                        p.modules.push(module);
                        break;
                    }
                    if d.truncated {
                        p.limit_hit = true;
                    }
                    module.error = d.error;
                    module.source = decode_cp(p.code_page, &d.data);
                }
            },
        }
        p.modules.push(module);
    }
    p
}

/// Text in a Windows code page ([MS-OVBA] PROJECTCODEPAGE) as a String. Unknown pages are read
/// as windows-1252, which never fails.
pub fn decode_cp(cp: u16, bytes: &[u8]) -> String {
    use encoding_rs::*;
    let enc: &'static Encoding = match cp {
        932 => SHIFT_JIS,
        936 => GBK,
        949 => EUC_KR,
        950 => BIG5,
        874 => WINDOWS_874,
        1250 => WINDOWS_1250,
        1251 => WINDOWS_1251,
        1253 => WINDOWS_1253,
        1254 => WINDOWS_1254,
        1255 => WINDOWS_1255,
        1256 => WINDOWS_1256,
        1257 => WINDOWS_1257,
        1258 => WINDOWS_1258,
        866 => IBM866,
        10000 => MACINTOSH,
        20866 => KOI8_R,
        21866 => KOI8_U,
        20932 | 51932 => EUC_JP,
        50220..=50222 => ISO_2022_JP,
        65001 => UTF_8,
        _ => WINDOWS_1252,
    };
    let (s, _, _) = enc.decode(bytes);
    s.into_owned()
}
