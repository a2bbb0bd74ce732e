//! Problems found on YAML nodes by path, resolved to positions in one pass at the end.

use super::locate::locate;
use crate::error::{Error, Problem};
use crate::model::Source;

/// A problem found on a node, before its path is resolved to a position.
pub(crate) struct Finding {
    path: String,
    message: String,
    help: Option<String>,
    /// Another node the message refers to ("first used at line …").
    other: Option<String>,
}

#[derive(Default)]
pub(crate) struct Findings(pub(crate) Vec<Finding>);

impl Findings {
    pub(crate) fn add(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.0.push(Finding {
            path: path.into(),
            message: message.into(),
            help,
            other: None,
        });
    }

    /// Like [`Findings::add`], naming where `other` is in the message.
    pub(crate) fn add_with_other(
        &mut self,
        path: String,
        message: String,
        help: String,
        other: String,
    ) {
        self.0.push(Finding {
            path,
            message,
            help: Some(help),
            other: Some(other),
        });
    }

    /// Requires `value` to hold more than white space.
    pub(crate) fn non_empty(&mut self, path: &str, what: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(
                path,
                format!("{what} is empty"),
                Some(format!("write the {what} or remove the entry")),
            );
        }
    }

    pub(crate) fn into_error(self, source: &Source) -> Error {
        let paths: Vec<&str> = self
            .0
            .iter()
            .flat_map(|f| [Some(f.path.as_str()), f.other.as_deref()])
            .flatten()
            .collect();
        let mut locations = locate(&source.text, &paths).into_iter();
        let problems = self
            .0
            .into_iter()
            .map(|f| {
                let at = locations.next().unwrap_or_default();
                let mut message = f.message;
                if f.other.is_some() {
                    let other = locations.next().unwrap_or_default();
                    if other.is_known() {
                        message +=
                            &format!(" (first at line {}, column {})", other.line, other.column);
                    }
                }
                let p = Problem::new(at, message);
                match f.help {
                    Some(h) => p.with_help(h),
                    None => p,
                }
            })
            .collect();
        Error::invalid(&source.path, problems)
    }
}
