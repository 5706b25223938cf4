//! Reading a spreadsheet (.xlsx, .xls, .ods or .csv) into rows of cells.

use std::io::Cursor;

use calamine::{Data, Reader};
use chrono::NaiveDate;
use integra_kernel::{AppError, AppResult};

/// Most data rows one file may hold.
pub const MAX_ROWS: usize = 50_000;
/// Most columns read.
pub const MAX_COLUMNS: usize = 100;

/// One cell's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// A date cell.
    Date(NaiveDate),
    /// TRUE / FALSE.
    Bool(bool),
}

impl Cell {
    /// Whether the cell holds nothing (or only spaces).
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text the way a person reads it (whole numbers without
    /// a decimal part: phone numbers are often stored as numbers).
    pub fn text(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(t) => t.trim().to_owned(),
            Self::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Self::Number(n) => n.to_string(),
            Self::Date(d) => d.to_string(),
            Self::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        }
    }
}

/// A sheet: the header row and the data rows with their row numbers as the
/// spreadsheet shows them (1-based).
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// Header texts.
    pub headers: Vec<String>,
    /// Data rows.
    pub rows: Vec<(u32, Vec<Cell>)>,
}

/// Reads the file: a workbook (by its signature) or CSV text.
pub fn read(content: &[u8], sheet: Option<&str>) -> AppResult<Table> {
    if content.is_empty() {
        return Err(AppError::bad_input("file", "the file is empty"));
    }
    let zip = content.starts_with(b"PK\x03\x04");
    let ole = content.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if zip || ole {
        read_workbook(content, sheet)
    } else {
        read_csv(content)
    }
}

fn read_workbook(content: &[u8], sheet: Option<&str>) -> AppResult<Table> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(content)).map_err(|_| {
        AppError::bad_input(
            "file",
            "is not a spreadsheet that can be read (use .xlsx, .xls, .ods or .csv)",
        )
    })?;
    let names = book.sheet_names();
    let name = match sheet.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                AppError::bad_input(
                    "sheet",
                    format!(
                        "the workbook has no sheet '{s}' (it has: {})",
                        names.join(", ")
                    ),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| AppError::bad_input("file", "the workbook has no sheets"))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|_| AppError::bad_input("sheet", format!("sheet '{name}' cannot be read")))?;
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows().enumerate().map(|(i, cells)| {
        let number = first_row + u32::try_from(i).unwrap_or(u32::MAX - first_row - 1) + 1;
        (
            number,
            cells.iter().take(MAX_COLUMNS).map(cell).collect::<Vec<_>>(),
        )
    });
    table_from(&mut rows)
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|t| Cell::Date(t.date()))
            .unwrap_or(Cell::Empty),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(Cell::Date)
            .unwrap_or_else(|| Cell::Text(s.clone())),
        Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

/// Decodes CSV bytes: UTF-8 (with or without BOM), else Windows-1250 (what
/// Czech Excel writes), with `;`, `,` or tab between fields.
fn read_csv(content: &[u8]) -> AppResult<Table> {
    let content = content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content);
    let text = match std::str::from_utf8(content) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => encoding_rs::WINDOWS_1250.decode(content).0,
    };
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b';');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let bytes = text.as_bytes();
    let (mut counted_to, mut line) = (0usize, 1u32);
    for record in reader.records() {
        let record =
            record.map_err(|e| AppError::bad_input("file", format!("not valid CSV ({e})")))?;
        if rows.len() > MAX_ROWS + 1 {
            break;
        }
        // The line the record starts on, counted from the byte offset (the
        // reader's own line count is off with CRLF line ends).
        let mut start = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(counted_to)
            .min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > counted_to {
            let newlines = bytes[counted_to..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
            counted_to = start;
        }
        let number = line;
        rows.push((
            number,
            record
                .iter()
                .take(MAX_COLUMNS)
                .map(|s| {
                    if s.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_owned())
                    }
                })
                .collect(),
        ));
    }
    table_from(&mut rows.into_iter())
}

fn table_from(rows: &mut impl Iterator<Item = (u32, Vec<Cell>)>) -> AppResult<Table> {
    let header = rows.find(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((_, header)) = header else {
        return Err(AppError::bad_input("file", "the sheet is empty"));
    };
    let headers: Vec<String> = header.iter().map(Cell::text).collect();
    let mut data = Vec::new();
    for (n, cells) in rows {
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        if data.len() == MAX_ROWS {
            return Err(AppError::bad_input(
                "file",
                format!("at most {MAX_ROWS} rows per import; split the file"),
            ));
        }
        data.push((n, cells));
    }
    Ok(Table {
        headers,
        rows: data,
    })
}

/// The letter of a column as spreadsheets show it (0 → A, 26 → AA).
pub fn column_letter(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + u8::try_from(index % 26).unwrap_or(0));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn czech_excel_csv_in_windows_1250_with_semicolons() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1250.encode("Příjmení;Jméno\r\nDvořák;Jiří\r\n\r\nNguyễn;Lan\r\n");
        let t = read(&bytes, None).unwrap();
        assert_eq!(t.headers, ["Příjmení", "Jméno"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].0, 2);
        assert_eq!(t.rows[0].1[0], Cell::Text("Dvořák".into()));
        assert_eq!(t.rows[1].0, 4, "row numbers as the sheet shows them");
    }

    #[test]
    fn utf8_with_bom_and_commas() {
        let t = read(
            "\u{feff}family,given\nKovalenko,Oleksandr\n".as_bytes(),
            None,
        )
        .unwrap();
        assert_eq!(t.headers, ["family", "given"]);
        assert_eq!(t.rows[0].1[1].text(), "Oleksandr");
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(Cell::Number(420_777_123_456.0).text(), "420777123456");
        assert_eq!(Cell::Number(1.5).text(), "1.5");
    }

    #[test]
    fn empty_and_garbage() {
        assert!(read(b"", None).is_err());
        assert!(read(b"PK\x03\x04garbage", None).is_err());
        assert!(read(b"\n\n", None).is_err());
    }
}
