//! Files: a spreadsheet whose cells span the whole sheet, a zip bomb, a
//! CSV line without end, and a file larger than the limit are refused with
//! `BAD_USER_INPUT` on `file` before they are read into memory.

use std::io::Write;

use base64::Engine as _;
use integra_test_support::{Gql, GqlResponse, TestApp, on_both_engines};
use rust_xlsxwriter::Workbook;
use serde_json::json;

use super::still_serving;

const IMPORT: &str = "mutation($file: FileInput!) {
  importClients(file: $file, dryRun: true) { rows accepted }
}";

async fn import(c: &Gql, name: &str, bytes: &[u8]) -> GqlResponse {
    let file = json!({"name": name, "contentBase64": base64::engine::general_purpose::STANDARD.encode(bytes)});
    c.query(IMPORT, json!({ "file": file })).await
}

fn refused_on_file(r: &GqlResponse, says: &str) {
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert_eq!(r.errors()[0]["extensions"]["field"], "file", "{}", r.body);
    let message = r.errors()[0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains(says), "{message}");
}

/// Cells at A1 and XFD1048576: 1.5 KB that a grid reader would turn into
/// 17 billion cells.
fn bounding_box_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Příjmení").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save_to_buffer().unwrap()
}

/// A workbook whose shared strings unpack to 80 MB from a few dozen KB.
fn zip_bomb() -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    out.start_file("xl/workbook.xml", opts).unwrap();
    out.write_all(b"<workbook/>").unwrap();
    out.start_file("xl/sharedStrings.xml", opts).unwrap();
    let chunk = vec![b'a'; 1024 * 1024];
    for _ in 0..80 {
        out.write_all(&chunk).unwrap();
    }
    out.finish().unwrap().into_inner()
}

async fn bounding_box_spreadsheet_is_refused_and_the_server_keeps_serving(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let file = bounding_box_workbook();
    assert!(file.len() < 8 * 1024, "a small file: {} bytes", file.len());
    let r = import(&c, "klienti.xlsx", &file).await;
    refused_on_file(&r, "up to column XFD");
    still_serving(&app).await;
    // The same counsellor's next, honest import works.
    let honest =
        "Příjmení;Jméno;Datum narození;Pohlaví;Státní příslušnost\nDvořák;Jiří;1.1.1980;M;SK\n";
    let r = import(&c, "klienti.csv", honest.as_bytes()).await;
    assert_eq!(r.ok()["importClients"]["rows"], 1);
}
on_both_engines!(
    bounding_box_spreadsheet_is_refused_and_the_server_keeps_serving,
    bounding_box_spreadsheet_is_refused_and_the_server_keeps_serving
);

async fn zip_bomb_in_shared_strings_is_refused(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let file = zip_bomb();
    assert!(file.len() < 256 * 1024, "{} bytes", file.len());
    let r = import(&c, "klienti.xlsx", &file).await;
    refused_on_file(&r, "once unpacked");
    still_serving(&app).await;
}
on_both_engines!(
    zip_bomb_in_shared_strings_is_refused,
    zip_bomb_in_shared_strings_is_refused
);

async fn csv_without_line_ends_or_with_too_many_fields_is_refused(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let endless = format!("Příjmení;Jméno\n{};x\n", "a".repeat(200_000));
    refused_on_file(
        &import(&c, "a.csv", endless.as_bytes()).await,
        "line 2 is longer",
    );
    let wide = format!("Příjmení;Jméno\n{}\n", vec!["x"; 5_000].join(";"));
    refused_on_file(
        &import(&c, "a.csv", wide.as_bytes()).await,
        "line 2 has 5000 fields",
    );
    let xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    refused_on_file(&import(&c, "a.xls", &xls).await, "save it as .xlsx or .csv");
    still_serving(&app).await;
}
on_both_engines!(
    csv_without_line_ends_or_with_too_many_fields_is_refused,
    csv_without_line_ends_or_with_too_many_fields_is_refused
);

async fn file_over_the_size_limit_is_refused_before_decoding(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let big = vec![b'a'; 11 * 1024 * 1024];
    refused_on_file(&import(&c, "a.csv", &big).await, "larger than 10 MB");
    still_serving(&app).await;
}
on_both_engines!(
    file_over_the_size_limit_is_refused_before_decoding,
    file_over_the_size_limit_is_refused_before_decoding
);
