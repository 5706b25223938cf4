//! Ministry oversight over the API: each counting rule on hand-made data with
//! known answers (a person served in two centres, an ineligible client, a
//! remote service without verified identity, a contact below the threshold,
//! a group), the centre's unsuppressed view, the ministry's suppressed one,
//! a back-dated service showing after the refresh, targets against actuals,
//! and who may read what.

use integra_test_support::{Gql, TestApp, on_both_engines};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::clients::register;
use crate::counselling::project;

const RECORD: &str =
    "mutation($input: InterventionInput!) { recordIntervention(input: $input) { id } }";

const CENTRE: &str = "query($year: Int!, $period: Period!, $dim: Dimension) {
  centreIndicators(year: $year, period: $period, dimension: $dim) { indicator category value display } }";

const MINISTRY: &str =
    "query($year: Int!, $period: Period!, $level: GeoLevel!, $ind: [Indicator!]) {
  ministryIndicators(year: $year, period: $period, level: $level, indicators: $ind) {
    geo centreId regionCode indicator category value mark display } }";

pub(crate) fn person(given: &str, family: &str, nationality: &str, born: &str, sex: &str) -> Value {
    json!({"givenName": given, "familyName": family, "sex": sex, "nationality": nationality, "birthDate": born})
}

fn tp() -> Value {
    json!({"status": "TEMPORARY_PROTECTION", "validFrom": "2022-03-15", "validTo": "2027-03-31"})
}

pub(crate) async fn record(
    c: &Gql,
    clients: &[&str],
    on: &str,
    minutes: i32,
    kind: &str,
    form: &str,
    project: &str,
) {
    let r = c
        .query(
            RECORD,
            json!({"input": {
                "clientIds": clients, "occurredOn": on, "durationMinutes": minutes,
                "kind": kind, "form": form, "topics": ["HOUSING"], "language": "uk",
                "fundingProjectId": project
            }}),
        )
        .await;
    r.ok();
}

/// Registers a person under temporary protection; their id.
pub(crate) async fn registered(c: &Gql, person: Value) -> String {
    id(&register(c, person, tp()).await)
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// `indicator` → value of the total row (category "").
fn totals(rows: &Value) -> std::collections::HashMap<String, Value> {
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["category"] == "")
        .map(|r| {
            (
                r["indicator"].as_str().unwrap().to_owned(),
                r["value"].clone(),
            )
        })
        .collect()
}

async fn stored(app: &TestApp, geo: &str, period: &str, indicator: &str) -> (i64, i32) {
    // As the indicator work sees the cells (published or not).
    let txn = app.platform.reporting().await.unwrap();
    let row = txn
        .query_one_raw(integra_kernel::stmt(
            app.db.backend(),
            "SELECT value, hidden FROM report_cells WHERE year = 2025 AND geo = ? AND period = ? \
             AND indicator = ? AND dimension = 'total'",
            vec![geo.into(), period.into(), indicator.into()],
        ))
        .await
        .unwrap();
    txn.commit().await.unwrap();
    row.map(|r| {
        (
            r.try_get("", "value").unwrap(),
            r.try_get("", "hidden").unwrap(),
        )
    })
    .unwrap_or((0, 1))
}

pub(crate) async fn centre_id(c: &Gql) -> String {
    let r = c.query("{ viewer { centre { id } } }", json!({})).await;
    r.ok()["viewer"]["centre"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn counting_rules(app: TestApp) {
    let usti = app.signed_in("counsellor.usti@example.org").await;
    let praha = app.signed_in("admin.praha@example.org").await;
    let usti_admin = app.signed_in("admin.usti@example.org").await;
    let ministry = app.signed_in("ministry@example.org").await;
    let amif_usti = project(&usti, "AMIF/52").await;
    let amif_praha = project(&praha, "AMIF/52").await;

    // Iryna is served in both centres: one person for the network.
    let iryna_u = registered(
        &usti,
        person("Iryna", "Shevchenko", "UA", "1990-01-01", "FEMALE"),
    )
    .await;
    let iryna_p = registered(
        &praha,
        person("Iryna", "Shevchenko", "UA", "1990-01-01", "FEMALE"),
    )
    .await;
    record(
        &usti,
        &[&iryna_u],
        "2025-03-10",
        60,
        "SOCIAL_COUNSELLING",
        "OFFICE",
        &amif_usti,
    )
    .await;
    record(
        &praha,
        &[&iryna_p],
        "2025-05-12",
        45,
        "LEGAL_COUNSELLING",
        "OFFICE",
        &amif_praha,
    )
    .await;
    // A Slovak (EU citizen): served from AMIF money, never counted.
    let jan = id(&register(
        &usti,
        person("Ján", "Kováč", "SK", "1985-02-02", "MALE"),
        json!(null),
    )
    .await);
    record(
        &usti,
        &[&jan],
        "2025-03-11",
        60,
        "SOCIAL_COUNSELLING",
        "OFFICE",
        &amif_usti,
    )
    .await;
    // By phone without a verified identity: not counted.
    let olena = registered(
        &usti,
        person("Olena", "Bondar", "UA", "1991-03-03", "FEMALE"),
    )
    .await;
    record(
        &usti,
        &[&olena],
        "2025-03-12",
        60,
        "SOCIAL_COUNSELLING",
        "PHONE",
        &amif_usti,
    )
    .await;
    // Fifteen minutes: a contact, below the 30-minute threshold.
    let taras = registered(&usti, person("Taras", "Melnyk", "UA", "1980-04-04", "MALE")).await;
    record(
        &usti,
        &[&taras],
        "2025-03-13",
        15,
        "INFORMATION_SERVICE",
        "OFFICE",
        &amif_usti,
    )
    .await;
    // Interpreting: counted, but not counselling.
    let oksana = registered(
        &usti,
        person("Oksana", "Tkachenko", "UA", "1975-05-05", "FEMALE"),
    )
    .await;
    record(
        &usti,
        &[&oksana],
        "2025-04-02",
        90,
        "INTERCULTURAL_WORK",
        "OFFICE",
        &amif_usti,
    )
    .await;
    // A group of ten: each counts once, as a person served.
    let mut group = Vec::new();
    let names = [
        "Andrii", "Bohdan", "Dmytro", "Yurii", "Petro", "Mariia", "Sofiia", "Daria", "Anna",
        "Kateryna",
    ];
    for (i, name) in names.iter().enumerate() {
        let sex = if i < 5 { "MALE" } else { "FEMALE" };
        group.push(id(&register(
            &usti,
            person(name, "Hrytsenko", "UA", &format!("199{i}-06-06"), sex),
            tp(),
        )
        .await));
    }
    let refs: Vec<&str> = group.iter().map(String::as_str).collect();
    record(
        &usti,
        &refs,
        "2025-06-05",
        60,
        "SOCIAL_COUNSELLING",
        "OFFICE",
        &amif_usti,
    )
    .await;

    let done = app.reporting.refresh().await.unwrap();
    assert!(done.months >= 4 && done.years.contains(&2025), "{done:?}");
    assert_eq!(app.reporting.pending_months().await.unwrap(), 0);

    // The centre sees its own figures, unsuppressed.
    let r = usti_admin
        .query(CENTRE, json!({"year": 2025, "period": "Y"}))
        .await;
    let t = totals(&r.ok()["centreIndicators"]);
    assert_eq!(t["UNIQUE_PERSONS"], json!(12.0), "{t:?}");
    assert_eq!(t["NEW_CLIENTS"], json!(12.0));
    // Iryna alone: the group is social counselling but not individual.
    assert_eq!(t["COUNSELLED_PERSONS"], json!(1.0));
    // Iryna's, Oksana's and the group's.
    assert_eq!(t["INTERVENTIONS"], json!(3.0));
    assert_eq!(t["INTERVENTION_HOURS"], json!(3.5));
    assert_eq!(t["CONTACTS"], json!(1.0));
    let r = usti_admin
        .query(CENTRE, json!({"year": 2025, "period": "Q1"}))
        .await;
    let q1 = totals(&r.ok()["centreIndicators"]);
    assert_eq!(q1["UNIQUE_PERSONS"], json!(1.0), "{q1:?}");
    let r = usti_admin
        .query(CENTRE, json!({"year": 2025, "period": "Y", "dim": "SEX"}))
        .await;
    let by_sex: Vec<(String, f64)> = r.ok()["centreIndicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["indicator"] == "UNIQUE_PERSONS")
        .map(|x| {
            (
                x["category"].as_str().unwrap().to_owned(),
                x["value"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(by_sex, vec![("f".to_owned(), 7.0), ("m".to_owned(), 5.0)]);
    let r = praha
        .query(CENTRE, json!({"year": 2025, "period": "Y"}))
        .await;
    let p = totals(&r.ok()["centreIndicators"]);
    assert_eq!(p["UNIQUE_PERSONS"], json!(1.0));
    assert_eq!(p["COUNSELLED_PERSONS"], json!(1.0));

    // The network counts Iryna once: 12, not 13 (whether the ministry sees
    // it depends on the suppression of the tables linked to it).
    assert_eq!(stored(&app, "network", "Y", "unique_persons").await.0, 12);
    assert_eq!(
        stored(&app, "region:CZ042", "Y", "unique_persons").await.0,
        12
    );
    let praha_id = centre_id(&praha).await;
    let usti_id = centre_id(&usti).await;
    assert_eq!(
        stored(&app, &format!("centre:{praha_id}"), "Y", "unique_persons").await,
        (1, 1)
    );

    // The ministry: Praha's one person is "<5"; no person count under five
    // is shown anywhere; a hidden cell has no value; counts of services
    // are not persons and are shown as they are.
    let r = ministry
        .query(MINISTRY, json!({"year": 2025, "period": "Y", "level": "CENTRE", "ind": ["UNIQUE_PERSONS", "INTERVENTIONS"]}))
        .await;
    let rows = r.ok()["ministryIndicators"].as_array().unwrap().clone();
    let row = |c: &str, ind: &str| {
        rows.iter()
            .find(|x| x["centreId"] == c && x["category"] == "" && x["indicator"] == ind)
            .unwrap()
            .clone()
    };
    assert_eq!(row(&praha_id, "UNIQUE_PERSONS")["display"], "<5");
    assert_eq!(row(&praha_id, "UNIQUE_PERSONS")["value"], Value::Null);
    let usti_persons = row(&usti_id, "UNIQUE_PERSONS");
    assert!(
        usti_persons["display"] == "12"
            || (usti_persons["display"] == "×" && usti_persons["value"].is_null()),
        "{usti_persons}"
    );
    assert_eq!(row(&usti_id, "INTERVENTIONS")["display"], "3");
    for x in rows.iter().filter(|x| x["indicator"] == "UNIQUE_PERSONS") {
        let v = x["value"].as_f64();
        assert!(v.is_none() || v.unwrap() >= 5.0, "a small cell shown: {x}");
        assert_eq!(v.is_none(), x["mark"] != "SHOWN", "{x}");
    }
    for level in ["REGION", "NETWORK"] {
        let r = ministry
            .query(
                MINISTRY,
                json!({"year": 2025, "period": "Q2", "level": level}),
            )
            .await;
        for x in r.ok()["ministryIndicators"].as_array().unwrap() {
            let v = x["value"].as_f64();
            if ["UNIQUE_PERSONS", "NEW_CLIENTS", "COUNSELLED_PERSONS"]
                .contains(&x["indicator"].as_str().unwrap())
            {
                assert!(v.is_none() || v.unwrap() >= 5.0, "a small cell shown: {x}");
            }
        }
    }
    // The same table as files: what is hidden on screen is hidden there,
    // and no person is named.
    const REPORT: &str = "query($f: ReportFormat!, $level: GeoLevel!, $dim: Dimension) {
      ministryReport(year: 2025, period: Y, level: $level, dimension: $dim, format: $f) {
        fileName mediaType base64 } }";
    let file = |r: &integra_test_support::GqlResponse| {
        use base64::Engine as _;
        let f = &r.ok()["ministryReport"];
        (
            f["fileName"].as_str().unwrap().to_owned(),
            base64::engine::general_purpose::STANDARD
                .decode(f["base64"].as_str().unwrap())
                .unwrap(),
        )
    };
    let (name, csv) = file(
        &ministry
            .query(REPORT, json!({"f": "CSV", "level": "CENTRE"}))
            .await,
    );
    assert_eq!(name, "ukazatele-2025-y-centra-total.csv");
    let csv = String::from_utf8(csv).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.contains("Centrum;Kraj;Podpořené osoby"), "{header}");
    let praha_line = csv
        .lines()
        .find(|l| l.contains("Praha") && l.contains("Hlavní město Praha"))
        .unwrap_or_else(|| panic!("no Praha row in {csv}"));
    let persons = praha_line.split(';').nth(2).unwrap();
    assert_eq!(persons, "<5", "{praha_line}");
    assert!(!csv.contains("Shevchenko") && !csv.contains("Iryna"));
    for (format, magic) in [("XLSX", &b"PK"[..]), ("PDF", &b"%PDF-"[..])] {
        let (_, bytes) = file(
            &ministry
                .query(
                    REPORT,
                    json!({"f": format, "level": "REGION", "dim": "SEX"}),
                )
                .await,
        );
        assert!(bytes.starts_with(magic), "{format}");
    }
    let r = usti_admin
        .query(REPORT, json!({"f": "CSV", "level": "NETWORK"}))
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));

    // The yearly statistical-analytical report: the network's and one
    // centre's for the ministry (suppressed), a centre's own (not).
    const YEARLY: &str = "query($c: CentreId) { ministryYearlyReport(year: 2025, centreId: $c) { fileName mediaType base64 } }";
    const OWN_YEARLY: &str = "{ centreYearlyReport(year: 2025) { fileName mediaType base64 } }";
    let pdf_text = |r: &integra_test_support::GqlResponse, field: &str| {
        use base64::Engine as _;
        let f = &r.ok()[field];
        assert_eq!(f["mediaType"], "application/pdf");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(f["base64"].as_str().unwrap())
            .unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        (
            f["fileName"].as_str().unwrap().to_owned(),
            pdf_extract::extract_text_from_mem(&bytes).unwrap(),
        )
    };
    let line_of = |text: &str, start: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("no line {start} in {text}"))
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    };
    let (name, text) = pdf_text(
        &ministry.query(YEARLY, json!({})).await,
        "ministryYearlyReport",
    );
    assert_eq!(name, "zprava-2025-sit.pdf");
    for needle in [
        "Statisticko-analytická zpráva za rok 2025",
        "Celá síť integračních center",
        "Hlavní ukazatele",
        "Vývoj po měsících",
        "Intervence podle druhu",
        "Centra",
        "<5 = 0 až 4 osoby",
    ] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
    // The network's year: Q1's one person is "<5"; Q2 and the year show
    // 12 each, which gives nothing away (distinct persons: the year lies
    // between its largest quarter and the sum of its quarters, so Q1 may
    // hold 0 to 4 of the year's 12). Services are not persons and print in
    // full: 1 in Q1, 3 in Q2.
    assert_eq!(
        line_of(&text, "Podpořené osoby")[2..],
        ["<5", "12", "<5", "<5", "12"],
        "{text}"
    );
    assert_eq!(
        line_of(&text, "Intervence")[1..],
        ["1", "3", "0", "0", "4"],
        "{text}"
    );
    // The centres side by side: Praha's one person hidden, its one
    // intervention shown (event participants count persons: none is "<5").
    // (The chart's bar comes first, the table's row last.)
    let praha_row: Vec<&str> = text
        .lines()
        .rfind(|l| l.trim_start().starts_with("Integrační centrum Praha"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        praha_row[praha_row.len() - 6..],
        ["<5", "<5", "<5", "<5", "1", "<5"],
        "{text}"
    );
    assert!(!text.contains("Shevchenko") && !text.contains("Iryna") && !text.contains("Hrytsenko"));
    let (name, text) = pdf_text(
        &ministry.query(YEARLY, json!({"c": praha_id})).await,
        "ministryYearlyReport",
    );
    assert!(name.starts_with("zprava-2025-centrum-"), "{name}");
    assert!(text.contains("Projekty a cílové hodnoty"), "{text}");
    // Praha's one person is hidden in the ministry's copy ...
    assert_eq!(
        line_of(&text, "Podpořené osoby").last().unwrap(),
        "<5",
        "{text}"
    );
    // ... and shown in Praha's own.
    let (_, text) = pdf_text(
        &praha.query(OWN_YEARLY, json!({})).await,
        "centreYearlyReport",
    );
    assert!(text.contains("potlačení malých hodnot"), "{text}");
    assert_eq!(
        line_of(&text, "Podpořené osoby").last().unwrap(),
        "1",
        "{text}"
    );
    let (name, text) = pdf_text(
        &usti_admin.query(OWN_YEARLY, json!({})).await,
        "centreYearlyReport",
    );
    assert_eq!(name, "zprava-2025.pdf");
    assert_eq!(
        line_of(&text, "Podpořené osoby").last().unwrap(),
        "12",
        "{text}"
    );
    // A year that has not ended, an unknown centre, the wrong reader.
    let r = ministry
        .query(
            "{ ministryYearlyReport(year: 2099) { fileName } }",
            json!({}),
        )
        .await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "year");
    let r = ministry
        .query(YEARLY, json!({"c": "01960000-0000-7000-8000-000000000000"}))
        .await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "centreId");
    let r = usti_admin.query(YEARLY, json!({})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    let r = ministry.query(OWN_YEARLY, json!({})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));

    // The catalogue names the dashboard's main indicators, in its order.
    let r = ministry
        .query("{ indicatorCatalogue { indicator main } }", json!({}))
        .await;
    let main: Vec<&str> = r.ok()["indicatorCatalogue"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["main"] == true)
        .map(|i| i["indicator"].as_str().unwrap())
        .collect();
    assert_eq!(main.len(), 9);
    assert_eq!(main[0], "UNIQUE_PERSONS");
    assert!(main.contains(&"INTERVENTION_HOURS") && !main.contains(&"CONTACTS"));

    // A period that has not ended is refused, naming the field.
    let r = ministry
        .query(
            MINISTRY,
            json!({"year": 2099, "period": "Y", "level": "NETWORK"}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(r.errors()[0]["extensions"]["field"], "period");

    // Who may read what: staff do not get the ministry's tables, the
    // ministry does not get a centre's, a counsellor not the centre's.
    let r = usti_admin
        .query(
            MINISTRY,
            json!({"year": 2025, "period": "Y", "level": "CENTRE"}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    let r = ministry
        .query(CENTRE, json!({"year": 2025, "period": "Y"}))
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    let r = usti
        .query(CENTRE, json!({"year": 2025, "period": "Y"}))
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));

    // A service recorded late for an old month shows after the next refresh.
    record(
        &usti,
        &[&olena],
        "2025-02-03",
        60,
        "LEGAL_COUNSELLING",
        "OFFICE",
        &amif_usti,
    )
    .await;
    let done = app.reporting.refresh().await.unwrap();
    assert_eq!(done.months, 1, "{done:?}");
    let r = usti_admin
        .query(CENTRE, json!({"year": 2025, "period": "Y"}))
        .await;
    let t = totals(&r.ok()["centreIndicators"]);
    assert_eq!(t["UNIQUE_PERSONS"], json!(13.0));
    assert_eq!(t["COUNSELLED_PERSONS"], json!(2.0));
    assert_eq!(stored(&app, "network", "Y", "unique_persons").await.0, 13);

    // Targets against actuals: the straight line for an ended project
    // expects everything.
    let old = project(&usti_admin, "AMIF/31").await;
    let r = usti_admin
        .query(
            "mutation($p: FundingProjectId!, $t: [TargetInput!]!) { setProjectTargets(projectId: $p, targets: $t)
               setProjectDetails(projectId: $p, operator: \"Poradna pro integraci, z.ú.\", budgetCzk: 4500000,
                 keyActivities: [\"KA1 Sociální poradenství\", \"KA2 Kurzy češtiny\"]) }",
            json!({"p": amif_usti, "t": [
                {"indicator": "UNIQUE_PERSONS", "planned": 300},
                {"indicator": "INTERVENTION_HOURS", "planned": 10}
            ]}),
        )
        .await;
    r.ok();
    let r = usti_admin
        .query(
            "mutation($p: FundingProjectId!) { setProjectTargets(projectId: $p, targets: [
               {indicator: UNIQUE_PERSONS, planned: 5}, {indicator: UNIQUE_PERSONS, planned: 6}]) }",
            json!({"p": old}),
        )
        .await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "targets[1].indicator");
    let r = usti_admin
        .query(
            "{ centreProjects { registrationNumber operator budgetCzk keyActivities elapsed
               targets { indicator planned actual expected behind } } }",
            json!({}),
        )
        .await;
    let list = r.ok()["centreProjects"].as_array().unwrap().clone();
    let p = list
        .iter()
        .find(|p| {
            p["registrationNumber"]
                .as_str()
                .unwrap()
                .starts_with("AMIF/52")
        })
        .unwrap();
    assert_eq!(p["operator"], "Poradna pro integraci, z.ú.");
    assert_eq!(p["budgetCzk"], 4500000);
    assert_eq!(p["keyActivities"].as_array().unwrap().len(), 2);
    let persons = &p["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["indicator"] == "UNIQUE_PERSONS")
        .unwrap()
        .clone();
    assert_eq!(persons["planned"], 300);
    assert_eq!(persons["actual"], 13.0);
    assert_eq!(persons["behind"], true);
    let hours = p["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["indicator"] == "INTERVENTION_HOURS")
        .unwrap()
        .clone();
    assert_eq!(hours["planned"], 10);
    assert_eq!(hours["actual"], 4.5);
    // The ministry sees the projects of every centre, Ústí's actual shown.
    let r = ministry
        .query("{ ministryProjects { centreId registrationNumber targets { indicator planned actual mark } } }", json!({}))
        .await;
    let all = r.ok()["ministryProjects"].as_array().unwrap().clone();
    assert!(all.len() >= 36, "every centre's projects: {}", all.len());
    let mine = all
        .iter()
        .find(|p| {
            p["centreId"] == usti_id.as_str()
                && p["registrationNumber"]
                    .as_str()
                    .unwrap()
                    .starts_with("AMIF/52")
        })
        .unwrap();
    let persons = mine["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["indicator"] == "UNIQUE_PERSONS")
        .unwrap();
    assert_eq!(persons["actual"], 13.0);
    assert_eq!(persons["mark"], "SHOWN");
    // Another centre cannot set Ústí's targets.
    let r = praha
        .query(
            "mutation($p: FundingProjectId!) { setProjectTargets(projectId: $p, targets: []) }",
            json!({"p": amif_usti}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
    let r = ministry
        .query(
            "mutation($p: FundingProjectId!) { setProjectTargets(projectId: $p, targets: []) }",
            json!({"p": amif_usti}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
}

on_both_engines!(indicators, counting_rules);

const MARK: &str =
    "mutation($s: SessionId!, $m: [MarkInput!]!) { recordAttendance(sessionId: $s, marks: $m) }";

async fn courses_and_events_count(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let praha = app.signed_in("admin.praha@example.org").await;
    let amif = project(&admin, "AMIF/52").await;
    let staff = admin.query("{ staff { userId email } }", json!({})).await;
    let lecturer = staff.ok()["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "lecturer.usti@example.org")
        .unwrap()["userId"]
        .as_str()
        .unwrap()
        .to_owned();
    let lesia = registered(
        &admin,
        person("Lesia", "Ukrainka", "UA", "1990-02-25", "FEMALE"),
    )
    .await;
    let mykola = registered(
        &admin,
        person("Mykola", "Lysenko", "UA", "1982-03-22", "MALE"),
    )
    .await;
    // EU citizen: in the course, never counted.
    let peter = id(&register(
        &admin,
        person("Peter", "Horváth", "SK", "1988-07-07", "MALE"),
        json!(null),
    )
    .await);
    for (c, level) in [(&lesia, "A0"), (&mykola, "A0"), (&peter, "A1")] {
        admin
            .query(
                "mutation($c: ClientId!, $l: Level!) { recordPlacement(clientId: $c, level: $l, testedOn: \"2025-02-20\") { id } }",
                json!({"c": c, "l": level}),
            )
            .await
            .ok();
    }
    // Four Tuesdays in March 2025.
    let r = admin
        .query(
            "mutation($i: CourseInput!, $s: ScheduleInput) { createCourse(input: $i, schedule: $s, overrideReason: \"test\") {
               course { id } sessions { id } } }",
            json!({
                "i": {"kind": "CZECH_LANGUAGE", "level": "A1", "title": "Čeština A1 jaro", "capacity": 10,
                      "lecturerIds": [lecturer], "fundingProjectId": amif},
                "s": {"rule": "FREQ=WEEKLY;BYDAY=TU;COUNT=4", "firstDay": "2025-03-04", "startTime": "17:00", "endTime": "18:30"}
            }),
        )
        .await;
    let planned = r.ok()["createCourse"].clone();
    let course = planned["course"]["id"].as_str().unwrap().to_owned();
    let sessions = planned["sessions"].as_array().unwrap().clone();
    assert_eq!(sessions.len(), 4);
    let mut enrolments = Vec::new();
    for c in [&lesia, &mykola, &peter] {
        let r = admin
            .query(
                "mutation($c: CourseId!, $k: ClientId!) { enrol(courseId: $c, clientId: $k) { id } }",
                json!({"c": course, "k": c}),
            )
            .await;
        enrolments.push(r.ok()["enrol"]["id"].as_str().unwrap().to_owned());
    }
    // Lesia comes every time, Mykola once (late), Peter every time.
    for (n, s) in sessions.iter().enumerate() {
        let mykola_mark = if n == 0 { "LATE" } else { "ABSENT" };
        admin
            .query(
                MARK,
                json!({"s": s["id"], "m": [
                    {"enrolmentId": enrolments[0], "mark": "PRESENT"},
                    {"enrolmentId": enrolments[1], "mark": mykola_mark},
                    {"enrolmentId": enrolments[2], "mark": "PRESENT"}]}),
            )
            .await
            .ok();
    }
    for (e, level) in [
        (&enrolments[0], "A1"),
        (&enrolments[1], "A0"),
        (&enrolments[2], "A2"),
    ] {
        admin
            .query(
                "mutation($e: EnrolmentId!, $l: Level!) { setExitLevel(enrolmentId: $e, level: $l) { exitLevel } }",
                json!({"e": e, "l": level}),
            )
            .await
            .ok();
    }
    // "Did it help you?": the course has ended; those who completed it
    // (Lesia, Peter) are asked, Mykola (one session) is not.
    const ASK: &str = "mutation($c: CourseId!) { askCourseFeedback(courseId: $c) { asked { clientId clientName link emailed } already } }";
    let r = admin.query(ASK, json!({"c": course})).await;
    let asked = r.ok()["askCourseFeedback"].clone();
    let names: Vec<&str> = asked["asked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["clientName"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{asked}");
    assert!(names.iter().any(|n| n.contains("Lesia")) && names.iter().any(|n| n.contains("Peter")));
    let token_of = |who: &str| -> String {
        let a = asked["asked"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["clientName"].as_str().unwrap().contains(who))
            .unwrap();
        a["link"]
            .as_str()
            .unwrap()
            .split_once('#')
            .unwrap()
            .1
            .to_owned()
    };
    let r = admin.query(ASK, json!({"c": course})).await;
    assert_eq!(r.ok()["askCourseFeedback"]["already"], 2, "asked once only");
    let r = praha.query(ASK, json!({"c": course})).await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
    // The public page knows the course and the centre, never the person.
    let public = app.client();
    const QUESTION: &str =
        "query($t: String!) { feedbackRequest(token: $t) { centreName title subject answered } }";
    let r = public
        .query(QUESTION, json!({"t": token_of("Lesia")}))
        .await;
    let q = r.ok()["feedbackRequest"].clone();
    assert_eq!(q["title"], "Čeština A1 jaro");
    assert_eq!(q["subject"], "COURSE");
    assert_eq!(q["answered"], false);
    assert!(!q.to_string().contains("Lesia"));
    const GIVE: &str = "mutation($t: String!, $a: FeedbackAnswer!, $c: String, $l: String!) { giveFeedback(token: $t, answer: $a, comment: $c, language: $l) }";
    let r = public
        .query(
            GIVE,
            json!({"t": token_of("Lesia"), "a": "HELPFUL", "c": "Дякую!", "l": "uk"}),
        )
        .await;
    assert_eq!(r.ok()["giveFeedback"], true);
    let r = public
        .query(
            GIVE,
            json!({"t": token_of("Lesia"), "a": "NOT_HELPFUL", "l": "uk"}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"), "a link answers once");
    let r = public
        .query(
            GIVE,
            json!({"t": token_of("Peter"), "a": "HELPFUL", "l": "de"}),
        )
        .await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "language");
    public
        .query(
            GIVE,
            json!({"t": token_of("Peter"), "a": "HELPFUL", "l": "en"}),
        )
        .await
        .ok();
    let r = public
        .query(QUESTION, json!({"t": format!("{}x", token_of("Peter"))}))
        .await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "token");
    // The centre reads the answers; another centre sees none of them.
    let today = chrono::Utc::now().date_naive();
    let span = json!({"f": (today - chrono::Duration::days(1)).to_string(), "t": (today + chrono::Duration::days(1)).to_string()});
    const SUMMARY: &str = "query($f: Date!, $t: Date!) { feedbackSummary(from: $f, to: $t) { subject title asked helpful partly notHelpful comments } }";
    let r = admin.query(SUMMARY, span.clone()).await;
    assert_eq!(
        r.ok()["feedbackSummary"],
        json!([{"subject": "COURSE", "title": "Čeština A1 jaro", "asked": 2, "helpful": 2, "partly": 0, "notHelpful": 0, "comments": ["Дякую!"]}])
    );
    let r = praha.query(SUMMARY, span).await;
    assert_eq!(r.ok()["feedbackSummary"], json!([]));
    // Lesia's data export lists the question and her answer.
    let export = crate::client_rights::export_of(&admin, &lesia).await;
    let asked = crate::client_rights::section(&export, "Asked whether it helped");
    assert_eq!(asked["rows"][0][0], "course Čeština A1 jaro");
    assert_eq!(asked["rows"][0][4], "helpful");
    assert_eq!(asked["rows"][0][5], "Дякую!");
    // A case: open, it is refused; closed, its client is asked.
    let r = admin
        .query(
            "mutation($c: ClientId!) { openCase(clientId: $c, input: {kind: SOCIAL, title: \"Bydlení\"}) { id } }",
            json!({"c": mykola}),
        )
        .await;
    let case = id(&r.ok()["openCase"]);
    const ASK_CASE: &str =
        "mutation($c: CaseId!) { askCaseFeedback(caseId: $c) { asked { clientName emailed } } }";
    let r = admin.query(ASK_CASE, json!({"c": case})).await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "caseId");
    admin
        .query(
            "mutation($c: CaseId!) { updateCase(id: $c, input: {status: CLOSED}) { id } }",
            json!({"c": case}),
        )
        .await
        .ok();
    let r = admin.query(ASK_CASE, json!({"c": case})).await;
    assert_eq!(
        r.ok()["askCaseFeedback"]["asked"][0]["clientName"],
        "Mykola Lysenko"
    );

    // A lecture for the public with a head-count, and a cancelled one.
    for (title, count) in [("Den Ukrajiny", Some(25)), ("Zrušeno", None)] {
        let r = admin
            .query(
                "mutation($i: EventInput!) { createEvent(input: $i) { id } }",
                json!({"i": {"kind": "MULTICULTURAL", "audience": "MAJORITY_SOCIETY", "title": title,
                             "startsAt": "2025-04-10T15:00:00Z", "endsAt": "2025-04-10T18:00:00Z",
                             "fundingProjectId": amif}}),
            )
            .await;
        let event = r.ok()["createEvent"]["id"].as_str().unwrap().to_owned();
        match count {
            Some(n) => {
                admin
                    .query(
                        "mutation($e: EventId!, $n: Int!) { setEventHeadcounts(eventId: $e, counts: [{audience: MAJORITY_SOCIETY, count: $n}]) { count } }",
                        json!({"e": event, "n": n}),
                    )
                    .await
                    .ok();
            }
            None => {
                admin
                    .query(
                        "mutation($e: EventId!) { cancelEvent(id: $e) { status } }",
                        json!({"e": event}),
                    )
                    .await
                    .ok();
            }
        }
    }
    // A lecture for third-country nationals without a head-count: the
    // checked-in registrations are its participants, and a checked-in
    // registration linked to an eligible client counts that person (Lesia);
    // an EU citizen (Peter) and an unlinked registrant count as
    // participants only, a registrant not checked in not at all.
    let starts = chrono::Utc::now() + chrono::Duration::days(2);
    let r = admin
        .query(
            "mutation($i: EventInput!) { createEvent(input: $i) { id slug } }",
            json!({"i": {"kind": "LECTURE_FOR_FOREIGNERS", "audience": "THIRD_COUNTRY_NATIONALS",
                         "title": "Bydlení v Česku", "startsAt": starts.to_rfc3339(),
                         "endsAt": (starts + chrono::Duration::hours(2)).to_rfc3339(),
                         "capacity": 10, "publicRegistration": true, "fundingProjectId": amif}}),
        )
        .await;
    let lecture = r.ok()["createEvent"].clone();
    for (name, email) in [
        ("Lesia Ukrainka", "lesia@example.org"),
        ("Peter Horváth", "peter@example.org"),
        ("Ivan Petrenko", "ivan@example.org"),
        ("Nguyen Thi Lan", "lan@example.org"),
    ] {
        let r = public
            .query(
                "mutation($s: String!, $i: PublicRegistrationInput!) { registerForEvent(eventSlug: $s, input: $i) { status } }",
                json!({"s": lecture["slug"], "i": {"name": name, "email": email, "consent": true, "language": "en"}}),
            )
            .await;
        assert_eq!(r.ok()["registerForEvent"]["status"], "CONFIRMED");
    }
    let r = admin
        .query(
            "query($e: EventId!) { eventRegistrations(eventId: $e) { id email } }",
            json!({"e": lecture["id"]}),
        )
        .await;
    let regs = r.ok()["eventRegistrations"].as_array().unwrap().clone();
    let reg = |email: &str| regs.iter().find(|r| r["email"] == email).unwrap()["id"].clone();
    for (email, client) in [("lesia@example.org", &lesia), ("peter@example.org", &peter)] {
        admin
            .query(
                "mutation($r: RegistrationId!, $c: ClientId) { linkRegistrationToClient(registrationId: $r, clientId: $c) { clientId } }",
                json!({"r": reg(email), "c": client}),
            )
            .await
            .ok();
    }
    for email in ["lesia@example.org", "peter@example.org", "ivan@example.org"] {
        admin
            .query(
                "mutation($e: EventId!, $r: RegistrationId) { checkIn(eventId: $e, registrationId: $r) { checkedInAt } }",
                json!({"e": lecture["id"], "r": reg(email)}),
            )
            .await
            .ok();
    }
    app.reporting.refresh().await.unwrap();

    let prague = starts.with_timezone(&chrono_tz::Europe::Prague);
    use chrono::Datelike as _;
    let r = admin
        .query(
            CENTRE,
            json!({"year": prague.year(), "period": format!("M{:02}", prague.month()), "dim": "AUDIENCE"}),
        )
        .await;
    let rows = r.ok()["centreIndicators"].as_array().unwrap().clone();
    let value = |ind: &str, cat: &str| {
        rows.iter()
            .find(|x| x["indicator"] == ind && x["category"] == cat)
            .map(|x| x["value"].clone())
    };
    assert_eq!(
        value("EVENTS", "third_country_nationals"),
        Some(json!(1.0)),
        "{rows:?}"
    );
    assert_eq!(
        value("EVENT_PARTICIPANTS", "third_country_nationals"),
        Some(json!(3.0)),
        "checked in only"
    );
    let month = json!({"year": prague.year(), "period": format!("M{:02}", prague.month())});
    let r = admin.query(CENTRE, month).await;
    let t = totals(&r.ok()["centreIndicators"]);
    assert_eq!(t["UNIQUE_PERSONS"], json!(1.0), "Lesia, not Peter: {t:?}");

    let r = admin
        .query(CENTRE, json!({"year": 2025, "period": "Y"}))
        .await;
    let t = totals(&r.ok()["centreIndicators"]);
    assert_eq!(t["LANGUAGE_COURSE_PARTICIPANTS"], json!(2.0), "{t:?}");
    assert_eq!(t["COURSE_COMPLETIONS"], json!(1.0));
    assert_eq!(t["LEVEL_GAINS"], json!(1.0));
    assert_eq!(t["UNIQUE_PERSONS"], json!(2.0));
    assert_eq!(t["EVENTS"], json!(1.0));
    assert_eq!(t["EVENT_PARTICIPANTS"], json!(25.0));
    assert!(!t.contains_key("AIK_ATTENDEES") && !t.contains_key("CIVIC_COURSE_PARTICIPANTS"));
    // Completion and the level gain belong to March, the month the course
    // ended; participation to every month with a session.
    let r = admin
        .query(CENTRE, json!({"year": 2025, "period": "M03"}))
        .await;
    let m = totals(&r.ok()["centreIndicators"]);
    assert_eq!(m["COURSE_COMPLETIONS"], json!(1.0), "{m:?}");
    let r = admin
        .query(
            CENTRE,
            json!({"year": 2025, "period": "Q2", "dim": "AUDIENCE"}),
        )
        .await;
    let rows = r.ok()["centreIndicators"].as_array().unwrap().clone();
    assert!(rows.iter().any(|x| x["indicator"] == "EVENT_PARTICIPANTS"
        && x["category"] == "majority_society"
        && x["value"] == 25.0));
    // The ministry sees the 25 (more than four) and, for the persons, "<5".
    let ministry = app.signed_in("ministry@example.org").await;
    let r = ministry
        .query(
            MINISTRY,
            json!({"year": 2025, "period": "Y", "level": "NETWORK",
            "ind": ["EVENT_PARTICIPANTS", "LANGUAGE_COURSE_PARTICIPANTS"]}),
        )
        .await;
    let rows = r.ok()["ministryIndicators"].as_array().unwrap().clone();
    let total = |ind: &str| {
        rows.iter()
            .find(|x| x["indicator"] == ind && x["category"] == "")
            .unwrap()
            .clone()
    };
    assert_eq!(total("EVENT_PARTICIPANTS")["display"], "25");
    assert_eq!(total("LANGUAGE_COURSE_PARTICIPANTS")["display"], "<5");
    // Lesia said the course helped: counted in the year she answered.
    // Peter said so too, but an EU citizen is not eligible for the project.
    let year = chrono::Utc::now().year();
    let r = admin
        .query(CENTRE, json!({"year": year, "period": "Y"}))
        .await;
    let t = totals(&r.ok()["centreIndicators"]);
    assert_eq!(t["REPORTED_HELPFUL"], json!(1.0), "{t:?}");
}

on_both_engines!(courses_and_events, courses_and_events_count);

/// One month that cannot be recounted keeps its mark and is retried, while
/// the other marked months are counted.
async fn failing_month_waits(app: TestApp) {
    let usti = app.signed_in("counsellor.usti@example.org").await;
    let admin = app.signed_in("admin.usti@example.org").await;
    let amif = project(&usti, "AMIF/52").await;
    let olena = registered(
        &usti,
        person("Olena", "Bondarenko", "UA", "1985-06-01", "FEMALE"),
    )
    .await;
    app.reporting.refresh().await.unwrap();
    for on in ["2025-02-03", "2025-05-05"] {
        record(
            &usti,
            &[&olena],
            on,
            60,
            "SOCIAL_COUNSELLING",
            "OFFICE",
            &amif,
        )
        .await;
    }
    // A fault while May's figures are written (as a full disk would),
    // put in place by the tables' owner.
    let owner = match app.engine {
        integra_test_support::Engine::Sqlite => app.db.clone(),
        integra_test_support::Engine::Postgres => integra_kernel::Database::connect(
            &integra_test_support::pg::cluster().owner_url(app.pg_name.as_deref().unwrap()),
            &integra_kernel::db::PoolOptions::default(),
        )
        .await
        .unwrap(),
    };
    let owner = integra_kernel::PlatformDb::grant(&owner);
    let db = owner.connection();
    let backend = app.db.backend();
    let fault: &[&str] = match backend {
        integra_kernel::Backend::Postgres => &[
            "CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test fault'; END $$",
            "CREATE TRIGGER test_fault BEFORE INSERT ON report_service_months FOR EACH ROW \
             WHEN (NEW.month = DATE '2025-05-01') EXECUTE FUNCTION test_fault()",
        ],
        integra_kernel::Backend::Sqlite => &[
            "CREATE TRIGGER test_fault BEFORE INSERT ON report_service_months \
             WHEN NEW.month = '2025-05-01' BEGIN SELECT RAISE(ABORT, 'test fault'); END",
        ],
    };
    for sql in fault {
        db.execute_unprepared(sql).await.unwrap();
    }
    let marked = || async {
        db.query_all_raw(integra_kernel::stmt(
            backend,
            "SELECT month FROM report_dirty ORDER BY month",
            vec![],
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.try_get::<chrono::NaiveDate>("", "month")
                .unwrap()
                .to_string()
        })
        .collect::<Vec<_>>()
    };
    let month = |m: &'static str| {
        let admin = &admin;
        async move {
            let r = admin
                .query(CENTRE, json!({"year": 2025, "period": m}))
                .await;
            totals(&r.ok()["centreIndicators"])
                .get("UNIQUE_PERSONS")
                .cloned()
        }
    };
    let done = app.reporting.refresh().await.unwrap();
    assert_eq!(done.months, 1, "February counted, May failed: {done:?}");
    assert_eq!(marked().await, vec!["2025-05-01"], "May keeps its mark");
    assert_eq!(month("M02").await, Some(json!(1.0)));
    assert_eq!(month("M05").await, None);
    // Still failing: nothing lost, nothing counted twice.
    let done = app.reporting.refresh().await.unwrap();
    assert_eq!(done.months, 0);
    assert_eq!(marked().await, vec!["2025-05-01"]);
    // The fault gone, the next refresh counts May.
    db.execute_unprepared(match backend {
        integra_kernel::Backend::Postgres => "DROP TRIGGER test_fault ON report_service_months",
        integra_kernel::Backend::Sqlite => "DROP TRIGGER test_fault",
    })
    .await
    .unwrap();
    let done = app.reporting.refresh().await.unwrap();
    assert_eq!(done.months, 1, "{done:?}");
    assert!(marked().await.is_empty());
    assert_eq!(month("M05").await, Some(json!(1.0)));
    assert_eq!(month("M02").await, Some(json!(1.0)));
}

on_both_engines!(failing_month, failing_month_waits);

/// What a refresh rebuilds: a recount that changes no figure rebuilds
/// nothing; a change in the running month rebuilds only that centre's own
/// cells of the periods that have not ended, never what the ministry sees.
async fn refresh_rebuilds_what_changed(app: TestApp) {
    let usti = app.signed_in("counsellor.usti@example.org").await;
    let admin = app.signed_in("admin.usti@example.org").await;
    let praha = app.signed_in("admin.praha@example.org").await;
    let amif = project(&usti, "AMIF/52").await;
    let amif_praha = project(&praha, "AMIF/52").await;
    let olena = registered(
        &usti,
        person("Olena", "Bondarenko", "UA", "1985-06-01", "FEMALE"),
    )
    .await;
    let petro = registered(
        &praha,
        person("Petro", "Kovalenko", "UA", "1979-02-11", "MALE"),
    )
    .await;
    record(
        &usti,
        &[&olena],
        "2025-02-03",
        60,
        "SOCIAL_COUNSELLING",
        "OFFICE",
        &amif,
    )
    .await;
    let done = app.reporting.refresh().await.unwrap();
    assert!(done.years.contains(&2025), "{done:?}");
    let db = app.platform.connection();
    let backend = app.db.backend();
    let usti_id = centre_id(&usti).await;

    // February marked again without any change to its figures.
    db.execute_raw(integra_kernel::stmt(
        backend,
        "INSERT INTO report_dirty (centre_id, month) VALUES (?, ?)",
        vec![
            uuid::Uuid::parse_str(&usti_id).unwrap().into(),
            chrono::NaiveDate::from_ymd_opt(2025, 2, 1).unwrap().into(),
        ],
    ))
    .await
    .unwrap();
    let done = app.reporting.refresh().await.unwrap();
    assert_eq!((done.months, done.changed), (1, 0), "{done:?}");
    assert!(done.years.is_empty() && done.running.is_empty(), "{done:?}");
    assert_eq!(stored(&app, "network", "M02", "unique_persons").await.0, 1);

    // A claim left by a process that stopped mid-recount an hour ago is
    // given back and the month recounted; a fresh one (another process at
    // work) is left alone.
    let claim = |month: u32, minutes: i64| {
        db.execute_raw(integra_kernel::stmt(
            backend,
            "INSERT INTO report_claims (centre_id, month, claimed_at) VALUES (?, ?, ?)",
            vec![
                uuid::Uuid::parse_str(&usti_id).unwrap().into(),
                chrono::NaiveDate::from_ymd_opt(2025, month, 1)
                    .unwrap()
                    .into(),
                (chrono::Utc::now() - chrono::Duration::minutes(minutes)).into(),
            ],
        ))
    };
    claim(2, 60).await.unwrap();
    claim(3, 1).await.unwrap();
    let done = app.reporting.refresh().await.unwrap();
    assert_eq!((done.months, done.changed), (1, 0), "{done:?}");
    let claims = db
        .query_all_raw(integra_kernel::stmt(
            backend,
            "SELECT month FROM report_claims",
            vec![],
        ))
        .await
        .unwrap();
    assert_eq!(claims.len(), 1, "March's fresh claim stays");
    db.execute_raw(integra_kernel::stmt(
        backend,
        "DELETE FROM report_claims",
        vec![],
    ))
    .await
    .unwrap();

    // Today's services: only the centres that changed, only the periods
    // that have not ended.
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Prague)
        .date_naive();
    let year = chrono::Datelike::year(&today);
    let m = format!("M{:02}", chrono::Datelike::month(&today));
    app.reporting.build_year(year).await.unwrap();
    let cells = |geo: String, published: bool| {
        let app = &app;
        async move {
            // As the indicator work sees the cells (published or not).
            let txn = app.platform.reporting().await.unwrap();
            let n = txn
                .query_one_raw(integra_kernel::stmt(
                    backend,
                    &format!(
                        "SELECT COUNT(*) AS n FROM report_cells WHERE year = ? AND geo = ? AND {}",
                        if published {
                            "published"
                        } else {
                            "NOT published"
                        }
                    ),
                    vec![year.into(), geo.into()],
                ))
                .await
                .unwrap()
                .unwrap()
                .try_get::<i64>("", "n")
                .unwrap();
            txn.commit().await.unwrap();
            n
        }
    };
    let usti_geo = format!("centre:{usti_id}");
    let praha_geo = format!("centre:{}", centre_id(&praha).await);
    let published_before = (
        cells(usti_geo.clone(), true).await,
        cells("network".into(), true).await,
    );
    let built_at = |db: &sea_orm::DatabaseConnection| {
        let db = db.clone();
        async move {
            db.query_one_raw(integra_kernel::stmt(
                backend,
                "SELECT CAST(built_at AS TEXT) AS t FROM report_builds WHERE year = ?",
                vec![year.into()],
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<String>("", "t")
            .unwrap()
        }
    };
    let built = built_at(db).await;
    let day = today.to_string();
    record(
        &usti,
        &[&olena],
        &day,
        60,
        "SOCIAL_COUNSELLING",
        "OFFICE",
        &amif,
    )
    .await;
    let done = app.reporting.refresh().await.unwrap();
    assert!(done.changed >= 1, "{done:?}");
    assert!(done.years.is_empty(), "no whole year: {done:?}");
    assert_eq!(done.running, vec![year], "{done:?}");
    assert_eq!(built_at(db).await, built, "the year's build is kept");
    let r = admin
        .query(CENTRE, json!({"year": year, "period": m}))
        .await;
    assert_eq!(
        totals(&r.ok()["centreIndicators"])["UNIQUE_PERSONS"],
        json!(1.0),
        "the centre sees today's service"
    );
    let r = admin
        .query(CENTRE, json!({"year": year, "period": "Y"}))
        .await;
    assert_eq!(
        totals(&r.ok()["centreIndicators"])["UNIQUE_PERSONS"],
        json!(1.0)
    );
    assert_eq!(
        (
            cells(usti_geo.clone(), true).await,
            cells("network".into(), true).await
        ),
        published_before,
        "what the ministry sees is untouched"
    );
    assert_eq!(cells("network".into(), false).await, 0, "no one's view");

    // Praha's service today rebuilds Praha's, and Ústí's stays.
    let usti_running = cells(usti_geo.clone(), false).await;
    record(
        &praha,
        &[&petro],
        &day,
        45,
        "LEGAL_COUNSELLING",
        "OFFICE",
        &amif_praha,
    )
    .await;
    let done = app.reporting.refresh().await.unwrap();
    assert_eq!(done.running, vec![year], "{done:?}");
    let r = praha
        .query(CENTRE, json!({"year": year, "period": m}))
        .await;
    assert_eq!(
        totals(&r.ok()["centreIndicators"])["UNIQUE_PERSONS"],
        json!(1.0)
    );
    assert!(cells(praha_geo, false).await > 0);
    assert_eq!(cells(usti_geo, false).await, usti_running);
    let r = admin
        .query(CENTRE, json!({"year": year, "period": m}))
        .await;
    assert_eq!(
        totals(&r.ok()["centreIndicators"])["UNIQUE_PERSONS"],
        json!(1.0)
    );
}

on_both_engines!(refresh_work, refresh_rebuilds_what_changed);

/// `(bit, first month)` of every person of `centre` under `project`, as
/// kept and as counted afresh from the person-months.
async fn firsts(app: &TestApp, centre: &str, project: &str) -> (Vec<String>, Vec<String>) {
    let centre = uuid::Uuid::parse_str(centre).unwrap();
    let project = uuid::Uuid::parse_str(project).unwrap();
    let txn = app
        .platform
        .unscoped_for_centre(integra_kernel::CentreId::from(centre))
        .await
        .unwrap();
    let backend = app.db.backend();
    let read = |sql: String| {
        let txn = &txn;
        async move {
            let mut out: Vec<String> = txn
                .query_all_raw(integra_kernel::stmt(
                    backend,
                    &sql,
                    vec![centre.into(), project.into()],
                ))
                .await
                .unwrap()
                .iter()
                .map(|r| {
                    format!(
                        "{} {} {}",
                        r.try_get::<String>("", "person_key").unwrap(),
                        r.try_get::<i32>("", "bit").unwrap(),
                        r.try_get::<chrono::NaiveDate>("", "first_month").unwrap()
                    )
                })
                .collect();
            out.sort();
            out
        }
    };
    let kept = read(
        "SELECT person_key, bit, first_month FROM report_project_firsts \
         WHERE tenant_id = ? AND funding_project_id = ?"
            .into(),
    )
    .await;
    let mut fresh = Vec::new();
    for bit in [1, 2, 4, 8, 16, 32, 64, 256] {
        fresh.extend(
            read(format!(
                "SELECT person_key, {bit} AS bit, MIN(month) AS first_month FROM report_person_months \
                 WHERE tenant_id = ? AND funding_project_id = ? AND (measures & {bit}) <> 0 \
                 GROUP BY person_key"
            ))
            .await,
        );
    }
    fresh.sort();
    txn.commit().await.unwrap();
    (kept, fresh)
}

/// A project's distinct persons (`unique_persons`) as stored for the
/// ministry (up to the last ended month) and for the centre (to date).
async fn project_persons(app: &TestApp, project: &str) -> (i64, i64) {
    let geo = format!("project:{project}");
    let mut out = (0, 0);
    for (period, slot) in [("P", &mut out.0), ("L", &mut out.1)] {
        let txn = app.platform.reporting().await.unwrap();
        *slot = txn
            .query_one_raw(integra_kernel::stmt(
                app.db.backend(),
                "SELECT value FROM report_cells WHERE year = 0 AND geo = ? AND period = ? \
                 AND indicator = 'unique_persons'",
                vec![geo.clone().into(), period.into()],
            ))
            .await
            .unwrap()
            .map(|r| r.try_get::<i64>("", "value").unwrap())
            .unwrap_or(0);
    }
    out
}

/// Project totals count each person's first month per fact, kept by the
/// recount for just the persons whose month changed: a fact gained earlier
/// moves the first month back, one lost in the first month moves it on (or
/// removes the person), two records of one person count once, and a merge
/// leaves the same persons. After every step the kept first months equal
/// those counted afresh from all months.
async fn project_firsts_follow_changes(app: TestApp) {
    let usti = app.signed_in("counsellor.usti@example.org").await;
    let praha = app.signed_in("admin.praha@example.org").await;
    let amif = project(&usti, "AMIF/52").await;
    let usti_id = centre_id(&usti).await;
    let olena = registered(
        &usti,
        person("Olena", "Bondarenko", "UA", "1985-06-01", "FEMALE"),
    )
    .await;
    let taras = registered(&usti, person("Taras", "Melnyk", "UA", "1990-01-20", "MALE")).await;
    let check = |step: &'static str| {
        let (app, usti_id, amif) = (&app, usti_id.clone(), amif.clone());
        async move {
            let (kept, fresh) = firsts(app, &usti_id, &amif).await;
            assert_eq!(kept, fresh, "{step}");
            kept
        }
    };
    let serve = |client: String, on: &'static str, kind: &'static str| {
        let (usti, amif) = (&usti, amif.clone());
        async move { record(usti, &[&client], on, 60, kind, "OFFICE", &amif).await }
    };

    serve(olena.clone(), "2025-03-10", "SOCIAL_COUNSELLING").await;
    serve(olena.clone(), "2025-05-12", "INTERCULTURAL_WORK").await;
    serve(taras.clone(), "2025-05-13", "SOCIAL_COUNSELLING").await;
    app.reporting.refresh().await.unwrap();
    let kept = check("first services").await;
    assert!(
        kept.iter().any(|r| r.ends_with(" 1 2025-03-01")),
        "{kept:?}"
    );
    assert_eq!(project_persons(&app, &amif).await, (2, 2));

    // A service earlier than any moves Olena's first month back.
    serve(olena.clone(), "2025-01-08", "INTERCULTURAL_WORK").await;
    app.reporting.refresh().await.unwrap();
    let kept = check("an earlier service").await;
    assert!(
        kept.iter().any(|r| r.ends_with(" 1 2025-01-01")),
        "{kept:?}"
    );

    // Olena's January and March services stop counting (a correction):
    // her first month moves on to May, and her counselling (March only)
    // leaves the project's counselled persons.
    let backend = app.db.backend();
    let txn = app
        .platform
        .unscoped_for_centre(integra_kernel::CentreId::from(
            uuid::Uuid::parse_str(&usti_id).unwrap(),
        ))
        .await
        .unwrap();
    txn.execute_raw(integra_kernel::stmt(
        backend,
        "UPDATE intervention_participants SET counts = ? WHERE client_id = ? AND occurred_on < ?",
        vec![
            false.into(),
            uuid::Uuid::parse_str(&olena).unwrap().into(),
            chrono::NaiveDate::from_ymd_opt(2025, 4, 1).unwrap().into(),
        ],
    ))
    .await
    .unwrap();
    txn.commit().await.unwrap();
    let done = app.reporting.refresh().await.unwrap();
    assert_eq!(done.changed, 2, "{done:?}");
    let kept = check("services no longer counted").await;
    assert_eq!(
        kept.iter().filter(|r| r.ends_with(" 2 2025-05-01")).count(),
        1,
        "only Taras counselled: {kept:?}"
    );
    assert!(
        !kept
            .iter()
            .any(|r| r.contains("2025-01-01") || r.contains("2025-03-01"))
    );
    assert_eq!(project_persons(&app, &amif).await, (2, 2));

    // A second record of Olena (registered again, confirmed as not a
    // duplicate) shares her key: one person, however many records.
    let again = registered(
        &usti,
        person("Olena", "Bondarenko", "UA", "1985-06-01", "FEMALE"),
    )
    .await;
    serve(again.clone(), "2025-02-04", "SOCIAL_COUNSELLING").await;
    app.reporting.refresh().await.unwrap();
    let kept = check("a second record").await;
    assert!(
        kept.iter().any(|r| r.ends_with(" 2 2025-02-01")),
        "{kept:?}"
    );
    assert_eq!(project_persons(&app, &amif).await, (2, 2));

    // Merging the records moves the February service to Olena's record.
    let admin = app.signed_in("admin.usti@example.org").await;
    let r = admin
        .query(
            "mutation($k: ClientId!, $m: ClientId!) { mergeClients(keepId: $k, mergeId: $m) { id } }",
            json!({"k": olena, "m": again}),
        )
        .await;
    r.ok();
    let done = app.reporting.refresh().await.unwrap();
    assert!(done.changed >= 1, "{done:?}");
    let kept = check("merged").await;
    assert!(
        kept.iter().any(|r| r.ends_with(" 2 2025-02-01")),
        "{kept:?}"
    );
    assert_eq!(project_persons(&app, &amif).await, (2, 2));

    // Today's service of a new person counts for the centre now and for the
    // ministry once the month has ended.
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Prague)
        .date_naive()
        .to_string();
    let ivan = registered(
        &usti,
        person("Ivan", "Shevchenko", "UA", "1970-11-02", "MALE"),
    )
    .await;
    record(
        &usti,
        &[&ivan],
        &today,
        60,
        "SOCIAL_COUNSELLING",
        "OFFICE",
        &amif,
    )
    .await;
    app.reporting.refresh().await.unwrap();
    check("today").await;
    let (published, live) = project_persons(&app, &amif).await;
    assert_eq!(live, published + 1, "({published}, {live})");

    // Another centre reads none of Ústí's first months.
    let praha_id = centre_id(&praha).await;
    let txn = app
        .platform
        .unscoped_for_centre(integra_kernel::CentreId::from(
            uuid::Uuid::parse_str(&praha_id).unwrap(),
        ))
        .await
        .unwrap();
    let seen = txn
        .query_all_raw(integra_kernel::stmt(
            backend,
            "SELECT person_key FROM report_project_firsts WHERE tenant_id = ?",
            vec![uuid::Uuid::parse_str(&usti_id).unwrap().into()],
        ))
        .await
        .unwrap();
    txn.commit().await.unwrap();
    if backend == integra_kernel::Backend::Postgres {
        assert!(seen.is_empty(), "Praha reads Ústí's first months");
    }
}

on_both_engines!(project_firsts, project_firsts_follow_changes);
