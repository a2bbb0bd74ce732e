//! The machine-readable columns for the fields beyond the seed, shared by the
//! workbook's データ sheet and the CSV: one column per field that some project of the
//! registry has, one value per cell.
//!
//! ```text
//! ID | 主担当 | 担当課 | 評価 | 今後の方向性            the project's own fields
//! 成果指標1 | 単位1 | 基準値1 | 基準年度1 | 目標値1 | 目標年度1 | 実績値1 | 実績年度1
//! 成果指標2 | …                                    one group per KPI, as many as the
//!                                                  project with the most KPIs has
//! 事業費2025年度（千円） | 事業費2026年度（千円） | …   the project's total per fiscal year
//! ```
//! Years are Western fiscal years as numbers (2025 is 令和7年度), as machine-readable
//! data asks; KPI values are numbers where the registry has numbers (words such as
//! 検討中 stay text); a budget cell is the sum over the project's towns for that year,
//! empty when the project has no budget line for it. The per-town amounts are on the
//! 事業費 sheet and each KPI's 達成率 on the 成果指標 sheet.

use crate::model::{FiscalYear, KpiPoint, KpiValue, Project, Registry};
use crate::units::Mm;

/// One cell's value.
pub enum Value<'a> {
    Text(&'a str),
    Number(f64),
    Empty,
}

/// Which of a KPI's values a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KpiField {
    Indicator,
    Unit,
    Baseline,
    BaselineYear,
    Target,
    TargetYear,
    Actual,
    ActualYear,
}

const KPI_FIELDS: [KpiField; 8] = [
    KpiField::Indicator,
    KpiField::Unit,
    KpiField::Baseline,
    KpiField::BaselineYear,
    KpiField::Target,
    KpiField::TargetYear,
    KpiField::Actual,
    KpiField::ActualYear,
];

/// A column of the data sheet after the member towns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    Lead,
    Department,
    Grade,
    Direction,
    /// The `n`th KPI of the project (0-based).
    Kpi(usize, KpiField),
    /// The project's budget total for the fiscal year.
    Budget(FiscalYear),
}

impl Field {
    /// The columns `registry` needs, in order: a field only when some project has it.
    pub fn present(registry: &Registry) -> Vec<Field> {
        let any = |has: fn(&Project) -> bool| registry.projects().any(has);
        let mut fields = Vec::new();
        for (field, has) in [
            (Field::Id, any(|p| p.id.is_some())),
            (Field::Lead, any(|p| p.lead.is_some())),
            (Field::Department, any(|p| p.department.is_some())),
            (Field::Grade, any(|p| p.grade.is_some())),
            (Field::Direction, any(|p| p.direction.is_some())),
        ] {
            if has {
                fields.push(field);
            }
        }
        let kpis = registry.projects().map(|p| p.kpis.len()).max().unwrap_or(0);
        for n in 0..kpis {
            fields.extend(KPI_FIELDS.iter().map(|&f| Field::Kpi(n, f)));
        }
        fields.extend(registry.budget_years().into_iter().map(Field::Budget));
        fields
    }

    pub fn header(self, registry: &Registry) -> String {
        let kpi = |n: usize, f: KpiField| {
            let name = match f {
                KpiField::Indicator => "成果指標",
                KpiField::Unit => "単位",
                KpiField::Baseline => "基準値",
                KpiField::BaselineYear => "基準年度",
                KpiField::Target => "目標値",
                KpiField::TargetYear => "目標年度",
                KpiField::Actual => "実績値",
                KpiField::ActualYear => "実績年度",
            };
            format!("{name}{}", n + 1)
        };
        match self {
            Field::Id => "ID".into(),
            Field::Lead => "主担当".into(),
            Field::Department => "担当課".into(),
            Field::Grade => "評価".into(),
            Field::Direction => "今後の方向性".into(),
            Field::Kpi(n, f) => kpi(n, f),
            Field::Budget(year) => format!("事業費{year}年度（{}）", registry.unit),
        }
    }

    pub fn width(self) -> Mm {
        Mm(match self {
            Field::Id | Field::Department => 30.0,
            Field::Lead | Field::Direction => 20.0,
            Field::Grade => 12.0,
            Field::Kpi(_, KpiField::Indicator) => 60.0,
            Field::Kpi(_, KpiField::Unit) => 12.0,
            Field::Kpi(..) => 18.0,
            Field::Budget(_) => 30.0,
        })
    }

    pub fn value<'r>(self, registry: &'r Registry, p: &'r Project) -> Value<'r> {
        let text = |t: Option<&'r String>| t.map_or(Value::Empty, |t| Value::Text(t));
        match self {
            Field::Id => text(p.id.as_ref()),
            Field::Lead => text(p.lead.map(|t| &registry.town(t).name)),
            Field::Department => text(p.department.as_ref()),
            Field::Grade => text(p.grade.as_ref()),
            Field::Direction => text(p.direction.as_ref()),
            Field::Kpi(n, f) => {
                let Some(k) = p.kpis.get(n) else {
                    return Value::Empty;
                };
                let point = |pt: Option<&'r KpiPoint>| match pt.map(|pt| &pt.value) {
                    Some(KpiValue::Number(v)) => Value::Number(*v),
                    Some(KpiValue::Word(w)) => Value::Text(w),
                    None => Value::Empty,
                };
                let year = |pt: Option<&KpiPoint>| {
                    pt.map_or(Value::Empty, |pt| Value::Number(f64::from(pt.year)))
                };
                match f {
                    KpiField::Indicator => Value::Text(&k.indicator),
                    KpiField::Unit => Value::Text(&k.unit),
                    KpiField::Baseline => point(k.baseline.as_ref()),
                    KpiField::BaselineYear => year(k.baseline.as_ref()),
                    KpiField::Target => point(k.target.as_ref()),
                    KpiField::TargetYear => year(k.target.as_ref()),
                    KpiField::Actual => point(k.actual.as_ref()),
                    KpiField::ActualYear => year(k.actual.as_ref()),
                }
            }
            Field::Budget(year) => p
                .budget
                .total(year)
                .map_or(Value::Empty, |a| Value::Number(a.as_f64())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_gains_no_column() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/registry.yaml");
        let registry = crate::registry::load(path.as_ref()).unwrap();
        assert_eq!(Field::present(&registry), []);
    }

    #[test]
    fn a_sphere_gains_its_fields_kpis_and_budget_years_in_order() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kamikawa-2025.yaml");
        let registry = crate::registry::load(path.as_ref()).unwrap();
        let fields = Field::present(&registry);
        let headers: Vec<String> = fields.iter().map(|f| f.header(&registry)).collect();
        assert_eq!(
            headers[..7],
            [
                "ID",
                "主担当",
                "担当課",
                "評価",
                "今後の方向性",
                "成果指標1",
                "単位1"
            ]
        );
        let kpis = registry.projects().map(|p| p.kpis.len()).max().unwrap();
        let years = registry.budget_years();
        assert_eq!(fields.len(), 5 + 8 * kpis + years.len());
        assert_eq!(
            headers.last().unwrap(),
            &format!("事業費{}年度（{}）", years.last().unwrap(), registry.unit)
        );
    }
}
