//! Shared scalars.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// A calendar day, `YYYY-MM-DD` (Europe/Prague civil date, no time zone),
/// in the years 1900 to 2200: nothing Integra records lies outside them,
/// and a year 262,143 would only make ranges and schedules explode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// The first and last year a [`Date`] input may have.
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date (YYYY-MM-DD)"))?;
    if !DATE_YEARS.contains(&chrono::Datelike::year(&d)) {
        return Err(format!(
            "'{s}' is outside the years {} to {}",
            DATE_YEARS.start(),
            DATE_YEARS.end()
        ));
    }
    Ok(d)
}

#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => parse_date(s).map(Date).map_err(InputValueError::custom),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    // Checked at validation, where the refusal names the field.
    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(s) if parse_date(s).is_ok())
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_bounded_to_1900_through_2200() {
        assert!(parse_date("1900-01-01").is_ok());
        assert!(parse_date("2200-12-31").is_ok());
        assert!(
            parse_date("1899-12-31")
                .unwrap_err()
                .contains("outside the years")
        );
        assert!(parse_date("2201-01-01").is_err());
        assert!(parse_date("+262143-01-01").is_err());
        assert!(parse_date("2025-02-30").unwrap_err().contains("not a date"));
    }
}
