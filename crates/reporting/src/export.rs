//! The ministry's table as a file: CSV (UTF-8 with a byte-order mark, so
//! Excel reads the diacritics), XLSX (`rust_xlsxwriter`: numbers stay
//! numbers, "<5" and "×" stay text) and a PDF report (`printpdf`, landscape
//! A4, the DejaVu fonts of the certificates for Czech letters). All three
//! carry only what the ministry may see: the suppressed cells as printed.

use integra_kernel::{AppError, AppResult};
use printpdf::{
    Color, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

use crate::catalogue::{Dimension, Indicator};
use crate::suppress::Mark;

/// A file format of the ministry's report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values.
    Csv,
    /// Excel workbook.
    Xlsx,
    /// A printable report.
    Pdf,
}

impl Format {
    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pdf => "application/pdf",
        }
    }
}

/// One printed cell: the number, or "<5" / "×" when suppressed.
#[derive(Clone, Debug, PartialEq)]
pub enum Printed {
    /// A shown value.
    Value(f64),
    /// A suppressed cell, as printed.
    Hidden(&'static str),
}

impl Printed {
    /// The printed cell of a stored value (hours to a tenth for
    /// intervention hours, which are stored in minutes).
    pub fn of(indicator: Indicator, value: Option<i64>, mark: Mark) -> Self {
        match (mark, value) {
            (Mark::Small, _) => Printed::Hidden("<5"),
            (Mark::Secondary, _) | (Mark::Shown, None) => Printed::Hidden("×"),
            (Mark::Shown, Some(v)) => {
                Printed::Value(if indicator == Indicator::InterventionHours {
                    (v as f64 / 6.0).round() / 10.0
                } else {
                    v as f64
                })
            }
        }
    }

    /// As text: whole numbers without decimals, hours to a tenth.
    pub fn text(&self) -> String {
        match self {
            Printed::Hidden(s) => (*s).to_owned(),
            Printed::Value(v) if v.fract() == 0.0 => format!("{v:.0}"),
            Printed::Value(v) => format!("{v:.1}"),
        }
    }
}

/// A report table: a title, column headings and labelled rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// What it is ("Ukazatele integračních center").
    pub title: String,
    /// The period, level and breakdown in words.
    pub subtitle: String,
    /// Headings of the label columns (e.g. "Centrum", "Kategorie").
    pub label_headings: Vec<String>,
    /// Headings of the value columns (indicator names).
    pub value_headings: Vec<String>,
    /// Rows: labels, then one printed cell per value column.
    pub rows: Vec<(Vec<String>, Vec<Printed>)>,
    /// Notes printed under the table.
    pub notes: Vec<String>,
}

/// The notes every ministry report carries.
pub fn suppression_notes() -> Vec<String> {
    vec![
        "<5 = 0 až 4 osoby (malé hodnoty se nezveřejňují).".to_owned(),
        "× = skryto, aby nešlo dopočítat malou hodnotu z ostatních buněk.".to_owned(),
        "Započteny jen služby, které se počítají do ukazatelů (způsobilost, ověření totožnosti, minimální délka).".to_owned(),
    ]
}

/// An indicator's Czech name, as a report heading.
pub fn indicator_name(i: Indicator) -> &'static str {
    match i {
        Indicator::UniquePersons => "Podpořené osoby",
        Indicator::NewClients => "Noví klienti",
        Indicator::CounselledPersons => "Osoby s individuálním poradenstvím",
        Indicator::LanguageCourseParticipants => "Účastníci jazykových kurzů",
        Indicator::CivicCourseParticipants => "Účastníci sociokulturních kurzů",
        Indicator::AikAttendees => "Účastníci AIK",
        Indicator::CourseCompletions => "Absolventi kurzů",
        Indicator::LevelGains => "Zlepšení o úroveň SERR",
        Indicator::ReportedHelpful => "Hodnotili aktivitu jako užitečnou",
        Indicator::Interventions => "Intervence",
        Indicator::InterventionHours => "Hodiny intervencí",
        Indicator::Contacts => "Kontakty",
        Indicator::Events => "Akce",
        Indicator::EventParticipants => "Účastníci akcí",
    }
}

/// A breakdown's Czech name.
pub fn dimension_name(d: Dimension) -> &'static str {
    match d {
        Dimension::Total => "celkem",
        Dimension::Sex => "podle pohlaví",
        Dimension::AgeGroup => "podle věkové skupiny",
        Dimension::Nationality => "podle státní příslušnosti",
        Dimension::ResidenceCategory => "podle pobytového oprávnění",
        Dimension::Kind => "podle druhu intervence",
        Dimension::Audience => "podle cílové skupiny",
    }
}

/// A category of a breakdown in Czech (ISO country codes and age groups
/// as they are).
pub fn category_name(category: &str) -> String {
    let name = match category {
        "" => "celkem",
        "f" => "ženy",
        "m" => "muži",
        "x" => "jiné",
        "unknown" => "neuvedeno",
        "other" => "ostatní",
        "permanent" => "trvalý pobyt",
        "long_term_permit" => "dlouhodobý pobyt",
        "long_term_visa" => "dlouhodobé vízum",
        "short_stay" => "krátkodobý pobyt",
        "eu_family_member" => "rodinný příslušník občana EU",
        "temporary_protection" => "dočasná ochrana",
        "special_long_term" => "zvláštní dlouhodobý pobyt",
        "asylum" => "azyl",
        "subsidiary_protection" => "doplňková ochrana",
        "protection_applicant" => "žadatel o mezinárodní ochranu",
        "eu_citizen" => "občan EU",
        "social_counselling" => "sociální poradenství",
        "legal_counselling" => "právní poradenství",
        "intercultural_work" => "interkulturní práce",
        "accompaniment" => "doprovod",
        "information_service" => "informační služba",
        "field_contact" => "terénní kontakt",
        "crisis_help" => "krizová pomoc",
        "third_country_nationals" => "cizinci ze třetích zemí",
        "majority_society" => "majoritní společnost",
        "officials" => "úředníci a odborníci",
        other => return other.to_owned(),
    };
    name.to_owned()
}

/// The report as CSV (RFC 4180 quoting, semicolons as Czech Excel
/// expects, a byte-order mark).
pub fn to_csv(r: &Report) -> Vec<u8> {
    fn field(s: &str) -> String {
        if s.contains([';', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    }
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(";");
    out.push_str(&line(
        r.label_headings
            .iter()
            .chain(&r.value_headings)
            .cloned()
            .collect(),
    ));
    out.push_str("\r\n");
    for (labels, values) in &r.rows {
        let mut cells = labels.clone();
        // Decimal comma, as Czech spreadsheets read it.
        cells.extend(values.iter().map(|v| v.text().replace('.', ",")));
        out.push_str(&line(cells));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// The report as an Excel workbook: the table on the first sheet with the
/// title above and the notes below.
pub fn to_xlsx(r: &Report) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format as Cell, Workbook};
    let e = |e: rust_xlsxwriter::XlsxError| AppError::internal_msg(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Ukazatele").map_err(e)?;
    let bold = Cell::new().set_bold();
    let wrap = Cell::new().set_bold().set_text_wrap();
    ws.write_string_with_format(0, 0, &r.title, &bold)
        .map_err(e)?;
    ws.write_string(1, 0, &r.subtitle).map_err(e)?;
    let labels = r.label_headings.len() as u16;
    for (c, h) in r.label_headings.iter().chain(&r.value_headings).enumerate() {
        ws.write_string_with_format(3, c as u16, h, &wrap)
            .map_err(e)?;
    }
    for (i, (label, values)) in r.rows.iter().enumerate() {
        let row = 4 + i as u32;
        for (c, l) in label.iter().enumerate() {
            ws.write_string(row, c as u16, l).map_err(e)?;
        }
        for (c, v) in values.iter().enumerate() {
            let col = labels + c as u16;
            match v {
                Printed::Value(n) => ws.write_number(row, col, *n).map_err(e)?,
                Printed::Hidden(s) => ws.write_string(row, col, *s).map_err(e)?,
            };
        }
    }
    let first_note = 5 + r.rows.len() as u32;
    for (row, n) in (first_note..).zip(&r.notes) {
        ws.write_string(row, 0, n).map_err(e)?;
    }
    ws.set_column_width(0, 48).map_err(e)?;
    for c in 1..labels {
        ws.set_column_width(c, 28).map_err(e)?;
    }
    for c in 0..r.value_headings.len() as u16 {
        ws.set_column_width(labels + c, 14).map_err(e)?;
    }
    ws.set_freeze_panes(4, labels).map_err(e)?;
    wb.save_to_buffer().map_err(e)
}

/// Page geometry of the PDF report (landscape A4, millimetres).
const PAGE_W: f32 = 297.0;
const PAGE_H: f32 = 210.0;
const MARGIN: f32 = 12.0;
const ROW_H: f32 = 5.2;

/// A PDF being drawn: the fonts of the certificates (Czech letters), the
/// pages so far and the operations of the current one. Shared by the
/// table report and the yearly report.
pub(crate) struct Canvas {
    pub(crate) doc: PdfDocument,
    regular: PdfFontHandle,
    bold: PdfFontHandle,
    pub(crate) ops: Vec<Op>,
    pages: Vec<PdfPage>,
    /// Page size in millimetres.
    pub(crate) width: f32,
    pub(crate) height: f32,
}

/// Approximate advance of a character at 1 pt, in millimetres (DejaVu Sans
/// averages a little over half an em).
const CHAR_MM_PER_PT: f32 = 0.2;

impl Canvas {
    /// A document of `width` × `height` mm pages titled `title`.
    pub(crate) fn new(title: &str, width: f32, height: f32) -> AppResult<Self> {
        let mut warnings = Vec::new();
        let regular = ParsedFont::from_bytes(integra_files::fonts::REGULAR, 0, &mut warnings)
            .ok_or_else(|| AppError::internal_msg("the embedded PDF font does not parse"))?;
        let bold = ParsedFont::from_bytes(integra_files::fonts::BOLD, 0, &mut warnings)
            .ok_or_else(|| AppError::internal_msg("the embedded PDF font does not parse"))?;
        let mut doc = PdfDocument::new(title);
        let regular = PdfFontHandle::External(doc.add_font(&regular));
        let bold = PdfFontHandle::External(doc.add_font(&bold));
        let mut c = Self {
            doc,
            regular,
            bold,
            ops: Vec::new(),
            pages: Vec::new(),
            width,
            height,
        };
        c.page_setup();
        Ok(c)
    }

    fn page_setup(&mut self) {
        self.ops.push(Op::SetOutlineColor {
            col: Color::Rgb(Rgb::new(0.6, 0.6, 0.6, None)),
        });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(0.4) });
    }

    /// Text at (`x`, `y`) mm from the bottom left.
    pub(crate) fn text(&mut self, bold: bool, size: f32, x: f32, y: f32, s: &str) {
        let font = if bold { &self.bold } else { &self.regular }.clone();
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font,
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point::new(Mm(x), Mm(y)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(s.to_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    /// Text ending at `right` mm (numbers in columns).
    pub(crate) fn text_right(&mut self, bold: bool, size: f32, right: f32, y: f32, s: &str) {
        let w = s.chars().count() as f32 * size * CHAR_MM_PER_PT * 1.05;
        self.text(bold, size, right - w, y, s);
    }

    /// A thin grey line across the page between the margins at `y`.
    pub(crate) fn rule(&mut self, margin: f32, y: f32) {
        let points = [margin, self.width - margin]
            .into_iter()
            .map(|x| LinePoint {
                p: Point::new(Mm(x), Mm(y)),
                bezier: false,
            })
            .collect();
        self.ops.push(Op::DrawLine {
            line: Line {
                points,
                is_closed: false,
            },
        });
    }

    /// A filled rectangle, lower left at (`x`, `y`) mm.
    pub(crate) fn bar(&mut self, x: f32, y: f32, w: f32, h: f32, rgb: (f32, f32, f32)) {
        self.ops.push(Op::SetFillColor {
            col: Color::Rgb(Rgb::new(rgb.0, rgb.1, rgb.2, None)),
        });
        self.ops.push(Op::DrawPolygon {
            polygon: Rect::from_xywh(Mm(x).into(), Mm(y).into(), Mm(w).into(), Mm(h).into())
                .to_polygon(),
        });
        self.ops.push(Op::SetFillColor {
            col: Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)),
        });
    }

    /// Ends the current page and starts another.
    pub(crate) fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        self.pages
            .push(PdfPage::new(Mm(self.width), Mm(self.height), ops));
        self.page_setup();
    }

    /// The finished document.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        let ops = std::mem::take(&mut self.ops);
        self.pages
            .push(PdfPage::new(Mm(self.width), Mm(self.height), ops));
        self.doc
            .with_pages(self.pages)
            .save(&PdfSaveOptions::default(), &mut Vec::new())
    }
}

/// `s` cut to what fits `w` mm at `size` pt, with an ellipsis.
pub(crate) fn fit(s: &str, w: f32, size: f32) -> String {
    let max = ((w / (size * CHAR_MM_PER_PT * 1.07)) as usize).max(4);
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

/// `s` wrapped to lines that fit `w` mm at `size` pt (at most three).
pub(crate) fn wrap(s: &str, w: f32, size: f32) -> Vec<String> {
    let max = ((w / (size * CHAR_MM_PER_PT * 1.07)) as usize).max(4);
    let mut lines: Vec<String> = Vec::new();
    for word in s.split(' ') {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= max => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.len() > 3 {
        lines.truncate(3);
        lines[2].push('…');
    }
    lines.into_iter().map(|l| fit(&l, w, size)).collect()
}

/// The report as a printable PDF: landscape A4 pages, the headings
/// repeated on each, the notes at the end.
pub fn to_pdf(r: &Report) -> AppResult<Vec<u8>> {
    let mut c = Canvas::new(&r.title, PAGE_W, PAGE_H)?;
    // Column widths: label columns share 40 % of the width, values the rest.
    let width = PAGE_W - 2.0 * MARGIN;
    let labels = r.label_headings.len().max(1) as f32;
    let values = r.value_headings.len().max(1) as f32;
    let label_w = width * 0.4 / labels;
    let value_w = width * 0.6 / values;
    let xs: Vec<f32> = (0..r.label_headings.len())
        .map(|i| MARGIN + i as f32 * label_w)
        .chain((0..r.value_headings.len()).map(|i| MARGIN + labels * label_w + i as f32 * value_w))
        .collect();
    let start_page = |c: &mut Canvas, first: bool| -> f32 {
        let mut y = PAGE_H - MARGIN - 4.0;
        if first {
            c.text(true, 14.0, MARGIN, y, &r.title);
            y -= 6.0;
            c.text(false, 9.0, MARGIN, y, &r.subtitle);
            y -= 8.0;
        }
        // Headings wrap over up to three lines.
        let mut deepest = 0;
        for (i, h) in r.label_headings.iter().chain(&r.value_headings).enumerate() {
            let w = if i < r.label_headings.len() {
                label_w
            } else {
                value_w
            };
            for (k, part) in wrap(h, w, 7.0).iter().enumerate() {
                c.text(true, 7.0, xs[i], y - k as f32 * 3.0, part);
                deepest = deepest.max(k);
            }
        }
        y -= deepest as f32 * 3.0 + 1.8;
        c.rule(MARGIN, y);
        y - ROW_H + 1.0
    };
    let mut y = start_page(&mut c, true);
    for (label, vals) in &r.rows {
        if y < MARGIN + 4.0 {
            c.new_page();
            y = start_page(&mut c, false);
        }
        for (i, l) in label.iter().enumerate() {
            c.text(false, 7.5, xs[i], y, &fit(l, label_w, 7.5));
        }
        for (i, v) in vals.iter().enumerate() {
            c.text(false, 7.5, xs[label.len() + i], y, &v.text());
        }
        y -= ROW_H;
    }
    y -= 3.0;
    for n in &r.notes {
        if y < MARGIN {
            c.new_page();
            y = PAGE_H - MARGIN - 4.0;
        }
        c.text(false, 7.5, MARGIN, y, n);
        y -= 4.5;
    }
    Ok(c.finish())
}

/// The report in `format`.
pub fn render(r: &Report, format: Format) -> AppResult<Vec<u8>> {
    match format {
        Format::Csv => Ok(to_csv(r)),
        Format::Xlsx => to_xlsx(r),
        Format::Pdf => to_pdf(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        Report {
            title: "Ukazatele integračních center".into(),
            subtitle: "Rok 2025, centra, celkem".into(),
            label_headings: vec!["Centrum".into()],
            value_headings: vec![
                indicator_name(Indicator::UniquePersons).into(),
                indicator_name(Indicator::InterventionHours).into(),
            ],
            rows: (0..80)
                .map(|i| {
                    (
                        vec![format!("Centrum pro Ústecký kraj; pobočka \"{i}\"")],
                        vec![
                            if i % 3 == 0 {
                                Printed::of(Indicator::UniquePersons, Some(3), Mark::Small)
                            } else {
                                Printed::of(Indicator::UniquePersons, Some(120 + i), Mark::Shown)
                            },
                            Printed::of(Indicator::InterventionHours, Some(95), Mark::Shown),
                        ],
                    )
                })
                .collect(),
            notes: suppression_notes(),
        }
    }

    #[test]
    fn printed_cells_hide_small_and_secondary_values() {
        assert_eq!(
            Printed::of(Indicator::UniquePersons, Some(3), Mark::Small).text(),
            "<5"
        );
        assert_eq!(
            Printed::of(Indicator::UniquePersons, Some(30), Mark::Secondary).text(),
            "×"
        );
        assert_eq!(
            Printed::of(Indicator::UniquePersons, Some(30), Mark::Shown).text(),
            "30"
        );
        assert_eq!(
            Printed::of(Indicator::InterventionHours, Some(95), Mark::Shown).text(),
            "1.6"
        );
    }

    #[test]
    fn csv_quotes_what_needs_quoting_and_keeps_diacritics() {
        let csv = String::from_utf8(to_csv(&sample())).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "Centrum;Podpořené osoby;Hodiny intervencí");
        assert_eq!(
            lines[1],
            "\"Centrum pro Ústecký kraj; pobočka \"\"0\"\"\";<5;1,6"
        );
        assert_eq!(
            lines[2],
            "\"Centrum pro Ústecký kraj; pobočka \"\"1\"\"\";121;1,6"
        );
    }

    #[test]
    fn xlsx_keeps_numbers_as_numbers_and_suppressed_cells_as_text() {
        use calamine::{Data, Reader, Xlsx};
        let bytes = to_xlsx(&sample()).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = wb.worksheet_range("Ukazatele").unwrap();
        assert_eq!(
            sheet.get_value((0, 0)),
            Some(&Data::String("Ukazatele integračních center".into()))
        );
        assert_eq!(
            sheet.get_value((3, 1)),
            Some(&Data::String("Podpořené osoby".into()))
        );
        assert_eq!(sheet.get_value((4, 1)), Some(&Data::String("<5".into())));
        assert_eq!(sheet.get_value((5, 1)), Some(&Data::Float(121.0)));
        assert_eq!(sheet.get_value((5, 2)), Some(&Data::Float(1.6)));
    }

    #[test]
    fn the_pdf_runs_over_pages_and_says_what_it_should() {
        let pdf = to_pdf(&sample()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        for needle in [
            "Ukazatele integračních center",
            "Podpořené osoby",
            "<5",
            "121",
            "× = skryto",
        ] {
            assert!(text.contains(needle), "{needle} missing from the PDF");
        }
        // 80 rows do not fit one landscape page.
        assert!(
            text.matches("Podpořené osoby").count() >= 2,
            "headings repeat on each page"
        );
    }
}
