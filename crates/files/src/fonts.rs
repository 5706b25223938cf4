//! The fonts embedded in every PDF Integra writes (course certificates, the
//! ministry's yearly report): DejaVu Sans, since the PDF standard fonts have
//! no Czech letters such as ř or ě. The files and their licence are in
//! `fonts/`; courses and reporting both take them from here.

/// DejaVu Sans.
pub static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
