//! Who may be served from which money, on which day.
//!
//! Eligibility depends on the funding project's rule and is evaluated on the
//! date of each service (docs/domain.md). The answer carries a reason a person
//! understands.

use chrono::NaiveDate;
use integra_tenants::{EligibilityRule, FundingProject};

use crate::residence::{
    EU_EEA_CH, ResidencePeriod, ResidenceStatusKind as S, country_name, status_on,
};

/// The answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Eligibility {
    /// Whether the service may be charged to the project.
    pub eligible: bool,
    /// Why, in plain words.
    pub reason: String,
}

impl Eligibility {
    fn yes(reason: impl Into<String>) -> Self {
        Self {
            eligible: true,
            reason: reason.into(),
        }
    }
    fn no(reason: impl Into<String>) -> Self {
        Self {
            eligible: false,
            reason: reason.into(),
        }
    }
}

/// Evaluates `rule` for a person of `nationality` with residence history
/// `periods` on `day`.
pub fn evaluate_rule(
    rule: EligibilityRule,
    nationality: &str,
    periods: &[ResidencePeriod],
    day: NaiveDate,
) -> Eligibility {
    match rule {
        EligibilityRule::Open => Eligibility::yes("the project serves everyone"),
        EligibilityRule::AmifDefault => amif(nationality, periods, day),
    }
}

/// Evaluates a project's rule, also checking its period.
pub fn evaluate(
    project: &FundingProject,
    nationality: &str,
    periods: &[ResidencePeriod],
    day: NaiveDate,
) -> Eligibility {
    if day < project.starts_on || day > project.ends_on {
        return Eligibility::no(format!(
            "{} is outside the project period {} – {}",
            day, project.starts_on, project.ends_on
        ));
    }
    evaluate_rule(project.eligibility_rule, nationality, periods, day)
}

fn amif(nationality: &str, periods: &[ResidencePeriod], day: NaiveDate) -> Eligibility {
    let nat = nationality.to_ascii_uppercase();
    if nat == "CZ" {
        return Eligibility::no("Czech citizen: not a third-country national");
    }
    if EU_EEA_CH.contains(&nat.as_str()) {
        return Eligibility::no(format!(
            "EU/EEA/Swiss citizen ({}): not a third-country national",
            country_name(&nat)
        ));
    }
    let current = status_on(periods, day);
    if nat == "UA" {
        return match current {
            Some(p) => Eligibility::yes(format!("Ukrainian citizen with {}", p.status.label())),
            None => no_status(periods, day),
        };
    }
    let Some(p) = current else {
        return no_status(periods, day);
    };
    let expired_but_pending = !p.covers(day);
    match p.status {
        S::EuCitizen => Eligibility::no("EU citizen: not a third-country national"),
        S::ProtectionApplicant => {
            if p.proceedings_pending {
                Eligibility::no("applicant for international protection, proceedings not final")
            } else {
                Eligibility::no(
                    "applicant for international protection: record the decision (asylum or subsidiary protection) as a new status",
                )
            }
        }
        S::ShortStay => Eligibility::no("short stay: not lawful long-term residence"),
        S::Permanent
        | S::LongTermPermit
        | S::LongTermVisa
        | S::EuFamilyMember
        | S::SpecialLongTerm
        | S::TemporaryProtection
        | S::Asylum
        | S::SubsidiaryProtection => {
            if expired_but_pending {
                Eligibility::yes(format!(
                    "third-country national: application pending for {}",
                    p.status.label()
                ))
            } else {
                Eligibility::yes(format!("third-country national with {}", p.status.label()))
            }
        }
    }
}

fn no_status(periods: &[ResidencePeriod], day: NaiveDate) -> Eligibility {
    let last = periods
        .iter()
        .filter(|p| p.valid_from <= day)
        .filter_map(|p| p.valid_to.map(|to| (to, p)))
        .max_by_key(|(to, _)| *to);
    match last {
        Some((to, p)) => Eligibility::no(format!(
            "no valid residence status on {day}: {} expired on {to}",
            p.status.label()
        )),
        None => Eligibility::no(format!("no residence status recorded for {day}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn period(status: S, from: NaiveDate, to: Option<NaiveDate>, pending: bool) -> ResidencePeriod {
        ResidencePeriod {
            status,
            valid_from: from,
            valid_to: to,
            proceedings_pending: pending,
        }
    }

    /// Every status, for a third-country national (Vietnam), an EU citizen
    /// (Slovakia) and a Ukrainian, on a day the status is valid.
    #[test]
    fn every_status_and_nationality_class() {
        use S::*;
        let day = d(2026, 3, 1);
        // (status, pending, Vietnam, Slovakia, Ukraine)
        let table = [
            (Permanent, false, true, false, true),
            (LongTermPermit, false, true, false, true),
            (LongTermVisa, false, true, false, true),
            (ShortStay, false, false, false, true),
            (EuFamilyMember, false, true, false, true),
            (TemporaryProtection, false, true, false, true),
            (SpecialLongTerm, false, true, false, true),
            (Asylum, false, true, false, true),
            (SubsidiaryProtection, false, true, false, true),
            (ProtectionApplicant, true, false, false, true),
            (EuCitizen, false, false, false, true),
        ];
        assert_eq!(table.len(), S::ALL.len());
        for (status, pending, vn, sk, ua) in table {
            let periods = [period(status, d(2025, 1, 1), Some(d(2027, 1, 1)), pending)];
            for (nat, expected) in [("VN", vn), ("SK", sk), ("UA", ua)] {
                let e = evaluate_rule(EligibilityRule::AmifDefault, nat, &periods, day);
                assert_eq!(e.eligible, expected, "{status:?} {nat}: {}", e.reason);
                assert!(!e.reason.is_empty());
            }
            let open = evaluate_rule(EligibilityRule::Open, "SK", &periods, day);
            assert!(open.eligible);
        }
    }

    #[test]
    fn reasons_a_person_understands() {
        let day = d(2026, 3, 1);
        let e = evaluate_rule(EligibilityRule::AmifDefault, "SK", &[], day);
        assert_eq!(
            e.reason,
            "EU/EEA/Swiss citizen (Slovakia): not a third-country national"
        );
        let applicant = [period(S::ProtectionApplicant, d(2026, 1, 10), None, true)];
        let e = evaluate_rule(EligibilityRule::AmifDefault, "SY", &applicant, day);
        assert_eq!(
            e.reason,
            "applicant for international protection, proceedings not final"
        );
        let e = evaluate_rule(EligibilityRule::AmifDefault, "MN", &[], day);
        assert_eq!(e.reason, "no residence status recorded for 2026-03-01");
    }

    #[test]
    fn a_ukrainian_moves_from_temporary_protection_to_special_long_term_residence() {
        let history = [
            period(
                S::TemporaryProtection,
                d(2022, 3, 15),
                Some(d(2025, 9, 30)),
                false,
            ),
            period(
                S::SpecialLongTerm,
                d(2025, 10, 1),
                Some(d(2030, 9, 30)),
                false,
            ),
        ];
        let e = evaluate_rule(EligibilityRule::AmifDefault, "UA", &history, d(2024, 6, 1));
        assert!(e.eligible);
        assert!(e.reason.contains("temporary protection"), "{}", e.reason);
        let e = evaluate_rule(EligibilityRule::AmifDefault, "UA", &history, d(2026, 6, 1));
        assert!(e.eligible);
        assert!(e.reason.contains("special long-term"), "{}", e.reason);
    }

    #[test]
    fn an_expired_permit_and_a_pending_extension() {
        let expired = [period(
            S::LongTermPermit,
            d(2023, 1, 1),
            Some(d(2025, 12, 31)),
            false,
        )];
        let e = evaluate_rule(EligibilityRule::AmifDefault, "VN", &expired, d(2026, 2, 1));
        assert!(!e.eligible);
        assert_eq!(
            e.reason,
            "no valid residence status on 2026-02-01: long-term residence permit expired on 2025-12-31"
        );
        // Before it expired it counted.
        assert!(
            evaluate_rule(EligibilityRule::AmifDefault, "VN", &expired, d(2025, 6, 1)).eligible
        );
        // An application for extension keeps the person lawfully resident.
        let pending = [period(
            S::LongTermPermit,
            d(2023, 1, 1),
            Some(d(2025, 12, 31)),
            true,
        )];
        let e = evaluate_rule(EligibilityRule::AmifDefault, "VN", &pending, d(2026, 2, 1));
        assert!(e.eligible, "{}", e.reason);
        assert!(e.reason.contains("application pending"), "{}", e.reason);
    }

    #[test]
    fn an_applicant_granted_asylum_becomes_eligible() {
        let history = [
            period(
                S::ProtectionApplicant,
                d(2024, 1, 1),
                Some(d(2025, 4, 30)),
                true,
            ),
            period(S::Asylum, d(2025, 5, 1), None, false),
        ];
        assert!(
            !evaluate_rule(EligibilityRule::AmifDefault, "SY", &history, d(2024, 6, 1)).eligible
        );
        assert!(
            evaluate_rule(EligibilityRule::AmifDefault, "SY", &history, d(2025, 6, 1)).eligible
        );
    }

    #[test]
    fn the_project_period_bounds_eligibility() {
        let project = FundingProject {
            id: integra_kernel::FundingProjectId::new(),
            registration_number: "AMIF/31/03".into(),
            name: "x".into(),
            source: integra_tenants::FundingSource::Amif,
            eligibility_rule: EligibilityRule::AmifDefault,
            starts_on: d(2022, 8, 1),
            ends_on: d(2023, 7, 31),
            contact_threshold_minutes: 30,
        };
        let periods = [period(S::Permanent, d(2020, 1, 1), None, false)];
        assert!(evaluate(&project, "VN", &periods, d(2023, 1, 1)).eligible);
        let e = evaluate(&project, "VN", &periods, d(2023, 8, 1));
        assert!(!e.eligible);
        assert!(e.reason.contains("outside the project period"));
    }
}
