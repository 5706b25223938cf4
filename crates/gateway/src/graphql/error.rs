//! Mapping service errors to GraphQL errors with `extensions.code`.

use async_graphql::{ErrorExtensions, ServerError, Value};
use integra_kernel::AppError;

/// Converts a service error. Internal causes are logged here and replaced
/// by a generic message.
pub fn to_gql(err: AppError) -> async_graphql::Error {
    if let AppError::Internal(cause) = &err {
        tracing::error!(error = %cause, "internal error");
    }
    let code = err.code();
    let field = match &err {
        AppError::BadInput { field, .. } => Some(field.clone()),
        _ => None,
    };
    let retry = match &err {
        AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
        _ => None,
    };
    async_graphql::Error::new(err.to_string()).extend_with(|_, ext| {
        ext.set("code", code);
        if let Some(f) = &field {
            ext.set("field", f.as_str());
        }
        if let Some(r) = retry {
            ext.set("retryAfterSeconds", r);
        }
    })
}

/// `.gql()` on service results inside resolvers.
pub trait GqlResultExt<T> {
    /// Maps the error with [`to_gql`].
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> GqlResultExt<T> for Result<T, AppError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(to_gql)
    }
}

/// Gives every error of a response a code. Errors raised by the executor
/// before any resolver ran (syntax, validation, depth and complexity limits)
/// are the client's: `BAD_USER_INPUT`. An error from inside execution that
/// has no code did not come through [`to_gql`]: it is treated as internal and
/// its text is hidden.
pub fn finish_errors(errors: &mut [ServerError]) {
    for e in errors {
        let has_code = e.extensions.as_ref().and_then(|x| x.get("code")).is_some();
        if has_code {
            continue;
        }
        if e.path.is_empty() {
            let ext = e.extensions.get_or_insert_with(Default::default);
            ext.set("code", Value::from("BAD_USER_INPUT"));
        } else {
            tracing::error!(error = %e.message, "uncoded resolver error");
            e.message = "Internal error.".into();
            let ext = e.extensions.get_or_insert_with(Default::default);
            ext.set("code", Value::from("INTERNAL"));
        }
    }
}
