//! Stage 3c: model → one self-contained web page of the table, for the town's website
//! (JIS X 8341-3: a screen reader must be able to read it).
//!
//! No external files: the style is inline, the fonts are the reader's. The table's
//! structure is the printed one: 政策分野 and category are row headers spanning their
//! projects' rows, 連携事業名 heads two columns. On a narrow screen the table scrolls
//! sideways inside a focusable region rather than being re-flowed, so that its rows
//! and columns stay a table for assistive technology. Town names are never split
//! (`word-break: keep-all` breaks the list only after its `、`).

use crate::render::escape_markup as escape;
use std::fmt::Write;

use crate::model::Registry;

/// The column headers as printed, with the number of columns each spans.
fn header(registry: &Registry) -> [(String, usize); 5] {
    [
        ("政策分野".into(), 1),
        (format!("連携事業名（{}事業）", registry.project_count()), 2),
        ("取組状況".into(), 1),
        ("取組内容・事業概要".into(), 1),
        ("関係市町".into(), 1),
    ]
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
.area,.category{width:6.5em}.name{width:11em}.status{width:5.5em}.towns{width:12em}
caption{text-align:left;font-weight:bold;padding:.25rem 0}
th,td{border:1px solid #000;padding:.3rem .5rem;vertical-align:top;text-align:left}
thead th{background:#e8e8e8;text-align:center;vertical-align:middle}
tbody th{font-weight:normal;background:#f4f4f4}
td:nth-of-type(2){text-align:center;white-space:nowrap}
td:last-child{word-break:keep-all}
@media (max-width:40rem){body{margin:.5rem;font-size:.9rem}h1{font-size:1.1rem}}
";

/// The page for `registry`, as UTF-8 bytes.
pub fn write_html(registry: &Registry) -> Vec<u8> {
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
    // Column widths in proportion to the printed ones (the summary takes the rest).
    h.push_str(
        "<colgroup><col class=\"area\"><col class=\"category\"><col class=\"name\">\
         <col class=\"status\"><col><col class=\"towns\"></colgroup>\n<thead>\n<tr>",
    );
    for (text, span) in header(registry) {
        let colspan = if span > 1 {
            format!(" colspan=\"{span}\"")
        } else {
            String::new()
        };
        let _ = write!(h, "<th scope=\"col\"{colspan}>{}</th>", escape(&text));
    }
    h.push_str("</tr>\n</thead>\n<tbody>\n");
    for area in &registry.areas {
        let mut first_in_area = true;
        for category in &area.categories {
            let mut first_in_category = true;
            for project in &category.projects {
                h.push_str("<tr>");
                let rowspan = |n: usize| {
                    if n > 1 {
                        format!(" rowspan=\"{n}\"")
                    } else {
                        String::new()
                    }
                };
                if first_in_area {
                    let _ = write!(
                        h,
                        "<th scope=\"row\"{}>{}</th>",
                        rowspan(area.project_count()),
                        lines(&area.name)
                    );
                }
                if first_in_category {
                    let _ = write!(
                        h,
                        "<th scope=\"row\"{}>{}</th>",
                        rowspan(category.projects.len()),
                        lines(&category.name)
                    );
                }
                first_in_area = false;
                first_in_category = false;
                let _ = writeln!(
                    h,
                    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    lines(&project.label()),
                    escape(&project.status),
                    lines(&project.summary),
                    escape(&registry.town_list(project))
                );
            }
        }
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
