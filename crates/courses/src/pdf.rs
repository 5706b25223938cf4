//! The certificate as a one-page A4 PDF in Czech, written with `printpdf`
//! and DejaVu Sans embedded ([`integra_files::fonts`]: the PDF standard
//! fonts have no Czech letters such as ř or ě).

use printpdf::{
    Color, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rgb, TextItem,
};

/// What a certificate says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateText {
    /// The holder's name as on their permit.
    pub holder: String,
    /// Their date of birth, written out (may be empty).
    pub born: String,
    /// The course title.
    pub course: String,
    /// Kind and level, e.g. "Kurz českého jazyka, úroveň A1".
    pub kind: String,
    /// First and last session day, written out.
    pub dates: String,
    /// Hours attended of hours held.
    pub hours: String,
    /// Lecturers.
    pub lecturers: String,
    /// The centre and its operator.
    pub centre: String,
    /// Place and day of issue.
    pub issued: String,
    /// The certificate number, checkable at the centre.
    pub number: String,
    /// Where the number can be checked.
    pub verify_at: String,
}

/// Renders the certificate. `None` only if the embedded fonts cannot be
/// read (a build error, not an input error).
pub fn render(t: &CertificateText) -> Option<Vec<u8>> {
    let mut warnings = Vec::new();
    let regular = ParsedFont::from_bytes(integra_files::fonts::REGULAR, 0, &mut warnings)?;
    let bold = ParsedFont::from_bytes(integra_files::fonts::BOLD, 0, &mut warnings)?;
    let mut doc = PdfDocument::new(&format!("Osvědčení {}", t.number));
    let regular = PdfFontHandle::External(doc.add_font(&regular));
    let bold = PdfFontHandle::External(doc.add_font(&bold));
    let mut ops = Vec::new();
    // A frame.
    let corner = |x: f32, y: f32| LinePoint {
        p: Point::new(Mm(x), Mm(y)),
        bezier: false,
    };
    ops.push(Op::SetOutlineColor {
        col: Color::Rgb(Rgb::new(0.12, 0.29, 0.49, None)),
    });
    ops.push(Op::SetOutlineThickness { pt: Pt(2.0) });
    ops.push(Op::DrawLine {
        line: Line {
            points: vec![
                corner(15.0, 15.0),
                corner(195.0, 15.0),
                corner(195.0, 282.0),
                corner(15.0, 282.0),
            ],
            is_closed: true,
        },
    });
    let mut line = |font: &PdfFontHandle, size: f32, y: f32, text: &str| {
        ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: font.clone(),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point::new(Mm(30.0), Mm(y)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_owned())],
            },
            Op::EndTextSection,
        ]);
    };
    line(&regular, 12.0, 262.0, &t.centre);
    line(&bold, 30.0, 235.0, "OSVĚDČENÍ");
    line(&regular, 12.0, 225.0, "o absolvování kurzu");
    line(&bold, 20.0, 200.0, &t.holder);
    if !t.born.is_empty() {
        line(&regular, 12.0, 192.0, &format!("narozen/a {}", t.born));
    }
    line(&regular, 12.0, 175.0, "úspěšně absolvoval/a kurz");
    line(&bold, 16.0, 165.0, &t.course);
    line(&regular, 12.0, 157.0, &t.kind);
    line(
        &regular,
        12.0,
        140.0,
        &format!("Termín konání: {}", t.dates),
    );
    line(
        &regular,
        12.0,
        132.0,
        &format!("Odučeno hodin: {}", t.hours),
    );
    line(
        &regular,
        12.0,
        124.0,
        &format!("Lektor/ka: {}", t.lecturers),
    );
    line(&regular, 12.0, 95.0, &t.issued);
    line(&regular, 12.0, 70.0, "……………………………………");
    line(&regular, 10.0, 64.0, "podpis a razítko");
    line(
        &regular,
        9.0,
        30.0,
        &format!("Číslo osvědčení: {}", t.number),
    );
    line(
        &regular,
        9.0,
        24.0,
        &format!("Pravost ověříte na {}", t.verify_at),
    );
    let bytes = doc
        .with_pages(vec![PdfPage::new(Mm(210.0), Mm(297.0), ops)])
        .save(&PdfSaveOptions::default(), &mut Vec::new());
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pdf_parses_and_says_what_it_should_with_diacritics() {
        let t = CertificateText {
            holder: "Ludmyla Řeháčková".into(),
            born: "3. 4. 1985".into(),
            course: "Čeština pro začátečníky".into(),
            kind: "Kurz českého jazyka, úroveň A1".into(),
            dates: "2. 2. 2027 – 22. 4. 2027".into(),
            hours: "30 z 36".into(),
            lecturers: "Petr Lektor".into(),
            centre: "Centrum na podporu integrace cizinců pro Ústecký kraj".into(),
            issued: "V Ústí nad Labem dne 23. 4. 2027".into(),
            number: "CIC-2027-7F3K9QXD".into(),
            verify_at: "https://integra.example/overeni".into(),
        };
        let pdf = render(&t).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        for needle in [
            "OSVĚDČENÍ",
            "Ludmyla Řeháčková",
            "Čeština pro začátečníky",
            "CIC-2027-7F3K9QXD",
            "Ústecký kraj",
        ] {
            assert!(text.contains(needle), "{needle} missing from: {text}");
        }
    }
}
