//! Zip containers (`.xlsx`, `.ods`): every part unpacked into nothing,
//! counting, before any reader opens the file. What a part holds once
//! unpacked is the same every time, so a file that passes here cannot grow
//! past the limits when the reader unpacks it again.

use std::io::{Cursor, Read};

use integra_kernel::AppResult;

use crate::limits::megabytes;
use crate::{FileLimits, refuse};

/// What a zip container holds, by its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    /// An Office Open XML workbook (`xl/workbook.xml`).
    Xlsx,
    /// An OpenDocument spreadsheet (`mimetype` says so).
    Ods,
    /// Any other zip.
    Other,
}

const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Checks every part of the zip in `content` against `limits` and tells
/// what it is. A part larger than allowed once unpacked (whatever its
/// header declares), too many parts, an encrypted or broken zip are
/// refused on `file`.
pub fn inspect(content: &[u8], limits: &FileLimits) -> AppResult<Container> {
    let unreadable = || refuse("is damaged or not a spreadsheet (use .xlsx or .csv)");
    let mut zip = zip::ZipArchive::new(Cursor::new(content)).map_err(|_| unreadable())?;
    if zip.len() > limits.max_parts {
        return Err(refuse(format!(
            "holds {} parts, more than a spreadsheet has (at most {})",
            zip.len(),
            limits.max_parts
        )));
    }
    let mut kind = Container::Other;
    let mut unpacked_total: u64 = 0;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|_| unreadable())?;
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        if part.size() > limits.max_part_bytes {
            return Err(part_too_large(limits));
        }
        let mut head = Vec::new();
        let unpacked = if name == "mimetype" {
            let n = (&mut part)
                .take(limits.max_part_bytes + 1)
                .read_to_end(&mut head)
                .map_err(|_| unreadable())?;
            u64::try_from(n).unwrap_or(u64::MAX)
        } else {
            std::io::copy(
                &mut (&mut part).take(limits.max_part_bytes + 1),
                &mut std::io::sink(),
            )
            .map_err(|_| unreadable())?
        };
        if unpacked > limits.max_part_bytes {
            return Err(part_too_large(limits));
        }
        unpacked_total = unpacked_total.saturating_add(unpacked);
        if unpacked_total > limits.max_unpacked_bytes {
            return Err(refuse(format!(
                "unpacks to more than {}; split it into smaller files",
                megabytes(limits.max_unpacked_bytes)
            )));
        }
        if name == "xl/workbook.xml" {
            kind = Container::Xlsx;
        } else if name == "mimetype" && head.trim_ascii() == ODS_MIMETYPE {
            kind = Container::Ods;
        }
    }
    Ok(kind)
}

fn part_too_large(limits: &FileLimits) -> integra_kernel::AppError {
    refuse(format!(
        "holds a part larger than {} once unpacked; split it into smaller files",
        megabytes(limits.max_part_bytes)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in parts {
            out.start_file(*name, SimpleFileOptions::default()).unwrap();
            out.write_all(body).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_part_that_unpacks_past_the_cap_is_refused() {
        let limits = FileLimits {
            max_part_bytes: 1024 * 1024,
            ..FileLimits::IMPORT
        };
        let bomb = vec![b'a'; 2 * 1024 * 1024];
        let file = zip_of(&[("xl/sharedStrings.xml", &bomb)]);
        assert!(file.len() < 16 * 1024, "compresses well: {}", file.len());
        let err = inspect(&file, &limits).unwrap_err();
        assert!(err.to_string().contains("once unpacked"), "{err}");
    }

    #[test]
    fn the_sum_of_parts_is_capped() {
        let limits = FileLimits {
            max_part_bytes: 1024 * 1024,
            max_unpacked_bytes: 3 * 1024 * 1024,
            ..FileLimits::IMPORT
        };
        let part = vec![b'a'; 1024 * 1024];
        let file = zip_of(&[("a", &part), ("b", &part), ("c", &part), ("d", &part)]);
        let err = inspect(&file, &limits).unwrap_err();
        assert!(
            err.to_string().contains("unpacks to more than 3 MB"),
            "{err}"
        );
    }

    #[test]
    fn kinds_and_part_count() {
        let xlsx = zip_of(&[("xl/workbook.xml", b"<workbook/>")]);
        assert_eq!(
            inspect(&xlsx, &FileLimits::IMPORT).unwrap(),
            Container::Xlsx
        );
        let ods = zip_of(&[("mimetype", ODS_MIMETYPE)]);
        assert_eq!(inspect(&ods, &FileLimits::IMPORT).unwrap(), Container::Ods);
        let limits = FileLimits {
            max_parts: 2,
            ..FileLimits::IMPORT
        };
        let many = zip_of(&[("a", b"1"), ("b", b"2"), ("c", b"3")]);
        assert!(inspect(&many, &limits).is_err());
        assert!(inspect(b"PK\x03\x04garbage", &limits).is_err());
    }
}
