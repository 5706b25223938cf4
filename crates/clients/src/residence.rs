//! Residence statuses (pobytová oprávnění) and nationality classes.

use chrono::NaiveDate;

/// A residence status from docs/domain.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResidenceStatusKind {
    /// Trvalý pobyt.
    Permanent,
    /// Dlouhodobý pobyt: employee card, blue card, family, study.
    LongTermPermit,
    /// Dlouhodobé vízum, including the tolerance visa.
    LongTermVisa,
    /// Přechodný pobyt.
    ShortStay,
    /// Residence as a family member of an EU citizen.
    EuFamilyMember,
    /// Dočasná ochrana (Ukrainians).
    TemporaryProtection,
    /// Special long-term residence for former temporary-protection holders.
    SpecialLongTerm,
    /// Azyl.
    Asylum,
    /// Doplňková ochrana.
    SubsidiaryProtection,
    /// Applicant for international protection.
    ProtectionApplicant,
    /// EU/EEA/Swiss citizen.
    EuCitizen,
}

impl ResidenceStatusKind {
    /// Every status.
    pub const ALL: [Self; 11] = [
        Self::Permanent,
        Self::LongTermPermit,
        Self::LongTermVisa,
        Self::ShortStay,
        Self::EuFamilyMember,
        Self::TemporaryProtection,
        Self::SpecialLongTerm,
        Self::Asylum,
        Self::SubsidiaryProtection,
        Self::ProtectionApplicant,
        Self::EuCitizen,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Permanent => "permanent",
            Self::LongTermPermit => "long_term_permit",
            Self::LongTermVisa => "long_term_visa",
            Self::ShortStay => "short_stay",
            Self::EuFamilyMember => "eu_family_member",
            Self::TemporaryProtection => "temporary_protection",
            Self::SpecialLongTerm => "special_long_term",
            Self::Asylum => "asylum",
            Self::SubsidiaryProtection => "subsidiary_protection",
            Self::ProtectionApplicant => "protection_applicant",
            Self::EuCitizen => "eu_citizen",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// How a person names it, in English.
    pub fn label(self) -> &'static str {
        match self {
            Self::Permanent => "permanent residence",
            Self::LongTermPermit => "long-term residence permit",
            Self::LongTermVisa => "long-term visa",
            Self::ShortStay => "short stay",
            Self::EuFamilyMember => "residence as a family member of an EU citizen",
            Self::TemporaryProtection => "temporary protection",
            Self::SpecialLongTerm => "special long-term residence",
            Self::Asylum => "asylum",
            Self::SubsidiaryProtection => "subsidiary protection",
            Self::ProtectionApplicant => "applicant for international protection",
            Self::EuCitizen => "EU citizen",
        }
    }
}

/// One period of a client's residence status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResidencePeriod {
    /// The status.
    pub status: ResidenceStatusKind,
    /// First day.
    pub valid_from: NaiveDate,
    /// Last day, if limited.
    pub valid_to: Option<NaiveDate>,
    /// Proceedings pending (an application for this status or its
    /// extension; for protection applicants: the case is not final).
    pub proceedings_pending: bool,
}

impl ResidencePeriod {
    /// Whether the period covers `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day <= to)
    }
}

/// The status in force on `day`: of the periods covering it, the one that
/// started last. A period whose end has passed while proceedings for its
/// extension are pending still counts (the person stays lawfully).
pub fn status_on(periods: &[ResidencePeriod], day: NaiveDate) -> Option<&ResidencePeriod> {
    periods
        .iter()
        .filter(|p| p.covers(day) || (p.proceedings_pending && p.valid_from <= day))
        .max_by_key(|p| (p.covers(day), p.valid_from))
}

/// EU and EEA member states and Switzerland (ISO 3166-1 alpha-2), whose
/// citizens are not third-country nationals.
pub const EU_EEA_CH: [&str; 31] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "CH",
];

/// Validates an ISO 3166-1 alpha-2 code, returning it upper-cased.
pub fn parse_nationality(code: &str) -> Option<String> {
    let c = code.trim().to_ascii_uppercase();
    isocountry::CountryCode::for_alpha2(&c).ok().map(|_| c)
}

/// English name of a country code.
pub fn country_name(code: &str) -> &'static str {
    isocountry::CountryCode::for_alpha2(code)
        .map(|c| c.name())
        .unwrap_or("unknown country")
}
