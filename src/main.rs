//! `tenpu check [--json] [--lang ja|en] [--trusted-domain D]… [--org-name N]… [--password P]… FILE…`
//!
//! Exit status: 0 when every file is `no_findings`, 1 when any is suspicious or dangerous,
//! 2 on usage or read errors. One unreadable file does not stop the others.
//!
//! Files are checked on `--jobs` threads (default: the machine's cores); reports are written
//! in the order the files were named, each as soon as it and all before it are done.

use std::collections::BTreeMap;
use std::io::Write;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

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
    /// Files checked at once (default: the number of CPU cores). Each holds its file in memory.
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<NonZeroUsize>,
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
    let jobs = args
        .jobs
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get)
        .min(args.files.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<(usize, anyhow::Result<Checked>)>();
    // Each worker takes the next file, checks and renders it, and sends the result.
    let work = |tx: mpsc::Sender<(usize, anyhow::Result<Checked>)>| loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(path) = args.files.get(i) else { break };
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let done = check_file(path, &opts).and_then(|r| {
            // Rendering is library code too: a panic there is a failed check, not a lost batch.
            panic::catch_unwind(AssertUnwindSafe(|| render(&r, &args, lang)))
                .unwrap_or_else(|_| render(&failed_report(&r.file), &args, lang))
        });
        if tx.send((i, done)).is_err() {
            break;
        }
    };
    std::thread::scope(|scope| {
        let mut started = 0usize;
        for _ in 0..jobs {
            let tx = tx.clone();
            // The main thread's stack size (8 MiB on Linux), not a spawned thread's default of
            // 2 MiB: a check nests as deep as the input's containers do.
            let worker = std::thread::Builder::new().stack_size(WORKER_STACK);
            match worker.spawn_scoped(scope, || work(tx)) {
                Ok(_) => started = started.saturating_add(1),
                Err(e) => eprintln!("tenpu: cannot start a worker thread: {e}"),
            }
        }
        if started == 0 {
            // No thread could start: check the files here, one after another.
            work(tx.clone());
        }
        drop(tx);
        let status = write_in_order(&rx, &args.files);
        if status.is_none() {
            // stdout closed (e.g. piped into `head`): let the workers stop after their file.
            stop.store(true, Ordering::Relaxed);
        }
        drop(rx);
        status
    })
    .unwrap_or(ExitCode::from(2))
}

/// Stack of each worker thread.
const WORKER_STACK: usize = 8 << 20;

/// One file's report, rendered for output.
struct Checked {
    flagged: bool,
    text: String,
}

fn render(report: &tenpu::Report, args: &CheckArgs, lang: Lang) -> anyhow::Result<Checked> {
    let text = if args.json {
        serde_json::to_string(report)?
    } else {
        tenpu::render::text(report, lang, args.show_passwords)
    };
    Ok(Checked {
        flagged: report.verdict != Verdict::NoFindings,
        text,
    })
}

/// Write the results as they arrive, in the order the files were named. `None` when stdout
/// is closed; else the exit status.
fn write_in_order(
    rx: &mpsc::Receiver<(usize, anyhow::Result<Checked>)>,
    files: &[PathBuf],
) -> Option<ExitCode> {
    // Buffered, and flushed whenever the next result is not ready yet: a batch is written in
    // large blocks, yet each report shows as soon as nothing more is at hand.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut any_flagged = false;
    let mut any_error = false;
    let mut waiting = BTreeMap::new();
    let mut due = 0usize;
    loop {
        let (i, done) = match rx.try_recv() {
            Ok(m) => m,
            Err(mpsc::TryRecvError::Disconnected) => break,
            Err(mpsc::TryRecvError::Empty) => {
                out.flush().ok()?;
                match rx.recv() {
                    Ok(m) => m,
                    Err(_) => break,
                }
            }
        };
        waiting.insert(i, done);
        while let Some(done) = waiting.remove(&due) {
            match done {
                Ok(c) => {
                    any_flagged |= c.flagged;
                    writeln!(out, "{}", c.text).ok()?;
                }
                Err(e) => {
                    any_error = true;
                    // Keep stdout and stderr in the files' order.
                    out.flush().ok()?;
                    let path = files.get(due).map(|p| p.display().to_string());
                    eprintln!("tenpu: {}: {e:#}", path.unwrap_or_default());
                }
            }
            due = due.saturating_add(1);
        }
    }
    out.flush().ok()?;
    Some(if any_error {
        ExitCode::from(2)
    } else if any_flagged {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
