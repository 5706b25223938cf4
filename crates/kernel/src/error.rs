//! The one error type of every service, with a stable machine-readable code.

use std::fmt;

/// Result of a service call.
pub type AppResult<T> = Result<T, AppError>;

/// An error a service returns to its caller.
///
/// The `Display` text of every variant is safe to show to the user: internal
/// causes are kept in the source chain of [`AppError::Internal`] and never in
/// its message.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The caller is not signed in, or the credentials were wrong.
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller is signed in but lacks the role for this operation.
    #[error("You do not have permission to do this.")]
    Forbidden,
    /// The record does not exist, or it belongs to another centre (the two
    /// are deliberately indistinguishable).
    #[error("Not found.")]
    NotFound,
    /// The input is invalid; `field` names the offending input field.
    #[error("{field}: {message}")]
    BadInput {
        /// Input field name as the client sent it (camelCase for GraphQL).
        field: String,
        /// Human-readable explanation.
        message: String,
    },
    /// The operation conflicts with existing data.
    #[error("{0}")]
    Conflict(String),
    /// A person, room or interpreter would be in two places at once. Every
    /// clash is listed; the code is `CONFLICT`.
    #[error("{}", clash_message(.0))]
    Clashes(Vec<Clash>),
    /// Too many attempts; the caller should wait.
    #[error("Too many attempts. Try again in {retry_after_secs} seconds.")]
    RateLimited {
        /// Seconds until the next attempt may succeed.
        retry_after_secs: u64,
    },
    /// Anything unexpected. The cause is logged, never shown.
    #[error("Internal error.")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    /// A bad-input error naming the field.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// An internal error from any error value.
    pub fn internal(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(err))
    }

    /// An internal error from a message (for invariants that do not hold).
    pub fn internal_msg(message: impl Into<String>) -> Self {
        Self::Internal(Box::new(Message(message.into())))
    }

    /// The stable error code clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadInput { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) | Self::Clashes(_) => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

/// One booking in the way of another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clash {
    /// What is double-booked: `worker`, `interpreter`, `lecturer`, `room`.
    pub resource: String,
    /// Its id.
    pub resource_id: uuid::Uuid,
    /// Its name for people (a staff member's or interpreter's name).
    pub resource_name: String,
    /// What it is already booked for: `appointment`, `course session`, …
    pub with_kind: String,
    /// That booking's id.
    pub with_id: uuid::Uuid,
    /// Its title (a course's title, a service kind).
    pub with_title: String,
    /// Its start.
    pub starts_at: chrono::DateTime<chrono::Utc>,
    /// Its end.
    pub ends_at: chrono::DateTime<chrono::Utc>,
}

fn clash_message(clashes: &[Clash]) -> String {
    let list: Vec<String> = clashes
        .iter()
        .map(|c| {
            let tz = chrono_tz::Europe::Prague;
            format!(
                "{} {} is booked {} {}–{} ({})",
                c.resource,
                c.resource_name,
                c.starts_at.with_timezone(&tz).format("%Y-%m-%d"),
                c.starts_at.with_timezone(&tz).format("%H:%M"),
                c.ends_at.with_timezone(&tz).format("%H:%M"),
                if c.with_title.is_empty() {
                    c.with_kind.clone()
                } else {
                    format!("{}: {}", c.with_kind, c.with_title)
                }
            )
        })
        .collect();
    format!("The time clashes: {}.", list.join("; "))
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::internal(err)
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(e) => Self::internal(e),
            sea_orm::TransactionError::Transaction(e) => e,
        }
    }
}

#[derive(Debug)]
struct Message(String);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Message {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_never_show_their_cause() {
        let err = AppError::internal_msg("password=hunter2 leaked in a driver message");
        assert_eq!(err.to_string(), "Internal error.");
        assert_eq!(err.code(), "INTERNAL");
    }

    #[test]
    fn bad_input_names_the_field() {
        let err = AppError::bad_input("name", "must not be empty");
        assert_eq!(err.to_string(), "name: must not be empty");
        assert_eq!(err.code(), "BAD_USER_INPUT");
    }
}
