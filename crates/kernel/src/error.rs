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
            Self::Conflict(_) => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Internal(_) => "INTERNAL",
        }
    }
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
