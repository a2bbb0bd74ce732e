//! The command line (clap definitions only).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Writes the 資料2 progress table as a PDF handout and an Excel workbook.
#[derive(Debug, Parser)]
#[command(name = "shiryo", version, about)]
pub struct Cli {
    /// Layout template (paper, margins, columns, fonts, sheet names) instead of the bundled one.
    #[arg(long, global = true, value_name = "FILE")]
    pub template: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Writes DIR/<stem>.pdf, DIR/<stem>.xlsx and DIR/towns/<town>.pdf.
    Build {
        /// The registry.
        #[arg(default_value = "data/registry.yaml")]
        registry: PathBuf,
        /// Output folder.
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
    },
    /// Writes the handout PDF only.
    Pdf {
        registry: PathBuf,
        #[arg(short, long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Writes the workbook only.
    Xlsx {
        registry: PathBuf,
        #[arg(short, long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
    /// Validates the registry; exits 0 when it is valid.
    Check { registry: PathBuf },
}
