//! Stage 3c: model → one self-contained web page of the table, for the town's website
//! (JIS X 8341-3: a screen reader must be able to read it).
//!
//! No external files: the style is inline, the fonts are the reader's. The table is
//! the printed one, built from the template's columns (documents::progress::grid, the
//! grid the handout is laid out from): 政策分野 and category are row headers spanning
//! their projects' rows, a header without text of its own joins the next (連携事業名
//! heads two columns), column widths in the printed proportions. On a narrow screen the table scrolls
//! sideways inside a focusable region rather than being re-flowed, so that its rows
//! and columns stay a table for assistive technology. Town names are never split
//! (`word-break: keep-all` breaks the list only after its `、`).

use crate::render::escape_markup as escape;
use std::fmt::Write;

use crate::documents::progress;
use crate::layout::grid::GridCell;
use crate::layout::CellKind;
use crate::model::Registry;
use crate::template::{ColumnKey, Template};

/// A cell's class: its column's key (the style sets alignment and wrapping by it).
fn class(key: ColumnKey) -> &'static str {
    match key {
        ColumnKey::Area => "area",
        ColumnKey::Category => "category",
        ColumnKey::Project => "name",
        ColumnKey::Status => "status",
        ColumnKey::Summary => "summary",
        ColumnKey::Towns => "towns",
        ColumnKey::Lead => "lead",
        ColumnKey::Department => "department",
        ColumnKey::Grade => "grade",
        ColumnKey::Direction => "direction",
        ColumnKey::Kpi => "kpi",
        ColumnKey::Budget => "budget",
    }
}

/// ` rowspan="n"` / ` colspan="n"` when the cell spans more than one.
fn spans(cell: &GridCell) -> String {
    let mut out = String::new();
    if cell.rowspan > 1 {
        let _ = write!(out, " rowspan=\"{}\"", cell.rowspan);
    }
    if cell.colspan > 1 {
        let _ = write!(out, " colspan=\"{}\"", cell.colspan);
    }
    out
}

/// Escaped text with each forced line break (`\n`) as `<br>`.
fn lines(text: &str) -> String {
    text.split('\n')
        .map(escape)
        .collect::<Vec<_>>()
        .join("<br>")
}

/// The registry's date as `<time>`, when there is one (a timestamp of 0 means the
/// registry has no date and no SOURCE_DATE_EPOCH was set).
fn date(timestamp: i64) -> Option<String> {
    if timestamp == 0 {
        return None;
    }
    let d = time::OffsetDateTime::from_unix_timestamp(timestamp)
        .ok()?
        .date();
    let (y, m, day) = (d.year(), u8::from(d.month()), d.day());
    Some(format!(
        "<time datetime=\"{y:04}-{m:02}-{day:02}\">{y}年{m}月{day}日</time>"
    ))
}

const STYLE: &str = "\
body{margin:1rem;font-family:\"BIZ UDGothic\",\"BIZ UDPGothic\",\"Hiragino Sans\",\"Yu Gothic\",sans-serif;\
line-height:1.6;color:#000;background:#fff}
header{display:flex;justify-content:space-between;gap:1rem}
header p{margin:0}
.label{margin-left:auto}
h1{font-size:1.3rem;margin:.5rem 0 1rem}
.table{overflow-x:auto}
.table:focus{outline:2px solid #1a5fb4}
table{border-collapse:collapse;min-width:60rem}
caption{text-align:left;font-weight:bold;padding:.25rem 0}
th,td{border:1px solid #000;padding:.3rem .5rem;vertical-align:top;text-align:left}
thead th{background:#e8e8e8;text-align:center;vertical-align:middle}
tbody th{font-weight:normal;background:#f4f4f4}
td.status,td.grade{text-align:center;white-space:nowrap}
td.towns,td.lead{word-break:keep-all}
td.budget{text-align:right;white-space:nowrap}
@media (max-width:40rem){body{margin:.5rem;font-size:.9rem}h1{font-size:1.1rem}}
";

/// The page for `registry` with the table of `tpl`, as UTF-8 bytes.
pub fn write_html(registry: &Registry, tpl: &Template) -> Vec<u8> {
    let mut h = String::new();
    let title = escape(&registry.title);
    // `write!` into a String cannot fail.
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n<header>\n"
    );
    if let Some(date) = date(registry.timestamp) {
        let _ = writeln!(h, "<p>{date}</p>");
    }
    let _ = writeln!(h, "<p class=\"label\">{}</p>", escape(&registry.label));
    let _ = writeln!(h, "</header>\n<h1>{title}</h1>");
    let _ = writeln!(
        h,
        "<div class=\"table\" role=\"region\" aria-labelledby=\"caption\" tabindex=\"0\">\n\
         <table>\n<caption id=\"caption\">連携事業の一覧（{}事業）</caption>",
        registry.project_count()
    );
    let grid = progress::grid(registry, tpl);
    let keys: Vec<ColumnKey> = tpl.columns.0.iter().map(|c| c.key).collect();
    // Column widths in the printed proportions.
    let total: f32 = grid.widths.iter().sum();
    h.push_str("<colgroup>");
    for w in &grid.widths {
        let _ = write!(h, "<col style=\"width:{:.1}%\">", w / total * 100.0);
    }
    h.push_str("</colgroup>\n<thead>\n");
    let rows = grid.header_rows + grid.body_rows;
    let mut cells = grid.cells.iter().peekable();
    for row in 0..rows {
        if row == grid.header_rows {
            h.push_str("</thead>\n<tbody>\n");
        }
        h.push_str("<tr>");
        while let Some(cell) = cells.next_if(|c| c.row == row) {
            let (spans, text) = (spans(cell), lines(&cell.text));
            let _ = match cell.kind {
                CellKind::ColumnHeader => write!(h, "<th scope=\"col\"{spans}>{text}</th>"),
                CellKind::RowHeader => write!(h, "<th scope=\"row\"{spans}>{text}</th>"),
                CellKind::Data => write!(
                    h,
                    "<td class=\"{}\"{spans}>{text}</td>",
                    class(keys[cell.column])
                ),
            };
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</div>\n</main>\n</body>\n</html>\n");
    h.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_keeps_forced_breaks() {
        assert_eq!(lines("a<b>&\"'\nc"), "a&lt;b&gt;&amp;&quot;&#39;<br>c");
    }

    #[test]
    fn dates_are_japanese_and_machine_readable() {
        assert_eq!(
            date(1_320_105_600).unwrap(),
            "<time datetime=\"2011-11-01\">2011年11月1日</time>"
        );
        assert_eq!(date(0), None);
    }
}
