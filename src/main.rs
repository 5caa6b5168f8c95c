//! `tenpu check [--json] [--lang ja|en] [--trusted-domain D]… [--org-name N]… [--password P]… FILE…`
//!
//! Exit status: 0 when every file is `no_findings`, 1 when any is suspicious or dangerous,
//! 2 on usage or read errors. One unreadable file does not stop the others.

use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use tenpu::{codes::Lang, Options, Verdict};

#[derive(Parser)]
#[command(
    name = "tenpu",
    version,
    about = "Check mails and attachments for Emotet-style attacks, locally."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Check mails (.eml) and attachments; one report per file.
    Check(CheckArgs),
    /// List every finding code with its title.
    Codes {
        #[arg(long, default_value = "en")]
        lang: String,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// One JSON object per file, one per line.
    #[arg(long)]
    json: bool,
    /// Language of the readable report: ja or en.
    #[arg(long, default_value = "ja")]
    lang: String,
    /// A legitimate sender domain of your organisation (subdomains count too). Repeatable.
    #[arg(long = "trusted-domain", value_name = "D")]
    trusted_domains: Vec<String>,
    /// A name your organisation is known by. Repeatable.
    #[arg(long = "org-name", value_name = "N")]
    org_names: Vec<String>,
    /// A password to try on encrypted archives, besides those found in the mail. Repeatable.
    #[arg(long = "password", value_name = "P")]
    passwords: Vec<String>,
    /// Print passwords that opened archives in full in the readable report.
    #[arg(long)]
    show_passwords: bool,
    /// Files to check.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.cmd {
        Cmd::Check(args) => run_check(args),
        Cmd::Codes { lang } => {
            let lang = Lang::parse(&lang).unwrap_or(Lang::En);
            for c in tenpu::codes::CODES {
                println!("{:<36} {}", c.code, c.title.get(lang));
            }
            ExitCode::SUCCESS
        }
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let Some(lang) = Lang::parse(&args.lang) else {
        eprintln!("tenpu: --lang must be ja or en, not {:?}", args.lang);
        return ExitCode::from(2);
    };
    let opts = Options {
        trusted_domains: args.trusted_domains.clone(),
        org_names: args.org_names.clone(),
        passwords: args.passwords.clone(),
        ..Options::default()
    };
    // A panic in one file's check must not end the batch; report it and go on.
    panic::set_hook(Box::new(|_| {}));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut any_flagged = false;
    let mut any_error = false;
    for path in &args.files {
        match check_file(path, &opts) {
            Ok(report) => {
                if report.verdict != Verdict::NoFindings {
                    any_flagged = true;
                }
                let written = if args.json {
                    serde_json::to_string(&report)
                        .map_err(anyhow::Error::from)
                        .and_then(|s| writeln!(out, "{s}").map_err(anyhow::Error::from))
                } else {
                    writeln!(
                        out,
                        "{}",
                        tenpu::render::text(&report, lang, args.show_passwords)
                    )
                    .map_err(anyhow::Error::from)
                };
                if written.is_err() {
                    // stdout closed (e.g. piped into `head`): nothing more to say.
                    return ExitCode::from(2);
                }
            }
            Err(e) => {
                any_error = true;
                eprintln!("tenpu: {}: {e:#}", path.display());
            }
        }
    }
    if any_error {
        ExitCode::from(2)
    } else if any_flagged {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check_file(path: &PathBuf, opts: &Options) -> anyhow::Result<tenpu::Report> {
    let bytes = std::fs::read(path).with_context(|| "cannot read file".to_string())?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match panic::catch_unwind(AssertUnwindSafe(|| tenpu::check(&bytes, &name, opts))) {
        Ok(r) => Ok(r),
        Err(_) => Ok(failed_report(&name)),
    }
}

/// The report for a check that crashed: never a clean verdict.
fn failed_report(name: &str) -> tenpu::Report {
    let opts = Options::default();
    let mut ctx = tenpu::engine::Ctx::new(&opts);
    let loc = tenpu::Location::root(name);
    ctx.finding(
        "check.failed",
        &loc,
        "internal error while checking this file",
    );
    ctx.incomplete();
    ctx.finish(name)
}
