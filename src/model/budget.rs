//! 事業費: a project's amounts per fiscal year and town, in the registry's `unit`.

use super::{FiscalYear, TownId};

/// An amount of money in the registry's unit (千円 unless `unit` says otherwise).
///
/// Kept as an integer count of thousandths of the unit, so that totals are exact and
/// print the same on every machine (a sum of floats would depend on its order).
/// Invariant: not negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(i64);

impl Amount {
    /// Thousandths of the unit kept: budgets in 千円 are whole numbers, and 百万円
    /// tables print at most one or two decimals.
    pub const DECIMALS: u32 = 3;
    const SCALE: i64 = 10_i64.pow(Self::DECIMALS);
    /// The largest amount held exactly: far beyond any budget, and within what a
    /// spreadsheet's double holds without rounding.
    pub const MAX_UNITS: i64 = 1_000_000_000_000;

    pub const ZERO: Amount = Amount(0);

    /// The amount of `units` whole units.
    pub fn from_units(units: i64) -> Amount {
        Amount(units * Self::SCALE)
    }

    /// From thousandths of the unit.
    pub fn from_thousandths(thousandths: i64) -> Amount {
        Amount(thousandths)
    }

    pub fn thousandths(self) -> i64 {
        self.0
    }

    /// The amount as a number of units, for spreadsheets (exact below 2⁵³ thousandths).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / Self::SCALE as f64
    }

    /// With thousands separators, as printed in tables: `12,500`, `1,234.5`.
    pub fn grouped(self) -> String {
        let plain = self.to_string();
        let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
        let mut out = String::with_capacity(plain.len() + int.len() / 3);
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
        out
    }
}

impl std::fmt::Display for Amount {
    /// Plain digits, decimals only when there are any: `12500`, `1234.5`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let int = self.0 / Self::SCALE;
        let frac = self.0 % Self::SCALE;
        if frac == 0 {
            write!(f, "{int}")
        } else {
            let digits = format!("{frac:03}");
            write!(f, "{int}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, o: Amount) -> Amount {
        Amount(self.0 + o.0)
    }
}

impl std::ops::AddAssign for Amount {
    fn add_assign(&mut self, o: Amount) {
        self.0 += o.0;
    }
}

impl std::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        iter.fold(Amount::ZERO, |a, b| a + b)
    }
}

/// One fiscal year of a project's budget: each town's share.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetYear {
    pub year: FiscalYear,
    /// Each town's amount; towns of the project, each once, in member order.
    pub amounts: Vec<(TownId, Amount)>,
}

impl BudgetYear {
    /// The year's total over its towns.
    pub fn total(&self) -> Amount {
        self.amounts.iter().map(|&(_, a)| a).sum()
    }

    /// The town's amount, `None` when the town has no line for the year.
    pub fn amount(&self, town: TownId) -> Option<Amount> {
        self.amounts
            .binary_search_by_key(&town, |&(t, _)| t)
            .ok()
            .map(|i| self.amounts[i].1)
    }
}

/// A project's 事業費: fiscal year → town → amount.
///
/// Invariants: years ascending, each once; see [`BudgetYear`] for the towns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Budget {
    pub years: Vec<BudgetYear>,
}

impl Budget {
    pub fn is_empty(&self) -> bool {
        self.years.is_empty()
    }

    pub fn year(&self, year: FiscalYear) -> Option<&BudgetYear> {
        self.years
            .binary_search_by_key(&year, |y| y.year)
            .ok()
            .map(|i| &self.years[i])
    }

    /// The total of `year`, `None` when the budget has no line for that year (printed
    /// blank, unlike a budget of 0).
    pub fn total(&self, year: FiscalYear) -> Option<Amount> {
        self.year(year).map(BudgetYear::total)
    }

    /// `town`'s amount in `year`, `None` when there is no such line.
    pub fn amount(&self, year: FiscalYear, town: TownId) -> Option<Amount> {
        self.year(year)?.amount(town)
    }

    /// `town`'s amounts over all years.
    pub fn town_total(&self, town: TownId) -> Amount {
        self.years.iter().filter_map(|y| y.amount(town)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_print_exactly() {
        assert_eq!(Amount::from_units(12500).to_string(), "12500");
        assert_eq!(Amount::from_units(12500).grouped(), "12,500");
        assert_eq!(Amount::from_thousandths(1_234_500).grouped(), "1,234.5");
        assert_eq!(Amount::from_thousandths(5).to_string(), "0.005");
        assert_eq!(Amount::from_units(100).grouped(), "100");
        assert_eq!(Amount::from_units(1_000_000).grouped(), "1,000,000");
        assert_eq!(Amount::ZERO.grouped(), "0");
        assert_eq!(Amount::from_thousandths(1_500).as_f64(), 1.5);
    }

    #[test]
    fn totals_per_year_and_town() {
        let (a, b) = (TownId(0), TownId(3));
        let budget = Budget {
            years: vec![
                BudgetYear {
                    year: 2024,
                    amounts: vec![(a, Amount::from_units(12000)), (b, Amount::from_units(300))],
                },
                BudgetYear {
                    year: 2025,
                    amounts: vec![(a, Amount::from_units(12500))],
                },
            ],
        };
        assert_eq!(budget.total(2024), Some(Amount::from_units(12300)));
        assert_eq!(budget.total(2023), None);
        assert_eq!(budget.amount(2025, b), None);
        assert_eq!(budget.amount(2024, b), Some(Amount::from_units(300)));
        assert_eq!(budget.town_total(a), Amount::from_units(24500));
    }
}
