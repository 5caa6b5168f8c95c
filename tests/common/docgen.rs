//! Document fixture builders (see mod.rs): RTF with embedded objects, PDFs with active content,
//! HTML smuggling pages, padded files and padded ZIP entries. Built from the specs cited in
//! `src/formats/{rtf,pdf,html,padding}.rs`.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn hex_lines(data: &[u8]) -> String {
    let mut s = String::new();
    for (i, b) in data.iter().enumerate() {
        if i > 0 && i % 32 == 0 {
            s.push_str("\r\n");
        }
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// [MS-OLEDS] 2.2.5 EmbeddedObject with this class and native data.
pub fn ole1(class: &str, native: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&0x0000_0501u32.to_le_bytes());
    v.extend_from_slice(&2u32.to_le_bytes());
    for s in [class, "", ""] {
        v.extend_from_slice(&((s.len() + 1) as u32).to_le_bytes());
        v.extend_from_slice(s.as_bytes());
        v.push(0);
    }
    v.extend_from_slice(&(native.len() as u32).to_le_bytes());
    v.extend_from_slice(native);
    v
}

/// OLE Package native data carrying `payload` as `filename`.
pub fn package_native(filename: &str, payload: &[u8]) -> Vec<u8> {
    let src = format!("C:\\Users\\user\\Desktop\\{filename}");
    let tmp = format!("C:\\Users\\user\\AppData\\Local\\Temp\\{filename}");
    // ANSI strings: CP932, as Packager writes them on Japanese Windows.
    let (name, src, tmp) = (
        super::olegen::cp932(filename),
        super::olegen::cp932(&src),
        super::olegen::cp932(&tmp),
    );
    let mut v = Vec::new();
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&name);
    v.push(0);
    v.extend_from_slice(&src);
    v.push(0);
    v.extend_from_slice(&0x0003_0000u32.to_le_bytes());
    v.extend_from_slice(&((tmp.len() + 1) as u32).to_le_bytes());
    v.extend_from_slice(&tmp);
    v.push(0);
    v.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    v.extend_from_slice(payload);
    v
}

/// An RTF document with an OLE Package object carrying `payload` as `filename`.
pub fn rtf_with_package(filename: &str, payload: &[u8]) -> Vec<u8> {
    let data = ole1("Package", &package_native(filename, payload));
    format!(
        "{{\\rtf1\\ansi\\deff0{{\\fonttbl{{\\f0 Arial;}}}}\\pard 請求書をご確認ください。\\par\r\n{{\\object\\objemb{{\\*\\objclass Package}}\\objw1440\\objh480{{\\*\\objdata \r\n{}\r\n}}}}\\par}}",
        hex_lines(&data)
    )
    .into_bytes()
}

/// An RTF document with an Equation Editor 3.0 object (the CVE-2017-11882 carrier), its object
/// data obfuscated the way exploit kits do (junk control words, a `\bin` run, stray characters,
/// an odd trailing digit) and `\objupdate`.
pub fn rtf_equation() -> Vec<u8> {
    // Native data: the start of a compound file whose root entry has the Equation CLSID.
    let mut native = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    native.extend_from_slice(&[0u8; 40]);
    native.extend_from_slice(&[
        0x02, 0xCE, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x46,
    ]);
    native.extend_from_slice(&[0x1C, 0x00, 0x00, 0x00, 0x02, 0x00, 0x9E, 0xC4, 0xA9, 0x00]);
    let data = ole1("Equation.3", &native);
    let h = hex_lines(&data);
    let (a, b) = h.split_at(h.len() / 2);
    let mut out = format!(
        "{{\\rtf1\\ansi{{\\object\\objemb\\objupdate{{\\*\\objclass Equation.3}}\\objw380\\objh260{{\\*\\objdata {a}\\rsid1234 {{\\*\\junk 4142}}zz{b}"
    )
    .into_bytes();
    out.extend_from_slice(b"\\bin1 \x90");
    out.extend_from_slice(b"7}}}");
    out
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A one-page PDF with a hyperlink, and optionally: JavaScript run on opening (in a FlateDecode
/// object stream, its name written `/J#61vaScript`), a `/L#61unch` action on the page, and an
/// embedded file (FlateDecode `/EmbeddedFile` stream with a `/Filespec` naming it).
pub fn pdf_with(js: bool, launch: bool, embedded: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut objs: Vec<Vec<u8>> = Vec::new();
    let mut catalog = String::from("<< /Type /Catalog /Pages 2 0 R");
    if js {
        catalog.push_str(" /OpenAction 4 0 R");
    }
    if embedded.is_some() {
        catalog.push_str(" /Names << /EmbeddedFiles << /Names [(file) 6 0 R] >> >>");
    }
    catalog.push_str(" >>");
    objs.push(format!("1 0 obj\n{catalog}\nendobj\n").into_bytes());
    objs.push(b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n".to_vec());
    let aa = if launch { " /AA << /O 7 0 R >>" } else { "" };
    objs.push(
        format!("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [5 0 R]{aa} >>\nendobj\n").into_bytes(),
    );
    if js {
        let inner = format!(
            "<< /S /J#61vaScript /JS (app.alert\\('hello'\\); {}this.exportDataObject\\({{cName: 'a', nLaunch: 2}}\\);) >>",
            "var pad = 0; ".repeat(40)
        );
        let inner = inner.as_bytes();
        let header = b"4 0 ";
        let mut body = header.to_vec();
        body.extend_from_slice(inner);
        let z = zlib(&body);
        let mut o = format!(
            "8 0 obj\n<< /Type /ObjStm /N 1 /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
            header.len(),
            z.len()
        )
        .into_bytes();
        o.extend_from_slice(&z);
        o.extend_from_slice(b"\nendstream\nendobj\n");
        objs.push(o);
    }
    objs.push(
        b"5 0 obj\n<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /A << /S /URI /URI (https://www.example.co.jp/news/2024.html) >> >>\nendobj\n"
            .to_vec(),
    );
    if let Some((name, data)) = embedded {
        objs.push(
            format!("6 0 obj\n<< /Type /Filespec /F ({name}) /UF ({name}) /EF << /F 9 0 R >> >>\nendobj\n").into_bytes(),
        );
        let z = zlib(data);
        let mut o = format!(
            "9 0 obj\n<< /Type /EmbeddedFile /Filter /FlateDecode /Length {} >>\nstream\n",
            z.len()
        )
        .into_bytes();
        o.extend_from_slice(&z);
        o.extend_from_slice(b"\nendstream\nendobj\n");
        objs.push(o);
    }
    if launch {
        objs.push(b"7 0 obj\n<< /S /L#61unch /Win << /F (cmd.exe) /P (/c powershell -w hidden iwr) >> >>\nendobj\n".to_vec());
    }
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    for o in objs {
        out.extend_from_slice(&o);
    }
    out.extend_from_slice(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n");
    out
}

/// An HTML page that rebuilds `payload` from base64 in the browser and saves it (HTML smuggling).
pub fn html_smuggling(payload: &[u8]) -> Vec<u8> {
    let b64 = super::mailgen::base64(payload).replace(['\r', '\n'], "");
    format!(
        r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>請求書</title></head>
<body><p>ファイルをダウンロードしています…</p>
<script>
var d = "{b64}";
function b2a(s) {{ var bin = window.atob(s); var arr = new Uint8Array(bin.length); for (var i = 0; i < bin.length; i++) {{ arr[i] = bin.charCodeAt(i); }} return arr; }}
var blob = new Blob([b2a(d)], {{type: 'application/octet-stream'}});
var a = document.createElement('a');
a.href = window.URL.createObjectURL(blob);
a.download = '請求書.zip';
document.body.appendChild(a);
a.click();
</script></body></html>"#
    )
    .into_bytes()
}

/// An ordinary HTML newsletter: images (one inline as a data: URL), links, a small script.
pub fn html_newsletter() -> Vec<u8> {
    let img = super::mailgen::base64(&vec![0x89u8; 9000]).replace(['\r', '\n'], "");
    format!(
        r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>ニュースレター 2024年6月号</title>
<script>function toggle(id) {{ var e = document.getElementById(id); e.style.display = e.style.display ? '' : 'none'; }}
document.addEventListener('DOMContentLoaded', function () {{ var btn = document.getElementById('more'); btn.onclick = function () {{ location.href = '#archive'; }}; }});</script></head>
<body><h1>今月のお知らせ</h1><img src="data:image/png;base64,{img}" alt="logo">
<p>詳しくは <a href="https://www.example.co.jp/news">こちら</a>。</p>
<form action="https://www.example.co.jp/search" method="get"><input type="text" name="q"><input type="submit" value="検索"></form>
<button id="more">過去の号</button></body></html>"#
    )
    .into_bytes()
}

/// `front` followed by `pad_len` zero bytes.
pub fn padded(front: &[u8], pad_len: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(front.len() + pad_len);
    v.extend_from_slice(front);
    v.resize(front.len() + pad_len, 0);
    v
}

/// A ZIP with one deflated entry `name` = `front` + `pad_len` zero bytes, written in 1 MiB
/// chunks so the padding is never held uncompressed.
pub fn padded_zip(name: &str, front: &[u8], pad_len: u64) -> Vec<u8> {
    padded_zip_with(name, front, pad_len, None)
}

/// [`padded_zip`], the entry encrypted with ZipCrypto when `password` is given.
pub fn padded_zip_with(name: &str, front: &[u8], pad_len: u64, password: Option<&str>) -> Vec<u8> {
    use zip::unstable::write::FileOptionsExt;
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let mut o = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(pad_len > u32::MAX as u64 / 2);
    if let Some(p) = password {
        o = o.with_deprecated_encryption(p.as_bytes()).unwrap();
    }
    w.start_file(name, o).unwrap();
    w.write_all(front).unwrap();
    let chunk = vec![0u8; 1 << 20];
    let mut left = pad_len;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        w.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    w.finish().unwrap().into_inner()
}
