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
    pub id: uuid::Uuid,
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
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
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

fn text(field: &str, v: &str, max: usize, required: bool) -> AppResult<String> {
    let t = v.trim();
    if required && t.is_empty() {
        return Err(AppError::bad_input(field, "is required"));
    }
    if t.chars().count() > max {
        return Err(AppError::bad_input(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(AppError::bad_input(
            field,
            "must not contain control characters",
        ));
    }
    Ok(t.to_owned())
}

fn date_not_future(field: &str, d: NaiveDate, today: NaiveDate) -> AppResult<NaiveDate> {
    if d > today {
        return Err(AppError::bad_input(field, "must not be in the future"));
    }
    if d < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN) {
        return Err(AppError::bad_input(field, "must not be before 1900"));
    }
    Ok(d)
}

impl ClientInput {
    pub(crate) fn validate(&self, today: NaiveDate) -> AppResult<ValidInput> {
        let given_name = text("givenName", &self.given_name, MAX_NAME, true)?;
        let family_name = text("familyName", &self.family_name, MAX_NAME, true)?;
        if self.aliases.len() > 20 {
            return Err(AppError::bad_input("aliases", "at most 20 other spellings"));
        }
        let mut aliases = Vec::new();
        for a in &self.aliases {
            let given_name = text("aliases.givenName", &a.given_name, MAX_NAME, false)?;
            let family_name = text("aliases.familyName", &a.family_name, MAX_NAME, false)?;
            if given_name.is_empty() && family_name.is_empty() {
                continue;
            }
            aliases.push(Alias {
                given_name,
                family_name,
            });
        }
        let birth_date = self
            .birth_date
            .map(|d| date_not_future("birthDate", d, today))
            .transpose()?;
        let sex = Sex::parse(self.sex.trim())
            .ok_or_else(|| AppError::bad_input("sex", "must be f, m or x"))?;
        let nationality = parse_nationality(&self.nationality).ok_or_else(|| {
            AppError::bad_input(
                "nationality",
                format!(
                    "'{}' is not an ISO 3166-1 country code",
                    self.nationality.chars().take(10).collect::<String>()
                ),
            )
        })?;
        if self.languages.len() > 12 {
            return Err(AppError::bad_input("languages", "at most 12 languages"));
        }
        let mut languages = Vec::new();
        for l in &self.languages {
            let l = l.trim().to_ascii_lowercase();
            if !(2..=3).contains(&l.len()) || !l.chars().all(|c| c.is_ascii_lowercase()) {
                return Err(AppError::bad_input(
                    "languages",
                    "use ISO 639 language codes such as uk, ru, vi",
                ));
            }
            if !languages.contains(&l) {
                languages.push(l);
            }
        }
        let phone = text("phone", &self.phone, 40, false)?;
        if !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()/".contains(c))
        {
            return Err(AppError::bad_input(
                "phone",
                "may contain digits, spaces and + - ( ) / only",
            ));
        }
        let email = text("email", &self.email, 200, false)?;
        if !email.is_empty() && !looks_like_email(&email) {
            return Err(AppError::bad_input("email", "is not an email address"));
        }
        let municipality = text("municipality", &self.municipality, 200, false)?;
        let region_code = match self.region_code.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => Some(
                integra_tenants::Region::by_nuts3(code)
                    .ok_or_else(|| {
                        AppError::bad_input(
                            "regionCode",
                            "is not a Czech region code (NUTS3, e.g. CZ042)",
                        )
                    })?
                    .nuts3
                    .to_owned(),
            ),
        };
        let first_contact_on = match self.first_contact_on {
            Some(d) => date_not_future("firstContactOn", d, today)?,
            None => today,
        };
        let referral_source = text("referralSource", &self.referral_source, 200, false)?;
        Ok(ValidInput {
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
        })
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
