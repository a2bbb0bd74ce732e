//! The library's one error type.
//!
//! Every problem a user can fix in their own files (the registry, a template) is a
//! [`Problem`] with the file, line and column of the YAML node and, where we can guess
//! it, a hint on how to fix it. All problems of one file are reported together, so a
//! registry edited in a hurry is fixed in one pass rather than one error per run.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::i18n::{Lang, Text};
use crate::tr;

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A place in a YAML file, one-based as editors show it. `line == 0` means unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(line: usize, column: usize) -> Self {
        Location { line, column }
    }

    pub fn is_known(&self) -> bool {
        self.line > 0
    }
}

/// One thing wrong with an input file, where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub location: Location,
    pub message: Text,
    pub help: Option<Text>,
}

impl Problem {
    pub fn new(location: Location, message: Text) -> Self {
        Problem {
            location,
            message,
            help: None,
        }
    }

    pub fn with_help(mut self, help: Text) -> Self {
        self.help = Some(help);
        self
    }
}

/// Everything that can go wrong in shiryo. `Display` prints in the process's language
/// ([`crate::i18n::lang`]); [`Error::in_lang`] in a given one.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An input file (registry or template) is malformed or inconsistent.
    /// Holds every problem found, sorted by position.
    Invalid {
        file: PathBuf,
        problems: Vec<Problem>,
    },

    /// A file shiryo will not read or write as asked: an output that is the registry or
    /// not a regular file, a folder another build holds, a link out of the output folder.
    Refused {
        path: PathBuf,
        reason: Text,
        help: Option<Text>,
    },

    /// The run was interrupted (SIGINT, SIGTERM) and cleaned up after itself.
    Interrupted,

    /// The bundled font could not be read or subset (a build problem, not a user one).
    Font { name: String, message: String },

    /// rust_xlsxwriter refused the workbook.
    Xlsx(#[from] rust_xlsxwriter::XlsxError),

    /// One or both registries of a comparison (`shiryo diff`, `build --since`) were
    /// refused: each error with the side it belongs to.
    Sides(Vec<(Side, Error)>),
}

/// Which registry of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Old,
    New,
}

impl Side {
    /// `old registry (旧)` / `旧台帳`.
    pub fn name(self) -> Text {
        match self {
            Side::Old => tr!("old registry (旧)", "旧台帳"),
            Side::New => tr!("new registry (新)", "新台帳"),
        }
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn invalid(file: impl Into<PathBuf>, mut problems: Vec<Problem>) -> Self {
        problems.sort_by_key(|p| p.location);
        problems.dedup();
        Error::Invalid {
            file: file.into(),
            problems,
        }
    }

    pub fn refused(path: impl Into<PathBuf>, reason: Text, help: Option<Text>) -> Self {
        Error::Refused {
            path: path.into(),
            reason,
            help,
        }
    }

    /// The problems of an [`Error::Invalid`], empty for other errors.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }

    /// The message in `lang`, whatever the process's language.
    pub fn in_lang(&self, lang: Lang) -> impl fmt::Display + '_ {
        InLang(self, lang)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        InLang(self, crate::i18n::lang()).fmt(f)
    }
}

struct InLang<'a>(&'a Error, Lang);

impl fmt::Display for InLang<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lang = self.1;
        match self.0 {
            Error::Io { path, source } => {
                write!(f, "{}: {}", path.display(), io_message(source).get(lang))
            }
            Error::Invalid { file, problems } => write_problems(f, file, problems, lang),
            Error::Refused { path, reason, help } => {
                write!(f, "{}: {}", path.display(), reason.get(lang))?;
                if let Some(help) = help {
                    write!(f, "\n  {}: {}", help_word(lang), help.get(lang))?;
                }
                Ok(())
            }
            Error::Interrupted => f.write_str(
                tr!(
                    "interrupted: no output was changed and temporary files were removed",
                    "中断しました。出力は変更せず、一時ファイルは削除しました"
                )
                .get(lang),
            ),
            Error::Font { name, message } => {
                f.write_str(tr!("font {name}: {message}", "フォント {name}: {message}").get(lang))
            }
            Error::Xlsx(e) => f.write_str(
                tr!(
                    "could not write the workbook: {e}",
                    "ワークブックを作成できませんでした: {e}"
                )
                .get(lang),
            ),
            Error::Sides(errors) => {
                for (i, (side, e)) in errors.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{}: {}", side.name().get(lang), InLang(e, lang))?;
                }
                Ok(())
            }
        }
    }
}

/// Problems that do not stop the run, one per line as compilers print them:
/// `warning: file:line:column: message`, then the hint.
pub struct Warnings<'a> {
    pub file: &'a Path,
    pub problems: &'a [Problem],
}

impl Warnings<'_> {
    /// The warnings in `lang`, whatever the process's language.
    pub fn in_lang(&self, lang: Lang) -> String {
        let word = tr!("warning", "警告");
        let file = self.file.display();
        let mut out = String::new();
        for p in self.problems {
            let message = p.message.get(lang);
            let (line, column) = (p.location.line, p.location.column);
            out += &if p.location.is_known() {
                format!("{}: {file}:{line}:{column}: {message}\n", word.get(lang))
            } else {
                format!("{}: {file}: {message}\n", word.get(lang))
            };
            if let Some(help) = &p.help {
                out += &format!("  {}: {}\n", help_word(lang), help.get(lang));
            }
        }
        out
    }
}

/// In the process's language; nothing when there are no warnings.
impl fmt::Display for Warnings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.in_lang(crate::i18n::lang()))
    }
}

/// The word before a hint, as compilers print it.
pub fn help_word(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "help",
        Lang::Ja => "ヒント",
    }
}

/// What went wrong reading or writing, in words a user knows; the system's own
/// (English) text stays for anything unusual.
fn io_message(e: &std::io::Error) -> Text {
    use std::io::ErrorKind as K;
    let ja = match e.kind() {
        K::NotFound => "ファイルまたはフォルダーが見つかりません",
        K::PermissionDenied => "アクセスが許可されていません",
        K::AlreadyExists => "同じ名前のものが既にあります",
        K::IsADirectory => "フォルダーです（ファイルではありません）",
        K::NotADirectory => "途中にフォルダーではなくファイルがあります",
        K::StorageFull => "ディスクの空きがありません",
        K::ReadOnlyFilesystem => "読み取り専用の場所です",
        K::DirectoryNotEmpty => "フォルダーが空ではありません",
        _ => "読み書きに失敗しました",
    };
    Text::new(e.to_string(), format!("{ja}（{e}）"))
}

/// Formats like compilers do: `file:line:column: message`, then an indented hint.
fn write_problems(
    f: &mut fmt::Formatter<'_>,
    file: &Path,
    problems: &[Problem],
    lang: Lang,
) -> fmt::Result {
    let file = file.display();
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            writeln!(f)?;
        }
        let message = p.message.get(lang);
        if p.location.is_known() {
            write!(
                f,
                "{file}:{}:{}: {message}",
                p.location.line, p.location.column
            )?;
        } else {
            write!(f, "{file}: {message}")?;
        }
        if let Some(help) = &p.help {
            write!(f, "\n  {}: {}", help_word(lang), help.get(lang))?;
        }
    }
    if problems.len() > 1 {
        let n = problems.len();
        let total = tr!("{n} problems in {file}", "{file} に {n} 件の問題があります");
        write!(f, "\n{}", total.get(lang))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_lists_every_problem_with_its_position() {
        let err = Error::invalid(
            "r.yaml",
            vec![
                Problem::new(Location::new(9, 3), Text::same("second"))
                    .with_help(Text::new("fix it", "直す")),
                Problem::new(Location::new(2, 5), Text::same("first")),
            ],
        );
        assert_eq!(
            err.to_string(),
            "r.yaml:2:5: first\nr.yaml:9:3: second\n  help: fix it\n2 problems in r.yaml"
        );
        assert_eq!(
            err.in_lang(Lang::Ja).to_string(),
            "r.yaml:2:5: first\nr.yaml:9:3: second\n  ヒント: 直す\nr.yaml に 2 件の問題があります"
        );
    }

    #[test]
    fn warnings_are_located_and_in_both_languages() {
        let problems = [Problem::new(Location::new(3, 1), Text::new("odd", "変"))
            .with_help(Text::new("fix it", "直す"))];
        let w = Warnings {
            file: Path::new("r.yaml"),
            problems: &problems,
        };
        assert_eq!(
            w.in_lang(Lang::En),
            "warning: r.yaml:3:1: odd\n  help: fix it\n"
        );
        assert_eq!(
            w.in_lang(Lang::Ja),
            "警告: r.yaml:3:1: 変\n  ヒント: 直す\n"
        );
    }

    #[test]
    fn unknown_position_prints_the_file_only() {
        let err = Error::invalid(
            "r.yaml",
            vec![Problem::new(Location::default(), Text::same("empty"))],
        );
        assert_eq!(err.to_string(), "r.yaml: empty");
    }
}
