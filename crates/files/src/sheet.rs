//! Reading a spreadsheet (`.xlsx` or `.csv`) into rows of cells, within
//! the limits of [`FileLimits`].
//!
//! An `.xlsx` is read cell by cell from its sheet's XML (calamine's cell
//! reader), never as a grid over the bounding box of its cells: two cells at
//! `A1` and `XFD1048576` would otherwise make a grid of 17 billion cells.
//! The sheet's declared extent (its `<dimension>`) and every cell's position
//! are checked against the limits before the cell is kept.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};
use chrono::NaiveDate;
use integra_kernel::{AppError, AppResult};

use crate::zipped::{self, Container};
use crate::{FileLimits, refuse};

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
    /// A text cell, without NUL characters (no name or note has one, and
    /// PostgreSQL cannot store them: a stray one would fail the import).
    pub fn text_of(s: &str) -> Self {
        Self::Text(s.replace('\0', ""))
    }

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

/// Reads the file: a workbook (by its signature) or CSV text. Call it
/// through [`crate::parse::off_thread`]: it is CPU work.
pub fn read(content: &[u8], sheet: Option<&str>, limits: &FileLimits) -> AppResult<Table> {
    if content.is_empty() {
        return Err(refuse("the file is empty"));
    }
    if content.len() > limits.max_file_bytes {
        return Err(crate::upload::too_large(limits));
    }
    if content.starts_with(b"PK\x03\x04") {
        match zipped::inspect(content, limits)? {
            Container::Xlsx => read_xlsx(content, sheet, limits),
            Container::Ods => Err(save_as("an OpenDocument spreadsheet (.ods)")),
            Container::Other => Err(refuse(
                "is a zip archive, not a spreadsheet (use .xlsx or .csv)",
            )),
        }
    } else if content.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Err(save_as("an Excel 97–2003 workbook (.xls)"))
    } else {
        read_csv(content, limits)
    }
}

/// Formats whose readers build the whole grid while opening the file, so
/// their size cannot be checked first.
fn save_as(what: &str) -> AppError {
    refuse(format!(
        "is {what}, which cannot be checked safely before reading; \
         save it as .xlsx or .csv (File → Save As) and upload that"
    ))
}

fn read_xlsx(content: &[u8], sheet: Option<&str>, limits: &FileLimits) -> AppResult<Table> {
    let mut book = Xlsx::new(Cursor::new(content))
        .map_err(|_| refuse("is not a spreadsheet that can be read (use .xlsx or .csv)"))?;
    let name = choose_sheet(&book.sheet_names(), sheet)?;
    let unreadable = || AppError::bad_input("sheet", format!("sheet '{name}' cannot be read"));
    let mut cells = book
        .worksheet_cells_reader(&name)
        .map_err(|_| unreadable())?;
    let declared = cells.dimensions();
    check_extent(
        declared.end.0.saturating_add(1),
        declared.end.1.saturating_add(1),
        limits,
        "is declared to span",
    )?;
    let mut rows: BTreeMap<u32, Vec<Cell>> = BTreeMap::new();
    while let Some(c) = cells.next_cell().map_err(|_| unreadable())? {
        let value = cell(c.get_value());
        if value.is_empty() {
            continue;
        }
        let (row, col) = c.get_position();
        check_extent(
            row.saturating_add(1),
            col.saturating_add(1),
            limits,
            "has data beyond",
        )?;
        let kept = rows.entry(row).or_default();
        let col = col as usize;
        if kept.len() <= col {
            kept.resize(col + 1, Cell::Empty);
        }
        kept[col] = value;
    }
    table_from(
        &mut rows.into_iter().map(|(r, cells)| (r + 1, cells)),
        limits,
    )
}

/// The sheet asked for, or the first.
fn choose_sheet(names: &[String], sheet: Option<&str>) -> AppResult<String> {
    match sheet.map(str::trim).filter(|s| !s.is_empty()) {
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
            }),
        None => names
            .first()
            .cloned()
            .ok_or_else(|| refuse("the workbook has no sheets")),
    }
}

/// Refuses a sheet reaching past `rows` × `columns` of the limits.
fn check_extent(rows: u32, columns: u32, limits: &FileLimits, what: &str) -> AppResult<()> {
    if rows > limits.max_sheet_rows || columns > limits.max_columns {
        return Err(refuse(format!(
            "the sheet {what} {} rows and {} columns (up to column {}); an import reads at most \
             {} rows and {} columns (A–{}): delete the unused rows and columns or copy the data \
             to a new sheet",
            rows,
            columns,
            column_letter(columns.saturating_sub(1) as usize),
            limits.max_sheet_rows,
            limits.max_columns,
            column_letter(limits.max_columns.saturating_sub(1) as usize),
        )));
    }
    Ok(())
}

fn cell(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty | DataRef::Error(_) => Cell::Empty,
        DataRef::String(s) => Cell::text_of(s),
        DataRef::SharedString(s) => Cell::text_of(s),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => dt
            .as_datetime()
            .map(|t| Cell::Date(t.date()))
            .unwrap_or(Cell::Empty),
        DataRef::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(Cell::Date)
            .unwrap_or_else(|| Cell::text_of(s)),
        DataRef::DurationIso(s) => Cell::text_of(s),
    }
}

/// Decodes CSV bytes: UTF-8 (with or without BOM), else Windows-1250 (what
/// Czech Excel writes), with `;`, `,` or tab between fields. A line longer
/// than the limit or with more fields is refused with its line number.
fn read_csv(content: &[u8], limits: &FileLimits) -> AppResult<Table> {
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
    let mut lines = LineCounter::new(text.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|e| refuse(format!("is not valid CSV ({e})")))?;
        if rows.len() > limits.max_rows + 1 {
            break;
        }
        let number = lines.line_of(&record);
        let bytes = record.as_slice().len() + record.len();
        if bytes > limits.max_line_bytes {
            return Err(refuse(format!(
                "line {number} is longer than {} characters; is it really a list of clients?",
                limits.max_line_bytes
            )));
        }
        if record.len() > limits.max_fields {
            return Err(refuse(format!(
                "line {number} has {} fields; an import reads at most {}",
                record.len(),
                limits.max_fields
            )));
        }
        rows.push((
            number,
            record
                .iter()
                .map(|s| {
                    if s.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::text_of(s)
                    }
                })
                .collect(),
        ));
    }
    table_from(&mut rows.into_iter(), limits)
}

/// The line a CSV record starts on, counted from its byte offset (the
/// reader's own line count is off with CRLF line ends).
struct LineCounter<'a> {
    bytes: &'a [u8],
    counted_to: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            counted_to: 0,
            line: 1,
        }
    }

    fn line_of(&mut self, record: &csv::StringRecord) -> u32 {
        let bytes = self.bytes;
        let mut start = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(self.counted_to)
            .min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.counted_to {
            let newlines = bytes[self.counted_to..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.line = self
                .line
                .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
            self.counted_to = start;
        }
        self.line
    }
}

fn table_from(
    rows: &mut impl Iterator<Item = (u32, Vec<Cell>)>,
    limits: &FileLimits,
) -> AppResult<Table> {
    let header = rows.find(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((_, header)) = header else {
        return Err(refuse("the sheet is empty"));
    };
    let headers: Vec<String> = header.iter().map(Cell::text).collect();
    let mut data = Vec::new();
    for (n, cells) in rows {
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        if data.len() == limits.max_rows {
            return Err(refuse(format!(
                "at most {} rows per import; split the file",
                limits.max_rows
            )));
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
    use rust_xlsxwriter::Workbook;

    const L: FileLimits = FileLimits::IMPORT;

    fn message(r: AppResult<Table>) -> String {
        match r {
            Err(AppError::BadInput { field, message }) => {
                assert_eq!(field, "file");
                message
            }
            other => panic!("expected BAD_USER_INPUT on file, got {other:?}"),
        }
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
        assert_eq!(column_letter(16_383), "XFD");
    }

    #[test]
    fn czech_excel_csv_in_windows_1250_with_semicolons() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1250.encode("Příjmení;Jméno\r\nDvořák;Jiří\r\n\r\nNguyễn;Lan\r\n");
        let t = read(&bytes, None, &L).unwrap();
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
            &L,
        )
        .unwrap();
        assert_eq!(t.headers, ["family", "given"]);
        assert_eq!(t.rows[0].1[1].text(), "Oleksandr");
    }

    #[test]
    fn nul_characters_are_dropped_from_text() {
        let t = read("a;b\nDvo\0řák;Jiří\n".as_bytes(), None, &L).unwrap();
        assert_eq!(t.rows[0].1[0], Cell::Text("Dvořák".into()));
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(Cell::Number(420_777_123_456.0).text(), "420777123456");
        assert_eq!(Cell::Number(1.5).text(), "1.5");
    }

    #[test]
    fn empty_and_garbage() {
        assert!(read(b"", None, &L).is_err());
        assert!(read(b"PK\x03\x04garbage", None, &L).is_err());
        assert!(read(b"\n\n", None, &L).is_err());
    }

    #[test]
    fn csv_lines_too_long_or_too_wide_are_refused_with_their_line() {
        let wide = format!("a;b\n1;2\n{}\n", vec!["x"; 101].join(";"));
        assert!(message(read(wide.as_bytes(), None, &L)).contains("line 3 has 101 fields"));
        let long = format!("a;b\n{};2\n", "x".repeat(70_000));
        assert!(message(read(long.as_bytes(), None, &L)).contains("line 2 is longer"));
    }

    #[test]
    fn xlsx_cells_are_streamed_into_rows() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(2, 1, "Příjmení").unwrap();
        ws.write_string(2, 2, "Jméno").unwrap();
        ws.write_string(3, 1, "Dvořák").unwrap();
        ws.write_number(5, 2, 42.0).unwrap();
        let t = read(&wb.save_to_buffer().unwrap(), None, &L).unwrap();
        assert_eq!(t.headers, ["", "Příjmení", "Jméno"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(
            t.rows[0],
            (4, vec![Cell::Empty, Cell::Text("Dvořák".into())])
        );
        assert_eq!(t.rows[1].0, 6);
        assert_eq!(t.rows[1].1[2], Cell::Number(42.0));
    }

    #[test]
    fn a_cell_at_the_far_corner_is_refused_before_any_grid() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Příjmení").unwrap();
        ws.write_string(1_048_575, 16_383, "x").unwrap();
        let m = message(read(&wb.save_to_buffer().unwrap(), None, &L));
        assert!(
            m.contains("1048576 rows and 16384 columns (up to column XFD)"),
            "{m}"
        );
    }

    #[test]
    fn other_formats_are_asked_for_as_xlsx_or_csv() {
        let m = message(read(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1], None, &L));
        assert!(m.contains("save it as .xlsx or .csv"), "{m}");
    }
}
