//! The fields that carry figures: fiscal years, KPIs and budgets.
//!
//! Raw values arrive as text (see [`super::raw`]) and are read here, so that every bad
//! year or amount in the file is reported in one run at its own line and column.
//! Full-width digits (２０２５, １２，０００), as typed with a Japanese input method, are
//! read like ASCII ones.

use std::fmt::Display;

use super::findings::{Dotted, Findings};
use super::raw::{OrderedMap, RawKpi, RawKpiPoint};
use super::sphere::{entries, project_town};
use super::validate::Context;
use crate::i18n::Text;
use crate::model::{Amount, Budget, BudgetYear, FiscalYear, Kpi, KpiPoint, KpiValue, TownId};
use crate::tr;
use crate::wareki;

/// The plausible fiscal years: from 平成元年度 to the end of the century. A year
/// outside is a typo (`205`, `20255`), not a plan.
pub const YEARS: std::ops::RangeInclusive<FiscalYear> = 1989..=2100;

/// `text` with full-width digits and separators made ASCII, trimmed.
fn ascii(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '，' => ',',
            '．' => '.',
            '－' | '−' => '-',
            _ => c,
        })
        .collect()
}

/// A fiscal year written `2025`, `2025年度`, `2025年`, or in 和暦: `令和7年度`,
/// `令和7年`, `令和7年度（2025年度）`.
pub fn parse_year(text: &str) -> Option<FiscalYear> {
    // Plain digits, as most registries write years, read without the conversions.
    if (1..=9).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    if let Some(y) = wareki::parse_fiscal_year(text).or_else(|| wareki::parse_year(text)) {
        return Some(y);
    }
    let text = ascii(text);
    let digits = text
        .strip_suffix("年度")
        .or_else(|| text.strip_suffix('年'))
        .unwrap_or(&text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 9 {
        return None;
    }
    digits.parse().ok()
}

/// Reads a fiscal year of [`YEARS`], or reports why not.
pub(super) fn year(
    found: &mut Findings,
    path: impl Display,
    what: impl FnOnce() -> Text,
    text: &str,
) -> Option<FiscalYear> {
    let year = parse_year(text);
    if let Some(y) = year.filter(|y| YEARS.contains(y)) {
        return Some(y);
    }
    let (what, path) = (what(), path.to_string());
    let (en, ja) = (&what.en, &what.ja);
    match year {
        Some(y) => {
            let (from, to) = (YEARS.start(), YEARS.end());
            found.add(
                path,
                tr!(
                    "{en} {y} is not a plausible year ({from}–{to})",
                    "{ja} {y} はありえる年（{from}〜{to}）ではありません"
                ),
                Some(tr!(
                    "write the Western year of the 年度, e.g. 2025 for 令和7年度",
                    "年度を西暦で書いてください（例: 令和7年度なら 2025）"
                )),
            );
            None
        }
        None => {
            found.add(
                path,
                tr!(
                    "{en} {text:?} is not a year",
                    "{ja} {text:?} は年ではありません"
                ),
                Some(tr!(
                    "write the 年度 as 2025 or 令和7年度",
                    "年度は 2025 か 令和7年度 のように書いてください"
                )),
            );
            None
        }
    }
}

/// Digits with optional `,` grouping and decimals, split into sign, whole and fraction
/// digits; `None` when `text` is not written like a number.
fn number_parts(text: &str) -> Option<(bool, String, String)> {
    let text = ascii(text);
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.as_str()),
    };
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let int: String = int.chars().filter(|&c| c != ',').collect();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(&int) || (rest.contains('.') && !digits(frac)) {
        return None;
    }
    Some((negative, int, frac.to_string()))
}

/// A KPI value: a number (`1430`, `85.5`, `1,200`, `-3`) or a word (検討中, ―).
pub fn parse_kpi_value(text: &str) -> Option<KpiValue> {
    // Digits with decimals or without, read without the conversions: the same number.
    let (int, frac) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(int) && digits(frac) {
        return text
            .parse()
            .ok()
            .filter(|n: &f64| n.is_finite())
            .map(KpiValue::Number);
    }
    if text.trim().is_empty() {
        return None;
    }
    match number_parts(text) {
        Some((negative, int, frac)) => {
            let plain = format!("{}{int}.{}", if negative { "-" } else { "" }, frac + "0");
            plain
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(KpiValue::Number)
        }
        None => Some(KpiValue::Word(text.trim().to_string())),
    }
}

/// Why an amount was refused.
#[derive(Debug, PartialEq)]
pub enum AmountError {
    NotANumber,
    Negative,
    TooPrecise,
    TooLarge,
}

/// A budget amount: digits with optional `,` grouping and up to three decimals, ≥ 0.
pub fn parse_amount(text: &str) -> Result<Amount, AmountError> {
    // Plain digits, as most amounts are written, read without the conversions.
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let units = match text.trim_start_matches('0') {
            "" => 0,
            digits => digits.parse().map_err(|_| AmountError::TooLarge)?,
        };
        if units > Amount::MAX_UNITS {
            return Err(AmountError::TooLarge);
        }
        return Ok(Amount::from_thousandths(units * 1000));
    }
    let (negative, int, frac) = number_parts(text).ok_or(AmountError::NotANumber)?;
    let all_zero = int.bytes().chain(frac.bytes()).all(|b| b == b'0');
    if negative && !all_zero {
        return Err(AmountError::Negative);
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > Amount::DECIMALS as usize {
        return Err(AmountError::TooPrecise);
    }
    let units: i64 = int.trim_start_matches('0').parse().or_else(|_| {
        if int.bytes().all(|b| b == b'0') {
            Ok(0)
        } else {
            Err(AmountError::TooLarge)
        }
    })?;
    if units > Amount::MAX_UNITS {
        return Err(AmountError::TooLarge);
    }
    let thousandths: i64 = format!("{frac:0<3}").parse().unwrap_or(0);
    Ok(Amount::from_thousandths(units * 1000 + thousandths))
}

pub(super) fn kpis(found: &mut Findings, at: &str, raw: Vec<RawKpi>) -> Vec<Kpi> {
    raw.into_iter()
        .enumerate()
        .map(|(i, k)| {
            let at = format!("{at}.kpis[{i}]");
            let what = || tr!("KPI indicator", "成果指標名（indicator）");
            found.non_empty_with(Dotted(&at, "indicator"), what, &k.indicator);
            if let Some(unit) = &k.unit {
                let what = || tr!("KPI unit", "成果指標の単位");
                found.non_empty_with(Dotted(&at, "unit"), what, unit);
            }
            let mut point = |name: &str, name_ja: &str, p: Option<RawKpiPoint>| {
                let p = p?;
                let path = Dotted(&at, name);
                let what = || tr!("{name} year", "{name_ja}の年度");
                let year = year(found, format_args!("{path}.year"), what, &p.year);
                let value = parse_kpi_value(&p.value);
                if value.is_none() {
                    found.add(
                        format!("{path}.value"),
                        tr!("{name} value is empty", "{name_ja}が空です"),
                        Some(tr!(
                            "write a number, or a word such as 検討中 or ―",
                            "数値か、検討中・― などの語を書いてください"
                        )),
                    );
                }
                Some(KpiPoint {
                    year: year?,
                    value: value?,
                })
            };
            Kpi {
                baseline: point("baseline", "基準値", k.baseline),
                target: point("target", "目標値", k.target),
                actual: point("actual", "実績値", k.actual),
                indicator: k.indicator,
                unit: k.unit.unwrap_or_default(),
                at,
            }
        })
        .collect()
}

pub(super) fn budget(
    found: &mut Findings,
    at: &str,
    raw: Option<OrderedMap<OrderedMap<String>>>,
    ids: &[TownId],
    context: &Context,
) -> Budget {
    let Some(raw) = raw else {
        return Budget::default();
    };
    let at = Dotted(at, "budget");
    if raw.0.is_empty() {
        found.add(
            at.to_string(),
            tr!("budget is empty", "事業費（budget）が空です"),
            Some(tr!(
                "give amounts per fiscal year and town (2025: {{旭川市: 1200}}), or remove it",
                "年度と市町村ごとの額（2025: {{旭川市: 1200}}）を書くか、この項目を削除してください"
            )),
        );
    }
    let mut years = Vec::new();
    let year_of = || tr!("fiscal year", "年度");
    for (key, towns) in entries(found, &at, year_of, raw) {
        let path = Dotted(&at, &key);
        let what = || tr!("budget year", "事業費の年度");
        let fy = year(found, format_args!("{path}@"), what, &key);
        if towns.0.is_empty() {
            found.add(
                path.to_string(),
                tr!(
                    "budget for {key} lists no towns",
                    "{key} の事業費に市町村がありません"
                ),
                Some(tr!(
                    "give each town's amount (旭川市: 1200), or remove the year",
                    "市町村ごとの額（旭川市: 1200）を書くか、この年度を削除してください"
                )),
            );
        }
        let mut amounts = Vec::new();
        for (town, text) in entries(found, &path, || tr!("town", "市町村"), towns) {
            let path = Dotted(&path, &town);
            let what = || tr!("budget town", "事業費の市町村");
            let id = project_town(found, format_args!("{path}@"), what, &town, ids, context);
            match parse_amount(&text) {
                Ok(amount) => {
                    if let Some(id) = id {
                        amounts.push((id, amount));
                    }
                }
                Err(e) => {
                    let (message, help) = amount_problem(e, &text);
                    found.add(path.to_string(), message, Some(help));
                }
            }
        }
        amounts.sort_by_key(|&(t, _)| t);
        if let Some(year) = fy {
            if years.iter().any(|y: &BudgetYear| y.year == year) {
                found.add(
                    format!("{path}@"),
                    tr!(
                        "budget year {year} is given twice",
                        "事業費の年度 {year} が2回書かれています"
                    ),
                    Some(tr!(
                        "write each fiscal year once (2025 and 令和7年度 are the same)",
                        "各年度は一度だけ書いてください（2025 と 令和7年度 は同じ年度です）"
                    )),
                );
                continue;
            }
            years.push(BudgetYear { year, amounts });
        }
    }
    years.sort_by_key(|y| y.year);
    Budget { years }
}

/// The message and hint for an amount [`parse_amount`] refused.
fn amount_problem(e: AmountError, text: &str) -> (Text, Text) {
    match e {
        AmountError::NotANumber => (
            tr!(
                "amount {text:?} is not a number",
                "金額 {text:?} は数値ではありません"
            ),
            tr!(
                "write the amount in digits, e.g. 12000 (in the registry's unit)",
                "金額は数字で書いてください（例: 12000。単位は台帳の unit）"
            ),
        ),
        AmountError::Negative => (
            tr!("amount {text} is negative", "金額 {text} が負です"),
            tr!(
                "amounts are 0 or more; write 0 for a town that pays nothing",
                "金額は 0 以上です。負担のない市町村は 0 と書いてください"
            ),
        ),
        AmountError::TooPrecise => {
            let decimals = Amount::DECIMALS;
            (
                tr!(
                    "amount {text} has more than {decimals} decimals",
                    "金額 {text} の小数が {decimals} 桁を超えています"
                ),
                tr!(
                    "round it, or change `unit:` (e.g. to 円)",
                    "丸めるか、`unit:` を変えてください（例: 円）"
                ),
            )
        }
        AmountError::TooLarge => (
            tr!("amount {text} is too large", "金額 {text} が大きすぎます"),
            tr!(
                "check the digits, or change `unit:` (e.g. to 百万円)",
                "桁を確かめるか、`unit:` を変えてください（例: 百万円）"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_digits_with_or_without_nendo() {
        assert_eq!(parse_year("2025"), Some(2025));
        assert_eq!(parse_year("２０２５年度"), Some(2025));
        assert_eq!(parse_year("2025年"), Some(2025));
        assert_eq!(parse_year("20255"), Some(20255));
        assert_eq!(parse_year("2025.0"), None);
        assert_eq!(parse_year("R7"), None);
        assert_eq!(parse_year("令和7年度"), Some(2025));
        assert_eq!(parse_year("令和元年度"), Some(2019));
        assert_eq!(parse_year("平成31年度"), Some(2019));
        assert_eq!(parse_year("令和7年"), Some(2025));
        assert_eq!(parse_year(""), None);
    }

    #[test]
    fn kpi_values_are_numbers_or_words() {
        assert_eq!(parse_kpi_value("1430"), Some(KpiValue::Number(1430.0)));
        assert_eq!(parse_kpi_value("1,200"), Some(KpiValue::Number(1200.0)));
        assert_eq!(parse_kpi_value("85.5"), Some(KpiValue::Number(85.5)));
        assert_eq!(parse_kpi_value("-3"), Some(KpiValue::Number(-3.0)));
        assert_eq!(parse_kpi_value("１２"), Some(KpiValue::Number(12.0)));
        assert_eq!(
            parse_kpi_value(" 検討中 "),
            Some(KpiValue::Word("検討中".into()))
        );
        assert_eq!(parse_kpi_value("―"), Some(KpiValue::Word("―".into())));
        assert_eq!(
            parse_kpi_value("1.2.3"),
            Some(KpiValue::Word("1.2.3".into()))
        );
        assert_eq!(parse_kpi_value("  "), None);
    }

    #[test]
    fn amounts_are_exact_and_not_negative() {
        assert_eq!(parse_amount("12000"), Ok(Amount::from_units(12000)));
        assert_eq!(parse_amount("12,000"), Ok(Amount::from_units(12000)));
        assert_eq!(parse_amount("１２，０００"), Ok(Amount::from_units(12000)));
        assert_eq!(parse_amount("0"), Ok(Amount::ZERO));
        assert_eq!(parse_amount("-0"), Ok(Amount::ZERO));
        assert_eq!(parse_amount("1.5"), Ok(Amount::from_thousandths(1500)));
        assert_eq!(parse_amount("1.250"), Ok(Amount::from_thousandths(1250)));
        assert_eq!(parse_amount("0.001"), Ok(Amount::from_thousandths(1)));
        assert_eq!(parse_amount("-5"), Err(AmountError::Negative));
        assert_eq!(parse_amount("0.0001"), Err(AmountError::TooPrecise));
        assert_eq!(parse_amount("千"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1."), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1e3"), Err(AmountError::NotANumber));
        assert_eq!(
            parse_amount("99999999999999999999999"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(parse_amount("1000000000001"), Err(AmountError::TooLarge));
    }
}
