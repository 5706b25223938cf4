//! Parsing uploaded files off the request threads.
//!
//! Parsing a spreadsheet is CPU work of up to a few seconds. Run on a
//! request thread it would stall every other request that thread serves;
//! run without a bound, a handful of uploads would take every core. Here it
//! runs on tokio's blocking pool under one process-wide semaphore.

use std::time::Duration;

use integra_kernel::{AppError, AppResult};
use tokio::sync::Semaphore;

/// Files parsed at the same time in one process (the others wait).
pub const PARSERS: usize = 2;

/// How long an upload waits for a parser before it is told to try again.
pub const WAIT: Duration = Duration::from_secs(30);

static SLOTS: Semaphore = Semaphore::const_new(PARSERS);

/// Runs `work` on a blocking thread once one of the [`PARSERS`] slots is
/// free. A caller that waits longer than [`WAIT`] gets `RATE_LIMITED`; a
/// parser that panics on a malformed file gives `BAD_USER_INPUT` on `file`
/// (the panic stays on its thread; the server keeps serving).
pub async fn off_thread<T, F>(work: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> AppResult<T> + Send + 'static,
{
    let permit = tokio::time::timeout(WAIT, SLOTS.acquire())
        .await
        .map_err(|_| AppError::RateLimited {
            retry_after_secs: WAIT.as_secs(),
        })?
        .map_err(AppError::internal)?;
    let outcome = tokio::task::spawn_blocking(work).await;
    drop(permit);
    match outcome {
        Ok(result) => result,
        Err(e) if e.is_panic() => {
            tracing::warn!(event = "file_parser_panicked", "a file could not be parsed");
            Err(crate::refuse(
                "is damaged and cannot be read (use .xlsx or .csv)",
            ))
        }
        Err(e) => Err(AppError::internal(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_parser_is_a_bad_file_and_frees_its_slot() {
        for _ in 0..PARSERS + 1 {
            let r: AppResult<()> = off_thread(|| panic!("malformed")).await;
            assert!(matches!(r, Err(AppError::BadInput { ref field, .. }) if field == "file"));
        }
        assert_eq!(off_thread(|| Ok(7)).await.unwrap(), 7);
    }
}
