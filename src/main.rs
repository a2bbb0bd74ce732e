//! The `shiryo` binary: choose the language, parse arguments, call the library,
//! report errors.

mod cli;
mod cli_error;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::FromArgMatches;
use cli::{Cli, Command};
use shiryo::i18n::{self, Lang};
use shiryo::{registry, tr, Job, Template};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // The language is needed before parsing: `--help` and clap's errors are in it.
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let lang = Lang::detect(&args, |name| std::env::var(name).ok());
    i18n::set_lang(lang);
    // clap's own errors in the language too (clap writes English only).
    let matches = match cli::command(lang).try_get_matches() {
        Ok(m) => m,
        Err(e) => cli_error::exit(e, lang),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => cli_error::exit(e, lang),
    };
    // The pre-scan above saw the same option; the parsed value is the authority.
    if let Some(lang) = cli.lang {
        i18n::set_lang(match lang {
            cli::LangArg::En => Lang::En,
            cli::LangArg::Ja => Lang::Ja,
        });
    }
    // SIGINT/SIGTERM: remove this run's temporary files (a commit in progress finishes
    // first) and leave every output as it was. SIGKILL cannot be caught: the next run
    // into the folder cleans up (see shiryo::output).
    let _ = ctrlc::set_handler(|| {
        let (committed, _held) = shiryo::output::abandon();
        if committed {
            eprintln!(
                "{}",
                tr!(
                    "interrupted after the outputs were written",
                    "出力を書き終えた後で中断しました"
                )
            );
        } else {
            eprintln!("{}", shiryo::Error::Interrupted);
        }
        std::process::exit(130);
    });
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let error = tr!("error", "エラー");
            // The library's errors already say their cause, in the user's language;
            // anyhow's `{:#}` would repeat it in English.
            if e.downcast_ref::<shiryo::Error>().is_some() {
                eprintln!("{error}: {e}");
            } else {
                eprintln!("{error}: {e:#}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Loads a registry, printing its warnings (unknown top-level keys) to stderr.
fn load(path: &Path) -> anyhow::Result<shiryo::Registry> {
    let r = registry::load(path)?;
    warn(&r);
    Ok(r)
}

fn warn(r: &shiryo::Registry) {
    let warnings = shiryo::error::Warnings {
        file: &r.source.path,
        problems: &r.warnings,
    };
    eprint!("{warnings}");
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let template = match &cli.template {
        Some(name_or_path) => Template::find(name_or_path)?,
        None => Template::default(),
    };
    let job = Job::new(template)?;
    let mut notice = |text: &i18n::Text| eprintln!("{text}");
    match cli.command {
        Command::Check { registry } => {
            let r = load(&registry)?;
            job.check(&r)?;
            let (file, projects, towns) = (registry.display(), r.project_count(), r.towns.len());
            println!(
                "{}",
                tr!(
                    "{file}: valid ({projects} projects, {towns} towns)",
                    "{file}: 正しい台帳です（{projects} 事業、{towns} 市町村）"
                )
            );
        }
        Command::Pdf { registry, out } => {
            let bytes = job.pdf_owned(load(&registry)?)?;
            write_one(&out, &bytes, &inputs(&registry, &cli.template))?;
        }
        Command::Xlsx { registry, out } => {
            let bytes = job.xlsx(&load(&registry)?)?;
            write_one(&out, &bytes, &inputs(&registry, &cli.template))?;
        }
        Command::Build {
            registry,
            out,
            since,
        } => {
            let mut inputs = inputs(&registry, &cli.template);
            let files = match &since {
                None => job.build(&load(&registry)?, &out)?,
                Some(old) => {
                    inputs.push(old);
                    let (old, new) = shiryo::compare::load_pair(&job, old, &registry)?;
                    warn(&old);
                    warn(&new);
                    let (files, assumptions) = job.build_since(&old, &new, &out)?;
                    for a in &assumptions {
                        println!("{a}");
                    }
                    files
                }
            };
            let report = shiryo::write_all(&out, &files, &inputs, &mut notice)?;
            for (path, bytes) in &files {
                let (path, size) = (path.display(), bytes.len());
                println!(
                    "{}",
                    tr!("{path} ({size} bytes)", "{path}（{size} バイト）")
                );
            }
            for path in &report.not_written {
                let path = path.display();
                eprintln!(
                    "{}",
                    tr!(
                        "warning: {path}: not written by this build (left by an earlier registry?); delete it if it is not current",
                        "警告: {path}: この実行で書いたファイルではありません（以前の台帳の出力？）。最新でなければ削除してください"
                    )
                );
            }
        }
        Command::Diff { old, new, out } => {
            let (old_path, new_path) = (old, new);
            let (old, new) = shiryo::compare::load_pair(&job, &old_path, &new_path)?;
            warn(&old);
            warn(&new);
            let diff = job.diff(&old, &new, &out)?;
            shiryo::write_all(&out, &diff.files, &[&old_path, &new_path], &mut notice)?;
            for a in &diff.assumptions {
                println!("{a}");
            }
            println!("{}", diff.summary);
            for (path, bytes) in &diff.files {
                let (path, size) = (path.display(), bytes.len());
                println!(
                    "{}",
                    tr!("{path} ({size} bytes)", "{path}（{size} バイト）")
                );
            }
        }
        Command::Import { workbook, out } => import(&workbook, out)?,
        Command::Collect {
            registry: path,
            answers,
            dry_run,
        } => collect(&path, &answers, dry_run)?,
        Command::Survey { registry, out } => {
            let files = shiryo::survey::surveys(&load(&registry)?, &out)?;
            shiryo::write_all(&out, &files, &[&registry], &mut notice)?;
            for (path, bytes) in &files {
                let (path, size) = (path.display(), bytes.len());
                println!(
                    "{}",
                    tr!("{path} ({size} bytes)", "{path}（{size} バイト）")
                );
            }
        }
    }
    Ok(())
}

/// The files this run reads, which no output may replace.
fn inputs<'a>(registry: &'a Path, template: &'a Option<PathBuf>) -> Vec<&'a Path> {
    std::iter::once(registry)
        .chain(template.as_deref())
        .collect()
}

/// One output file, or standard output for `-`.
fn write_one(out: &Path, bytes: &[u8], inputs: &[&Path]) -> anyhow::Result<()> {
    if out.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(bytes)?;
        stdout.flush()?;
        return Ok(());
    }
    shiryo::output::write_atomic(out, bytes, inputs)?;
    Ok(())
}

fn import(workbook: &std::path::Path, out: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    let explicit = out.is_some();
    let out = out.unwrap_or_else(|| workbook.with_extension("yaml"));
    if !explicit && out.exists() {
        let file = out.display();
        anyhow::bail!(
            "{}",
            tr!(
                "{file} exists; name the registry to write with -o (it is replaced then)",
                "{file} はすでにあります。書き出す台帳を -o で指定してください（そのファイルは置き換えられます）"
            )
        );
    }
    let imported = shiryo::import::import(workbook, &out)?;
    let book = workbook.display();
    for g in &imported.guesses {
        let message = &g.message;
        eprintln!(
            "{}",
            tr!("{book}: guessed: {message}", "{book}: 推測: {message}")
        );
    }
    shiryo::output::write_atomic(&out, imported.yaml.as_bytes(), &[workbook])?;
    let (file, projects, towns, guesses) = (
        out.display(),
        imported.registry.project_count(),
        imported.registry.towns.len(),
        imported.guesses.len(),
    );
    let noun = if guesses == 1 { "guess" } else { "guesses" };
    println!(
        "{}",
        tr!(
            "{file}: {projects} projects, {towns} towns ({guesses} {noun} to check)",
            "{file}: {projects} 事業、{towns} 市町村（確かめる推測 {guesses} 件）"
        )
    );
    Ok(())
}

fn collect(
    path: &std::path::Path,
    answers: &[std::path::PathBuf],
    dry_run: bool,
) -> anyhow::Result<()> {
    let text = registry::read_text(path, registry::MAX_REGISTRY_BYTES)?;
    let reg = registry::parse(path, &text)?;
    warn(&reg);
    let collected = shiryo::collect::collect(&reg, &text, answers)?;
    let mut last = String::new();
    for c in &collected.changes {
        if c.project != last {
            println!("{}", c.project);
            last = c.project.clone();
        }
        // A line break typed in a cell is shown as ↵: one change, one line.
        let shown = |v: &str| v.replace("\r\n", "↵").replace('\n', "↵");
        let (what, old, new, from) = (&c.what, shown(&c.old), shown(&c.new), &c.from);
        println!("  {what}: {old} → {new}   ({from})");
    }
    let n = collected.changes.len();
    let file = path.display();
    if dry_run {
        println!(
            "{}",
            tr!(
                "{n} values would change; nothing written (--dry-run)",
                "{n} 件の値が変わります。--dry-run のため何も書き込んでいません"
            )
        );
    } else if n == 0 {
        println!(
            "{}",
            tr!(
                "no value changed; {file} left as it was",
                "変わった値はありません。{file} はそのままです"
            )
        );
    } else {
        let mut bak = path.as_os_str().to_owned();
        bak.push(".bak");
        let answers: Vec<&std::path::Path> = answers.iter().map(|a| a.as_path()).collect();
        shiryo::output::write_atomic(std::path::Path::new(&bak), text.as_bytes(), &answers)?;
        // The registry is the one input this command replaces, on purpose.
        shiryo::output::write_atomic(path, collected.text.as_bytes(), &answers)?;
        let values = if n == 1 { "value" } else { "values" };
        println!(
            "{}",
            tr!(
                "{file}: {n} {values} changed (the previous text is in {file}.bak)",
                "{file}: {n} 件の値を更新しました（元の内容は {file}.bak）"
            )
        );
    }
    Ok(())
}
