//! 和暦: Japanese era names for dates, years and fiscal years (令和7年11月20日, 令和7年度).
//!
//! Official documents date themselves in the era calendar. The conventions followed:
//! - An era's first year is written 元年 (令和元年), never 1年.
//! - A date belongs to the era in force on that day: 2019-04-30 is 平成31年4月30日 and
//!   2019-05-01 is 令和元年5月1日.
//! - A calendar year, and the fiscal year (年度, April to March) named after it, take
//!   the era in force at the end of that year: 2019 is 令和元年 and FY2019 is 令和元年度,
//!   as municipalities write it; 1989 is 平成元年.
//! - The Western year may follow in full-width parentheses, as many prefectures' style
//!   rules ask: 令和7年度（2025年度）, 令和7年（2025年）11月20日.
//!
//! Dates are supported from 明治6年 (1873, when Japan adopted the Gregorian calendar);
//! years from 明治元年 (1868). Digits are ASCII, as in the seed's tables.

use time::{Date, Month};

/// An era (元号) of the modern calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Era {
    Meiji,
    Taisho,
    Showa,
    Heisei,
    Reiwa,
}

/// Each era with its name and its first day (Gregorian), oldest first.
const ERAS: [(Era, &str, i32, u8, u8); 5] = [
    (Era::Meiji, "明治", 1868, 1, 25),
    (Era::Taisho, "大正", 1912, 7, 30),
    (Era::Showa, "昭和", 1926, 12, 25),
    (Era::Heisei, "平成", 1989, 1, 8),
    (Era::Reiwa, "令和", 2019, 5, 1),
];

/// The first Gregorian year of the era calendar shiryo dates: 明治6年.
pub const FIRST_DATE_YEAR: i32 = 1873;

impl Era {
    /// 明治, 大正, 昭和, 平成, 令和.
    pub fn name(self) -> &'static str {
        ERAS[self as usize].1
    }

    /// The day the era began.
    pub fn start(self) -> Date {
        let (_, _, y, m, d) = ERAS[self as usize];
        date(y, m, d)
    }

    /// The Gregorian year of the era's 元年.
    pub fn first_year(self) -> i32 {
        ERAS[self as usize].2
    }

    /// The last day of the era, `None` for the current one.
    pub fn end(self) -> Option<Date> {
        let next = ERAS.get(self as usize + 1)?;
        date(next.2, next.3, next.4).previous_day()
    }

    fn all() -> impl Iterator<Item = Era> {
        ERAS.iter().map(|e| e.0)
    }

    fn from_name(name: &str) -> Option<Era> {
        ERAS.iter().find(|e| e.1 == name).map(|e| e.0)
    }
}

fn date(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).unwrap_or(Month::January), d)
        .unwrap_or(Date::MIN)
}

/// An era and a year in it (1 = 元年).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EraYear {
    pub era: Era,
    pub year: i32,
}

impl EraYear {
    /// 元年 for the first year, else the number.
    fn number(self) -> String {
        if self.year == 1 {
            "元".into()
        } else {
            self.year.to_string()
        }
    }
}

impl std::fmt::Display for EraYear {
    /// 令和7年, 令和元年.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}年", self.era.name(), self.number())
    }
}

/// The era of a calendar year (the era in force on its 31 December), `None` before
/// 1868.
pub fn era_year(year: i32) -> Option<EraYear> {
    let era = Era::all().filter(|e| e.first_year() <= year).last()?;
    Some(EraYear {
        era,
        year: year - era.first_year() + 1,
    })
}

/// The era and year of a day, `None` before [`FIRST_DATE_YEAR`].
pub fn era_of_date(day: Date) -> Option<EraYear> {
    if day.year() < FIRST_DATE_YEAR {
        return None;
    }
    let era = Era::all().filter(|e| e.start() <= day).last()?;
    Some(EraYear {
        era,
        year: day.year() - era.first_year() + 1,
    })
}

/// A calendar year: 令和7年, or 令和7年（2025年） with `western`.
pub fn format_year(year: i32, western: bool) -> Option<String> {
    let ey = era_year(year)?;
    Some(if western {
        format!("{ey}（{year}年）")
    } else {
        ey.to_string()
    })
}

/// A fiscal year: 令和7年度, or 令和7年度（2025年度） with `western`.
pub fn format_fiscal_year(year: i32, western: bool) -> Option<String> {
    let ey = era_year(year)?;
    Some(if western {
        format!("{ey}度（{year}年度）")
    } else {
        format!("{ey}度")
    })
}

/// A day: 令和7年11月20日, or 令和7年（2025年）11月20日 with `western`.
pub fn format_date(day: Date, western: bool) -> Option<String> {
    let ey = era_of_date(day)?;
    let (m, d) = (u8::from(day.month()), day.day());
    Some(if western {
        format!("{ey}（{}年）{m}月{d}日", day.year())
    } else {
        format!("{ey}{m}月{d}日")
    })
}

/// `text` with full-width digits made ASCII and white space removed.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '(' => '（',
            ')' => '）',
            _ => c,
        })
        .collect()
}

/// Splits `令和7年…` into the era, the year in it and the rest after 年.
fn split_era(text: &str) -> Option<(Era, i32, &str)> {
    let (name, rest) = ERAS
        .iter()
        .find_map(|e| text.strip_prefix(e.1).map(|rest| (e.1, rest)))?;
    let era = Era::from_name(name)?;
    let (number, rest) = rest.split_once('年')?;
    let year = if number == "元" {
        1
    } else if !number.is_empty() && number.len() <= 3 && number.bytes().all(|b| b.is_ascii_digit())
    {
        number.parse().ok().filter(|&n| n >= 1)?
    } else {
        return None;
    };
    Some((era, year, rest))
}

/// The Gregorian year of `era` `year`, if the era was in force at some time that year
/// (平成31年 is 2019, 平成32年 does not exist).
fn gregorian(era: Era, year: i32) -> Option<i32> {
    let g = era.first_year() + year - 1;
    match era.end() {
        Some(end) if g > end.year() => None,
        _ => Some(g),
    }
}

/// Removes a leading `（2025年度）` / `（2025年）` from `rest`, checking that it names
/// `year`; `rest` as it is when it has none.
fn strip_western<'a>(rest: &'a str, year: i32, suffix: &str) -> Option<&'a str> {
    let Some(inner) = rest.strip_prefix('（') else {
        return Some(rest);
    };
    let (inner, after) = inner.split_once('）')?;
    let digits = inner.strip_suffix(suffix)?;
    (digits.parse::<i32>().ok()? == year).then_some(after)
}

/// A year written 令和7年, 令和元年 or 令和7年（2025年); `None` if not one.
pub fn parse_year(text: &str) -> Option<i32> {
    let text = normalise(text);
    let (era, year, rest) = split_era(&text)?;
    let g = gregorian(era, year)?;
    let rest = strip_western(rest, g, "年")?;
    rest.is_empty().then_some(g)
}

/// A fiscal year written 令和7年度, 令和元年度 or 令和7年度（2025年度）; `None` if not one.
/// 平成31年度 is read as 2019 (budgets passed before the change of era carry it).
pub fn parse_fiscal_year(text: &str) -> Option<i32> {
    let text = normalise(text);
    let (era, year, rest) = split_era(&text)?;
    let g = gregorian(era, year)?;
    let rest = rest.strip_prefix('度')?;
    let rest = strip_western(rest, g, "年度")?;
    rest.is_empty().then_some(g)
}

/// A day written 令和7年11月20日 or 令和7年（2025年）11月20日; `None` if not a day of
/// that era (平成31年5月1日 and 令和元年4月30日 are not).
pub fn parse_date(text: &str) -> Option<Date> {
    let text = normalise(text);
    let (era, year, rest) = split_era(&text)?;
    let g = gregorian(era, year)?;
    let rest = strip_western(rest, g, "年")?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    let number = |s: &str| -> Option<u8> {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let month = Month::try_from(number(m)?).ok()?;
    let day = Date::from_calendar_date(g, month, number(d)?).ok()?;
    (era_of_date(day)?.era == era).then_some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u8, d: u8) -> Date {
        Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap()
    }

    fn day(y: i32, m: u8, d: u8) -> String {
        format_date(ymd(y, m, d), false).unwrap()
    }

    #[test]
    fn the_spec_examples() {
        assert_eq!(format_fiscal_year(2025, false).unwrap(), "令和7年度");
        assert_eq!(day(2025, 11, 20), "令和7年11月20日");
        assert_eq!(
            format_fiscal_year(2025, true).unwrap(),
            "令和7年度（2025年度）"
        );
        assert_eq!(
            format_date(ymd(2025, 11, 20), true).unwrap(),
            "令和7年（2025年）11月20日"
        );
        assert_eq!(format_year(2025, true).unwrap(), "令和7年（2025年）");
    }

    #[test]
    fn heisei_reiwa_boundary() {
        assert_eq!(day(2019, 4, 30), "平成31年4月30日");
        assert_eq!(day(2019, 5, 1), "令和元年5月1日");
        assert_eq!(day(2019, 1, 1), "平成31年1月1日");
        assert_eq!(day(2020, 1, 1), "令和2年1月1日");
        assert_eq!(format_year(2019, false).unwrap(), "令和元年");
        assert_eq!(format_fiscal_year(2019, false).unwrap(), "令和元年度");
        assert_eq!(format_fiscal_year(2018, false).unwrap(), "平成30年度");
        assert_eq!(parse_date("平成31年4月30日"), Some(ymd(2019, 4, 30)));
        assert_eq!(parse_date("令和元年5月1日"), Some(ymd(2019, 5, 1)));
        assert_eq!(parse_date("平成31年5月1日"), None);
        assert_eq!(parse_date("令和元年4月30日"), None);
        assert_eq!(parse_fiscal_year("平成31年度"), Some(2019));
        assert_eq!(parse_fiscal_year("令和元年度"), Some(2019));
        assert_eq!(parse_fiscal_year("平成32年度"), None);
    }

    #[test]
    fn showa_heisei_boundary() {
        assert_eq!(day(1989, 1, 7), "昭和64年1月7日");
        assert_eq!(day(1989, 1, 8), "平成元年1月8日");
        assert_eq!(format_fiscal_year(1989, false).unwrap(), "平成元年度");
        assert_eq!(format_fiscal_year(1988, false).unwrap(), "昭和63年度");
        assert_eq!(parse_date("昭和64年1月7日"), Some(ymd(1989, 1, 7)));
        assert_eq!(parse_date("昭和64年1月8日"), None);
        assert_eq!(parse_date("平成元年1月7日"), None);
        assert_eq!(parse_year("昭和65年"), None);
    }

    #[test]
    fn taisho_showa_and_meiji_taisho_boundaries() {
        assert_eq!(day(1926, 12, 24), "大正15年12月24日");
        assert_eq!(day(1926, 12, 25), "昭和元年12月25日");
        assert_eq!(day(1927, 1, 1), "昭和2年1月1日");
        assert_eq!(day(1912, 7, 29), "明治45年7月29日");
        assert_eq!(day(1912, 7, 30), "大正元年7月30日");
        assert_eq!(day(1873, 1, 1), "明治6年1月1日");
        assert_eq!(format_date(ymd(1872, 12, 31), false), None);
        assert_eq!(format_year(1868, false).unwrap(), "明治元年");
        assert_eq!(format_year(1867, false), None);
        assert_eq!(parse_date("大正15年12月25日"), None);
        assert_eq!(parse_date("昭和元年12月25日"), Some(ymd(1926, 12, 25)));
    }

    #[test]
    fn era_ends() {
        assert_eq!(Era::Heisei.end(), Some(ymd(2019, 4, 30)));
        assert_eq!(Era::Showa.end(), Some(ymd(1989, 1, 7)));
        assert_eq!(Era::Reiwa.end(), None);
        assert_eq!(Era::Reiwa.start(), ymd(2019, 5, 1));
    }

    #[test]
    fn parsing_reads_what_people_write() {
        assert_eq!(parse_fiscal_year("令和7年度"), Some(2025));
        assert_eq!(parse_fiscal_year("令和７年度"), Some(2025));
        assert_eq!(parse_fiscal_year("令和7年度（2025年度）"), Some(2025));
        assert_eq!(parse_fiscal_year("令和7年度(2025年度)"), Some(2025));
        // The Western year in parentheses must agree.
        assert_eq!(parse_fiscal_year("令和7年度（2024年度）"), None);
        assert_eq!(parse_fiscal_year("令和7年"), None);
        assert_eq!(parse_fiscal_year("令和0年度"), None);
        assert_eq!(parse_fiscal_year("令和年度"), None);
        assert_eq!(parse_year("令和7年"), Some(2025));
        assert_eq!(parse_year("令和元年"), Some(2019));
        assert_eq!(parse_year("令和7年度"), None);
        assert_eq!(parse_date("令和7年11月20日"), Some(ymd(2025, 11, 20)));
        assert_eq!(
            parse_date("令和7年（2025年）11月20日"),
            Some(ymd(2025, 11, 20))
        );
        assert_eq!(parse_date("令和7年2月30日"), None);
        assert_eq!(parse_date("令和7年11月"), None);
        assert_eq!(parse_date("2025-11-20"), None);
    }

    #[test]
    fn every_day_round_trips() {
        let mut d = ymd(FIRST_DATE_YEAR, 1, 1);
        let end = ymd(2101, 1, 1);
        while d < end {
            let text = format_date(d, false).unwrap();
            assert_eq!(parse_date(&text), Some(d), "{text}");
            let western = format_date(d, true).unwrap();
            assert_eq!(parse_date(&western), Some(d), "{western}");
            d = d.next_day().unwrap();
        }
        for y in 1868..=2100 {
            let text = format_fiscal_year(y, true).unwrap();
            assert_eq!(parse_fiscal_year(&text), Some(y), "{text}");
            assert_eq!(parse_year(&format_year(y, false).unwrap()), Some(y));
        }
    }
}
