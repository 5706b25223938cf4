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
    let clashes = match &err {
        AppError::Clashes(list) => Some(clash_values(list)),
        _ => None,
    };
    async_graphql::Error::new(err.to_string()).extend_with(|_, ext| {
        ext.set("code", code);
        if let Some(c) = &clashes {
            ext.set("clashes", c.clone());
        }
        if let Some(f) = &field {
            ext.set("field", f.as_str());
        }
        if let Some(r) = retry {
            ext.set("retryAfterSeconds", r);
        }
    })
}

/// Each clash as an object the client can show next to the field.
fn clash_values(list: &[integra_kernel::Clash]) -> Value {
    Value::List(
        list.iter()
            .map(|c| {
                let mut m = async_graphql::indexmap::IndexMap::new();
                for (k, v) in [
                    ("resource", c.resource.clone()),
                    ("resourceId", c.resource_id.to_string()),
                    ("resourceName", c.resource_name.clone()),
                    ("withKind", c.with_kind.clone()),
                    ("withId", c.with_id.to_string()),
                    ("withTitle", c.with_title.clone()),
                    ("startsAt", c.starts_at.to_rfc3339()),
                    ("endsAt", c.ends_at.to_rfc3339()),
                ] {
                    m.insert(async_graphql::Name::new(k), Value::from(v));
                }
                Value::Object(m)
            })
            .collect(),
    )
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
        let input_error = e.message.starts_with("Invalid value for argument")
            || e.message.starts_with("Failed to parse");
        if e.path.is_empty() || input_error {
            let field = argument_name(&e.message);
            let ext = e.extensions.get_or_insert_with(Default::default);
            ext.set("code", Value::from("BAD_USER_INPUT"));
            if let Some(f) = field {
                ext.set("field", Value::from(f));
            }
        } else {
            tracing::error!(error = %e.message, "uncoded resolver error");
            e.message = "Internal error.".into();
            let ext = e.extensions.get_or_insert_with(Default::default);
            ext.set("code", Value::from("INTERNAL"));
        }
    }
}

/// The argument an executor input error is about: `Invalid value for
/// argument "input.birthDate", …` names `birthDate` (the `input.` wrapper is
/// dropped, as service errors name fields inside the input).
fn argument_name(message: &str) -> Option<String> {
    let rest = message.strip_prefix("Invalid value for argument \"")?;
    let name = rest.split('"').next()?;
    let name = name.strip_prefix("input.").unwrap_or(name);
    // List positions are dropped: `topics.0` is the field `topics`, as
    // service errors name it.
    let parts: Vec<&str> = name
        .split('.')
        .filter(|p| !p.chars().all(|c| c.is_ascii_digit()))
        .collect();
    Some(parts.join("."))
}

#[cfg(test)]
mod tests {
    use super::argument_name;

    #[test]
    fn argument_names_come_from_executor_messages() {
        assert_eq!(
            argument_name(r#"Invalid value for argument "input.birthDate", expected type "Date""#)
                .as_deref(),
            Some("birthDate")
        );
        assert_eq!(
            argument_name(r#"Invalid value for argument "on", expected type "Date""#).as_deref(),
            Some("on")
        );
        assert_eq!(argument_name("Unknown field"), None);
        assert_eq!(
            argument_name(r#"Invalid value for argument "input.topics.0", enumeration type"#)
                .as_deref(),
            Some("topics")
        );
        assert_eq!(
            argument_name(r#"Invalid value for argument "input.goals.1.status", x"#).as_deref(),
            Some("goals.status")
        );
    }
}
