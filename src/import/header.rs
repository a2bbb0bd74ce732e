//! Finding the table: the header row by its labels, and what each column holds.

use crate::workbook_in::Sheet;

/// What a column of the 資料2 table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Area,
    Category,
    /// `<no> <name>` in one cell, or the span over number and name.
    Project,
    Number,
    Name,
    Status,
    Summary,
    Towns,
    /// 備考 and other columns shiryo does not keep.
    Ignored,
    /// A column headed by a town's name, marking participation (○) row by row, as
    /// in shiryo's データ sheet.
    TownMark,
}

/// How far down a header is looked for.
pub const HEADER_SEARCH_ROWS: usize = 40;

/// Folds the spellings people use for the same label: full-width ASCII to ASCII, the
/// half-width middle dot, no white space, no count in brackets (（18事業）).
pub fn fold(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut depth = 0;
    for c in label.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '･' | '·' => '・',
            _ => c,
        };
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = (depth - 1).max(0),
            _ if c.is_whitespace() => {}
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The role a header label names, if any.
pub fn role_of(label: &str) -> Option<Role> {
    let l = fold(label);
    // Labels are short; a long cell is a title or data that happens to hold a word.
    if l.is_empty() || l.chars().count() > 16 {
        return None;
    }
    let has = |words: &[&str]| words.iter().any(|w| l.contains(w));
    let upper = l.to_uppercase();
    // The columns shiryo's データ sheet adds after the towns for the fields beyond the
    // seed (ID, 評価, 成果指標1, 基準年度1, …), not read back; without a role they would
    // be taken for towns beside the town columns.
    let numbered = l.trim_end_matches(|c: char| c.is_ascii_digit());
    let data_field = matches!(
        numbered,
        "評価"
            | "今後の方向性"
            | "成果指標"
            | "単位"
            | "基準値"
            | "基準年度"
            | "目標値"
            | "目標年度"
            | "実績値"
            | "実績年度"
    ) || upper == "ID";
    Some(
        if data_field || has(&["備考", "担当", "所管", "予算", "事業費", "決算"]) {
            Role::Ignored
        } else if has(&[
            "関係市町",
            "関係自治体",
            "参加市町",
            "構成市町",
            "実施市町",
            "関係団体",
            "市町村",
        ]) {
            Role::Towns
        } else if has(&[
            "概要",
            "取組内容",
            "取り組み内容",
            "事業内容",
            "実施内容",
            "内容",
        ]) {
            Role::Summary
        } else if has(&["状況", "進捗"]) {
            Role::Status
        } else if has(&["分野"]) {
            Role::Area
        } else if has(&["区分", "分類", "項目", "カテゴリ"]) {
            Role::Category
        } else if has(&["名称", "事業名", "取組名"]) && !has(&["連携事業名"]) {
            Role::Name
        } else if has(&["連携事業", "事業", "取組"]) {
            Role::Project
        } else if has(&["番号", "通番", "№"]) || matches!(upper.as_str(), "NO" | "NO." | "#")
        {
            Role::Number
        } else {
            return None;
        },
    )
}

/// The table's header: where it is and what each column holds.
#[derive(Debug, Clone)]
pub struct Header {
    /// First and last row of the header (two rows when 番号 and 事業名 sit under 連携事業名).
    pub first_row: usize,
    pub last_row: usize,
    /// Role of each column, `None` for columns outside the table.
    pub roles: Vec<Option<Role>>,
}

impl Header {
    pub fn column(&self, role: Role) -> Option<usize> {
        self.roles.iter().position(|r| *r == Some(role))
    }

    pub fn columns(&self) -> usize {
        self.roles.len()
    }
}

/// The roles a header row names, reading merged header cells in each of their columns;
/// hidden columns count only when no visible column names the same role.
fn row_roles(sheet: &Sheet, row: usize, width: usize) -> Vec<Option<Role>> {
    let mut roles: Vec<Option<Role>> = (0..width).map(|c| role_of(sheet.shown(row, c))).collect();
    for c in 0..width {
        if let Some(role) = roles[c] {
            let visible_twin =
                (0..width).any(|o| o != c && roles[o] == Some(role) && !sheet.is_hidden(o));
            if sheet.is_hidden(c) && visible_twin {
                roles[c] = Some(Role::Ignored);
            }
        }
    }
    roles
}

fn score(roles: &[Option<Role>]) -> usize {
    let has = |r: Role| roles.contains(&Some(r));
    if !has(Role::Project) && !has(Role::Name) {
        return 0;
    }
    [Role::Area, Role::Status, Role::Summary, Role::Towns]
        .iter()
        .filter(|&&r| has(r))
        .count()
        + 1
}

/// Finds the header row: the row among the first [`HEADER_SEARCH_ROWS`] naming the
/// most of 政策分野, 連携事業名, 取組状況, 取組内容・事業概要, 関係市町 (at least three).
pub fn find(sheet: &Sheet) -> Option<Header> {
    let width = sheet.width();
    let rows = sheet.cells.len().min(HEADER_SEARCH_ROWS);
    let (row, mut roles) = (0..rows)
        .map(|r| (r, row_roles(sheet, r, width)))
        .filter(|(_, roles)| score(roles) >= 3)
        .max_by_key(|(r, roles)| (score(roles), std::cmp::Reverse(*r)))?;
    let mut last_row = row;
    // A second header row: labels under a merged 連携事業名 (番号 | 事業名), not the
    // continuation of cells merged down from the first row.
    if row + 1 < sheet.cells.len() {
        let below = row_roles(sheet, row + 1, width);
        let own = |c: usize| {
            sheet
                .merge_at(row + 1, c)
                .is_none_or(|d| d.start.0 as usize == row + 1)
        };
        let sub: Vec<usize> = (0..width)
            .filter(|&c| own(c) && below[c].is_some() && !sheet.text(row + 1, c).is_empty())
            .collect();
        // Only labels, one of them under a header cell spanning columns (or an empty
        // one): a first project whose 政策分野 is named …に係る政策分野 also has a
        // cell that reads as a label, beside its status and summary, which don't.
        let only_labels = (0..width)
            .filter(|&c| own(c) && !sheet.text(row + 1, c).trim().is_empty())
            .all(|c| below[c].is_some());
        let under_spanning = sub.iter().any(|&c| {
            sheet.text(row, c).trim().is_empty()
                || sheet.merge_at(row, c).is_some_and(|d| d.end.1 > d.start.1)
        });
        if !sub.is_empty() && only_labels && under_spanning {
            for c in sub {
                roles[c] = below[c];
            }
            last_row = row + 1;
        }
    }
    // Columns headed by a town's name (旭川市 | 鷹栖町 | …) when no 関係市町 column.
    if !roles.contains(&Some(Role::Towns)) {
        for (c, role) in roles.iter_mut().enumerate() {
            if role.is_none() && is_town_name(sheet.text(row, c).trim()) {
                *role = Some(Role::TownMark);
            }
        }
        // A town whose name does not end in 市町村 sits among the others.
        let text = |c: usize| !sheet.text(row, c).trim().is_empty();
        for c in 1..width {
            if roles[c - 1] == Some(Role::TownMark) && roles[c].is_none() && text(c) {
                roles[c] = Some(Role::TownMark);
            }
        }
        for c in (0..width.saturating_sub(1)).rev() {
            if roles[c + 1] == Some(Role::TownMark) && roles[c].is_none() && text(c) {
                roles[c] = Some(Role::TownMark);
            }
        }
    }
    Some(Header {
        first_row: row,
        last_row,
        roles,
    })
}

/// Text that reads as a municipality's name: ends in 市, 町 or 村, short, one line.
pub fn is_town_name(t: &str) -> bool {
    t.ends_with(['市', '町', '村'])
        && t.chars().count() <= 12
        && crate::registry::is_safe_name(t).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_their_variants() {
        assert_eq!(role_of("政策分野"), Some(Role::Area));
        assert_eq!(role_of("連携事業名（18事業）"), Some(Role::Project));
        assert_eq!(role_of("連携事業名\n(18事業)"), Some(Role::Project));
        assert_eq!(role_of("取組状況"), Some(Role::Status));
        assert_eq!(role_of("進捗状況"), Some(Role::Status));
        assert_eq!(role_of("取組内容・事業概要"), Some(Role::Summary));
        assert_eq!(role_of("取組内容･事業概要"), Some(Role::Summary));
        assert_eq!(role_of("事業概要"), Some(Role::Summary));
        assert_eq!(role_of("関係市町"), Some(Role::Towns));
        assert_eq!(role_of("関係市町村"), Some(Role::Towns));
        assert_eq!(role_of("No."), Some(Role::Number));
        assert_eq!(role_of("Ｎｏ．"), Some(Role::Number));
        assert_eq!(role_of("番号"), Some(Role::Number));
        assert_eq!(role_of("事業名"), Some(Role::Name));
        assert_eq!(role_of("備考"), Some(Role::Ignored));
        assert_eq!(role_of("区分"), Some(Role::Category));
        assert_eq!(role_of(""), None);
        assert_eq!(role_of("上川中部定住自立圏"), None);
    }
}
