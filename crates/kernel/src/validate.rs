//! Small input checks shared by every context. Each names the offending
//! field in its `BAD_USER_INPUT` error.

use chrono::NaiveDate;

use crate::error::{AppError, AppResult};

/// Trims `v`; refuses it when required and empty, longer than `max`
/// characters, or containing control characters.
pub fn text(field: &str, v: &str, max: usize, required: bool) -> AppResult<String> {
    checked(field, v, max, required, false)
}

/// Like [`text`] for longer free text (notes, outcomes): line breaks and
/// tabs are allowed, other control characters are not.
pub fn long_text(field: &str, v: &str, max: usize, required: bool) -> AppResult<String> {
    checked(field, v, max, required, true)
}

fn checked(field: &str, v: &str, max: usize, required: bool, lines: bool) -> AppResult<String> {
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
    let allowed = |c: char| lines && matches!(c, '\n' | '\r' | '\t');
    if t.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(AppError::bad_input(
            field,
            "must not contain control characters",
        ));
    }
    Ok(t.to_owned())
}

/// A date that is not in the future and not before 1900.
pub fn date_not_future(field: &str, d: NaiveDate, today: NaiveDate) -> AppResult<NaiveDate> {
    if d > today {
        return Err(AppError::bad_input(field, "must not be in the future"));
    }
    if d < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN) {
        return Err(AppError::bad_input(field, "must not be before 1900"));
    }
    Ok(d)
}

/// A whole number within `min..=max`.
pub fn int_range(field: &str, v: i32, min: i32, max: i32) -> AppResult<i32> {
    if v < min || v > max {
        return Err(AppError::bad_input(
            field,
            format!("must be between {min} and {max}"),
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_checks_name_the_field() {
        assert_eq!(text("title", "  a ", 5, true).ok().as_deref(), Some("a"));
        let e = text("title", " ", 5, true).err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("title: is required"));
        assert!(text("title", "abcdef", 5, true).is_err());
        assert!(text("title", "a\nb", 5, true).is_err());
        assert!(long_text("body", "a\nb", 5, true).is_ok());
        assert!(long_text("body", "a\u{7}b", 5, true).is_err());
        assert!(int_range("durationMinutes", -5, 1, 600).is_err());
    }
}
