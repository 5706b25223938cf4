//! The periods of a year that figures are kept for: twelve months, four
//! quarters and the year. Stored by their codes (`M01`–`M12`, `Q1`–`Q4`,
//! `Y`) in `report_cells.period`.

use std::fmt;
use std::ops::RangeInclusive;

/// A period of a year, in the order the cells are computed: the months,
/// then the quarters, then the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// January.
    M01,
    /// February.
    M02,
    /// March.
    M03,
    /// April.
    M04,
    /// May.
    M05,
    /// June.
    M06,
    /// July.
    M07,
    /// August.
    M08,
    /// September.
    M09,
    /// October.
    M10,
    /// November.
    M11,
    /// December.
    M12,
    /// January to March.
    Q1,
    /// April to June.
    Q2,
    /// July to September.
    Q3,
    /// October to December.
    Q4,
    /// The whole year.
    Y,
}

/// Czech month names (nominative), January first.
pub const CZECH_MONTHS: [&str; 12] = [
    "leden",
    "únor",
    "březen",
    "duben",
    "květen",
    "červen",
    "červenec",
    "srpen",
    "září",
    "říjen",
    "listopad",
    "prosinec",
];

impl Period {
    /// Every period, in computing order ([`Period::index`]).
    pub const ALL: [Period; 17] = [
        Period::M01,
        Period::M02,
        Period::M03,
        Period::M04,
        Period::M05,
        Period::M06,
        Period::M07,
        Period::M08,
        Period::M09,
        Period::M10,
        Period::M11,
        Period::M12,
        Period::Q1,
        Period::Q2,
        Period::Q3,
        Period::Q4,
        Period::Y,
    ];

    /// The quarters and the year, in order.
    pub const QUARTERS_AND_YEAR: [Period; 5] =
        [Period::Q1, Period::Q2, Period::Q3, Period::Q4, Period::Y];

    /// The position in [`Period::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The period at `index` of [`Period::ALL`].
    pub fn from_index(index: usize) -> Option<Period> {
        Period::ALL.get(index).copied()
    }

    /// The month `m` (1–12).
    pub fn month(m: u32) -> Option<Period> {
        (1..=12).contains(&m).then(|| Period::ALL[(m - 1) as usize])
    }

    /// The stored code: `M01`–`M12`, `Q1`–`Q4`, `Y`.
    pub fn code(self) -> &'static str {
        const CODES: [&str; 17] = [
            "M01", "M02", "M03", "M04", "M05", "M06", "M07", "M08", "M09", "M10", "M11", "M12",
            "Q1", "Q2", "Q3", "Q4", "Y",
        ];
        CODES[self.index()]
    }

    /// The period of a stored code.
    pub fn parse(code: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Its months (1–12).
    pub fn months(self) -> RangeInclusive<u32> {
        let i = self.index() as u32;
        match self.index() {
            0..=11 => (i + 1)..=(i + 1),
            12..=15 => {
                let q = i - 12;
                (3 * q + 1)..=(3 * q + 3)
            }
            _ => 1..=12,
        }
    }

    /// In Czech words: "leden 2025", "1. čtvrtletí 2025", "rok 2025".
    pub fn czech_name(self, year: i32) -> String {
        match self.index() {
            m @ 0..=11 => format!("{} {year}", CZECH_MONTHS[m]),
            q @ 12..=15 => format!("{}. čtvrtletí {year}", q - 11),
            _ => format!("rok {year}"),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_months_and_names_agree() {
        for (i, p) in Period::ALL.into_iter().enumerate() {
            assert_eq!(p.index(), i);
            assert_eq!(Period::parse(p.code()), Some(p));
            assert_eq!(Period::from_index(i), Some(p));
        }
        assert_eq!(Period::M03.months(), 3..=3);
        assert_eq!(Period::Q2.months(), 4..=6);
        assert_eq!(Period::Y.months(), 1..=12);
        assert_eq!(Period::month(12), Some(Period::M12));
        assert_eq!(Period::month(13), None);
        assert_eq!(Period::parse("M13"), None);
        assert_eq!(Period::M01.czech_name(2025), "leden 2025");
        assert_eq!(Period::Q3.czech_name(2025), "3. čtvrtletí 2025");
        assert_eq!(Period::Y.czech_name(2025), "rok 2025");
    }
}
