//! Lengths carry their unit in the type: millimetres in templates, points on the page.

use serde::Deserialize;

/// Millimetres, as templates give paper, margins and column widths.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Deserialize)]
#[serde(transparent)]
pub struct Mm(pub f32);

/// PostScript points (1/72 inch), the PDF's unit.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Pt(pub f32);

impl From<Mm> for Pt {
    fn from(mm: Mm) -> Pt {
        Pt(mm.0 * 72.0 / 25.4)
    }
}

impl std::ops::Add for Pt {
    type Output = Pt;
    fn add(self, o: Pt) -> Pt {
        Pt(self.0 + o.0)
    }
}

impl std::ops::Sub for Pt {
    type Output = Pt;
    fn sub(self, o: Pt) -> Pt {
        Pt(self.0 - o.0)
    }
}

impl std::ops::AddAssign for Pt {
    fn add_assign(&mut self, o: Pt) {
        self.0 += o.0;
    }
}

impl std::ops::Mul<f32> for Pt {
    type Output = Pt;
    fn mul(self, k: f32) -> Pt {
        Pt(self.0 * k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a4_is_842_by_595_points() {
        assert!((Pt::from(Mm(297.0)).0 - 841.89).abs() < 0.01);
        assert!((Pt::from(Mm(210.0)).0 - 595.28).abs() < 0.01);
    }
}
