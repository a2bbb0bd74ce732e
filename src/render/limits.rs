//! What the outputs cannot hold, checked with the registry's other problems so that
//! `shiryo check` finds everything `build` would refuse, each at its line and column:
//! a town or label named like one of the workbook's own sheets, and text longer than
//! an Excel cell holds.

use crate::error::Result;
use crate::model::Registry;
use crate::registry::findings::Findings;
use crate::template::Template;
use crate::tr;

/// Excel's limit on the characters (UTF-16 units) of one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// # Errors
/// [`crate::Error::Invalid`] with each name and text the workbook cannot take.
pub fn check_limits(registry: &Registry, tpl: &Template) -> Result<()> {
    let mut found = Findings::default();
    let sheets = [
        (&tpl.xlsx.participation_sheet, "xlsx.participation_sheet"),
        (&tpl.xlsx.data_sheet.name, "xlsx.data_sheet.name"),
    ];
    let names = registry
        .towns
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("towns[{i}]"), &t.name))
        .chain([("label".to_string(), &registry.label)]);
    for (path, name) in names {
        // Excel compares sheet names without case.
        for (sheet, setting) in sheets {
            if name.to_lowercase() == sheet.to_lowercase() {
                found.add(
                    path.clone(),
                    tr!(
                        "{name} is also the name of the workbook's sheet {sheet}; both name a sheet",
                        "{name} はワークブックのシート {sheet} と同じ名前です。どちらもシート名になります"
                    ),
                    Some(tr!(
                        "rename it, or give the sheet another name in a template ({setting})",
                        "名前を変えるか、テンプレートでシートに別の名前を付けてください（{setting}）"
                    )),
                );
            }
        }
    }
    let mut text = |path: String, what: crate::i18n::Text, value: &str| {
        let len = value.encode_utf16().count();
        if len > MAX_CELL_CHARS {
            let (en, ja) = (&what.en, &what.ja);
            found.add(
                path,
                tr!(
                    "{en} is {len} characters long; an Excel cell holds at most {MAX_CELL_CHARS}",
                    "{ja}が {len} 文字あります。Excel のセルには {MAX_CELL_CHARS} 文字までしか入りません"
                ),
                Some(tr!(
                    "shorten it, or move the details to another document",
                    "短くするか、詳細を別の資料に移してください"
                )),
            );
        }
    };
    text("title".into(), tr!("the title", "表題"), &registry.title);
    for area in &registry.areas {
        let name = &area.name;
        text(
            format!("{}.name", area.at),
            tr!("policy area {name}", "政策分野 {name} の名前"),
            name,
        );
        for cat in &area.categories {
            let name = &cat.name;
            text(
                format!("{}.name", cat.at),
                tr!("category {name}", "分類 {name} の名前"),
                name,
            );
            for p in &cat.projects {
                let number = p.number;
                for (field, field_ja, value) in [
                    ("name", "事業名", &p.name),
                    ("summary", "事業概要", &p.summary),
                ] {
                    text(
                        format!("{}.{field}", p.at),
                        tr!("project {number} {field}", "事業 {number} の{field_ja}"),
                        value,
                    );
                }
            }
        }
    }
    if found.0.is_empty() {
        Ok(())
    } else {
        Err(found.into_error(&registry.source))
    }
}
