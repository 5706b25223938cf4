//! Spreadsheet import over the API: an .xlsx and a Windows-1250 .csv with
//! errors in them, the dry-run report by row and column, all-or-nothing and
//! skip-rejected runs, and isolation between centres.

use base64::Engine as _;
use integra_test_support::{Gql, TestApp, on_both_engines};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::{Value, json};

use crate::clients::register;

const IMPORT: &str =
    "mutation($file: FileInput!, $dry: Boolean, $skip: Boolean, $mapping: [ColumnMappingInput!]) {
  importClients(file: $file, dryRun: $dry, skipRejected: $skip, mapping: $mapping) {
    rows accepted rejected imported committed
    mapping { column field } ignoredColumns
    problems { row column header field message existingClientId }
  }
}";

/// A sheet as a centre keeps it, with mistakes in it.
fn workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date_format = Format::new().set_num_format("d.m.yyyy");
    let headers = [
        "Příjmení",
        "Jméno",
        "Datum narození",
        "Pohlaví",
        "Státní příslušnost",
        "Pobytové oprávnění",
        "Platnost od",
        "Platnost do",
        "Telefon",
        "Poznámka",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let text = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, v: &str| {
        ws.write_string(r, c, v).unwrap();
    };
    // Row 2: fine, with a real date cell.
    text(ws, 1, 0, "Kovalenko");
    text(ws, 1, 1, "Oleksandr");
    ws.write_datetime_with_format(
        1,
        2,
        ExcelDateTime::from_ymd(1990, 5, 17).unwrap(),
        &date_format,
    )
    .unwrap();
    text(ws, 1, 3, "M");
    text(ws, 1, 4, "Ukrajina");
    text(ws, 1, 5, "dočasná ochrana");
    text(ws, 1, 6, "15.3.2022");
    text(ws, 1, 7, "31.3.2030");
    ws.write_number(1, 8, 420_777_123_456.0).unwrap();
    text(ws, 1, 9, "chodí v úterý");
    // Row 3: a date that does not exist.
    for (c, v) in ["Nguyễn", "Thị Lan", "31.02.1985", "Ž", "VN"]
        .iter()
        .enumerate()
    {
        text(ws, 2, c as u16, v);
    }
    // Row 4: an unknown country.
    for (c, v) in ["Novák", "Jan", "1.1.1980", "M", "Atlantida"]
        .iter()
        .enumerate()
    {
        text(ws, 3, c as u16, v);
    }
    // Row 5: born in the future.
    for (c, v) in ["Dvořák", "Jiří", "1.1.2099", "M", "SK"].iter().enumerate() {
        text(ws, 4, c as u16, v);
    }
    // Row 6: row 2 again, spelled differently.
    for (c, v) in ["Kovalenko", "Olexandr", "17.5.1990", "muž", "UA"]
        .iter()
        .enumerate()
    {
        text(ws, 5, c as u16, v);
    }
    // Row 7: already registered (as Anna Petrenková).
    for (c, v) in ["Petrenkova", "Ana", "1990-01-01", "Ž", "UA"]
        .iter()
        .enumerate()
    {
        text(ws, 6, c as u16, v);
    }
    // Row 8: permit ending before it starts.
    for (c, v) in [
        "Shevchenko",
        "Ivan",
        "7.7.1970",
        "M",
        "UA",
        "trvalý pobyt",
        "1.1.2025",
        "1.1.2024",
    ]
    .iter()
    .enumerate()
    {
        text(ws, 7, c as u16, v);
    }
    // Row 9: no given name.
    for (c, v) in ["Horák", "", "2.2.1982", "M", "UA"].iter().enumerate() {
        if !v.is_empty() {
            text(ws, 8, c as u16, v);
        }
    }
    // Row 10: fine.
    for (c, v) in ["Bondarenko", "Oksana", "4.4.1991", "Ž", "UKR"]
        .iter()
        .enumerate()
    {
        text(ws, 9, c as u16, v);
    }
    wb.save_to_buffer().unwrap()
}

fn file(name: &str, bytes: &[u8]) -> Value {
    json!({"name": name, "contentBase64": base64::engine::general_purpose::STANDARD.encode(bytes)})
}

async fn search(c: &Gql, text: &str) -> usize {
    let r = c
        .query(
            "query($t: String) { searchClients(text: $t) { edges { node { id } } } }",
            json!({"t": text}),
        )
        .await;
    r.ok()["searchClients"]["edges"].as_array().unwrap().len()
}

async fn spreadsheet_import(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let existing = register(
        &c,
        json!({"givenName": "Anna", "familyName": "Petrenková", "sex": "FEMALE", "nationality": "UA", "birthDate": "1990-01-01"}),
        Value::Null,
    )
    .await;
    let xlsx = workbook();

    // The dry run reports every problem by row and column.
    let r = c
        .query(IMPORT, json!({"file": file("klienti.xlsx", &xlsx)}))
        .await;
    let rep = r.ok()["importClients"].clone();
    assert_eq!(
        (
            &rep["rows"],
            &rep["accepted"],
            &rep["rejected"],
            &rep["imported"],
            &rep["committed"]
        ),
        (&json!(9), &json!(2), &json!(7), &json!(0), &json!(false)),
        "{rep}"
    );
    assert_eq!(rep["ignoredColumns"], json!(["Poznámka"]));
    assert_eq!(
        rep["mapping"][0],
        json!({"column": "Příjmení", "field": "FAMILY_NAME"})
    );
    let problems: Vec<(u64, Option<&str>, &str)> = rep["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_u64().unwrap(),
                p["column"].as_str(),
                p["field"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (3, Some("C"), "birthDate"),
            (4, Some("E"), "nationality"),
            (5, Some("C"), "birthDate"),
            (6, None, "duplicate"),
            (7, None, "duplicate"),
            (8, Some("H"), "residence.validTo"),
            (9, Some("B"), "givenName"),
        ],
        "{rep}"
    );
    let by_row = |row: u64| {
        rep["problems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["row"] == row)
            .unwrap()
            .clone()
    };
    assert_eq!(by_row(3)["header"], "Datum narození");
    assert!(
        by_row(3)["message"]
            .as_str()
            .unwrap()
            .contains("31.02.1985"),
        "{}",
        by_row(3)
    );
    assert_eq!(by_row(5)["message"], "must not be in the future");
    assert_eq!(by_row(6)["message"], "the same person as row 2");
    assert_eq!(by_row(7)["existingClientId"], existing["id"]);
    assert_eq!(search(&c, "kovalenko").await, 0, "a dry run writes nothing");

    // A real run with rejected rows writes nothing at all...
    let r = c
        .query(
            IMPORT,
            json!({"file": file("klienti.xlsx", &xlsx), "dry": false}),
        )
        .await;
    let rep = r.ok()["importClients"].clone();
    assert_eq!(
        (&rep["imported"], &rep["committed"]),
        (&json!(0), &json!(false))
    );
    assert_eq!(search(&c, "kovalenko").await, 0);
    assert_eq!(search(&c, "bondarenko").await, 0);
    // ...unless the rejected rows are skipped.
    let r = c
        .query(
            IMPORT,
            json!({"file": file("klienti.xlsx", &xlsx), "dry": false, "skip": true}),
        )
        .await;
    let rep = r.ok()["importClients"].clone();
    assert_eq!(
        (&rep["imported"], &rep["committed"]),
        (&json!(2), &json!(true))
    );
    assert_eq!(
        search(&c, "Коваленко").await,
        1,
        "imported rows are searchable"
    );
    assert_eq!(search(&c, "bondarenko").await, 1);
    let found = c
        .query(
            "{ searchClients(text: \"kovalenko\") { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let id = found.ok()["searchClients"]["edges"][0]["node"]["id"].clone();
    let detail = c
        .query(
            "query($id: ClientId!) { client(id: $id) { birthDate sex nationality phone residenceStatus residenceHistory { validFrom validTo } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        detail.ok()["client"],
        json!({"birthDate": "1990-05-17", "sex": "MALE", "nationality": "UA", "phone": "420777123456",
               "residenceStatus": "TEMPORARY_PROTECTION",
               "residenceHistory": [{"validFrom": "2022-03-15", "validTo": "2030-03-31"}]})
    );
    // Importing the same file again finds them all registered.
    let r = c
        .query(IMPORT, json!({"file": file("klienti.xlsx", &xlsx)}))
        .await;
    let rep = r.ok()["importClients"].clone();
    assert_eq!(rep["accepted"], 0, "{rep}");
    let admin = app.signed_in("admin.usti@example.org").await;
    let log = admin
        .query("{ auditLog(first: 10) { action fields } }", json!({}))
        .await;
    assert!(
        log.ok()["auditLog"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["action"] == "CREATE" && l["fields"] == json!(["import"])),
        "{}",
        log.body
    );

    // Another centre: its own registry only (Ústí's Petrenková is no
    // duplicate in Praha) and its own clients.
    let praha = app.signed_in("admin.praha@example.org").await;
    let r = praha
        .query(IMPORT, json!({"file": file("klienti.xlsx", &xlsx)}))
        .await;
    let rep = r.ok()["importClients"].clone();
    assert_eq!(rep["accepted"], 3, "{rep}");
    assert!(!rep.to_string().contains(existing["id"].as_str().unwrap()));

    // A Czech Excel CSV (Windows-1250, semicolons) with an explicit mapping.
    let csv = "Surname;Forename;Born;Gender;Country\r\nDvořák;Jiří;3.2.1979;muž;Slovensko\r\nNováková;Eva;x;Ž;CZ\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(csv);
    let mapping = json!([
        {"column": "Surname", "field": "FAMILY_NAME"},
        {"column": "Forename", "field": "GIVEN_NAME"},
        {"column": "Born", "field": "BIRTH_DATE"},
        {"column": "Gender", "field": "SEX"},
        {"column": "Country", "field": "NATIONALITY"}
    ]);
    let r = c
        .query(
            IMPORT,
            json!({"file": file("export.csv", &bytes), "mapping": mapping, "dry": false, "skip": true}),
        )
        .await;
    let rep = r.ok()["importClients"].clone();
    assert_eq!(rep["imported"], 1, "{rep}");
    assert_eq!(
        rep["problems"],
        json!([{"row": 3, "column": "C", "header": "Born", "field": "birthDate",
                "message": "'x' is not a date (write 17.5.1990 or 1990-05-17)", "existingClientId": null}])
    );
    assert_eq!(search(&c, "dvorak").await, 1);

    // Files and mappings that cannot work are bad input naming the field.
    for (vars, field) in [
        (
            json!({"file": {"name": "a.xlsx", "contentBase64": "%%%"}}),
            "file.contentBase64",
        ),
        (json!({"file": file("a.xlsx", b"PK\x03\x04broken")}), "file"),
        (
            json!({"file": file("a.csv", b"Name;Phone\r\nJan;123\r\n")}),
            "mapping",
        ),
        (
            json!({"file": file("export.csv", &bytes), "mapping": [{"column": "Nope", "field": "EMAIL"}]}),
            "mapping",
        ),
    ] {
        let r = c.query(IMPORT, vars).await;
        assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
        assert_eq!(r.errors()[0]["extensions"]["field"], field);
    }
    // Lecturers may not import.
    let lecturer = app.signed_in("lecturer.usti@example.org").await;
    let r = lecturer
        .query(IMPORT, json!({"file": file("klienti.xlsx", &xlsx)}))
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
}
on_both_engines!(import, spreadsheet_import);
