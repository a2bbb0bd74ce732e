//! The cell formats every sheet shares: BIZ UDゴシック at the template's size, thin
//! borders, wrapped text aligned to the top.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};

use super::FONT_NAME;
use crate::template::Template;

/// The cell styles of every sheet.
pub(super) struct Styles {
    pub title: Format,
    pub header: Format,
    pub text: Format,
    pub centered: Format,
    pub merged: Format,
    pub number: Format,
    pub label: Format,
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
                .set_font_size(tpl.xlsx.title_font_size),
            label: base.clone().set_align(FormatAlign::Right),
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
        }
    }
}
