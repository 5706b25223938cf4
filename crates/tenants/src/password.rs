//! Password hashing with argon2id (OWASP minimum: m = 19 MiB, t = 2, p = 1,
//! which is the argon2 crate's default), run off the async executor.

use std::sync::OnceLock;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use integra_kernel::AppError;
use tokio::sync::Semaphore;

/// Each argon2 run takes 19 MiB and a core for tens of milliseconds; a burst
/// of sign-ins must not take all memory or starve other requests, so at most
/// one run per core proceeds at a time and the rest queue.
fn hashing_slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| {
        Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
    })
}

/// An argon2id hash (same parameters as real ones) of a random password
/// nobody knows. Verifying against it costs what a real check costs, so an
/// unknown email takes as long as a wrong password.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$pIdgsfJFO3S3+YTtU9jueA$7inKAlVbbEs5cyOMM2rzat84SZlwE2YDeRKL35JuFQE";

/// Minimum password length accepted when a password is set.
pub const MIN_LENGTH: usize = 10;

/// Hashes a password into a PHC string.
pub async fn hash(password: String) -> Result<String, AppError> {
    let _slot = hashing_slots()
        .acquire()
        .await
        .map_err(AppError::internal)?;
    tokio::task::spawn_blocking(move || {
        let hash: PasswordHash = Argon2::default()
            .hash_password(password.as_bytes())
            .map_err(|e| AppError::internal_msg(format!("argon2 hash failed: {e}")))?;
        Ok(hash.to_string())
    })
    .await
    .map_err(AppError::internal)?
}

/// Checks a password against a PHC string. Malformed stored hashes count as
/// a mismatch (and are logged without the hash).
pub async fn verify(password: String, phc: String) -> Result<bool, AppError> {
    let _slot = hashing_slots()
        .acquire()
        .await
        .map_err(AppError::internal)?;
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&phc) else {
            tracing::error!("stored password hash is malformed");
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(AppError::internal)
}

/// Validates a new password, naming the field on failure.
pub fn validate_new(field: &str, password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_LENGTH {
        return Err(AppError::bad_input(
            field,
            format!("must be at least {MIN_LENGTH} characters long"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_argon2id_owasp_parameters() {
        let phc = hash("correct horse battery".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(
            verify("correct horse battery".into(), phc.clone())
                .await
                .unwrap()
        );
        assert!(!verify("wrong".into(), phc).await.unwrap());
        assert!(!verify("x".into(), "garbage".into()).await.unwrap());
        assert!(
            !verify("integra-demo".into(), DUMMY_HASH.into())
                .await
                .unwrap()
        );
    }
}
