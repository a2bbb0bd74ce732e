//! Stage 3d: model → CSV, one row per project, for anyone who wants the table as data.
//!
//! The seven columns of the 資料2 table ([`HEADER`]), then the fields beyond the seed
//! that some project has, as the workbook's データ sheet has them ([`Field`]: ID,
//! 主担当, 担当課, 評価, 今後の方向性, each KPI's eight values, each fiscal year's 事業費
//! total); numbers in plain digits (`1430`, `12.5`), an absent value empty.
//!
//! UTF-8 with a byte order mark (Excel in Japan otherwise reads a CSV as Shift_JIS),
//! CRLF line ends, fields quoted by the `csv` crate where needed (a summary's line
//! breaks stay inside its quoted field).
//!
//! Formula injection: a spreadsheet runs a field that starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return as a formula. Such a field is written with a `'` in
//! front, which spreadsheets show as text. So that this stays reversible, a field
//! that already starts with apostrophes followed by one of those characters gets one
//! more: a reader removes one leading `'` from any field matching `'+[=+\-@\t\r]`
//! ([`unprotect`]) and has the registry's text back exactly.

use crate::error::{Error, Result};
use crate::model::Registry;
use crate::render::fields::{Field, Value};

/// The header row's first seven columns, the 資料2 table's.
pub const HEADER: [&str; 7] = [
    "番号",
    "政策分野",
    "分類",
    "連携事業名",
    "取組状況",
    "取組内容・事業概要",
    "関係市町",
];

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Characters that make a spreadsheet read a field as a formula when they come first.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` made safe to open in a spreadsheet (see the module documentation).
pub fn protect(text: &str) -> std::borrow::Cow<'_, str> {
    let after_quotes = text.trim_start_matches('\'');
    if after_quotes.starts_with(FORMULA_START) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// The inverse of [`protect`]: what a reader applies to each field.
pub fn unprotect(field: &str) -> &str {
    match field.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_START) => rest,
        _ => field,
    }
}

/// The table of `registry` as CSV bytes.
///
/// # Errors
/// [`Error::Io`] only if writing to memory fails (it does not).
pub fn write_csv(registry: &Registry) -> Result<Vec<u8>> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    let fail = |e: csv::Error| Error::Io {
        path: "CSV".into(),
        source: std::io::Error::other(e.to_string()),
    };
    let more = Field::present(registry);
    let header = HEADER
        .iter()
        .map(|h| h.to_string())
        .chain(more.iter().map(|f| f.header(registry)));
    out.write_record(header).map_err(fail)?;
    for (area, category, project) in registry.rows() {
        let number = project.number.to_string();
        let towns = registry.town_list(project);
        let fields = [
            number.as_str(),
            &area.name,
            &category.name,
            &project.name,
            &project.status,
            &project.summary,
            &towns,
        ];
        let beyond = more.iter().map(|f| match f.value(registry, project) {
            Value::Text(t) => protect(t),
            // f64's shortest form: 1430 for 1430.0, 12.5, never an exponent below 1e16.
            // A negative number starts with `-`: protected like any text.
            Value::Number(n) => protect(&n.to_string()).into_owned().into(),
            Value::Empty => "".into(),
        });
        for field in fields.iter().map(|f| protect(f)).chain(beyond) {
            out.write_field(field.as_bytes()).map_err(fail)?;
        }
        out.write_record(None::<&[u8]>).map_err(fail)?;
    }
    out.into_inner().map_err(|e| Error::Io {
        path: "CSV".into(),
        source: std::io::Error::other(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_protected_reversibly() {
        for text in [
            "=1+2", "+81", "-", "@SUM(A1)", "\tx", "'=x", "''-", "'plain", "plain", "", "'",
            "市=町",
        ] {
            let written = protect(text);
            assert!(
                !written.starts_with(FORMULA_START),
                "{text:?} is written as {written:?}"
            );
            assert_eq!(unprotect(&written), text);
        }
        assert_eq!(protect("=1+2"), "'=1+2");
        assert_eq!(protect("plain"), "plain");
    }
}
