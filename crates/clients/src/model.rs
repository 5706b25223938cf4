//! Domain types of the client registry and the validation of input.

use chrono::{DateTime, NaiveDate, Utc};
use integra_kernel::{AppError, AppResult, BranchId, ClientId, UserId};

use crate::residence::{ResidenceStatusKind, parse_nationality};

/// Longest name part accepted (names on permits are far shorter).
pub const MAX_NAME: usize = 200;

/// Sex as on the residence document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Other or not stated (X on the document).
    Other,
}

impl Sex {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Female => "f",
            Self::Male => "m",
            Self::Other => "x",
        }
    }
    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "f" => Some(Self::Female),
            "m" => Some(Self::Male),
            "x" => Some(Self::Other),
            _ => None,
        }
    }
}

/// Another spelling of a client's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    /// Given name(s).
    pub given_name: String,
    /// Family name(s).
    pub family_name: String,
}

/// One recorded residence status with its document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResidenceRecord {
    /// Id.
    pub id: crate::ids::ResidenceId,
    /// The status.
    pub status: ResidenceStatusKind,
    /// Document type, e.g. "průkaz o povolení k pobytu".
    pub document_type: String,
    /// Document number.
    pub document_number: String,
    /// First day.
    pub valid_from: NaiveDate,
    /// Last day, if limited.
    pub valid_to: Option<NaiveDate>,
    /// Proceedings pending.
    pub proceedings_pending: bool,
}

/// Who verified a client's identity from their document, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    /// When.
    pub at: DateTime<Utc>,
    /// Staff member.
    pub by: Option<UserId>,
}

/// A client's full record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    /// Id.
    pub id: ClientId,
    /// Given name(s) as on the residence document.
    pub given_name: String,
    /// Family name(s) as on the residence document.
    pub family_name: String,
    /// Other spellings.
    pub aliases: Vec<Alias>,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Sex.
    pub sex: Sex,
    /// Nationality, ISO 3166-1 alpha-2.
    pub nationality: String,
    /// Languages spoken, ISO 639-1.
    pub languages: Vec<String>,
    /// Phone.
    pub phone: String,
    /// Email.
    pub email: String,
    /// Municipality of residence.
    pub municipality: String,
    /// Region of residence (NUTS3).
    pub region_code: Option<String>,
    /// Branch that registered the client.
    pub branch_id: Option<BranchId>,
    /// First contact with the centre.
    pub first_contact_on: NaiveDate,
    /// How the client found the centre.
    pub referral_source: String,
    /// Identity verification.
    pub identity_verified: Option<Verification>,
    /// Residence history, oldest first.
    pub residence: Vec<ResidenceRecord>,
    /// The status in force on the day the record was read.
    pub residence_status: Option<ResidenceStatusKind>,
    /// Consent decisions, oldest first (the latest per purpose is in force).
    pub consents: Vec<ConsentRecord>,
    /// Linked members of the client's household.
    pub household: Vec<HouseholdMember>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// What a client consents to (or not).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConsentPurpose {
    /// Processing of personal data beyond what the law requires for the
    /// service itself (kept in the registry, contacted about services).
    DataProcessing,
    /// News and invitations by email or text message.
    Newsletter,
    /// Photographs and recordings at courses and events.
    Photography,
    /// Passing data to partner organisations and offices on referral.
    SharingWithPartners,
}

impl ConsentPurpose {
    /// Every purpose.
    pub const ALL: [Self; 4] = [
        Self::DataProcessing,
        Self::Newsletter,
        Self::Photography,
        Self::SharingWithPartners,
    ];
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DataProcessing => "data_processing",
            Self::Newsletter => "newsletter",
            Self::Photography => "photography",
            Self::SharingWithPartners => "sharing_with_partners",
        }
    }
    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
    /// How a person names it, in English.
    pub fn label(self) -> &'static str {
        match self {
            Self::DataProcessing => "processing of personal data",
            Self::Newsletter => "news and invitations",
            Self::Photography => "photographs and recordings",
            Self::SharingWithPartners => "sharing with partner organisations",
        }
    }
}

/// One consent decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentRecord {
    /// Id.
    pub id: crate::ids::ConsentId,
    /// Purpose.
    pub purpose: ConsentPurpose,
    /// Given (`true`) or withdrawn/refused (`false`).
    pub given: bool,
    /// The day the client decided.
    pub decided_on: NaiveDate,
    /// Staff member who recorded it.
    pub recorded_by: Option<UserId>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// How a household member relates to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HouseholdRelation {
    /// Husband, wife or partner.
    Partner,
    /// The member is the client's child.
    Child,
    /// The member is the client's parent.
    Parent,
    /// Brother or sister.
    Sibling,
    /// Any other member of the household.
    Other,
}

impl HouseholdRelation {
    /// Every relation.
    pub const ALL: [Self; 5] = [
        Self::Partner,
        Self::Child,
        Self::Parent,
        Self::Sibling,
        Self::Other,
    ];
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Partner => "partner",
            Self::Child => "child",
            Self::Parent => "parent",
            Self::Sibling => "sibling",
            Self::Other => "other",
        }
    }
    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
    /// The relation seen from the other side (my child's parent is me).
    pub fn inverse(self) -> Self {
        match self {
            Self::Child => Self::Parent,
            Self::Parent => Self::Child,
            other => other,
        }
    }
}

/// A linked household member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HouseholdMember {
    /// The member's client record.
    pub client_id: ClientId,
    /// Given name(s).
    pub given_name: String,
    /// Family name(s).
    pub family_name: String,
    /// How the member relates to the client.
    pub relation: HouseholdRelation,
}

/// What a search result shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientSummary {
    /// Id.
    pub id: ClientId,
    /// Given name(s).
    pub given_name: String,
    /// Family name(s).
    pub family_name: String,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Sex.
    pub sex: Sex,
    /// Nationality.
    pub nationality: String,
    /// The residence status in force today.
    pub residence_status: Option<ResidenceStatusKind>,
    /// Registering branch.
    pub branch_id: Option<BranchId>,
    /// How well it matched the search text (0 when there was none).
    pub score: f64,
}

/// A residence status to record.
#[derive(Clone, Debug, Default)]
pub struct NewResidence {
    /// Status name (see [`ResidenceStatusKind::as_str`]).
    pub status: String,
    /// Document type.
    pub document_type: String,
    /// Document number.
    pub document_number: String,
    /// First day.
    pub valid_from: Option<NaiveDate>,
    /// Last day.
    pub valid_to: Option<NaiveDate>,
    /// Proceedings pending.
    pub proceedings_pending: bool,
}

/// The editable profile of a client.
#[derive(Clone, Debug, Default)]
pub struct ClientInput {
    /// Given name(s).
    pub given_name: String,
    /// Family name(s).
    pub family_name: String,
    /// Other spellings.
    pub aliases: Vec<Alias>,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Sex: `f`, `m` or `x`.
    pub sex: String,
    /// Nationality code.
    pub nationality: String,
    /// Language codes.
    pub languages: Vec<String>,
    /// Phone.
    pub phone: String,
    /// Email.
    pub email: String,
    /// Municipality.
    pub municipality: String,
    /// Region (NUTS3).
    pub region_code: Option<String>,
    /// Registering branch.
    pub branch_id: Option<BranchId>,
    /// First contact (today when missing).
    pub first_contact_on: Option<NaiveDate>,
    /// Referral source.
    pub referral_source: String,
}

/// A validated profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ValidInput {
    pub given_name: String,
    pub family_name: String,
    pub aliases: Vec<Alias>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Sex,
    pub nationality: String,
    pub languages: Vec<String>,
    pub phone: String,
    pub email: String,
    pub municipality: String,
    pub region_code: Option<String>,
    pub branch_id: Option<BranchId>,
    pub first_contact_on: NaiveDate,
    pub referral_source: String,
}

use integra_kernel::validate::{date_not_future, text};

/// Collects every bad-input problem of one record instead of stopping at the
/// first (the spreadsheet import reports them all).
#[derive(Debug, Default)]
pub(crate) struct Problems(pub Vec<(String, String)>);

impl Problems {
    /// Keeps the value, or notes the problem and answers `None`.
    pub fn check<T>(&mut self, r: AppResult<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(AppError::BadInput { field, message }) => {
                self.0.push((field, message));
                None
            }
            Err(other) => {
                self.0.push((String::new(), other.to_string()));
                None
            }
        }
    }
    /// Notes a problem.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_owned(), message.into()));
    }
    /// The first problem as an error.
    pub fn first_error(mut self) -> AppError {
        if self.0.is_empty() {
            return AppError::internal_msg("validation failed without a problem");
        }
        let (field, message) = self.0.swap_remove(0);
        AppError::BadInput { field, message }
    }
}

impl ClientInput {
    pub(crate) fn validate(&self, today: NaiveDate) -> AppResult<ValidInput> {
        self.validate_all(today).map_err(Problems::first_error)
    }

    /// Validates every field, reporting every problem.
    pub(crate) fn validate_all(&self, today: NaiveDate) -> Result<ValidInput, Problems> {
        let mut p = Problems::default();
        let given_name = p.check(text("givenName", &self.given_name, MAX_NAME, true));
        let family_name = p.check(text("familyName", &self.family_name, MAX_NAME, true));
        if self.aliases.len() > 20 {
            p.add("aliases", "at most 20 other spellings");
        }
        let mut aliases = Vec::new();
        for a in self.aliases.iter().take(20) {
            let given_name = p.check(text("aliases.givenName", &a.given_name, MAX_NAME, false));
            let family_name = p.check(text("aliases.familyName", &a.family_name, MAX_NAME, false));
            if let (Some(given_name), Some(family_name)) = (given_name, family_name)
                && !(given_name.is_empty() && family_name.is_empty())
            {
                aliases.push(Alias {
                    given_name,
                    family_name,
                });
            }
        }
        let birth_date = self
            .birth_date
            .and_then(|d| p.check(date_not_future("birthDate", d, today)));
        let sex = Sex::parse(self.sex.trim());
        if sex.is_none() {
            p.add("sex", "must be f, m or x");
        }
        let nationality = parse_nationality(&self.nationality);
        if nationality.is_none() {
            p.add(
                "nationality",
                format!(
                    "'{}' is not an ISO 3166-1 country code",
                    self.nationality.chars().take(10).collect::<String>()
                ),
            );
        }
        if self.languages.len() > 12 {
            p.add("languages", "at most 12 languages");
        }
        let mut languages = Vec::new();
        for l in self.languages.iter().take(12) {
            let l = l.trim().to_ascii_lowercase();
            if !(2..=3).contains(&l.len()) || !l.chars().all(|c| c.is_ascii_lowercase()) {
                p.add("languages", "use ISO 639 language codes such as uk, ru, vi");
                break;
            }
            if !languages.contains(&l) {
                languages.push(l);
            }
        }
        let phone = p.check(text("phone", &self.phone, 40, false));
        if let Some(phone) = &phone
            && !phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()/".contains(c))
        {
            p.add("phone", "may contain digits, spaces and + - ( ) / only");
        }
        let email = p.check(text("email", &self.email, 200, false));
        if let Some(email) = &email
            && !email.is_empty()
            && !looks_like_email(email)
        {
            p.add("email", "is not an email address");
        }
        let municipality = p.check(text("municipality", &self.municipality, 200, false));
        let region_code = match self.region_code.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => match integra_tenants::Region::by_nuts3(code) {
                Some(r) => Some(r.nuts3.to_owned()),
                None => {
                    p.add(
                        "regionCode",
                        "is not a Czech region code (NUTS3, e.g. CZ042)",
                    );
                    None
                }
            },
        };
        let first_contact_on = match self.first_contact_on {
            Some(d) => p.check(date_not_future("firstContactOn", d, today)),
            None => Some(today),
        };
        let referral_source = p.check(text("referralSource", &self.referral_source, 200, false));
        match (
            given_name,
            family_name,
            sex,
            nationality,
            phone,
            email,
            municipality,
            first_contact_on,
            referral_source,
        ) {
            (
                Some(given_name),
                Some(family_name),
                Some(sex),
                Some(nationality),
                Some(phone),
                Some(email),
                Some(municipality),
                Some(first_contact_on),
                Some(referral_source),
            ) if p.0.is_empty() => Ok(ValidInput {
                given_name,
                family_name,
                aliases,
                birth_date,
                sex,
                nationality,
                languages,
                phone,
                email,
                municipality,
                region_code,
                branch_id: self.branch_id,
                first_contact_on,
                referral_source,
            }),
            _ => Err(p),
        }
    }
}

fn looks_like_email(s: &str) -> bool {
    let mut parts = s.splitn(2, '@');
    match (parts.next(), parts.next()) {
        (Some(local), Some(domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !s.contains(' ')
        }
        _ => false,
    }
}

/// A validated residence record.
#[derive(Clone, Debug)]
pub(crate) struct ValidResidence {
    pub status: ResidenceStatusKind,
    pub document_type: String,
    pub document_number: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub proceedings_pending: bool,
}

impl NewResidence {
    pub(crate) fn validate(&self, prefix: &str) -> AppResult<ValidResidence> {
        let f = |name: &str| format!("{prefix}{name}");
        let status = ResidenceStatusKind::parse(self.status.trim()).ok_or_else(|| {
            AppError::bad_input(
                f("status"),
                format!(
                    "must be one of: {}",
                    ResidenceStatusKind::ALL
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        let valid_from = self
            .valid_from
            .ok_or_else(|| AppError::bad_input(f("validFrom"), "is required"))?;
        if let Some(to) = self.valid_to
            && to < valid_from
        {
            return Err(AppError::bad_input(
                f("validTo"),
                "must not be before validFrom",
            ));
        }
        Ok(ValidResidence {
            status,
            document_type: text(&f("documentType"), &self.document_type, 100, false)?,
            document_number: text(&f("documentNumber"), &self.document_number, 50, false)?,
            valid_from,
            valid_to: self.valid_to,
            proceedings_pending: self.proceedings_pending,
        })
    }
}

/// Splits a stored comma-separated list, dropping empty items.
pub(crate) fn split_list(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
