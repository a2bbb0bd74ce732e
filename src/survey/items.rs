//! What a town answers in its 照会, as keyed items shared by `survey` (which writes
//! them) and `collect` (which matches the answers back by key, never by position).

use sha2::{Digest, Sha256};

use crate::model::{FiscalYear, KpiValue, Project, Registry, TownId};

/// A value a town may answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Status,
    Summary,
    Grade,
    Direction,
    /// The actual value (実績値) of the project's KPI at this index.
    KpiActual(usize),
    /// The town's own budget amount in this fiscal year.
    Budget(FiscalYear),
}

/// One answer cell of a survey.
#[derive(Debug, Clone)]
pub struct Item {
    /// `<project key>/<field>`, e.g. `no:3/status`, `id:niji/budget/2025`.
    pub key: String,
    /// Index of the project in table order ([`Registry::rows`]).
    pub project: usize,
    pub field: Field,
    /// The value in the registry when the survey was made, as text.
    pub value: String,
    /// What the row asks, in Japanese (項目).
    pub label: String,
    /// A number is expected (budget amounts).
    pub numeric: bool,
}

/// A project's key: its `id` when it has one (stable across renumbering), else its number.
pub fn project_key(p: &Project) -> String {
    match &p.id {
        Some(id) => format!("id:{id}"),
        None => format!("no:{}", p.number),
    }
}

/// The town that answers for the project: its `lead`, else its first member town.
pub fn lead(p: &Project) -> Option<TownId> {
    p.lead.or_else(|| p.towns.first().copied())
}

/// The fiscal year a project's budget is asked for: the registry's `fiscal_year`,
/// else the latest year the project has figures for.
pub fn budget_year(registry: &Registry, p: &Project) -> Option<FiscalYear> {
    registry
        .fiscal_year
        .or_else(|| p.budget.years.last().map(|y| y.year))
}

/// Every value `town` answers, in table order.
pub fn items_for(registry: &Registry, town: TownId) -> Vec<Item> {
    let mut out = Vec::new();
    for (i, (_, _, p)) in registry.rows().enumerate() {
        if !p.has_town(town) {
            continue;
        }
        let key = project_key(p);
        let mut push = |field: Field, suffix: String, value: String, label: String, numeric| {
            out.push(Item {
                key: format!("{key}/{suffix}"),
                project: i,
                field,
                value,
                label,
                numeric,
            })
        };
        if lead(p) == Some(town) {
            push(
                Field::Status,
                "status".into(),
                p.status.clone(),
                "取組状況".into(),
                false,
            );
            push(
                Field::Summary,
                "summary".into(),
                p.summary.clone(),
                "取組内容・事業概要".into(),
                false,
            );
            if !registry.grades.is_empty() {
                let grade = p.grade.clone().unwrap_or_default();
                push(Field::Grade, "grade".into(), grade, "評価".into(), false);
            }
            if !registry.directions.is_empty() {
                let direction = p.direction.clone().unwrap_or_default();
                push(
                    Field::Direction,
                    "direction".into(),
                    direction,
                    "今後の方向性".into(),
                    false,
                );
            }
            for (k, kpi) in p.kpis.iter().enumerate() {
                let year = kpi.actual.as_ref().map(|a| a.year).or(registry.fiscal_year);
                let Some(year) = year else { continue };
                let value = kpi
                    .actual
                    .as_ref()
                    .map(|a| match &a.value {
                        KpiValue::Number(n) => format!("{n}"),
                        KpiValue::Word(w) => w.clone(),
                    })
                    .unwrap_or_default();
                let unit = if kpi.unit.is_empty() {
                    String::new()
                } else {
                    format!("、{}", kpi.unit)
                };
                push(
                    Field::KpiActual(k),
                    format!("kpi/{k}/actual"),
                    value,
                    format!("成果指標「{}」の実績値（{year}年度{unit}）", kpi.indicator),
                    false,
                );
            }
        }
        if let Some(year) = budget_year(registry, p) {
            let value = p
                .budget
                .amount(year, town)
                .map(|a| a.to_string())
                .unwrap_or_default();
            push(
                Field::Budget(year),
                format!("budget/{year}"),
                value,
                format!("事業費（{year}年度、{}）", registry.unit),
                true,
            );
        }
    }
    out
}

/// Identifies a registry and its version as far as answers depend on it: title,
/// label, member towns, the declared lists, and each project's key, number, name,
/// towns and lead. Answered values are left out, so that collecting one town's answers
/// does not turn the other towns' surveys into answers to an older version.
pub fn digest(registry: &Registry) -> String {
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    put(&registry.title);
    put(&registry.label);
    for t in &registry.towns {
        put(&t.name);
    }
    put("statuses");
    for s in &registry.statuses {
        put(s);
    }
    put("grades");
    for g in &registry.grades {
        put(&g.key);
    }
    put("directions");
    for d in &registry.directions {
        put(d);
    }
    put(&format!("{:?}", registry.fiscal_year));
    for (_, _, p) in registry.rows() {
        put(&project_key(p));
        put(&p.number.to_string());
        put(&p.name);
        put(&format!("{:?} {:?} {}", p.towns, lead(p), p.kpis.len()));
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}
