//! The languages emails are written in, and how a recipient's is chosen.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Prague;
use integra_kernel::{AppError, AppResult};

/// A language with a full set of templates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    /// Czech, the default.
    Cs,
    /// English.
    En,
}

impl Language {
    /// Every language, for tests that render each template in each.
    pub const ALL: [Self; 2] = [Self::Cs, Self::En];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Cs => "cs",
            Self::En => "en",
        }
    }

    /// Parses `cs` or `en` (any case); anything else is a `BAD_USER_INPUT`
    /// naming `field`.
    pub fn parse(field: &str, code: &str) -> AppResult<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "cs" => Ok(Self::Cs),
            "en" => Ok(Self::En),
            _ => Err(AppError::bad_input(field, "must be 'cs' or 'en'")),
        }
    }

    /// The language for someone who speaks `preferred` (ISO 639-1 codes, in
    /// order of preference): the first one we write in, else Czech, which
    /// people living in Czechia are likelier to read than English.
    pub fn for_speaker<S: AsRef<str>>(preferred: &[S]) -> Self {
        preferred
            .iter()
            .find_map(|code| Self::parse("language", code.as_ref()).ok())
            .unwrap_or(Self::Cs)
    }

    /// A stored code; unknown ones fall back to Czech.
    pub fn from_stored(code: &str) -> Self {
        Self::parse("language", code).unwrap_or(Self::Cs)
    }

    /// An instant as people in Czechia read it, e.g.
    /// `pondělí 23. 11. 2026 v 9:00` or `Monday 23 November 2026 at 9:00`.
    pub fn when(self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&Prague);
        match self {
            // Czech writes weekdays in lower case within a sentence; the
            // locale data has them capitalised.
            Self::Cs => local
                .format_localized("%A %-d. %-m. %Y v %-H:%M", chrono::Locale::cs_CZ)
                .to_string()
                .to_lowercase(),
            Self::En => local
                .format_localized("%A %-d %B %Y at %-H:%M", chrono::Locale::en_GB)
                .to_string(),
        }
    }

    /// A time of day in Prague, e.g. `17:30`.
    pub fn time(self, at: DateTime<Utc>) -> String {
        at.with_timezone(&Prague).format("%-H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_speakers_language_falls_back_to_czech() {
        assert_eq!(Language::for_speaker(&["uk", "en"]), Language::En);
        assert_eq!(Language::for_speaker(&["uk", "ru"]), Language::Cs);
        assert_eq!(Language::for_speaker::<&str>(&[]), Language::Cs);
        assert_eq!(Language::for_speaker(&["CS"]), Language::Cs);
    }

    #[test]
    fn instants_are_written_in_prague_time() {
        // 8:00 UTC in November is 9:00 in Prague.
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
        assert_eq!(Language::Cs.when(at), "pondělí 23. 11. 2026 v 9:00");
        assert_eq!(Language::En.when(at), "Monday 23 November 2026 at 9:00");
        // Summer time: 15:30 UTC is 17:30.
        let summer = Utc.with_ymd_and_hms(2026, 6, 2, 15, 30, 0).unwrap();
        assert_eq!(Language::Cs.time(summer), "17:30");
    }
}
