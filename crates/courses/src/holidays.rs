//! Czech public holidays (zákon č. 245/2000 Sb.): the fixed days, and Good
//! Friday and Easter Monday from Easter Sunday (the `computus` crate).

use chrono::{Datelike, Duration, NaiveDate};

/// The name of the public holiday on `day`, if it is one.
pub fn holiday(day: NaiveDate) -> Option<&'static str> {
    let fixed = match (day.month(), day.day()) {
        (1, 1) => Some("Den obnovy samostatného českého státu, Nový rok"),
        (5, 1) => Some("Svátek práce"),
        (5, 8) => Some("Den vítězství"),
        (7, 5) => Some("Den slovanských věrozvěstů Cyrila a Metoděje"),
        (7, 6) => Some("Den upálení mistra Jana Husa"),
        (9, 28) => Some("Den české státnosti"),
        (10, 28) => Some("Den vzniku samostatného československého státu"),
        (11, 17) => Some("Den boje za svobodu a demokracii"),
        (12, 24) => Some("Štědrý den"),
        (12, 25) => Some("1. svátek vánoční"),
        (12, 26) => Some("2. svátek vánoční"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let easter = computus::gregorian_naive(day.year()).ok()?;
    if day == easter - Duration::days(2) {
        Some("Velký pátek")
    } else if day == easter + Duration::days(1) {
        Some("Velikonoční pondělí")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn fixed_and_easter_holidays() {
        assert_eq!(holiday(d(2026, 4, 3)), Some("Velký pátek"));
        assert_eq!(holiday(d(2026, 4, 6)), Some("Velikonoční pondělí"));
        assert_eq!(holiday(d(2027, 3, 26)), Some("Velký pátek"));
        assert_eq!(holiday(d(2027, 3, 29)), Some("Velikonoční pondělí"));
        assert_eq!(holiday(d(2026, 10, 28)).map(|h| &h[..6]), Some("Den vz"));
        assert_eq!(holiday(d(2026, 12, 24)), Some("Štědrý den"));
        assert_eq!(
            holiday(d(2026, 4, 5)),
            None,
            "Easter Sunday is a Sunday, not a holiday here"
        );
        assert_eq!(holiday(d(2026, 4, 7)), None);
        assert_eq!(holiday(d(2026, 2, 3)), None);
    }
}
