//! 成果指標 (KPIs): what a project measures, from where to where.

use super::{FiscalYear, NodePath};

/// One 成果指標 of a project, e.g. 二次救急の受入患者数 in 人.
///
/// Invariants: `indicator` is not blank; every point's year is a plausible fiscal
/// year (see [`crate::registry::YEARS`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    /// What is measured (指標名).
    pub indicator: String,
    /// The unit of the values (人, 件, %); empty when the registry gives none.
    pub unit: String,
    /// 基準値: where the project started.
    pub baseline: Option<KpiPoint>,
    /// 目標値: what it aims at.
    pub target: Option<KpiPoint>,
    /// 実績値: the latest measured value.
    pub actual: Option<KpiPoint>,
    /// Where the KPI's mapping is in the YAML (`….kpis[0]`).
    pub at: NodePath,
}

/// A value of a KPI in a fiscal year.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiPoint {
    pub year: FiscalYear,
    pub value: KpiValue,
}

/// A KPI value: a number, or a word where there is none yet (検討中, ―, 集計中).
#[derive(Debug, Clone, PartialEq)]
pub enum KpiValue {
    /// Finite; written in the registry as plain digits (`1430`, `85.5`, `1,200`).
    Number(f64),
    /// Not blank.
    Word(String),
}

impl KpiValue {
    pub fn as_number(&self) -> Option<f64> {
        match self {
            KpiValue::Number(n) => Some(*n),
            KpiValue::Word(_) => None,
        }
    }
}

impl std::fmt::Display for KpiValue {
    /// Numbers as written, without a trailing `.0` (`1430`, `85.5`); words as they are.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KpiValue::Number(n) => write!(f, "{n}"),
            KpiValue::Word(w) => f.write_str(w),
        }
    }
}

impl Kpi {
    /// 達成率: actual ÷ target (1.0 = 100 %), when both are numbers and the target is
    /// not zero. The 凡例 of most spheres grades against this ratio (目標の8割以上 …).
    pub fn achievement(&self) -> Option<f64> {
        let actual = self.actual.as_ref()?.value.as_number()?;
        let target = self.target.as_ref()?.value.as_number()?;
        (target != 0.0).then(|| actual / target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kpi(target: KpiValue, actual: KpiValue) -> Kpi {
        Kpi {
            indicator: "x".into(),
            unit: "人".into(),
            baseline: None,
            target: Some(KpiPoint {
                year: 2025,
                value: target,
            }),
            actual: Some(KpiPoint {
                year: 2024,
                value: actual,
            }),
            at: String::new(),
        }
    }

    #[test]
    fn achievement_needs_two_numbers_and_a_target() {
        let n = KpiValue::Number;
        assert_eq!(kpi(n(1500.0), n(1200.0)).achievement(), Some(0.8));
        assert_eq!(kpi(n(0.0), n(3.0)).achievement(), None);
        assert_eq!(
            kpi(n(10.0), KpiValue::Word("検討中".into())).achievement(),
            None
        );
    }

    #[test]
    fn numbers_print_without_a_trailing_zero() {
        assert_eq!(KpiValue::Number(1430.0).to_string(), "1430");
        assert_eq!(KpiValue::Number(85.5).to_string(), "85.5");
        assert_eq!(KpiValue::Word("―".into()).to_string(), "―");
    }
}
