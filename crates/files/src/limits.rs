//! The limits of one uploaded file.

/// How large and how wide an uploaded file may be. Every check is made
/// before the part it guards is read into memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileLimits {
    /// Bytes of the file as uploaded.
    pub max_file_bytes: usize,
    /// Parts (files) inside a zip container such as `.xlsx`.
    pub max_parts: usize,
    /// Bytes of one part once unpacked.
    pub max_part_bytes: u64,
    /// Bytes of all parts together once unpacked.
    pub max_unpacked_bytes: u64,
    /// Data rows (below the header row).
    pub max_rows: usize,
    /// Rows a sheet may span, counted from its first row: the data rows,
    /// the header and a margin for title and blank rows.
    pub max_sheet_rows: u32,
    /// Columns a sheet may span, counted from column A.
    pub max_columns: u32,
    /// Bytes of one CSV line (one record).
    pub max_line_bytes: usize,
    /// Fields of one CSV line.
    pub max_fields: usize,
}

impl FileLimits {
    /// The spreadsheet import of clients.
    pub const IMPORT: Self = Self {
        max_file_bytes: 10 * 1024 * 1024,
        max_parts: 1_000,
        max_part_bytes: 64 * 1024 * 1024,
        max_unpacked_bytes: 160 * 1024 * 1024,
        max_rows: 50_000,
        max_sheet_rows: 51_000,
        max_columns: 100,
        max_line_bytes: 64 * 1024,
        max_fields: 100,
    };

    /// The file size as a person reads it ("10 MB").
    pub fn file_size_text(&self) -> String {
        megabytes(self.max_file_bytes as u64)
    }
}

/// Whole megabytes, rounded down, at least 1.
pub(crate) fn megabytes(bytes: u64) -> String {
    format!("{} MB", (bytes / (1024 * 1024)).max(1))
}
