//! Uploaded content as it arrives in a GraphQL input: base64 text.

use base64::Engine as _;
use integra_kernel::{AppError, AppResult};

use crate::{FileLimits, refuse};

/// Decodes base64 `text` into the file's bytes, refusing before decoding
/// when the text is longer than a file within `limits` could be. `field`
/// names the input field for a text that is not base64.
pub fn decode_base64(field: &str, text: &str, limits: &FileLimits) -> AppResult<Vec<u8>> {
    let text = text.trim();
    // Four characters carry three bytes.
    let longest = limits.max_file_bytes.div_ceil(3).saturating_mul(4);
    if text.len() > longest {
        return Err(too_large(limits));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| AppError::bad_input(field, "is not base64"))?;
    if bytes.len() > limits.max_file_bytes {
        return Err(too_large(limits));
    }
    Ok(bytes)
}

/// The refusal of a file over the size limit.
pub fn too_large(limits: &FileLimits) -> AppError {
    refuse(format!(
        "the file is larger than {}; split it into smaller files",
        limits.file_size_text()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_fits_and_refuses_before_decoding_what_does_not() {
        let limits = FileLimits {
            max_file_bytes: 6,
            ..FileLimits::IMPORT
        };
        assert_eq!(decode_base64("f", "YWJjZGVm", &limits).unwrap(), b"abcdef");
        let err = decode_base64("f", "YWJjZGVmZw==", &limits).unwrap_err();
        assert!(matches!(err, AppError::BadInput { ref field, .. } if field == "file"));
        let err = decode_base64("f", "no!?", &limits).unwrap_err();
        assert!(matches!(err, AppError::BadInput { ref field, .. } if field == "f"));
    }
}
