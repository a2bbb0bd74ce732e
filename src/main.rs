//! The `shiryo` binary: parse arguments, call the library, report errors.

mod cli;

use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command};
use shiryo::{registry, Job, Template};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let template = match &cli.template {
        Some(path) => Template::load(path)?,
        None => Template::default(),
    };
    let job = Job::new(template)?;
    match cli.command {
        Command::Check { registry } => {
            let r = registry::load(&registry)?;
            job.check(&r)?;
            println!(
                "{}: valid ({} projects, {} towns)",
                registry.display(),
                r.project_count(),
                r.towns.len()
            );
        }
        Command::Pdf { registry, out } => {
            let bytes = job.pdf(&registry::load(&registry)?)?;
            shiryo::output::write_atomic(&out, &bytes)?;
        }
        Command::Xlsx { registry, out } => {
            let bytes = job.xlsx(&registry::load(&registry)?)?;
            shiryo::output::write_atomic(&out, &bytes)?;
        }
        Command::Build { registry, out } => {
            let files = job.build(&registry::load(&registry)?, &out)?;
            shiryo::write_all(&files)?;
            for (path, bytes) in &files {
                println!("{} ({} bytes)", path.display(), bytes.len());
            }
        }
    }
    Ok(())
}
