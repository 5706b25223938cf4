//! What each column means (the mapping, guessed from Czech or English
//! headers when not given) and how a cell becomes a field value.

use chrono::NaiveDate;

use crate::names;
use crate::residence::{ResidenceStatusKind, parse_nationality};
use integra_files::Cell;

/// A client field a column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImportField {
    /// Given name(s).
    GivenName,
    /// Family name(s).
    FamilyName,
    /// Date of birth.
    BirthDate,
    /// Sex.
    Sex,
    /// Nationality (code or country name, Czech or English).
    Nationality,
    /// Languages (codes separated by commas or spaces).
    Languages,
    /// Phone.
    Phone,
    /// Email.
    Email,
    /// Municipality.
    Municipality,
    /// Region (NUTS3 code or the region's name).
    Region,
    /// First contact with the centre.
    FirstContactOn,
    /// How the client found the centre.
    ReferralSource,
    /// Residence status (Czech or English name).
    ResidenceStatus,
    /// Residence valid from.
    ResidenceValidFrom,
    /// Residence valid to.
    ResidenceValidTo,
    /// Residence document type.
    DocumentType,
    /// Residence document number.
    DocumentNumber,
    /// The column is not imported.
    Ignore,
}

impl ImportField {
    /// Every field.
    pub const ALL: [Self; 18] = [
        Self::GivenName,
        Self::FamilyName,
        Self::BirthDate,
        Self::Sex,
        Self::Nationality,
        Self::Languages,
        Self::Phone,
        Self::Email,
        Self::Municipality,
        Self::Region,
        Self::FirstContactOn,
        Self::ReferralSource,
        Self::ResidenceStatus,
        Self::ResidenceValidFrom,
        Self::ResidenceValidTo,
        Self::DocumentType,
        Self::DocumentNumber,
        Self::Ignore,
    ];

    /// The input field name that problems with this column are reported
    /// under (as in `ClientInput` / `ResidenceInput`).
    pub fn input_name(self) -> &'static str {
        match self {
            Self::GivenName => "givenName",
            Self::FamilyName => "familyName",
            Self::BirthDate => "birthDate",
            Self::Sex => "sex",
            Self::Nationality => "nationality",
            Self::Languages => "languages",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Municipality => "municipality",
            Self::Region => "regionCode",
            Self::FirstContactOn => "firstContactOn",
            Self::ReferralSource => "referralSource",
            Self::ResidenceStatus => "residence.status",
            Self::ResidenceValidFrom => "residence.validFrom",
            Self::ResidenceValidTo => "residence.validTo",
            Self::DocumentType => "residence.documentType",
            Self::DocumentNumber => "residence.documentNumber",
            Self::Ignore => "",
        }
    }

    /// Header words that name this field (folded: lower case, no
    /// diacritics), Czech first.
    fn header_names(self) -> &'static [&'static str] {
        match self {
            Self::GivenName => &[
                "jmeno",
                "krestni jmeno",
                "jmena",
                "given name",
                "given names",
                "first name",
                "name",
            ],
            Self::FamilyName => &["prijmeni", "family name", "surname", "last name"],
            Self::BirthDate => &[
                "datum narozeni",
                "narozen",
                "narozena",
                "narozeni",
                "date of birth",
                "birth date",
                "birthdate",
                "dob",
            ],
            Self::Sex => &["pohlavi", "sex", "gender"],
            Self::Nationality => &[
                "statni prislusnost",
                "statni obcanstvi",
                "obcanstvi",
                "narodnost",
                "stat",
                "nationality",
                "citizenship",
                "country",
            ],
            Self::Languages => &["jazyk", "jazyky", "rodny jazyk", "language", "languages"],
            Self::Phone => &[
                "telefon",
                "tel",
                "mobil",
                "telefonni cislo",
                "phone",
                "mobile",
            ],
            Self::Email => &["email", "e mail", "mail"],
            Self::Municipality => &[
                "obec",
                "mesto",
                "bydliste",
                "misto pobytu",
                "adresa",
                "municipality",
                "city",
                "town",
            ],
            Self::Region => &["kraj", "region"],
            Self::FirstContactOn => &[
                "prvni kontakt",
                "datum prvniho kontaktu",
                "datum registrace",
                "first contact",
                "registered",
            ],
            Self::ReferralSource => &[
                "zdroj",
                "doporucil",
                "doporuceni",
                "odkud",
                "referral",
                "referral source",
                "referred by",
            ],
            Self::ResidenceStatus => &[
                "pobytove opravneni",
                "typ pobytu",
                "druh pobytu",
                "pobyt",
                "residence status",
                "residence",
            ],
            Self::ResidenceValidFrom => &["platnost od", "pobyt od", "platne od", "valid from"],
            Self::ResidenceValidTo => &[
                "platnost do",
                "pobyt do",
                "platne do",
                "valid to",
                "valid until",
            ],
            Self::DocumentType => &["typ dokladu", "doklad", "druh dokladu", "document type"],
            Self::DocumentNumber => &[
                "cislo dokladu",
                "cislo pasu",
                "document number",
                "document no",
            ],
            Self::Ignore => &[],
        }
    }
}

/// Guesses the field of a column from its header text.
pub fn guess(header: &str) -> ImportField {
    let h = names::fold(header);
    if h.is_empty() {
        return ImportField::Ignore;
    }
    ImportField::ALL
        .into_iter()
        .find(|f| f.header_names().contains(&h.as_str()))
        .unwrap_or(ImportField::Ignore)
}

/// Parses a date: a date cell, ISO `1990-05-17`, Czech `17.5.1990` or
/// `17. 5. 1990`, or `17/5/1990` (day first).
pub fn date(c: &Cell) -> Result<NaiveDate, String> {
    let bad = || {
        format!(
            "'{}' is not a date (write 17.5.1990 or 1990-05-17)",
            c.text().chars().take(30).collect::<String>()
        )
    };
    match c {
        Cell::Date(d) => Ok(*d),
        Cell::Number(n) if (1.0..100_000.0).contains(n) => {
            // An Excel date serial in a cell formatted as a number.
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).ok_or_else(bad)?;
            epoch
                .checked_add_days(chrono::Days::new(n.trunc() as u64))
                .ok_or_else(bad)
        }
        _ => {
            let t: String = c.text().chars().filter(|ch| !ch.is_whitespace()).collect();
            let t = t.split('T').next().unwrap_or("");
            for fmt in ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"] {
                if let Ok(d) = NaiveDate::parse_from_str(t, fmt) {
                    return Ok(d);
                }
            }
            Err(bad())
        }
    }
}

/// Parses sex: `m`, `muž`, `male`; `f`, `ž`, `žena`, `female`; `x`, `jiné`.
pub fn sex(c: &Cell) -> Result<&'static str, String> {
    let t = names::fold(&c.text());
    match t.as_str() {
        "m" | "muz" | "male" | "man" | "mr" => Ok("m"),
        "f" | "z" | "zena" | "female" | "woman" | "w" => Ok("f"),
        "x" | "jine" | "jiny" | "other" | "nezjisteno" => Ok("x"),
        _ => Err(format!(
            "'{}' is not a sex (write M, Ž or X)",
            c.text().chars().take(20).collect::<String>()
        )),
    }
}

/// Czech and common English country names of the nationalities centres
/// meet most, folded.
const COUNTRY_NAMES: &[(&str, &str)] = &[
    ("ukrajina", "UA"),
    ("ukraine", "UA"),
    ("slovensko", "SK"),
    ("slovakia", "SK"),
    ("vietnam", "VN"),
    ("viet nam", "VN"),
    ("rusko", "RU"),
    ("ruska federace", "RU"),
    ("russia", "RU"),
    ("polsko", "PL"),
    ("nemecko", "DE"),
    ("bulharsko", "BG"),
    ("rumunsko", "RO"),
    ("mongolsko", "MN"),
    ("kazachstan", "KZ"),
    ("belorusko", "BY"),
    ("belarus", "BY"),
    ("moldavsko", "MD"),
    ("moldova", "MD"),
    ("indie", "IN"),
    ("filipiny", "PH"),
    ("cina", "CN"),
    ("usa", "US"),
    ("spojene staty", "US"),
    ("spojene staty americke", "US"),
    ("velka britanie", "GB"),
    ("spojene kralovstvi", "GB"),
    ("united kingdom", "GB"),
    ("uk", "GB"),
    ("italie", "IT"),
    ("francie", "FR"),
    ("madarsko", "HU"),
    ("srbsko", "RS"),
    ("gruzie", "GE"),
    ("armenie", "AM"),
    ("azerbajdzan", "AZ"),
    ("uzbekistan", "UZ"),
    ("kyrgyzstan", "KG"),
    ("tadzikistan", "TJ"),
    ("turecko", "TR"),
    ("syrie", "SY"),
    ("syria", "SY"),
    ("afghanistan", "AF"),
    ("irak", "IQ"),
    ("iran", "IR"),
    ("nigerie", "NG"),
    ("egypt", "EG"),
    ("indonesie", "ID"),
    ("thajsko", "TH"),
    ("korejska republika", "KR"),
    ("jizni korea", "KR"),
    ("south korea", "KR"),
    ("japonsko", "JP"),
    ("brazilie", "BR"),
    ("mexiko", "MX"),
    ("kuba", "CU"),
    ("cesko", "CZ"),
    ("ceska republika", "CZ"),
    ("rakousko", "AT"),
    ("chorvatsko", "HR"),
    ("slovinsko", "SI"),
    ("bosna a hercegovina", "BA"),
    ("severni makedonie", "MK"),
    ("albanie", "AL"),
    ("cerna hora", "ME"),
    ("tunisko", "TN"),
    ("maroko", "MA"),
    ("alzirsko", "DZ"),
    ("pakistan", "PK"),
    ("banglades", "BD"),
    ("nepal", "NP"),
    ("sri lanka", "LK"),
    ("kolumbie", "CO"),
    ("venezuela", "VE"),
    ("peru", "PE"),
    ("kanada", "CA"),
    ("australie", "AU"),
    ("izrael", "IL"),
    ("libanon", "LB"),
    ("jordansko", "JO"),
    ("etiopie", "ET"),
    ("kamerun", "CM"),
    ("ghana", "GH"),
    ("kena", "KE"),
    ("somalsko", "SO"),
    ("eritrea", "ER"),
    ("sudan", "SD"),
    ("turkmenistan", "TM"),
    ("litva", "LT"),
    ("lotyssko", "LV"),
    ("estonsko", "EE"),
    ("recko", "GR"),
    ("spanelsko", "ES"),
    ("portugalsko", "PT"),
    ("nizozemsko", "NL"),
    ("belgie", "BE"),
    ("svedsko", "SE"),
    ("finsko", "FI"),
    ("dansko", "DK"),
    ("norsko", "NO"),
    ("irsko", "IE"),
    ("svycarsko", "CH"),
    ("lucembursko", "LU"),
    ("kypr", "CY"),
    ("malta", "MT"),
];

/// Parses a nationality: ISO alpha-2 or alpha-3 code, or a country name in
/// Czech or English.
pub fn nationality(c: &Cell) -> Result<String, String> {
    let raw = c.text();
    let t = raw.trim();
    if let Some(code) = parse_nationality(t) {
        return Ok(code);
    }
    if t.len() == 3
        && let Ok(code) = isocountry::CountryCode::for_alpha3(&t.to_ascii_uppercase())
    {
        return Ok(code.alpha2().to_owned());
    }
    let folded = names::fold(t);
    if let Some((_, code)) = COUNTRY_NAMES.iter().find(|(n, _)| *n == folded) {
        return Ok((*code).to_owned());
    }
    if let Some(code) = isocountry::CountryCode::iter().find(|c| names::fold(c.name()) == folded) {
        return Ok(code.alpha2().to_owned());
    }
    Err(format!(
        "'{}' is not a known country (write a code such as UA or a name such as Ukrajina)",
        t.chars().take(40).collect::<String>()
    ))
}

/// Parses a residence status from its Czech or English name or stored
/// code.
pub fn residence_status(c: &Cell) -> Result<ResidenceStatusKind, String> {
    use ResidenceStatusKind as K;
    let t = names::fold(&c.text());
    let code = t.replace(' ', "_");
    if let Some(k) = K::parse(&code) {
        return Ok(k);
    }
    if let Some(k) = K::ALL.into_iter().find(|k| names::fold(k.label()) == t) {
        return Ok(k);
    }
    let czech: &[(&str, K)] = &[
        ("trvaly pobyt", K::Permanent),
        ("trvaly", K::Permanent),
        ("dlouhodoby pobyt", K::LongTermPermit),
        ("dlouhodoby", K::LongTermPermit),
        ("zamestnanecka karta", K::LongTermPermit),
        ("modra karta", K::LongTermPermit),
        ("dlouhodobe vizum", K::LongTermVisa),
        ("vizum strpeni", K::LongTermVisa),
        ("prechodny pobyt", K::ShortStay),
        ("prechodny", K::ShortStay),
        ("rodinny prislusnik obcana eu", K::EuFamilyMember),
        ("docasna ochrana", K::TemporaryProtection),
        ("zvlastni dlouhodoby pobyt", K::SpecialLongTerm),
        ("azyl", K::Asylum),
        ("azylant", K::Asylum),
        ("doplnkova ochrana", K::SubsidiaryProtection),
        ("zadatel o mezinarodni ochranu", K::ProtectionApplicant),
        ("zadatel o azyl", K::ProtectionApplicant),
        ("obcan eu", K::EuCitizen),
    ];
    czech
        .iter()
        .find(|(n, _)| *n == t)
        .map(|(_, k)| *k)
        .ok_or_else(|| {
            format!(
                "'{}' is not a residence status (e.g. trvalý pobyt, dočasná ochrana, dlouhodobý pobyt)",
                c.text().chars().take(40).collect::<String>()
            )
        })
}

/// Parses a region from its NUTS3 code or its name.
pub fn region(c: &Cell) -> Result<String, String> {
    let t = c.text();
    if let Some(r) = integra_tenants::Region::by_nuts3(t.trim()) {
        return Ok(r.nuts3.to_owned());
    }
    let folded = names::fold(&t);
    let strip = |s: &str| names::fold(s).replace(" kraj", "");
    integra_tenants::regions::REGIONS
        .iter()
        .find(|r| names::fold(r.name) == folded || strip(r.name) == folded.replace(" kraj", ""))
        .map(|r| r.nuts3.to_owned())
        .ok_or_else(|| {
            format!(
                "'{}' is not a Czech region (write its name or a NUTS3 code such as CZ042)",
                t.chars().take(40).collect::<String>()
            )
        })
}

/// Splits a list of language codes.
pub fn languages(c: &Cell) -> Vec<String> {
    c.text()
        .split([',', ';', ' ', '/'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn headers_in_czech_and_english() {
        assert_eq!(guess("Příjmení"), ImportField::FamilyName);
        assert_eq!(guess("JMÉNO"), ImportField::GivenName);
        assert_eq!(guess("Datum narození"), ImportField::BirthDate);
        assert_eq!(guess("Státní příslušnost"), ImportField::Nationality);
        assert_eq!(guess("E-mail"), ImportField::Email);
        assert_eq!(guess("Date of birth"), ImportField::BirthDate);
        assert_eq!(guess("Poznámka"), ImportField::Ignore);
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(1990, 5, 17).unwrap();
        for s in [
            "1990-05-17",
            "17.5.1990",
            "17. 5. 1990",
            "17.05.1990",
            "17/5/1990",
        ] {
            assert_eq!(date(&t(s)), Ok(d), "{s}");
        }
        assert_eq!(date(&Cell::Date(d)), Ok(d));
        assert_eq!(date(&Cell::Number(33010.0)), Ok(d), "an Excel serial");
        assert!(date(&t("31.2.1990")).is_err());
        assert!(date(&t("yesterday")).is_err());
    }

    #[test]
    fn sexes_countries_statuses_regions() {
        assert_eq!(sex(&t("Ž")), Ok("f"));
        assert_eq!(sex(&t("muž")), Ok("m"));
        assert!(sex(&t("?")).is_err());
        assert_eq!(nationality(&t("Ukrajina")).as_deref(), Ok("UA"));
        assert_eq!(nationality(&t("ukr")).as_deref(), Ok("UA"));
        assert_eq!(nationality(&t("vn")).as_deref(), Ok("VN"));
        assert_eq!(nationality(&t("Germany")).as_deref(), Ok("DE"));
        assert!(nationality(&t("Atlantida")).is_err());
        assert_eq!(
            residence_status(&t("Dočasná ochrana")),
            Ok(ResidenceStatusKind::TemporaryProtection)
        );
        assert_eq!(
            residence_status(&t("temporary_protection")),
            Ok(ResidenceStatusKind::TemporaryProtection)
        );
        assert_eq!(
            residence_status(&t("permanent residence")),
            Ok(ResidenceStatusKind::Permanent)
        );
        assert!(residence_status(&t("turista")).is_err());
        assert_eq!(region(&t("Ústecký kraj")).as_deref(), Ok("CZ042"));
        assert_eq!(region(&t("ustecky")).as_deref(), Ok("CZ042"));
        assert_eq!(region(&t("CZ010")).as_deref(), Ok("CZ010"));
    }
}
