//! The library's one error type.
//!
//! Every problem a user can fix in their own files (the registry, a template) is a
//! [`Problem`] with the file, line and column of the YAML node and, where we can guess
//! it, a hint on how to fix it. All problems of one file are reported together, so a
//! registry edited in a hurry is fixed in one pass rather than one error per run.

use std::fmt;
use std::path::PathBuf;

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
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Problem {
            location,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Everything that can go wrong in shiryo.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An input file (registry or template) is malformed or inconsistent.
    /// Holds every problem found, sorted by position.
    #[error("{}", Invalid { file, problems })]
    Invalid {
        file: PathBuf,
        problems: Vec<Problem>,
    },

    /// The bundled font could not be read or subset (a build problem, not a user one).
    #[error("font {name}: {message}")]
    Font { name: String, message: String },

    /// rust_xlsxwriter refused the workbook.
    #[error("could not write the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
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

    /// The problems of an [`Error::Invalid`], empty for other errors.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

/// Formats like compilers do: `file:line:column: message`, then an indented hint.
struct Invalid<'a> {
    file: &'a PathBuf,
    problems: &'a [Problem],
}

impl fmt::Display for Invalid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            if p.location.is_known() {
                write!(
                    f,
                    "{file}:{}:{}: {}",
                    p.location.line, p.location.column, p.message
                )?;
            } else {
                write!(f, "{file}: {}", p.message)?;
            }
            if let Some(help) = &p.help {
                write!(f, "\n  help: {help}")?;
            }
        }
        if self.problems.len() > 1 {
            write!(f, "\n{} problems in {file}", self.problems.len())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_lists_every_problem_with_its_position() {
        let err = Error::invalid(
            "r.yaml",
            vec![
                Problem::new(Location::new(9, 3), "second").with_help("fix it"),
                Problem::new(Location::new(2, 5), "first"),
            ],
        );
        assert_eq!(
            err.to_string(),
            "r.yaml:2:5: first\nr.yaml:9:3: second\n  help: fix it\n2 problems in r.yaml"
        );
    }

    #[test]
    fn unknown_position_prints_the_file_only() {
        let err = Error::invalid("r.yaml", vec![Problem::new(Location::default(), "empty")]);
        assert_eq!(err.to_string(), "r.yaml: empty");
    }
}
