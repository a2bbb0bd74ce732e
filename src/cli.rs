//! The command line: clap definitions, and their Japanese help texts.

use std::path::PathBuf;

use clap::{Arg, ArgAction, CommandFactory, Parser, Subcommand, ValueEnum};
use shiryo::i18n::Lang;

/// Writes the 資料2 progress table as a PDF handout and an Excel workbook.
#[derive(Debug, Parser)]
#[command(name = "shiryo", version, about)]
pub struct Cli {
    /// Layout template (paper, margins, columns, fonts, sheet names): a bundled one by
    /// name (shiryo2, the default; seika, the 成果指標 table) or a file.
    #[arg(long, global = true, value_name = "NAME|FILE")]
    pub template: Option<PathBuf>,

    /// Language of messages (default: from LC_ALL, LC_MESSAGES or LANG; ja… is Japanese).
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<LangArg>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    En,
    Ja,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Writes DIR/<stem>.pdf, .xlsx, .html, .csv and DIR/towns/<town>.pdf.
    Build {
        /// The registry.
        #[arg(default_value = "data/registry.yaml")]
        registry: PathBuf,
        /// Output folder.
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// The registry of the last meeting: the handout is written in 見え消し
        /// (removed text struck through, added text underlined).
        #[arg(long, value_name = "OLD")]
        since: Option<PathBuf>,
    },
    /// Writes the handout PDF only (`-o -`: to standard output).
    Pdf {
        /// The registry.
        registry: PathBuf,
        /// The PDF file to write, or - for standard output.
        #[arg(short, long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Writes the workbook only (`-o -`: to standard output).
    Xlsx {
        /// The registry.
        registry: PathBuf,
        /// The workbook file to write, or - for standard output.
        #[arg(short, long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
    /// Validates the registry; exits 0 when it is valid.
    Check {
        /// The registry.
        registry: PathBuf,
    },
    /// Writes the 新旧対照表 of two registries: DIR/<new stem>.diff.pdf and .diff.xlsx.
    Diff {
        /// The registry as it was (旧).
        old: PathBuf,
        /// The registry as it is now (新).
        new: PathBuf,
        /// Output folder.
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
    },
    /// Writes one 照会 (survey) workbook per member town: DIR/<town>.xlsx.
    Survey {
        /// The registry.
        registry: PathBuf,
        /// Output folder.
        #[arg(short, long, value_name = "DIR", default_value = "out/survey")]
        out: PathBuf,
    },
    /// Takes the towns' answered 照会 workbooks back into the registry, in place.
    Collect {
        /// The registry (edited in place; the previous text is kept as REGISTRY.bak).
        registry: PathBuf,
        /// The answered workbooks.
        #[arg(required = true)]
        answers: Vec<PathBuf>,
        /// Print what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Makes a registry from a workbook laid out like 資料2 (shiryo's or typed by hand).
    Import {
        /// The workbook (.xlsx).
        workbook: PathBuf,
        /// The registry to write [default: the workbook's name with .yaml, never overwritten].
        #[arg(short, long, value_name = "REGISTRY.yaml")]
        out: Option<PathBuf>,
    },
}

/// The clap command with its help in `lang`. clap's own words (headings, `--help`,
/// `--version`) are replaced too, so a Japanese screen has no English left but the
/// option names.
pub fn command(lang: Lang) -> clap::Command {
    let cmd = Cli::command();
    if lang == Lang::En {
        return cmd;
    }
    let cmd = japanese(cmd, &[
        ("template", "レイアウトテンプレート（用紙、余白、列、フォント、シート名）: 同梱のものは名前で（既定は shiryo2、成果指標の表は seika）、またはファイル"),
        ("lang", "メッセージの言語 en または ja（省略時は LC_ALL、LC_MESSAGES、LANG から。ja で始まれば日本語）"),
    ])
    .about("資料2（連携事業の進捗状況等）を PDF の配布資料と Excel のワークブックに書き出します")
    .override_usage("shiryo [オプション] <コマンド>")
    .mut_arg("lang", |a| a.hide_possible_values(true))
    .disable_version_flag(true)
    .arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("バージョンを表示します")
            .help_heading("オプション"),
    );
    /// Name, usage, about, and each argument's help.
    type Japanese<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, &'static str)]);
    let subcommands: [Japanese; 8] = [
        (
            "build",
            "shiryo build [オプション] [台帳]",
            "DIR/<stem>.pdf、DIR/<stem>.xlsx、DIR/towns/<市町村>.pdf を書き出します",
            &[
                ("registry", "台帳（省略時 data/registry.yaml）"),
                ("out", "出力フォルダー（省略時 out）"),
                (
                    "since",
                    "前回の台帳。配布資料を見え消し（削除は取消線、追加は下線）で書き出します",
                ),
            ],
        ),
        (
            "pdf",
            "shiryo pdf [オプション] --out <FILE.pdf> <台帳>",
            "配布資料の PDF だけを書き出します（-o - で標準出力へ）",
            &[
                ("registry", "台帳"),
                ("out", "書き出す PDF ファイル。- なら標準出力"),
            ],
        ),
        (
            "xlsx",
            "shiryo xlsx [オプション] --out <FILE.xlsx> <台帳>",
            "ワークブックだけを書き出します（-o - で標準出力へ）",
            &[
                ("registry", "台帳"),
                ("out", "書き出すワークブック。- なら標準出力"),
            ],
        ),
        (
            "check",
            "shiryo check [オプション] <台帳>",
            "台帳を検査します。正しければ終了コード 0 で終わります",
            &[("registry", "台帳")],
        ),
        (
            "diff",
            "shiryo diff [オプション] <旧台帳> <新台帳>",
            "二つの台帳の新旧対照表 DIR/<新台帳の stem>.diff.pdf と .diff.xlsx を書き出します",
            &[
                ("old", "前回の台帳（旧）"),
                ("new", "今回の台帳（新）"),
                ("out", "出力フォルダー（省略時 out）"),
            ],
        ),
        (
            "collect",
            "shiryo collect [オプション] <台帳> <回答>...",
            "市町村の回答（照会ワークブック）を台帳に取り込みます（台帳を直接更新）",
            &[
                (
                    "registry",
                    "台帳（直接更新。元の内容は 台帳.bak に残します）",
                ),
                ("answers", "回答のワークブック"),
                ("dry_run", "変わる内容を表示するだけで、何も書き込みません"),
            ],
        ),
        (
            "survey",
            "shiryo survey [オプション] <台帳>",
            "構成市町村ごとの照会ワークブック DIR/<市町村>.xlsx を書き出します",
            &[
                ("registry", "台帳"),
                ("out", "出力フォルダー（省略時 out/survey）"),
            ],
        ),
        (
            "import",
            "shiryo import [オプション] <ワークブック>",
            "資料2 の形のワークブック（shiryo のものでも手作りでも）から台帳を作ります",
            &[
                ("workbook", "ワークブック（.xlsx）"),
                (
                    "out",
                    "書き出す台帳（省略時はワークブックと同じ名前の .yaml。上書きしません）",
                ),
            ],
        ),
    ];
    let mut cmd = subcommands
        .iter()
        .fold(cmd, |cmd, (name, usage, about, args)| {
            cmd.mut_subcommand(*name, |sub| {
                japanese(sub, args).about(*about).override_usage(*usage)
            })
        });
    // clap adds its `help` subcommand while building; only then can it be translated.
    cmd.build();
    cmd.mut_subcommand("help", |sub| {
        sub.about("このメッセージか、指定したコマンドのヘルプを表示します")
            .override_usage("shiryo help [コマンド]")
            .help_template("{about-with-newline}\n使い方: {usage}\n")
    })
}

/// Japanese help for `args` of `cmd`, Japanese headings, and a Japanese `--help`.
fn japanese(cmd: clap::Command, args: &[(&str, &'static str)]) -> clap::Command {
    let cmd = args.iter().fold(cmd, |cmd, (id, help)| {
        cmd.mut_arg(*id, |a| {
            let heading = if a.is_positional() {
                "引数"
            } else {
                "オプション"
            };
            // clap forbids hiding the default of a flag (it has no value to show).
            let takes_value = a.get_action().takes_values();
            let a = a.help(*help).help_heading(heading);
            if takes_value {
                a.hide_default_value(true)
            } else {
                a
            }
        })
    });
    cmd.help_template("{about-with-newline}\n使い方: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("コマンド")
        .subcommand_value_name("コマンド")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("ヘルプを表示します")
                .help_heading("オプション"),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_commands_are_valid() {
        command(Lang::En).debug_assert();
        command(Lang::Ja).debug_assert();
    }

    #[test]
    fn every_help_text_is_translated() {
        // A command or argument added in English only fails here.
        let (mut en, mut ja) = (command(Lang::En), command(Lang::Ja));
        en.build();
        ja.build();
        let about = |c: &clap::Command| c.get_about().map(|a| a.to_string());
        let help = |a: &clap::Arg| a.get_help().map(|h| h.to_string());
        for sub in en.get_subcommands().filter(|s| s.get_name() != "help") {
            let name = sub.get_name();
            let jsub = ja.find_subcommand(name).expect("same subcommands");
            assert_ne!(about(sub), about(jsub), "{name}: about not translated");
            for arg in sub.get_arguments() {
                let id = arg.get_id();
                let jarg = jsub.get_arguments().find(|a| a.get_id() == id).unwrap();
                assert_ne!(help(arg), help(jarg), "{name} {id}: help not translated");
            }
        }
    }

    #[test]
    fn japanese_help_has_no_english_words_of_clap() {
        let help = command(Lang::Ja).render_help().to_string();
        for english in ["Usage", "Options", "Commands", "Print help", "Writes"] {
            assert!(!help.contains(english), "{english} in:\n{help}");
        }
        assert!(help.contains("使い方"), "{help}");
        let mut cmd = command(Lang::Ja);
        let build = cmd.find_subcommand_mut("build").unwrap();
        let help = build.render_help().to_string();
        assert!(help.contains("出力フォルダー"), "{help}");
        assert!(!help.contains("Output folder"), "{help}");
    }
}
