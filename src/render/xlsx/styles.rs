//! The cell formats every sheet shares: BIZ UDゴシック at the template's size, thin
//! borders, wrapped text aligned to the top.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};

use super::FONT_NAME;
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

/// The cell styles of every sheet.
pub(super) struct Styles {
    pub title: Format,
    pub header: Format,
    pub text: Format,
    pub centered: Format,
    pub merged: Format,
    pub number: Format,
    pub label: Format,
    /// The data sheet: one value per cell, no wrapping, no borders drawn for layout.
    pub data_header: Format,
    pub data: Format,
}

impl Styles {
    pub fn new(tpl: &Template) -> Styles {
        let base = Format::new()
            .set_font_name(FONT_NAME)
            .set_font_size(tpl.xlsx.font_size);
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
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
            number: cell.clone().set_align(FormatAlign::Center),
            text: cell,
            data_header: base.clone().set_bold(),
            data: base,
        }
    }
}
