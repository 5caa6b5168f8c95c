//! Office fixture builders: an MS-OVBA compressor, VBA projects in compound files (written with
//! the `cfb` crate), BIFF8 workbooks with macro sheets, encrypted containers, and OOXML
//! packages (written with the `zip` crate). Also [`MapParts`], a [`PartSource`] over a map of
//! parts for calling `analyze_ooxml` directly.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use tenpu::formats::PartSource;

// ---------------------------------------------------------------- MS-OVBA compression

fn bit_count(difference: usize) -> u32 {
    let mut bits = 0u32;
    while (1usize << bits) < difference {
        bits += 1;
    }
    bits.clamp(4, 12)
}

/// Compress one chunk (at most 4096 bytes) into token sequences ([MS-OVBA] 2.4.1.3.7).
fn compress_tokens(chunk: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos < chunk.len() {
        let flag_at = out.len();
        out.push(0u8);
        let mut flags = 0u8;
        for bit in 0..8 {
            if pos >= chunk.len() {
                break;
            }
            let bits = bit_count(pos);
            let max_len = (0xFFFFusize >> bits) + 3;
            let max_off = 1usize << bits;
            let (mut best_len, mut best_off) = (0usize, 0usize);
            let lo = pos.saturating_sub(max_off);
            for cand in (lo..pos).rev() {
                let mut l = 0;
                while pos + l < chunk.len() && l < max_len && chunk[cand + l] == chunk[pos + l] {
                    l += 1;
                }
                if l > best_len {
                    best_len = l;
                    best_off = pos - cand;
                }
            }
            if best_len >= 3 {
                let token = (((best_off - 1) as u16) << (16 - bits)) | (best_len - 3) as u16;
                out.extend_from_slice(&token.to_le_bytes());
                flags |= 1 << bit;
                pos += best_len;
            } else {
                out.push(chunk[pos]);
                pos += 1;
            }
        }
        out[flag_at] = flags;
    }
    out
}

/// A real MS-OVBA CompressedContainer (2.4.1.1.1): compressed chunks with copy tokens, raw
/// chunks only where compression does not pay.
pub fn ovba_compress(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x01u8];
    for chunk in data.chunks(4096) {
        let tokens = compress_tokens(chunk);
        if tokens.len() > 4096 {
            // Raw chunk: size field 4095 (4098 - 3), signature 0b011, flag 0; padded to 4096.
            out.extend_from_slice(&0x3FFFu16.to_le_bytes());
            out.extend_from_slice(chunk);
            out.extend(std::iter::repeat_n(0u8, 4096 - chunk.len()));
        } else {
            let header = 0xB000u16 | ((tokens.len() + 2 - 3) as u16 & 0x0FFF);
            out.extend_from_slice(&header.to_le_bytes());
            out.extend_from_slice(&tokens);
        }
    }
    out
}

// ---------------------------------------------------------------- VBA projects

fn rec(id: u16, data: &[u8]) -> Vec<u8> {
    let mut v = id.to_le_bytes().to_vec();
    v.extend_from_slice(&(data.len() as u32).to_le_bytes());
    v.extend_from_slice(data);
    v
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// Text in code page 932 (Shift_JIS).
pub fn cp932(s: &str) -> Vec<u8> {
    encoding_rs::SHIFT_JIS.encode(s).0.into_owned()
}

/// Bytes standing in for the PerformanceCache before the compressed source.
const PERF_CACHE: usize = 37;

fn module_is_document(name: &str) -> bool {
    matches!(name, "ThisDocument" | "ThisWorkbook") || name.starts_with("Sheet")
}

/// The decompressed `dir` stream ([MS-OVBA] 2.3.4.2) for these module names, code page 932.
pub fn dir_stream(module_names: &[&str]) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend(rec(0x0001, &1u32.to_le_bytes()));
    d.extend(rec(0x0002, &0x0411u32.to_le_bytes()));
    d.extend(rec(0x0014, &0x0411u32.to_le_bytes()));
    d.extend(rec(0x0003, &932u16.to_le_bytes()));
    d.extend(rec(0x0004, b"VBAProject"));
    d.extend(rec(0x0005, b""));
    d.extend(rec(0x0040, b""));
    d.extend(rec(0x0006, b""));
    d.extend(rec(0x003D, b""));
    d.extend(rec(0x0007, &0u32.to_le_bytes()));
    d.extend(rec(0x0008, &0u32.to_le_bytes()));
    // PROJECTVERSION: Size field 4, then 6 bytes.
    d.extend_from_slice(&[0x09, 0x00, 0x04, 0x00, 0x00, 0x00]);
    d.extend_from_slice(&0x65BE0257u32.to_le_bytes());
    d.extend_from_slice(&0x0011u16.to_le_bytes());
    d.extend(rec(0x000C, b""));
    d.extend(rec(0x003C, b""));
    // One registered reference (stdole).
    d.extend(rec(0x0016, b"stdole"));
    d.extend(rec(0x003E, &utf16("stdole")));
    let libid = b"*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb#OLE Automation";
    let mut reg = (libid.len() as u32).to_le_bytes().to_vec();
    reg.extend_from_slice(libid);
    reg.extend_from_slice(&0u32.to_le_bytes());
    reg.extend_from_slice(&0u16.to_le_bytes());
    d.extend(rec(0x000D, &reg));
    d.extend(rec(0x000F, &(module_names.len() as u16).to_le_bytes()));
    d.extend(rec(0x0013, &0xFFFFu16.to_le_bytes()));
    for name in module_names {
        d.extend(rec(0x0019, &cp932(name)));
        d.extend(rec(0x0047, &utf16(name)));
        d.extend(rec(0x001A, &cp932(name)));
        d.extend(rec(0x0032, &utf16(name)));
        d.extend(rec(0x001C, b""));
        d.extend(rec(0x0048, b""));
        d.extend(rec(0x0031, &(PERF_CACHE as u32).to_le_bytes()));
        d.extend(rec(0x001E, &0u32.to_le_bytes()));
        d.extend(rec(0x002C, &0xFFFFu16.to_le_bytes()));
        d.extend(rec(
            if module_is_document(name) {
                0x0022
            } else {
                0x0021
            },
            b"",
        ));
        d.extend(rec(0x002B, b""));
    }
    d.extend(rec(0x0010, b""));
    d
}

/// The module stream: a fake PerformanceCache, then the compressed source in code page 932,
/// with its `Attribute VB_Name` line.
pub fn module_stream(name: &str, source: &str) -> Vec<u8> {
    let mut text = format!("Attribute VB_Name = \"{name}\"\r\n");
    text.push_str(&source.replace("\r\n", "\n").replace('\n', "\r\n"));
    let mut s = vec![0xCCu8; PERF_CACHE];
    s.extend(ovba_compress(&cp932(&text)));
    s
}

pub type Cfb = cfb::CompoundFile<Cursor<Vec<u8>>>;

fn new_cfb() -> Cfb {
    cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap()
}

fn put(c: &mut Cfb, path: &str, data: &[u8]) {
    c.create_stream(path).unwrap().write_all(data).unwrap();
}

/// The bytes of a compound file built in memory, with fixed timestamps.
pub fn finish(mut c: Cfb) -> Vec<u8> {
    // Fixed timestamps, so the same fixture gives the same bytes (golden files pin sizes).
    let storages: Vec<_> = c
        .walk()
        .filter(|e| e.is_storage())
        .map(|e| e.path().to_path_buf())
        .collect();
    for path in storages {
        c.set_created_time(&path, std::time::SystemTime::UNIX_EPOCH)
            .unwrap();
        c.set_modified_time(&path, std::time::SystemTime::UNIX_EPOCH)
            .unwrap();
    }
    c.flush().unwrap();
    c.into_inner().into_inner()
}

/// Write a VBA project under `prefix` (`""`, `"Macros"`, `"_VBA_PROJECT_CUR"`): `PROJECT`,
/// `PROJECTwm`, `VBA/_VBA_PROJECT`, `VBA/dir` and one stream per module.
fn add_project(c: &mut Cfb, prefix: &str, modules: &[(&str, &str)]) {
    let p = |s: &str| {
        if prefix.is_empty() {
            format!("/{s}")
        } else {
            format!("/{prefix}/{s}")
        }
    };
    c.create_storage_all(p("VBA")).unwrap();
    let mut project = String::from("ID=\"{00000000-0000-0000-0000-000000000000}\"\r\n");
    for (name, _) in modules {
        if module_is_document(name) {
            project.push_str(&format!("Document={name}/&H00000000\r\n"));
        } else {
            project.push_str(&format!("Module={name}\r\n"));
        }
    }
    project.push_str("Name=\"VBAProject\"\r\nHelpContextID=\"0\"\r\nVersionCompatible32=\"393222000\"\r\nCMG=\"\"\r\nDPB=\"\"\r\nGC=\"\"\r\n\r\n[Host Extender Info]\r\n&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000\r\n");
    put(c, &p("PROJECT"), &cp932(&project));
    let mut wm = Vec::new();
    for (name, _) in modules {
        wm.extend(cp932(name));
        wm.push(0);
        wm.extend(utf16(name));
        wm.extend_from_slice(&[0, 0]);
    }
    wm.extend_from_slice(&[0, 0]);
    put(c, &p("PROJECTwm"), &wm);
    put(
        c,
        &p("VBA/_VBA_PROJECT"),
        &[0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x00, 0x00],
    );
    let names: Vec<&str> = modules.iter().map(|m| m.0).collect();
    put(c, &p("VBA/dir"), &ovba_compress(&dir_stream(&names)));
    for (name, src) in modules {
        put(c, &p(&format!("VBA/{name}")), &module_stream(name, src));
    }
}

/// A `vbaProject.bin` (as inside .docm/.xlsm): the project at the root of a compound file.
pub fn vba_project_bin(modules: &[(&str, &str)]) -> Vec<u8> {
    let mut c = new_cfb();
    add_project(&mut c, "", modules);
    finish(c)
}

/// A minimal Word FibBase ([MS-DOC] 2.5.2) with the given flags word.
fn fib(flags: u16) -> Vec<u8> {
    let mut f = vec![0u8; 1472];
    f[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
    f[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
    f[0x0A..0x0C].copy_from_slice(&flags.to_le_bytes());
    f
}

/// A .doc-style compound file: `WordDocument` + `1Table` + `Macros/VBA/...`.
pub fn vba_doc(modules: &[(&str, &str)]) -> Vec<u8> {
    let mut c = new_cfb();
    put(&mut c, "/WordDocument", &fib(0x0200));
    put(&mut c, "/1Table", &[0u8; 512]);
    add_project(&mut c, "Macros", modules);
    finish(c)
}

/// The same as [`vba_doc`] in a version 4 compound file (4096-byte sectors).
pub fn vba_doc_v4(modules: &[(&str, &str)]) -> Vec<u8> {
    let mut c =
        cfb::CompoundFile::create_with_version(cfb::Version::V4, Cursor::new(Vec::new())).unwrap();
    put(&mut c, "/WordDocument", &fib(0x0200));
    put(&mut c, "/1Table", &[0u8; 512]);
    add_project(&mut c, "Macros", modules);
    finish(c)
}

/// A Word document with fEncrypted set in the FIB (RC4; no VBA is readable).
pub fn encrypted_doc() -> Vec<u8> {
    let mut c = new_cfb();
    put(&mut c, "/WordDocument", &fib(0x0100 | 0x0200));
    put(&mut c, "/1Table", &[0x55u8; 700]);
    finish(c)
}

fn biff(rt: u16, data: &[u8]) -> Vec<u8> {
    let mut v = rt.to_le_bytes().to_vec();
    v.extend_from_slice(&(data.len() as u16).to_le_bytes());
    v.extend_from_slice(data);
    v
}

fn bof() -> Vec<u8> {
    // BIFF8 workbook globals: vers 0x0600, dt 0x0005.
    biff(
        0x0809,
        &[
            0x00, 0x06, 0x05, 0x00, 0xBB, 0x0D, 0xCC, 0x07, 0, 0, 0, 0, 0x06, 0x03, 0, 0,
        ],
    )
}

fn boundsheet(name: &str, state: u8, dt: u8) -> Vec<u8> {
    let units: Vec<u16> = name.encode_utf16().collect();
    let wide = units.iter().any(|&u| u > 0xFF);
    let mut d = vec![0, 0, 0, 0, state, dt, units.len() as u8, wide as u8];
    if wide {
        d.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    } else {
        d.extend(units.iter().map(|&u| u as u8));
    }
    biff(0x0085, &d)
}

/// A BIFF8 `Workbook` stream: BOF, CODEPAGE, the given sheets (name, hsState, dt), EOF.
pub fn workbook_stream(sheets: &[(&str, u8, u8)], filepass: bool) -> Vec<u8> {
    let mut s = bof();
    if filepass {
        // FilePass, RC4 CryptoAPI header start; what follows would be encrypted.
        s.extend(biff(0x002F, &[0x01, 0x00, 0x04, 0x00, 0x02, 0x00]));
    }
    s.extend(biff(0x0042, &1200u16.to_le_bytes()));
    for (name, state, dt) in sheets {
        s.extend(boundsheet(name, *state, *dt));
    }
    s.extend(biff(0x000A, &[]));
    s
}

/// An .xls with `Workbook` + `_VBA_PROJECT_CUR/VBA/...`.
pub fn vba_xls(modules: &[(&str, &str)]) -> Vec<u8> {
    let mut c = new_cfb();
    put(
        &mut c,
        "/Workbook",
        &workbook_stream(&[("Sheet1", 0, 0)], false),
    );
    add_project(&mut c, "_VBA_PROJECT_CUR", modules);
    finish(c)
}

/// An .xls whose globals declare a worksheet and an Excel 4.0 macro sheet `Macro1` (dt=1)
/// with the given state (0 visible, 1 hidden, 2 very hidden).
pub fn xls_with_macro_sheet(hidden_state: u8) -> Vec<u8> {
    let mut c = new_cfb();
    put(
        &mut c,
        "/Workbook",
        &workbook_stream(&[("Sheet1", 0, 0), ("Macro1", hidden_state, 1)], false),
    );
    finish(c)
}

/// An .xls with a FILEPASS record (password-encrypted workbook).
pub fn encrypted_xls() -> Vec<u8> {
    let mut c = new_cfb();
    put(
        &mut c,
        "/Workbook",
        &workbook_stream(&[("Sheet1", 0, 0)], true),
    );
    finish(c)
}

fn ppt_rec(ver_inst: u16, ty: u16, body: &[u8]) -> Vec<u8> {
    let mut v = ver_inst.to_le_bytes().to_vec();
    v.extend_from_slice(&ty.to_le_bytes());
    v.extend_from_slice(&(body.len() as u32).to_le_bytes());
    v.extend_from_slice(body);
    v
}

/// A .ppt-style compound file: `Current User` (not encrypted) and a `PowerPoint Document`
/// stream with a DocumentContainer and the VBA project as a compressed ExOleObjStg record.
pub fn vba_ppt(modules: &[(&str, &str)]) -> Vec<u8> {
    let bin = vba_project_bin(modules);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&bin).unwrap();
    let mut stg = (bin.len() as u32).to_le_bytes().to_vec();
    stg.extend(z.finish().unwrap());
    let mut doc = ppt_rec(0x000F, 0x03E8, &ppt_rec(0x0001, 0x03E9, &[0u8; 40]));
    doc.extend(ppt_rec(0x0010, 0x1011, &stg));
    let mut cu = ppt_rec(0x0000, 0x0FF6, &[0u8; 20]);
    cu[12..16].copy_from_slice(&0xE391C05Fu32.to_le_bytes());
    let mut c = new_cfb();
    put(&mut c, "/Current User", &cu);
    put(&mut c, "/PowerPoint Document", &doc);
    finish(c)
}

/// An encrypted OOXML document as Office writes it: a compound file with `EncryptionInfo`
/// (Agile, version 4.4) and `EncryptedPackage` streams ([MS-OFFCRYPTO] 2.3.4.10).
pub fn encrypted_ooxml() -> Vec<u8> {
    let mut c = new_cfb();
    let mut info = vec![0x04, 0x00, 0x04, 0x00, 0x40, 0x00, 0x00, 0x00];
    info.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<encryption xmlns=\"http://schemas.microsoft.com/office/2006/encryption\"><keyData saltSize=\"16\" blockSize=\"16\" keyBits=\"256\" hashSize=\"64\" cipherAlgorithm=\"AES\" cipherChaining=\"ChainingModeCBC\" hashAlgorithm=\"SHA512\" saltValue=\"AAAAAAAAAAAAAAAAAAAAAA==\"/></encryption>");
    put(&mut c, "/EncryptionInfo", &info);
    let mut pkg = 5000u64.to_le_bytes().to_vec();
    pkg.extend((0..5008u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    put(&mut c, "/EncryptedPackage", &pkg);
    c.create_storage("/\u{6}DataSpaces").unwrap();
    put(&mut c, "/\u{6}DataSpaces/Version", &[0u8; 64]);
    finish(c)
}

// ---------------------------------------------------------------- OOXML

/// A [`PartSource`] over named parts in memory.
#[derive(Default, Clone)]
pub struct MapParts {
    pub parts: BTreeMap<String, Vec<u8>>,
    /// Names whose reading fails (to test error paths).
    pub failing: Vec<String>,
}

impl MapParts {
    pub fn new(parts: &[(&str, &[u8])]) -> Self {
        MapParts {
            parts: parts
                .iter()
                .map(|(n, d)| (n.to_string(), d.to_vec()))
                .collect(),
            failing: Vec::new(),
        }
    }

    /// Read every entry of a ZIP (OOXML package) with the zip crate.
    pub fn from_zip(bytes: &[u8]) -> Result<Self, String> {
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let mut m = MapParts::default();
        for i in 0..z.len() {
            let mut f = match z.by_index(i) {
                Ok(f) => f,
                Err(e) => return Err(e.to_string()),
            };
            if f.is_dir() {
                continue;
            }
            let name = f
                .name()
                .map(|n| n.to_string())
                .unwrap_or_else(|_| String::from_utf8_lossy(f.name_raw()).into_owned());
            let mut data = Vec::new();
            match (&mut f).take(256 << 20).read_to_end(&mut data) {
                Ok(_) => {
                    m.parts.insert(name, data);
                }
                Err(_) => m.failing.push(name),
            }
        }
        Ok(m)
    }
}

impl PartSource for MapParts {
    fn part_names(&self) -> Vec<String> {
        self.parts
            .keys()
            .cloned()
            .chain(self.failing.iter().cloned())
            .collect()
    }

    fn read_part(
        &mut self,
        _ctx: &mut tenpu::engine::Ctx<'_>,
        name: &str,
    ) -> Option<Result<Vec<u8>, String>> {
        if self.failing.iter().any(|f| f == name) {
            return Some(Err("could not be read".into()));
        }
        self.parts.get(name).cloned().map(Ok)
    }
}

/// Write parts into a ZIP (deflated).
pub fn zip_parts(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const CT_DOCM: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>"#;

const ROOT_RELS_DOC: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>請求書をご確認ください</w:t></w:r></w:p></w:body></w:document>"#;

/// The parts of a .docm carrying `word/vbaProject.bin`.
pub fn docm_parts(modules: &[(&str, &str)]) -> MapParts {
    let bin = vba_project_bin(modules);
    let doc_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.com/" TargetMode="External"/></Relationships>"#;
    MapParts::new(&[
        ("[Content_Types].xml", CT_DOCM.as_bytes()),
        ("_rels/.rels", ROOT_RELS_DOC.as_bytes()),
        ("word/document.xml", DOCUMENT_XML.as_bytes()),
        ("word/_rels/document.xml.rels", doc_rels.as_bytes()),
        ("word/vbaProject.bin", &bin),
    ])
}

/// A .docm file (ZIP bytes).
pub fn docm(modules: &[(&str, &str)]) -> Vec<u8> {
    to_zip(&docm_parts(modules))
}

/// The parts of a .docx whose settings attach a remote template (remote template injection).
pub fn docx_remote_template_parts(url: &str) -> MapParts {
    let settings_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="{url}" TargetMode="External"/></Relationships>"#
    );
    let settings = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:attachedTemplate r:id="rId1"/></w:settings>"#;
    MapParts::new(&[
        ("[Content_Types].xml", CT_DOCM.as_bytes()),
        ("_rels/.rels", ROOT_RELS_DOC.as_bytes()),
        ("word/document.xml", DOCUMENT_XML.as_bytes()),
        ("word/settings.xml", settings.as_bytes()),
        ("word/_rels/settings.xml.rels", settings_rels.as_bytes()),
    ])
}

/// A .docx file (ZIP bytes) with a remote template.
pub fn docx_remote_template(url: &str) -> Vec<u8> {
    to_zip(&docx_remote_template_parts(url))
}

/// The parts of an .xlsm with an Excel 4.0 macro sheet `Macro1` in the given state
/// (`visible`, `hidden`, `veryHidden`).
pub fn xlsm_macrosheet_parts(state: &str) -> MapParts {
    let wb = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/><sheet name="Macro1" sheetId="2" state="{state}" r:id="rId2"/></sheets><definedNames><definedName name="_xlnm.Auto_Open">Macro1!$A$1</definedName></definedNames></workbook>"#
    );
    let wb_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/></Relationships>"#;
    let sheet = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"#;
    let msheet = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1"><c r="A1"><f>EXEC("calc.exe")</f></c></row><row r="2"><c r="A2"><f>HALT()</f></c></row></sheetData></xm:macrosheet>"#;
    let ct = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/><Override PartName="/xl/macrosheets/sheet1.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/></Types>"#;
    let root = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    MapParts::new(&[
        ("[Content_Types].xml", ct.as_bytes()),
        ("_rels/.rels", root.as_bytes()),
        ("xl/workbook.xml", wb.as_bytes()),
        ("xl/_rels/workbook.xml.rels", wb_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ("xl/macrosheets/sheet1.xml", msheet.as_bytes()),
    ])
}

/// An .xlsm file (ZIP bytes) with a macro sheet.
pub fn xlsm_macrosheet(state: &str) -> Vec<u8> {
    to_zip(&xlsm_macrosheet_parts(state))
}

fn to_zip(p: &MapParts) -> Vec<u8> {
    let v: Vec<(&str, &[u8])> = p
        .parts
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip_parts(&v)
}

// ---------------------------------------------------------------- encrypted OOXML ([MS-OFFCRYPTO])
//
// A real encryptor, written from the spec independently of `src/formats/office/crypto.rs`, so
// the round trip checks the decryptor against the spec rather than against itself.

/// Office's `spinCount` (2.3.4.11): 100,000.
pub const OFFICE_SPIN: u32 = 100_000;

fn sha512(parts: &[&[u8]]) -> Vec<u8> {
    use sha2::Digest;
    let mut d = sha2::Sha512::new();
    for p in parts {
        d.update(p);
    }
    d.finalize().to_vec()
}

fn aes_cbc_encrypt(key: &[u8], iv: &[u8], data: &[u8]) -> Vec<u8> {
    use aes::cipher::{BlockCipherEncrypt, KeyInit};
    assert_eq!(data.len() % 16, 0);
    let c = aes::Aes256::new_from_slice(key).unwrap();
    let mut prev = [0u8; 16];
    prev.copy_from_slice(&iv[..16]);
    let mut out = Vec::with_capacity(data.len());
    for chunk in data.chunks(16) {
        let mut b = aes::Block::default();
        for i in 0..16 {
            b[i] = chunk[i] ^ prev[i];
        }
        c.encrypt_block(&mut b);
        prev.copy_from_slice(&b);
        out.extend_from_slice(&b);
    }
    out
}

fn b64(data: &[u8]) -> String {
    super::mailgen::base64(data)
}

/// [`encrypt_ooxml_agile_spin`] with Office's spinCount of 100,000.
pub fn encrypt_ooxml_agile(package: &[u8], password: &str) -> Vec<u8> {
    encrypt_ooxml_agile_spin(package, password, OFFICE_SPIN)
}

/// Encrypt an OOXML package with Agile encryption as Office 2010+ does ([MS-OFFCRYPTO]
/// 2.3.4.10–2.3.4.15): AES-256-CBC, SHA-512, password key encryptor with `spin` rounds
/// (tests pass a lower count than Office's 100,000 where only speed differs). Salts and keys
/// are fixed so fixtures are deterministic. No `dataIntegrity` element (the checker does not
/// verify it; Office would refuse such a file, which does not matter for a scanner test).
pub fn encrypt_ooxml_agile_spin(package: &[u8], password: &str, spin: u32) -> Vec<u8> {
    let key_salt: Vec<u8> = (0..16u8)
        .map(|i| i.wrapping_mul(17).wrapping_add(3))
        .collect();
    let pw_salt: Vec<u8> = (0..16u8)
        .map(|i| i.wrapping_mul(29).wrapping_add(101))
        .collect();
    let secret: Vec<u8> = (0..32u8)
        .map(|i| i.wrapping_mul(73).wrapping_add(5))
        .collect();
    let verifier_input: Vec<u8> = (0..16u8)
        .map(|i| i.wrapping_mul(11).wrapping_add(200))
        .collect();

    // 2.3.4.11: H0 = H(salt + password), Hn = H(iterator + Hn-1), then H(Hn + blockKey).
    let pw: Vec<u8> = password
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let mut h = sha512(&[&pw_salt, &pw]);
    for i in 0..spin {
        h = sha512(&[&i.to_le_bytes(), &h]);
    }
    let key = |block: [u8; 8]| sha512(&[&h, &block])[..32].to_vec();
    let k_input = key([0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79]);
    let k_value = key([0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e]);
    let k_key = key([0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6]);
    let enc_input = aes_cbc_encrypt(&k_input, &pw_salt, &verifier_input);
    let enc_value = aes_cbc_encrypt(&k_value, &pw_salt, &sha512(&[&verifier_input]));
    let enc_key = aes_cbc_encrypt(&k_key, &pw_salt, &secret);

    // 2.3.4.15: StreamSize, then 4096-byte segments, IV = H(keyData salt + segment index).
    let mut pkg = (package.len() as u64).to_le_bytes().to_vec();
    for (i, seg) in package.chunks(4096).enumerate() {
        let mut seg = seg.to_vec();
        seg.resize(seg.len().div_ceil(16) * 16, 0);
        let iv = sha512(&[&key_salt, &(i as u32).to_le_bytes()]);
        pkg.extend(aes_cbc_encrypt(&secret, &iv[..16], &seg));
    }

    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
<encryption xmlns=\"http://schemas.microsoft.com/office/2006/encryption\" xmlns:p=\"http://schemas.microsoft.com/office/2006/keyEncryptor/password\">\
<keyData saltSize=\"16\" blockSize=\"16\" keyBits=\"256\" hashSize=\"64\" cipherAlgorithm=\"AES\" cipherChaining=\"ChainingModeCBC\" hashAlgorithm=\"SHA512\" saltValue=\"{}\"/>\
<keyEncryptors><keyEncryptor uri=\"http://schemas.microsoft.com/office/2006/keyEncryptor/password\">\
<p:encryptedKey spinCount=\"{spin}\" saltSize=\"16\" blockSize=\"16\" keyBits=\"256\" hashSize=\"64\" cipherAlgorithm=\"AES\" cipherChaining=\"ChainingModeCBC\" hashAlgorithm=\"SHA512\" saltValue=\"{}\" encryptedVerifierHashInput=\"{}\" encryptedVerifierHashValue=\"{}\" encryptedKeyValue=\"{}\"/>\
</keyEncryptor></keyEncryptors></encryption>",
        b64(&key_salt),
        b64(&pw_salt),
        b64(&enc_input),
        b64(&enc_value),
        b64(&enc_key),
    );
    let mut info = vec![0x04, 0x00, 0x04, 0x00, 0x40, 0x00, 0x00, 0x00];
    info.extend_from_slice(xml.as_bytes());

    let mut c = new_cfb();
    put(&mut c, "/EncryptionInfo", &info);
    put(&mut c, "/EncryptedPackage", &pkg);
    finish(c)
}

fn sha1(parts: &[&[u8]]) -> Vec<u8> {
    use sha1::Digest;
    let mut d = sha1::Sha1::new();
    for p in parts {
        d.update(p);
    }
    d.finalize().to_vec()
}

fn aes128_ecb_encrypt(key: &[u8], data: &[u8]) -> Vec<u8> {
    use aes::cipher::{BlockCipherEncrypt, KeyInit};
    assert_eq!(data.len() % 16, 0);
    let c = aes::Aes128::new_from_slice(key).unwrap();
    let mut out = Vec::with_capacity(data.len());
    for chunk in data.chunks(16) {
        let mut b = aes::Block::default();
        b.copy_from_slice(chunk);
        c.encrypt_block(&mut b);
        out.extend_from_slice(&b);
    }
    out
}

/// Encrypt an OOXML package with Standard encryption as Office 2007 does ([MS-OFFCRYPTO]
/// 2.3.4.5–2.3.4.9): EncryptionInfo 3.2, AES-128 ECB, SHA-1 with 50,000 rounds, verifier.
pub fn encrypt_ooxml_standard(package: &[u8], password: &str) -> Vec<u8> {
    let salt: Vec<u8> = (0..16u8)
        .map(|i| i.wrapping_mul(37).wrapping_add(9))
        .collect();
    let verifier: Vec<u8> = (0..16u8)
        .map(|i| i.wrapping_mul(53).wrapping_add(71))
        .collect();
    // 2.3.4.7
    let pw: Vec<u8> = password
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let mut h = sha1(&[&salt, &pw]);
    for i in 0..50_000u32 {
        h = sha1(&[&i.to_le_bytes(), &h]);
    }
    let hfinal = sha1(&[&h, &0u32.to_le_bytes()]);
    let mut buf = [0x36u8; 64];
    for (b, x) in buf.iter_mut().zip(&hfinal) {
        *b ^= x;
    }
    let key = sha1(&[&buf])[..16].to_vec();
    // 2.3.4.9: the verifier and its SHA-1 (padded to 32 bytes), both encrypted.
    let mut vhash = sha1(&[&verifier]);
    vhash.resize(32, 0);
    let enc_verifier = aes128_ecb_encrypt(&key, &verifier);
    let enc_vhash = aes128_ecb_encrypt(&key, &vhash);

    let csp: Vec<u8> = "Microsoft Enhanced RSA and AES Cryptographic Provider\0"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let mut header = Vec::new();
    for v in [0x24u32, 0, 0x660E, 0x8004, 128, 0x18, 0, 0] {
        header.extend_from_slice(&v.to_le_bytes());
    }
    header.extend_from_slice(&csp);
    let mut info = vec![0x03, 0x00, 0x02, 0x00];
    info.extend_from_slice(&0x24u32.to_le_bytes());
    info.extend_from_slice(&(header.len() as u32).to_le_bytes());
    info.extend_from_slice(&header);
    info.extend_from_slice(&16u32.to_le_bytes());
    info.extend_from_slice(&salt);
    info.extend_from_slice(&enc_verifier);
    info.extend_from_slice(&20u32.to_le_bytes());
    info.extend_from_slice(&enc_vhash);

    // 2.3.4.8: StreamSize, then the package padded to the block size, AES-ECB.
    let mut padded = package.to_vec();
    padded.resize(padded.len().div_ceil(16) * 16, 0);
    let mut pkg = (package.len() as u64).to_le_bytes().to_vec();
    pkg.extend(aes128_ecb_encrypt(&key, &padded));

    let mut c = new_cfb();
    put(&mut c, "/EncryptionInfo", &info);
    put(&mut c, "/EncryptedPackage", &pkg);
    finish(c)
}

// ---------------------------------------------------------------- embedded objects, DDE, XLM (issue 4)

/// An `\x01Ole10Native` stream holding an OLE Package of `payload` named `filename`
/// (label, source path and temporary path as packager.exe writes them).
pub fn ole10native(filename: &str, payload: &[u8]) -> Vec<u8> {
    let ansi = |s: &str| -> Vec<u8> { encoding_rs::SHIFT_JIS.encode(s).0.into_owned() };
    let src = format!("C:\\Users\\user\\Desktop\\{filename}");
    let tmp = format!("C:\\Users\\user\\AppData\\Local\\Temp\\{filename}");
    let mut p = 2u16.to_le_bytes().to_vec();
    for s in [filename, src.as_str()] {
        p.extend(ansi(s));
        p.push(0);
    }
    p.extend_from_slice(&[0, 0, 3, 0]);
    let t = ansi(&tmp);
    p.extend_from_slice(&((t.len() + 1) as u32).to_le_bytes());
    p.extend(t);
    p.push(0);
    p.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    p.extend_from_slice(payload);
    // Unicode trailer: temp path, label, source path.
    for s in [tmp.as_str(), filename, src.as_str()] {
        let units: Vec<u16> = s.encode_utf16().collect();
        p.extend_from_slice(&(units.len() as u32).to_le_bytes());
        p.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    }
    let mut s = (p.len() as u32).to_le_bytes().to_vec();
    s.extend(p);
    s
}

/// A compound file with a Package object at its root (an OOXML `embeddings/oleObject1.bin`).
pub fn ole_object_bin(filename: &str, payload: &[u8]) -> Vec<u8> {
    let mut c = new_cfb();
    put(&mut c, "/\u{1}CompObj", b"\x01\x00\xfe\xff\x03\x0a\x00\x00\xff\xff\xff\xff\x0c\x00\x03\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46\x0c\x00\x00\x00OLE Package\x00\x00\x00\x00\x00\x08\x00\x00\x00Package\x00");
    put(&mut c, "/\u{1}Ole10Native", &ole10native(filename, payload));
    finish(c)
}

/// A Word FIB ([MS-DOC] 2.5.1) with the Word 97 counts (csw 14, cslw 22, cbRgFcLcb 93), the
/// table stream `1Table`, and fcClx/lcbClx.
fn fib97(fc_clx: u32, lcb_clx: u32) -> Vec<u8> {
    let mut f = fib(0x0200);
    f[32..34].copy_from_slice(&14u16.to_le_bytes());
    f[62..64].copy_from_slice(&22u16.to_le_bytes());
    f[152..154].copy_from_slice(&93u16.to_le_bytes());
    let at = 154 + 33 * 8;
    f[at..at + 4].copy_from_slice(&fc_clx.to_le_bytes());
    f[at + 4..at + 8].copy_from_slice(&lcb_clx.to_le_bytes());
    f
}

/// A .doc whose text (one compressed piece, windows-1252) is `text`; field codes are written
/// with the 0x13/0x14/0x15 characters.
fn doc_with_text_into(c: &mut Cfb, text: &str) {
    let bytes = encoding_rs::WINDOWS_1252.encode(text).0.into_owned();
    let text_at = 0x600u32;
    let mut plc = Vec::new();
    plc.extend_from_slice(&0u32.to_le_bytes());
    plc.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    plc.extend_from_slice(&[0, 0]);
    plc.extend_from_slice(&((text_at * 2) | 0x4000_0000).to_le_bytes());
    plc.extend_from_slice(&[0, 0]);
    let mut table = vec![0u8; 64];
    let fc_clx = table.len() as u32;
    table.push(0x02);
    table.extend_from_slice(&(plc.len() as u32).to_le_bytes());
    table.extend_from_slice(&plc);
    let lcb = table.len() as u32 - fc_clx;
    let mut word = fib97(fc_clx, lcb);
    word.resize(text_at as usize, 0);
    word.extend_from_slice(&bytes);
    put(c, "/WordDocument", &word);
    put(c, "/1Table", &table);
}

/// A .doc with this document text (use `\u{13}DDEAUTO ...\u{14}result\u{15}` for a field).
pub fn doc_with_text(text: &str) -> Vec<u8> {
    let mut c = new_cfb();
    doc_with_text_into(&mut c, text);
    finish(c)
}

/// A .doc carrying a DDEAUTO field that runs `cmd`.
pub fn doc_with_dde(cmd: &str) -> Vec<u8> {
    doc_with_text(&format!("請求書 \u{13} DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"{cmd}\" \u{14}!Unexpected End of Formula\u{15}\r"))
}

/// A .doc with an embedded OLE Package (`ObjectPool/_1234567890/\x01Ole10Native`).
pub fn doc_with_package(filename: &str, payload: &[u8]) -> Vec<u8> {
    let mut c = new_cfb();
    doc_with_text_into(&mut c, "See the attached file.\r");
    c.create_storage_all("/ObjectPool/_1234567890").unwrap();
    put(
        &mut c,
        "/ObjectPool/_1234567890/\u{1}Ole10Native",
        &ole10native(filename, payload),
    );
    put(
        &mut c,
        "/ObjectPool/_1234567890/\u{3}ObjInfo",
        &[0x00, 0x00, 0x03, 0x00, 0x01, 0x00],
    );
    finish(c)
}

/// An .xls with an Excel workbook embedded as an `MBD` storage (not a package).
pub fn xls_with_embedded_workbook() -> Vec<u8> {
    let mut c = new_cfb();
    put(
        &mut c,
        "/Workbook",
        &workbook_stream(&[("Sheet1", 0, 0)], false),
    );
    c.create_storage_all("/MBD0001A2B3").unwrap();
    put(
        &mut c,
        "/MBD0001A2B3/Workbook",
        &workbook_stream(&[("Sheet1", 0, 0)], false),
    );
    finish(c)
}

fn docx_with_document(document: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let ct = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", ct.as_bytes()),
        ("_rels/.rels", ROOT_RELS_DOC.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ];
    parts.extend_from_slice(extra);
    super::zipgen::plain(&parts)
}

/// A .docx with a DDEAUTO field running `cmd`, its instruction split over three runs as Word
/// writes it after editing.
pub fn docx_with_dde(cmd: &str) -> Vec<u8> {
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>ご確認ください</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DDE</w:instrText></w:r><w:r><w:instrText xml:space="preserve">AUTO c:\\windows\\system32\\cmd.exe </w:instrText></w:r><w:r><w:instrText xml:space="preserve">"{cmd}"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>!Unexpected End of Formula</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:body></w:document>"#
    );
    docx_with_document(&doc, &[])
}

/// A clean .docx (text and an ordinary PAGE field).
pub fn docx_clean() -> Vec<u8> {
    let doc = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>請求書をご確認ください</w:t></w:r><w:fldSimple w:instr=" PAGE \* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:body></w:document>"#;
    docx_with_document(doc, &[])
}

/// A .docx with an OLE Package of `payload` in `word/embeddings/oleObject1.bin`.
pub fn docx_with_package(filename: &str, payload: &[u8]) -> Vec<u8> {
    let bin = ole_object_bin(filename, payload);
    docx_with_document(DOCUMENT_XML, &[("word/embeddings/oleObject1.bin", &bin)])
}

/// A .docx with an ordinary embedded workbook (`word/embeddings/Microsoft_Excel_Worksheet.xlsx`).
pub fn docx_with_embedded_xlsx() -> Vec<u8> {
    let xlsx = super::zipgen::plain(&[
        ("[Content_Types].xml", b"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
        ("xl/workbook.xml", b"<workbook><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
    ]);
    docx_with_document(
        DOCUMENT_XML,
        &[("word/embeddings/Microsoft_Excel_Worksheet.xlsx", &xlsx)],
    )
}

/// An .xlsx whose external link is a DDE link `service topic`.
pub fn xlsx_with_dde_link(service: &str, topic: &str) -> Vec<u8> {
    let link = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><ddeLink ddeService="{service}" ddeTopic="{topic}"><ddeItems><ddeItem name="_xlbgnm.A1" advise="1"/></ddeItems></ddeLink></externalLink>"#
    );
    let ct = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;
    super::zipgen::plain(&[
        ("[Content_Types].xml", ct.as_bytes()),
        ("xl/workbook.xml", b"<workbook><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ("xl/externalLinks/externalLink1.xml", link.as_bytes()),
    ])
}

/// Parsed-expression bytes ([MS-XLS] 2.5.198) of `EXEC("cmd")`: PtgStr then PtgFuncVar
/// (1 argument, Ftab 110).
pub fn rgce_exec(cmd: &str) -> Vec<u8> {
    let mut r = vec![0x17, cmd.len() as u8, 0];
    r.extend_from_slice(cmd.as_bytes());
    r.extend_from_slice(&[0x42, 1, 110, 0]);
    r
}

/// `CALL("urlmon","URLDownloadToFileA","JJCCJJ",0,url,path,0,0)` reduced to its strings and the
/// call: PtgStr ×3 then PtgFuncVar (3 arguments, Ftab 150).
pub fn rgce_call_urlmon() -> Vec<u8> {
    let mut r = Vec::new();
    for s in ["urlmon", "URLDownloadToFileA", "JJCCJJ"] {
        r.extend_from_slice(&[0x17, s.len() as u8, 0]);
        r.extend_from_slice(s.as_bytes());
    }
    r.extend_from_slice(&[0x42, 3, 150, 0]);
    r
}

/// `HALT()`: PtgFuncVar (0 arguments, Ftab 54).
pub fn rgce_halt() -> Vec<u8> {
    vec![0x42, 0, 54, 0]
}

/// An .xls with a very hidden macro sheet `Macro1` whose cells A1.. hold these formulas
/// (parsed expressions), and a built-in `Auto_Open` name when `auto_open`.
pub fn xls_macro_sheet_with_formulas(formulas: &[Vec<u8>], auto_open: bool) -> Vec<u8> {
    let mut s = bof();
    s.extend(biff(0x0042, &1200u16.to_le_bytes()));
    s.extend(boundsheet("Sheet1", 0, 0));
    s.extend(boundsheet("Macro1", 2, 1));
    if auto_open {
        // Lbl: fBuiltin, cch 1, name 0x01 (Auto_Open), formula Macro1!A1 (PtgRef3d).
        let mut lbl = vec![
            0x20, 0x00, 0x00, 0x01, 0x07, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01,
        ];
        lbl.extend_from_slice(&[0x3A, 1, 0, 0, 0, 0, 0]);
        s.extend(biff(0x0018, &lbl));
    }
    s.extend(biff(0x000A, &[]));
    // The macro sheet substream: BOF dt 0x0040.
    s.extend(biff(
        0x0809,
        &[
            0x00, 0x06, 0x40, 0x00, 0xBB, 0x0D, 0xCC, 0x07, 0, 0, 0, 0, 0x06, 0x03, 0, 0,
        ],
    ));
    for (row, rgce) in formulas.iter().enumerate() {
        let mut f = Vec::new();
        f.extend_from_slice(&(row as u16).to_le_bytes());
        f.extend_from_slice(&0u16.to_le_bytes());
        f.extend_from_slice(&0x0Fu16.to_le_bytes());
        f.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0xFF, 0xFF]);
        f.extend_from_slice(&0u16.to_le_bytes());
        f.extend_from_slice(&0u32.to_le_bytes());
        f.extend_from_slice(&(rgce.len() as u16).to_le_bytes());
        f.extend_from_slice(rgce);
        s.extend(biff(0x0006, &f));
    }
    s.extend(biff(0x000A, &[]));
    let mut c = new_cfb();
    put(&mut c, "/Workbook", &s);
    finish(c)
}

/// A SYLK file with an `Auto_Open` name and a macro that runs `cmd` then halts.
pub fn sylk_auto_open(cmd: &str) -> Vec<u8> {
    format!("ID;PWXL;N;E\r\nB;Y2;X1;D0 0 1 0\r\nNN;NAuto_Open;ER1C1\r\nC;Y1;X1;K0;EEXEC(\"{cmd}\")\r\nC;Y2;KTRUE;EHALT()\r\nE\r\n").into_bytes()
}

/// A plain SYLK table (values and a SUM).
pub fn sylk_plain() -> Vec<u8> {
    b"ID;PWXL;N;E\r\nC;Y1;X1;K1\r\nC;Y2;X1;K2\r\nC;Y3;X1;K3;ESUM(R1C1:R2C1)\r\nE\r\n".to_vec()
}

/// A Word flat OPC document (`<pkg:package>`, one XML file): `word/document.xml` inline and
/// the given binary parts base64-encoded (`word/vbaProject.bin`, `word/embeddings/...`).
pub fn flat_opc_word(document_xml: &str, binary_parts: &[(&str, &[u8])]) -> Vec<u8> {
    let body = document_xml
        .trim_start_matches(|c| c != '>')
        .trim_start_matches('>');
    let body = body.trim_start_matches(|c| c != '<');
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<?mso-application progid=\"Word.Document\"?>\n<pkg:package xmlns:pkg=\"http://schemas.microsoft.com/office/2006/xmlPackage\">");
    s.push_str(&format!("<pkg:part pkg:name=\"/_rels/.rels\" pkg:contentType=\"application/vnd.openxmlformats-package.relationships+xml\"><pkg:xmlData>{}</pkg:xmlData></pkg:part>", ROOT_RELS_DOC.split_once("?>").unwrap().1.trim()));
    s.push_str(&format!("<pkg:part pkg:name=\"/word/document.xml\" pkg:contentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"><pkg:xmlData>{body}</pkg:xmlData></pkg:part>"));
    for (name, data) in binary_parts {
        s.push_str(&format!(
            "<pkg:part pkg:name=\"/{name}\" pkg:contentType=\"application/octet-stream\" pkg:compression=\"store\"><pkg:binaryData>{}</pkg:binaryData></pkg:part>",
            super::mailgen::base64_lines(data)
        ));
    }
    s.push_str("</pkg:package>");
    s.into_bytes()
}

/// A Word 2003 XML document (`<w:wordDocument>`) with a DDEAUTO field running `cmd`.
pub fn word2003_xml_with_dde(cmd: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<?mso-application progid="Word.Document"?>
<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"><w:body><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>DDEAUTO c:\\windows\\system32\\cmd.exe "{cmd}"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:body></w:wordDocument>"#
    )
    .into_bytes()
}

/// A .doc with an Equation Editor object (`ObjectPool/_1/Equation Native`).
pub fn doc_with_equation() -> Vec<u8> {
    let mut c = new_cfb();
    doc_with_text_into(&mut c, "x\r");
    c.create_storage_all("/ObjectPool/_1111").unwrap();
    put(
        &mut c,
        "/ObjectPool/_1111/Equation Native",
        &[0x1C, 0x00, 0x00, 0x00, 0x02, 0x00, 0x9E, 0xC4, 0xA9, 0x00],
    );
    finish(c)
}
