//! The cell formats every sheet shares: BIZ UDゴシック at the template's size, thin
//! borders, wrapped text aligned to the top.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

use super::FONT_NAME;
use crate::model::Registry;
use crate::template::Template;

/// The Normal style's size. Column widths are stored in units of the Normal font's
/// digit width: BIZ UDゴシック's digits are half an em, 7 pixels at 10.5 pt (14 pixels
/// per em at 96 dpi), a whole number that Excel and LibreOffice both take as it is,
/// so a column is as wide in both (at 10 or 11 pt, each rounds 6.7 or 7.3 its own way).
pub(super) const NORMAL_SIZE: f64 = 10.5;
/// Excel's default column width for a 7-pixel digit (8.43 characters), and the
/// default row height for 10.5 pt BIZ UDゴシック (14 pixels of text, 4 of padding).
pub(super) const NORMAL_COLUMN_PIXELS: u32 = 64;
pub(super) const NORMAL_ROW_PIXELS: u32 = 18;

/// The Normal style: every cell without a format of its own, and the unit of widths.
pub(super) fn normal() -> Format {
    Format::new()
        .set_font_name(FONT_NAME)
        .set_font_size(NORMAL_SIZE)
}

/// The cell styles of every sheet. Sheets take their formats from here only: the
/// workbook registers each of them, in this order, before its sheets are filled on
/// several threads, so that every format's index (and so the file) is the same in
/// every run, whichever thread first writes a cell with it.
pub(super) struct Styles {
    pub title: Format,
    pub header: Format,
    pub text: Format,
    pub centered: Format,
    pub merged: Format,
    pub number: Format,
    pub label: Format,
    /// The data sheet's header (its values are in the Normal style) and captions.
    pub data_header: Format,
    /// Text kept on one line (names in the 成果指標 and 事業費 sheets).
    pub one_line: Format,
    /// A KPI's value and its 達成率.
    pub value: Format,
    pub rate: Format,
    /// Budget amounts ([`amount_format`]) and their totals.
    pub amount: Format,
    pub amount_total: Format,
}

impl Styles {
    pub fn new(tpl: &Template, registry: &Registry) -> Styles {
        let base = Format::new()
            .set_font_name(FONT_NAME)
            .set_font_size(tpl.xlsx.font_size);
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        let number = cell.clone().set_align(FormatAlign::Center);
        let amount = amount_format(registry, &number);
        Styles {
            title: base
                .clone()
                .set_bold()
                .set_font_size(tpl.xlsx.title_font_size)
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            label: base
                .clone()
                .set_align(FormatAlign::Right)
                .set_align(FormatAlign::Top),
            header: cell
                .clone()
                .set_bold()
                .set_background_color(0xD9D9D9)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            centered: cell
                .clone()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            merged: cell.clone().set_align(FormatAlign::VerticalCenter),
            one_line: cell.clone().unset_text_wrap(),
            value: number.clone().set_num_format("#,##0.###"),
            rate: number.clone().set_num_format("0.0%"),
            amount_total: amount.clone().set_bold(),
            amount,
            number,
            text: cell,
            data_header: base.set_bold(),
        }
    }

    /// Gives every format the sheets of `registry` use its index in the workbook, in a
    /// fixed order (see [`Styles`]); the KPI and budget formats only when those sheets
    /// are written, so that a workbook declares no style it does not use.
    pub fn register(&self, workbook: &mut Workbook, registry: &Registry) {
        let mut formats = vec![
            &self.title,
            &self.header,
            &self.text,
            &self.centered,
            &self.merged,
            &self.number,
            &self.label,
            &self.data_header,
        ];
        let (kpis, budgets) = (registry.has_kpis(), !registry.budget_years().is_empty());
        if kpis || budgets {
            formats.push(&self.one_line);
        }
        if kpis {
            formats.extend([&self.value, &self.rate]);
        }
        if budgets {
            formats.extend([&self.amount, &self.amount_total]);
        }
        for format in formats {
            workbook.register_format(format);
        }
    }
}

/// Whole amounts print as `12,300`; a registry with decimals keeps three places.
fn amount_format(registry: &Registry, base: &Format) -> Format {
    let fractional = registry
        .projects()
        .flat_map(|p| &p.budget.years)
        .flat_map(|y| &y.amounts)
        .any(|(_, a)| a.thousandths() % 1000 != 0);
    base.clone()
        .set_num_format(if fractional { "#,##0.000" } else { "#,##0" })
}
