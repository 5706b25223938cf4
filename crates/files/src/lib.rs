//! Files people upload, checked for size and shape before they are read
//! into memory, and parsed off the request threads; and the fonts of the
//! PDFs Integra writes ([`fonts`]). See the crate README.

pub mod fonts;
pub mod limits;
pub mod parse;
pub mod sheet;
pub mod upload;
pub mod zipped;

pub use limits::FileLimits;
pub use sheet::{Cell, Table, column_letter};

use integra_kernel::AppError;

/// The one shape of every refusal: `BAD_USER_INPUT` on the field `file`.
pub(crate) fn refuse(message: impl Into<String>) -> AppError {
    AppError::bad_input("file", message)
}
