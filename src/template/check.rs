//! The checks of a template's values (sizes, widths, repeated columns), each finding
//! naming the template paths it is about so that it can be located in the file.

use super::*;
use crate::i18n::Text;

impl Template {
    /// What is wrong with the values, each with the template paths it is about.
    pub(super) fn problems(&self) -> Vec<Finding> {
        let mut found = Vec::new();
        let p = &self.pdf;
        let positive = [
            ("pdf.font_size.label", p.font_size.label),
            ("pdf.font_size.title", p.font_size.title),
            ("pdf.font_size.header", p.font_size.header),
            ("pdf.font_size.body", p.font_size.body),
            ("pdf.font_size.footer", p.font_size.footer),
            ("pdf.line_height", p.line_height),
            ("pdf.rule_width", p.rule_width),
            ("xlsx.font_size", self.xlsx.font_size as f32),
            ("xlsx.title_font_size", self.xlsx.title_font_size as f32),
        ]
        .into_iter()
        .map(|(what, v)| (what.to_string(), v))
        .chain(
            self.columns
                .0
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("columns[{i}].width"), c.width.0)),
        );
        for (what, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                let message = tr!(
                    "{what} must be a positive number",
                    "{what} は正の数にしてください"
                );
                found.push(Finding::new(vec![what], message));
            }
        }
        if !(p.cell_padding.0 >= 0.0 && p.cell_padding.0 < 20.0) {
            found.push(Finding::new(
                vec!["pdf.cell_padding".into()],
                tr!(
                    "pdf.cell_padding must be a number from 0 to under 20 (mm)",
                    "pdf.cell_padding は 0 以上 20 未満（mm）にしてください"
                ),
            ));
        }
        if self.columns.0.is_empty() {
            found.push(Finding::new(
                vec!["columns@".into()],
                tr!(
                    "the template has no columns",
                    "テンプレートに列がありません"
                ),
            ));
        }
        for (i, c) in self.columns.0.iter().enumerate() {
            if self.columns.0[..i].iter().any(|o| o.key == c.key) {
                let key = format!("{:?}", c.key).to_lowercase();
                found.push(Finding::new(
                    vec![format!("columns[{i}].key")],
                    tr!(
                        "the column {key} is listed twice",
                        "列 {key} が二度指定されています"
                    ),
                ));
            }
        }
        let table: f32 = self.columns.widths().iter().map(|w| w.0).sum();
        let room = p.paper.width.0 - p.margins.left.0 - p.margins.right.0;
        if table > room + 0.01 {
            let mut finding = Finding::new(
                vec![
                    "columns@".into(),
                    "pdf.paper.width".into(),
                    "pdf.margins@".into(),
                ],
                tr!(
                    "the columns are {table} mm wide but the page has {room} mm between the margins",
                    "列幅の合計が {table} mm ですが、ページの左右の余白の間は {room} mm です"
                ),
            );
            finding.help = Some(tr!(
                "narrow the columns or the margins",
                "列か余白を狭くしてください"
            ));
            found.push(finding);
        }
        if p.paper.height.0 - p.margins.top.0 - p.margins.bottom.0 < 50.0 {
            found.push(Finding::new(
                vec!["pdf.paper.height".into(), "pdf.margins@".into()],
                tr!(
                    "the page leaves less than 50 mm between the top and bottom margins",
                    "ページの上下の余白の間が 50 mm 未満です"
                ),
            ));
        }
        found
    }
}

/// A problem with a template's values: the paths it is about, most telling first.
pub(super) struct Finding {
    pub(super) at: Vec<String>,
    pub(super) message: Text,
    pub(super) help: Option<Text>,
}

impl Finding {
    pub(super) fn new(at: Vec<String>, message: Text) -> Self {
        Finding {
            at,
            message,
            help: None,
        }
    }
}
