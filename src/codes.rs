//! The table of finding codes and their texts in Japanese and English.
//!
//! This is the one place these texts live: the CLI prints them, and the page receives them
//! through the wasm binding (`codes()`). Codes are a public contract: never rename one.

use serde::Serialize;

/// A piece of text in both languages.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Text {
    pub ja: &'static str,
    pub en: &'static str,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.ja,
            Lang::En => self.en,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "ja" | "jp" | "ja-jp" => Some(Lang::Ja),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }
}

/// One finding code: what it catches, why it matters, what to do.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CodeInfo {
    pub code: &'static str,
    /// One line, for lists.
    pub title: Text,
    /// What was seen and why it matters, in everyday language.
    pub explanation: Text,
    /// What the reader should do.
    pub action: Text,
}

const fn t(ja: &'static str, en: &'static str) -> Text {
    Text { ja, en }
}

const DONT_OPEN: Text = t(
    "添付ファイルを開かず、メールを削除し、社内の情報システム担当に連絡してください。",
    "Do not open the attachment. Delete the mail and tell your IT contact.",
);
const CHECK_SENDER: Text = t(
    "返信や添付を開く前に、送信者本人に別の手段（電話や既知の連絡先）で確認してください。",
    "Before replying or opening anything, confirm with the sender through another channel (phone, a known address).",
);
const NOT_INSPECTED: Text = t(
    "中身を確認できていません。開く前に送信者に確認するか、情報システム担当に相談してください。",
    "Its content could not be checked. Confirm with the sender or ask your IT contact before opening it.",
);
const NO_ENABLE: Text = t(
    "ファイルを開いてしまっても「コンテンツの有効化」「編集を有効にする」は絶対に押さないでください。情報システム担当に連絡してください。",
    "Even if you opened it, never press \"Enable Content\" or \"Enable Editing\". Tell your IT contact.",
);

/// Every code Tenpu can report.
pub static CODES: &[CodeInfo] = &[
    // ---- mail ----
    CodeInfo {
        code: "mail.display_name_spoof",
        title: t("表示名に別のアドレスが書かれています", "The display name shows a different address"),
        explanation: t(
            "差出人の表示名にメールアドレスやドメインが含まれていますが、実際の送信元アドレスのドメインと違います。Emotet などが実在の人物を装うときの典型的な手口です。",
            "The sender's display name contains an e-mail address or domain that differs from the real sender's domain. Emotet and similar malware impersonate real people this way.",
        ),
        action: CHECK_SENDER,
    },
    CodeInfo {
        code: "mail.org_impersonation",
        title: t("組織名を名乗っていますが、組織のドメインから送られていません", "Uses the organisation's name but was not sent from its domain"),
        explanation: t(
            "表示名か件名に組織の名前がありますが、送信元のドメインはその組織の正規のドメインではありません。",
            "The display name or subject carries the organisation's name, but the sender's domain is not one of its legitimate domains.",
        ),
        action: CHECK_SENDER,
    },
    CodeInfo {
        code: "mail.fake_reply",
        title: t("返信・転送を装っています", "Pretends to be a reply or forward"),
        explanation: t(
            "件名は「Re:」「FW:」などで始まりますが、返信であれば付くはずのヘッダ（In-Reply-To / References）がありません。盗んだ過去のメールを引用して返信を装う手口があります。",
            "The subject starts with a reply or forward prefix, but the mail has neither In-Reply-To nor References. Attackers quote stolen past mail to pose as a reply.",
        ),
        action: CHECK_SENDER,
    },
    CodeInfo {
        code: "mail.reply_to_mismatch",
        title: t("返信先が差出人と別のドメインです", "Replies go to a different domain"),
        explanation: t(
            "Reply-To（返信先）のドメインが差出人（From）のドメインと違います。返信すると第三者に届きます。",
            "The Reply-To address is on a different domain than the From address: a reply would go to someone else.",
        ),
        action: CHECK_SENDER,
    },
    CodeInfo {
        code: "mail.auth_failed",
        title: t("送信ドメイン認証に失敗しています", "Sender authentication failed"),
        explanation: t(
            "受信サーバーが記録した認証結果（SPF / DKIM / DMARC）が失敗を示しています。差出人が詐称されている可能性があります。",
            "The receiving server recorded SPF, DKIM or DMARC failure for this mail: the sender may be forged.",
        ),
        action: CHECK_SENDER,
    },
    CodeInfo {
        code: "mail.link_mismatch",
        title: t("リンクの表示と実際の行き先が違います", "A link shows one address but goes to another"),
        explanation: t(
            "本文のリンクに表示されているURLやドメインと、クリックしたときの実際の行き先が違います。",
            "A link's visible text shows a URL or domain other than where the link really goes.",
        ),
        action: t(
            "リンクをクリックしないでください。必要なら正しいサイトを自分でブックマークや検索から開いてください。",
            "Do not click the link. If needed, open the real site yourself from a bookmark or search.",
        ),
    },
    CodeInfo {
        code: "mail.password_in_body",
        title: t("本文にパスワードが書かれています", "A password is written in the mail body"),
        explanation: t(
            "添付ファイルを開くためのパスワードが本文に書かれています。パスワード付きZIPはメールサーバーのウイルス対策が中を検査できないため、Emotet が多用しました。Tenpu はこのパスワードで中身を確認しました。",
            "The body gives a password for the attachment. Password-protected ZIPs hide their content from mail-server antivirus, which is why Emotet used them. Tenpu used this password to look inside.",
        ),
        action: CHECK_SENDER,
    },
    CodeInfo {
        code: "mail.malformed",
        title: t("メールの形式が壊れています", "The mail is malformed"),
        explanation: t(
            "メールの構造の一部を読み取れませんでした。読めなかった部分は検査されていません。",
            "Part of the mail's structure could not be read; that part was not inspected.",
        ),
        action: NOT_INSPECTED,
    },
    // ---- archives ----
    CodeInfo {
        code: "archive.opened_with_body_password",
        title: t("本文のパスワードで暗号化ZIPを開きました", "Opened the encrypted archive with the password from the body"),
        explanation: t(
            "暗号化された圧縮ファイルを、メール本文に書かれていたパスワードで開いて中身を検査しました。この組み合わせは攻撃メールの典型です。",
            "The encrypted archive opened with the password written in the mail body, and its content was inspected. This combination is typical of attack mail.",
        ),
        action: CHECK_SENDER,
    },
    CodeInfo {
        code: "archive.encrypted",
        title: t("暗号化されていて中身を確認できません", "Encrypted: the content could not be checked"),
        explanation: t(
            "圧縮ファイルが暗号化されていて、見つかったどのパスワードでも開けませんでした。中身は検査されていません。",
            "The archive is encrypted and none of the passwords found opened it. Its content was not inspected.",
        ),
        action: NOT_INSPECTED,
    },
    CodeInfo {
        code: "archive.limit_exceeded",
        title: t("検査の上限を超えました", "A checking limit was reached"),
        explanation: t(
            "展開サイズ・入れ子の深さ・ファイル数などが上限を超えたため、一部を検査していません。実在のファイルにはない圧縮率や重なり合うエントリは、ZIP爆弾の特徴です。",
            "Expanded size, nesting depth or entry count went past a limit, so part of it was not inspected. Impossible compression ratios and overlapping entries are signs of a zip bomb.",
        ),
        action: NOT_INSPECTED,
    },
    CodeInfo {
        code: "archive.malformed",
        title: t("圧縮ファイルが壊れています", "The archive is malformed"),
        explanation: t(
            "圧縮ファイルの構造を正しく読み取れませんでした。読めなかった部分は検査されていません。",
            "The archive's structure could not be read correctly; what could not be read was not inspected.",
        ),
        action: NOT_INSPECTED,
    },
    // ---- office ----
    CodeInfo {
        code: "office.vba_macro",
        title: t("マクロ（VBA）が含まれています", "Contains VBA macros"),
        explanation: t(
            "Office文書にマクロ（VBAプログラム）が含まれています。業務で使うこともありますが、メールで届いたマクロ付き文書はマルウェア感染の主な入口です。",
            "The Office document contains VBA macros. Some businesses use them, but macro documents arriving by mail are the main way malware such as Emotet gets in.",
        ),
        action: NO_ENABLE,
    },
    CodeInfo {
        code: "office.vba_autoexec",
        title: t("開くと自動で動くマクロがあります", "Has macros that run automatically"),
        explanation: t(
            "文書を開いたり閉じたりしたときに自動で実行されるマクロ（AutoOpen、Document_Open、Workbook_Open など）があります。「コンテンツの有効化」を押すと実行されます。",
            "Macros run automatically when the document opens or closes (AutoOpen, Document_Open, Workbook_Open, ...). Pressing \"Enable Content\" runs them.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "office.vba_suspicious",
        title: t("マクロに危険な命令があります", "The macros use dangerous commands"),
        explanation: t(
            "マクロの中に、プログラムの実行、インターネットからのダウンロード、ファイルの書き込み、難読化に使われる命令があります。",
            "The macros use commands that run programs, download from the internet, write files, or hide what they do.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "office.xlm_macro",
        title: t("Excel 4.0（XLM）マクロがあります", "Contains Excel 4.0 (XLM) macros"),
        explanation: t(
            "Excel 4.0 マクロシートがあります。古い形式で今の業務ではまず使われませんが、ウイルス対策をすり抜けるため攻撃に多用されました。非表示のシートに隠されることもあります。",
            "The workbook has Excel 4.0 macro sheets. This old format has almost no business use today but was used heavily in attacks to get past antivirus, often on hidden sheets.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "office.encrypted",
        title: t("暗号化されたOffice文書です", "Encrypted Office document"),
        explanation: t(
            "Office文書がパスワードで暗号化されていて、中身（マクロなど）を検査できませんでした。",
            "The Office document is encrypted with a password; its content (macros and so on) could not be inspected.",
        ),
        action: NOT_INSPECTED,
    },
    CodeInfo {
        code: "office.external_relationship",
        title: t("外部から内容を読み込む設定があります", "Loads content from an outside address"),
        explanation: t(
            "文書を開くとインターネット上のテンプレートやオブジェクトを読み込む設定があります（リモートテンプレート・インジェクション）。文書自体にマクロがなくても、読み込んだ先から攻撃されます。",
            "Opening the document loads a template or object from the internet (remote template injection). Even without macros in the file itself, what it loads can attack.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "office.malformed",
        title: t("Office文書の形式が壊れています", "The Office document is malformed"),
        explanation: t(
            "Office文書の構造を正しく読み取れませんでした。読めなかった部分は検査されていません。",
            "The Office document's structure could not be read correctly; what could not be read was not inspected.",
        ),
        action: NOT_INSPECTED,
    },
    // ---- files ----
    CodeInfo {
        code: "file.executable",
        title: t("実行ファイル・スクリプトです", "An executable or script"),
        explanation: t(
            "開くとプログラムとして実行されるファイル（EXE、スクリプト、インストーラなど）です。メールで届いたものを実行してはいけません。",
            "Opening this file runs it as a program (EXE, script, installer, ...). Never run one that arrived by mail.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "file.double_extension",
        title: t("拡張子を偽装したファイル名です", "The file name disguises its type"),
        explanation: t(
            "「請求書.pdf.exe」のように二重の拡張子を使ったり、右から左への書字方向制御文字で拡張子を逆向きに見せたりして、実際の種類を隠しています。",
            "The name hides the real type with a double extension such as \"invoice.pdf.exe\" or with a right-to-left override character that reverses how the extension looks.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "file.type_mismatch",
        title: t("拡張子と中身の種類が違います", "The extension does not match the content"),
        explanation: t(
            "ファイル名の拡張子が示す種類と、中身から判定した種類が違います。検査を逃れるための偽装の可能性があります。",
            "The file's content is of a different type than its extension says, which can be a disguise to avoid checks.",
        ),
        action: NOT_INSPECTED,
    },
    CodeInfo {
        code: "file.shortcut",
        title: t("ショートカット（LNK）ファイルです", "A Windows shortcut (LNK) file"),
        explanation: t(
            "開くと別のプログラムやコマンドを実行するショートカットファイルです。メールやZIPで届くショートカットは、PowerShell などを起動してマルウェアを取り込む攻撃に使われます。",
            "Opening this shortcut runs another program or command. Shortcuts sent in mail or ZIP files are used to start PowerShell and similar tools that fetch malware.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "file.disk_image",
        title: t("ディスクイメージ（ISOなど）です", "A disk image (ISO and similar)"),
        explanation: t(
            "ISO・UDF・VHD などのディスクイメージです。開くとドライブとして表示され、中のファイルにはインターネットから来た印（Mark of the Web）が付かないため、攻撃に使われました。",
            "An ISO, UDF or VHD disk image. Opened, it appears as a drive and the files inside lose the mark that they came from the internet, which is why attackers used them.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "file.html_smuggling",
        title: t("HTMLの中でファイルを組み立てています", "The HTML builds a file inside the browser"),
        explanation: t(
            "HTMLファイルの中のスクリプトが、ブラウザの中でファイルを組み立てて保存させようとしています（HTMLスマグリング）。偽のログインフォームや外部への自動転送もここに含まれます。",
            "A script in the HTML file assembles a file in the browser and offers it for saving (HTML smuggling). Fake login forms and automatic redirects to other sites are reported here too.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "file.padded",
        title: t("ファイルが不自然に水増しされています", "The file is artificially padded"),
        explanation: t(
            "ファイルの後ろに大量のゼロなどが詰められ、数百MBに膨らませてあります。ウイルス対策の検査サイズ上限を超えさせるための、Emotet が2023年に使った手口です。",
            "The file is padded with a huge run of zeros or filler to hundreds of megabytes, so that antivirus skips it for being too large: an Emotet trick from 2023.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "onenote.embedded_file",
        title: t("OneNote ファイルにファイルが埋め込まれています", "A OneNote file carries embedded files"),
        explanation: t(
            "OneNote のノートにファイルが埋め込まれています。「ダブルクリックして表示」などの画像の下にスクリプトや実行ファイルを隠す手口が使われました。",
            "The OneNote notebook has files embedded in it. Attackers hid scripts and programs under \"double-click to view\" pictures this way.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "rtf.embedded_object",
        title: t("RTF文書にオブジェクトが埋め込まれています", "The RTF document embeds objects"),
        explanation: t(
            "RTF文書に埋め込みオブジェクト（OLEパッケージや数式エディタなど）があります。数式エディタの脆弱性（CVE-2017-11882）を突く攻撃にも使われます。",
            "The RTF document embeds objects (OLE packages, Equation Editor and others). Equation Editor objects were used to exploit CVE-2017-11882.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "pdf.active_content",
        title: t("PDFに動作する内容があります", "The PDF has active content"),
        explanation: t(
            "PDFに JavaScript、開いたときの自動動作、外部プログラムの起動、埋め込みファイル、外部リンクなどがあります。",
            "The PDF contains JavaScript, actions that run on opening, program launches, embedded files or links.",
        ),
        action: NOT_INSPECTED,
    },
    CodeInfo {
        code: "office.embedded_object",
        title: t("Office文書にファイルやオブジェクトが埋め込まれています", "The Office document embeds files or objects"),
        explanation: t(
            "Office文書の中にファイル（OLEパッケージ）や別のオブジェクトが埋め込まれています。ダブルクリックで実行ファイルやスクリプトが起動することがあります。",
            "The Office document embeds a file (OLE package) or another object. Double-clicking it can start a program or script.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "office.dde",
        title: t("DDE（外部コマンドの実行）が仕込まれています", "Contains a DDE command"),
        explanation: t(
            "文書に DDE / DDEAUTO フィールドがあり、開くとコマンドを実行しようとします。マクロを使わずにコマンドを動かす手口です。",
            "The document has a DDE / DDEAUTO field that tries to run a command when opened: a way to run commands without macros.",
        ),
        action: DONT_OPEN,
    },
    CodeInfo {
        code: "office.opened_with_body_password",
        title: t("本文のパスワードで暗号化文書を開きました", "Opened the encrypted document with the password from the body"),
        explanation: t(
            "パスワードで暗号化されたOffice文書を、メール本文に書かれていたパスワードで開いて中身を検査しました。暗号化はウイルス対策の検査を逃れるために使われます。",
            "The encrypted Office document opened with the password written in the mail body, and its content was inspected. Encryption is used to slip past antivirus.",
        ),
        action: CHECK_SENDER,
    },
    CodeInfo {
        code: "file.not_inspected",
        title: t("この形式の中身は検査していません", "The content of this format was not inspected"),
        explanation: t(
            "スクリプトやプログラムを含むことのできる形式ですが、Tenpu のこの版ではまだ中身を開いて検査できません。",
            "This format can carry scripts or programs, but this version of Tenpu cannot open it to inspect its content yet.",
        ),
        action: NOT_INSPECTED,
    },
    CodeInfo {
        code: "check.limit_exceeded",
        title: t("検査の作業量の上限に達しました", "The checking budget ran out"),
        explanation: t(
            "ファイルの検査に決められた作業量を使い切ったため、残りを検査していません。",
            "Checking this file used up its work budget, so the rest was not inspected.",
        ),
        action: NOT_INSPECTED,
    },
    CodeInfo {
        code: "check.failed",
        title: t("検査を完了できませんでした", "Could not finish checking"),
        explanation: t(
            "内部の問題で検査を最後まで行えませんでした。この結果は安全を意味しません。",
            "An internal problem stopped the check before it finished. This result does not mean the file is safe.",
        ),
        action: NOT_INSPECTED,
    },
];

/// The texts shown for each verdict: the label, and what to do now.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct VerdictText {
    pub verdict: &'static str,
    pub label: Text,
    pub action: Text,
}

pub static VERDICTS: &[VerdictText] = &[
    VerdictText {
        verdict: "dangerous",
        label: t("危険", "Dangerous"),
        action: t(
            "添付ファイルを開かないでください。「コンテンツの有効化」を押さないでください。メールを削除し、情報システム担当に連絡してください。",
            "Do not open the attachment. Do not press \"Enable Content\". Delete the mail and tell your IT contact.",
        ),
    },
    VerdictText {
        verdict: "suspicious",
        label: t("要注意", "Suspicious"),
        action: t(
            "添付やリンクを開く前に、送信者に別の手段で確認するか、情報システム担当に相談してください。",
            "Before opening attachments or links, confirm with the sender through another channel or ask your IT contact.",
        ),
    },
    VerdictText {
        verdict: "no_findings",
        label: t("問題は見つかりませんでした", "No problems found"),
        action: t(
            "Tenpu の検査では問題は見つかりませんでしたが、安全を保証するものではありません。心当たりのないメールには注意してください。",
            "Tenpu found no problems, but this is not a guarantee of safety. Stay careful with mail you did not expect.",
        ),
    },
];

/// The texts for one code, if it exists.
pub fn info(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}

pub fn verdict_text(verdict: &str) -> Option<&'static VerdictText> {
    VERDICTS.iter().find(|v| v.verdict == verdict)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_filled() {
        let mut seen = std::collections::HashSet::new();
        for c in CODES {
            assert!(seen.insert(c.code), "duplicate code {}", c.code);
            for text in [c.title, c.explanation, c.action] {
                assert!(
                    !text.ja.is_empty() && !text.en.is_empty(),
                    "{} has an empty text",
                    c.code
                );
            }
            let (domain, name) = c.code.split_once('.').expect("codes are domain.name");
            assert!(!domain.is_empty() && !name.is_empty());
        }
    }
}
