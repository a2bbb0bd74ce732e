//! Problems found on YAML nodes by path, resolved to positions in one pass at the end.

use std::fmt;

use super::locate::locate;
use crate::error::{Error, Problem};
use crate::i18n::Text;
use crate::model::Source;
use crate::tr;

/// The path of a node inside another, `{0}.{1}`, written only when a problem is
/// reported: a valid 10,000-project registry would otherwise format some hundred
/// thousand paths to throw away.
pub(crate) struct Dotted<'a, P: fmt::Display + ?Sized>(pub &'a P, pub &'a str);

impl<P: fmt::Display + ?Sized> fmt::Display for Dotted<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

/// A problem found on a node, before its path is resolved to a position.
pub(crate) struct Finding {
    path: String,
    message: Text,
    help: Option<Text>,
    /// Another node the message refers to ("first used at line …").
    other: Option<String>,
}

#[derive(Default)]
pub(crate) struct Findings(pub(crate) Vec<Finding>);

impl Findings {
    pub(crate) fn add(&mut self, path: impl Into<String>, message: Text, help: Option<Text>) {
        self.0.push(Finding {
            path: path.into(),
            message,
            help,
            other: None,
        });
    }

    /// Like [`Findings::add`], naming where `other` is in the message.
    pub(crate) fn add_with_other(
        &mut self,
        path: String,
        message: Text,
        help: Text,
        other: String,
    ) {
        self.0.push(Finding {
            path,
            message,
            help: Some(help),
            other: Some(other),
        });
    }

    /// Requires `value` to hold more than white space; `what` names the field.
    pub(crate) fn non_empty(&mut self, path: &str, what: &Text, value: &str) {
        self.non_empty_with(path, || what.clone(), value);
    }

    /// [`Findings::non_empty`] with the path and the field's name made only when
    /// reported.
    pub(crate) fn non_empty_with(
        &mut self,
        path: impl fmt::Display,
        what: impl FnOnce() -> Text,
        value: &str,
    ) {
        let value = value.trim();
        let null = matches!(value, "~" | "null" | "Null" | "NULL");
        if !null && !value.is_empty() {
            return;
        }
        let (what, path) = (what(), path.to_string());
        // `name: ~` (and `null`) is YAML's null, which serde_yaml hands over as "~".
        if null {
            let (en, ja) = (&what.en, &what.ja);
            self.add(
                path,
                tr!(
                    "{en} is empty (`~` and `null` mean nothing in YAML)",
                    "{ja}が空です（YAML では `~` や `null` は値なしの意味です）"
                ),
                Some(tr!(
                    "write the {en}; quote it (\"~\") if you mean the character",
                    "{ja}を書いてください。その文字そのものなら \"~\" のように囲みます"
                )),
            );
        } else {
            let (en, ja) = (&what.en, &what.ja);
            self.add(
                path,
                tr!("{en} is empty", "{ja}が空です"),
                Some(tr!(
                    "write the {en} or remove the entry",
                    "{ja}を書くか、その項目を削除してください"
                )),
            );
        }
    }

    pub(crate) fn into_error(self, source: &Source) -> Error {
        self.into_error_with(source, Vec::new())
    }

    /// The problems at their places, with `also` (problems already placed).
    pub(crate) fn into_error_with(self, source: &Source, also: Vec<Problem>) -> Error {
        let paths: Vec<&str> = self
            .0
            .iter()
            .flat_map(|f| [Some(f.path.as_str()), f.other.as_deref()])
            .flatten()
            .collect();
        let mut locations = locate(&source.text, &paths).into_iter();
        let mut problems: Vec<Problem> = self
            .0
            .into_iter()
            .map(|f| {
                let at = locations.next().unwrap_or_default();
                let mut message = f.message;
                if f.other.is_some() {
                    let other = locations.next().unwrap_or_default();
                    if other.is_known() {
                        let (line, column) = (other.line, other.column);
                        message.push(&tr!(
                            " (first at line {line}, column {column})",
                            "（最初は {line} 行 {column} 列）"
                        ));
                    }
                }
                let p = Problem::new(at, message);
                match f.help {
                    Some(h) => p.with_help(h),
                    None => p,
                }
            })
            .collect();
        problems.extend(also);
        Error::invalid(&source.path, problems)
    }
}
