//! The client registry over the API: search however a name was typed,
//! registration with the duplicate warning, the audit log, eligibility, bad
//! input and access by role.

use integra_test_support::{Gql, TestApp, on_both_engines};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const REGISTER: &str =
    "mutation($input: ClientInput!, $residence: ResidenceInput, $confirm: Boolean) {
  registerClient(input: $input, residence: $residence, confirmNotDuplicate: $confirm) {
    client { id givenName familyName nationality residenceStatus }
    duplicates { samePerson sameBirthDate client { id givenName familyName } }
  }
}";

const SEARCH: &str =
    "query($text: String, $typing: Boolean, $first: Int, $after: String, $nat: [String!]) {
  searchClients(text: $text, typing: $typing, first: $first, after: $after, nationality: $nat) {
    edges { cursor node { id givenName familyName nationality score } }
    pageInfo { hasNextPage endCursor }
  }
}";

pub async fn register(c: &Gql, input: Value, residence: Value) -> Value {
    let r = c
        .query(
            REGISTER,
            json!({"input": input, "residence": residence, "confirm": true}),
        )
        .await;
    r.ok()["registerClient"]["client"].clone()
}

async fn names_found(c: &Gql, text: &str, typing: bool) -> Vec<String> {
    let r = c
        .query(SEARCH, json!({"text": text, "typing": typing, "first": 50}))
        .await;
    r.ok()["searchClients"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["node"]["givenName"].as_str().unwrap(),
                e["node"]["familyName"].as_str().unwrap()
            )
        })
        .collect()
}

fn person(given: &str, family: &str, nat: &str, born: &str) -> Value {
    json!({"givenName": given, "familyName": family, "sex": "MALE", "nationality": nat, "birthDate": born})
}

async fn seed_people(c: &Gql) {
    let tp = json!({"status": "TEMPORARY_PROTECTION", "validFrom": "2022-03-15", "validTo": "2027-03-31", "documentType": "vízový štítek", "documentNumber": "UKR123456"});
    register(
        c,
        person("Oleksandr", "Kovalenko", "UA", "1990-05-17"),
        tp.clone(),
    )
    .await;
    register(
        c,
        person("Olena", "Kovalenková", "UA", "1992-01-02"),
        tp.clone(),
    )
    .await;
    register(
        c,
        person("Thị Lan", "Nguyễn", "VN", "1985-11-30"),
        Value::Null,
    )
    .await;
    register(c, person("Jan", "Dvořák", "SK", "1979-02-03"), Value::Null).await;
    register(c, person("Petr", "Dvorak", "SK", "1980-02-03"), Value::Null).await;
    register(c, person("Ivan", "Shevchenko", "UA", "1970-07-07"), tp).await;
}

async fn search_however_typed(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    seed_people(&c).await;
    let has = |found: &[String], who: &str| found.iter().any(|f| f == who);

    let found = names_found(&c, "kovalenko", false).await;
    assert!(has(&found, "Oleksandr Kovalenko"), "{found:?}");
    assert!(has(&found, "Olena Kovalenková"), "feminine form: {found:?}");
    assert!(has(
        &names_found(&c, "Коваленко", false).await,
        "Oleksandr Kovalenko"
    ));
    for typed in ["Olexandr", "Aleksandr", "Олександр", "oleksandr kovalenko"] {
        let found = names_found(&c, typed, false).await;
        assert!(has(&found, "Oleksandr Kovalenko"), "{typed}: {found:?}");
    }
    let found = names_found(&c, "nguyen thi", false).await;
    assert!(has(&found, "Thị Lan Nguyễn"), "{found:?}");
    let found = names_found(&c, "dvorak", false).await;
    assert!(
        has(&found, "Jan Dvořák") && has(&found, "Petr Dvorak"),
        "{found:?}"
    );
    let found = names_found(&c, "Dvořák", false).await;
    assert!(has(&found, "Petr Dvorak"), "{found:?}");
    // Typing errors: a swap, a missing and a wrong letter.
    for typo in [
        "kovalneko",
        "kovaleko",
        "kovalenco",
        "shevchneko",
        "ševčenko",
    ] {
        let found = names_found(&c, typo, false).await;
        assert!(
            has(&found, "Oleksandr Kovalenko") || has(&found, "Ivan Shevchenko"),
            "{typo}: {found:?}"
        );
    }
    // As you type: the last word is a prefix.
    assert!(has(
        &names_found(&c, "kova", true).await,
        "Oleksandr Kovalenko"
    ));
    assert!(names_found(&c, "kova", false).await.is_empty());
    // After other words, even one letter narrows them down while typing.
    for text in [
        "kovalenko o",
        "kovalenko ol",
        "oleksandr k",
        "Олександр Ков",
    ] {
        let found = names_found(&c, text, true).await;
        assert!(has(&found, "Oleksandr Kovalenko"), "{text}: {found:?}");
    }
    let found = names_found(&c, "kovalenko z", true).await;
    assert!(!has(&found, "Oleksandr Kovalenko"), "{found:?}");
    assert!(names_found(&c, "kovalenko o", false).await.is_empty());
    assert!(names_found(&c, "svoboda", false).await.is_empty());
    // The exact spelling ranks first.
    let found = names_found(&c, "Dvořák", false).await;
    assert_eq!(found.len(), 2, "{found:?}");

    // Filters and pages.
    let r = c
        .query(SEARCH, json!({"text": null, "first": 2, "nat": ["UA"]}))
        .await;
    let page = &r.ok()["searchClients"];
    assert_eq!(page["edges"].as_array().unwrap().len(), 2);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let after = page["pageInfo"]["endCursor"].as_str().unwrap();
    let r = c
        .query(SEARCH, json!({"first": 2, "nat": ["UA"], "after": after}))
        .await;
    let rest = &r.ok()["searchClients"];
    assert_eq!(rest["edges"].as_array().unwrap().len(), 1);
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);
    assert_eq!(rest["edges"][0]["node"]["nationality"], "UA");
    let r = c.query(SEARCH, json!({"text": "dvorak", "first": 1})).await;
    let after = r.ok()["searchClients"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let first_name = r.ok()["searchClients"]["edges"][0]["node"]["givenName"].clone();
    let r = c
        .query(
            SEARCH,
            json!({"text": "dvorak", "first": 5, "after": after}),
        )
        .await;
    let next = r.ok()["searchClients"]["edges"].as_array().unwrap().clone();
    assert_eq!(next.len(), 1);
    assert_ne!(next[0]["node"]["givenName"], first_name);
    let r = c
        .query(SEARCH, json!({"text": "x", "after": "garbage"}))
        .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(r.errors()[0]["extensions"]["field"], "after");

    // Paging one by one through a word that matches in several ways (an
    // alias with the feminine form) lists everyone once, best first.
    let mut aliased = person("Marta", "Kovalenko", "UA", "1999-09-09");
    aliased["aliases"] = json!([{"givenName": "Marta", "familyName": "Kovalenková"}]);
    register(&c, aliased, Value::Null).await;
    let all = c
        .query(SEARCH, json!({"text": "kovalenko", "first": 50}))
        .await;
    let all: Vec<(String, f64)> = all.ok()["searchClients"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["node"]["id"].as_str().unwrap().to_owned(),
                e["node"]["score"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(
        all.windows(2).all(|w| w[0].1 >= w[1].1),
        "best first: {all:?}"
    );
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let r = c
            .query(
                SEARCH,
                json!({"text": "kovalenko", "first": 1, "after": after}),
            )
            .await;
        let page = r.ok()["searchClients"].clone();
        for e in page["edges"].as_array().unwrap() {
            paged.push(e["node"]["id"].as_str().unwrap().to_owned());
        }
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        assert!(paged.len() < 10, "paging does not end: {paged:?}");
    }
    let ids: Vec<String> = all.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(paged, ids);

    // The status in force is read from the periods on the day: a lapsed
    // permit is not held any more, a later period replaces an earlier one.
    register(
        &c,
        person("Hanna", "Lapsedova", "VN", "1980-01-01"),
        json!({"status": "LONG_TERM_PERMIT", "validFrom": "2020-01-01", "validTo": "2021-01-01"}),
    )
    .await;
    let by_status = "query($s: [ResidenceStatus!]) { searchClients(residenceStatus: $s, first: 100) { edges { node { familyName residenceStatus } } } }";
    let r = c.query(by_status, json!({"s": ["LONG_TERM_PERMIT"]})).await;
    assert!(!r.body.to_string().contains("Lapsedova"), "{}", r.body);
    let r = c
        .query(by_status, json!({"s": ["TEMPORARY_PROTECTION"]}))
        .await;
    let tp: Vec<&str> = r.ok()["searchClients"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["familyName"].as_str().unwrap())
        .collect();
    assert!(
        tp.contains(&"Kovalenko") && !tp.contains(&"Nguyễn"),
        "{tp:?}"
    );
    let r = c
        .query(
            "{ searchClients(text: \"lapsedova\") { edges { node { residenceStatus } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r.ok()["searchClients"]["edges"][0]["node"]["residenceStatus"],
        Value::Null
    );

    // Another centre finds none of them.
    let praha = app.signed_in("admin.praha@example.org").await;
    assert!(names_found(&praha, "kovalenko", false).await.is_empty());
    assert!(names_found(&praha, "", false).await.is_empty());
}
on_both_engines!(search, search_however_typed);

async fn duplicates_audit_and_eligibility(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let tp = json!({"status": "TEMPORARY_PROTECTION", "validFrom": "2022-03-15", "validTo": "2027-03-31"});
    let first = register(
        &c,
        person("Oleksandr", "Kovalenko", "UA", "1990-05-17"),
        tp.clone(),
    )
    .await;
    let id = first["id"].as_str().unwrap().to_owned();

    // The same person typed differently: nothing created, the record shown.
    let again = c
        .query(
            REGISTER,
            json!({"input": person("Olexandr", "Коваленко", "UA", "1990-05-17"), "residence": tp}),
        )
        .await;
    let reg = &again.ok()["registerClient"];
    assert_eq!(reg["client"], Value::Null);
    let dups = reg["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{dups:?}");
    assert_eq!(dups[0]["client"]["id"], id.as_str());
    assert_eq!(dups[0]["samePerson"], true);
    assert_eq!(names_found(&c, "kovalenko", false).await.len(), 1);
    // A namesake born on another day is no duplicate.
    let other = c
        .query(
            REGISTER,
            json!({"input": person("Oleksandr", "Kovalenko", "UA", "1961-01-01")}),
        )
        .await;
    assert!(
        other.ok()["registerClient"]["client"]["id"].is_string(),
        "{}",
        other.body
    );
    // Confirmed: created.
    let confirmed = c
        .query(
            REGISTER,
            json!({"input": person("Olexandr", "Kovalenko", "UA", "1990-05-17"), "confirm": true}),
        )
        .await;
    assert!(confirmed.ok()["registerClient"]["client"]["id"].is_string());
    assert_eq!(names_found(&c, "kovalenko", false).await.len(), 3);

    // Reading the detail: one audit line per read.
    let detail = "query($id: ClientId!) { client(id: $id) { id givenName residenceStatus residenceHistory { status validFrom validTo } identityVerified } }";
    for _ in 0..2 {
        let r = c.query(detail, json!({"id": id})).await;
        assert_eq!(r.ok()["client"]["residenceStatus"], "TEMPORARY_PROTECTION");
    }
    let update = "mutation($id: ClientId!, $input: ClientInput!) { updateClient(id: $id, input: $input) { phone } }";
    let mut changed = person("Oleksandr", "Kovalenko", "UA", "1990-05-17");
    changed["phone"] = json!("+420 777 123 456");
    changed["languages"] = json!(["uk", "ru"]);
    let r = c.query(update, json!({"id": id, "input": changed})).await;
    assert_eq!(r.ok()["updateClient"]["phone"], "+420 777 123 456");
    let admin = app.signed_in("admin.usti@example.org").await;
    let log = admin
        .query(
            "query($id: ClientId!) { clientAccessLog(clientId: $id) { action actorName fields } }",
            json!({"id": id}),
        )
        .await;
    let lines = log.ok()["clientAccessLog"].as_array().unwrap().clone();
    let actions: Vec<&str> = lines
        .iter()
        .map(|l| l["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["UPDATE", "READ", "READ", "CREATE"], "{lines:?}");
    assert_eq!(lines[0]["fields"], json!(["languages", "phone"]));
    assert_eq!(lines[0]["actorName"], "Petr Poradce");
    assert!(
        !log.body.to_string().contains("777"),
        "values never reach the log"
    );
    // The log cannot be rewritten, even by the database user of the app.
    // (PostgreSQL: no UPDATE/DELETE grant; SQLite: triggers.)
    let res = app
        .platform
        .connection()
        .execute_unprepared("DELETE FROM audit_log")
        .await;
    assert!(res.is_err(), "the audit log must be append-only");
    // Counsellors cannot read the log.
    let r = c
        .query(
            "query($id: ClientId!) { clientAccessLog(clientId: $id) { action } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));

    // Eligibility per project and day.
    let projects = c
        .query("{ fundingProjects { id registrationNumber } }", json!({}))
        .await;
    let project = |num: &str| {
        projects.ok()["fundingProjects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["registrationNumber"].as_str().unwrap().starts_with(num))
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let elig = "query($c: ClientId!, $on: Date!, $p: FundingProjectId!) { eligibility(clientId: $c, on: $on, fundingProjectId: $p) { eligible reason } }";
    let amif = project("AMIF/52/");
    let r = c
        .query(elig, json!({"c": id, "on": "2026-03-01", "p": amif}))
        .await;
    assert_eq!(r.ok()["eligibility"]["eligible"], true, "{}", r.body);
    let r = c
        .query(elig, json!({"c": id, "on": "2027-06-01", "p": amif}))
        .await;
    assert_eq!(r.ok()["eligibility"]["eligible"], false);
    assert_eq!(
        r.ok()["eligibility"]["reason"],
        "no valid residence status on 2027-06-01: temporary protection expired on 2027-03-31"
    );
    let slovak = register(&c, person("Ján", "Novák", "SK", "1988-08-08"), Value::Null).await;
    let r = c
        .query(
            elig,
            json!({"c": slovak["id"], "on": "2026-03-01", "p": amif}),
        )
        .await;
    assert_eq!(
        r.ok()["eligibility"]["reason"],
        "EU/EEA/Swiss citizen (Slovakia): not a third-country national"
    );
    let r = c
        .query(
            elig,
            json!({"c": slovak["id"], "on": "2026-03-01", "p": project("VLASTNI")}),
        )
        .await;
    assert_eq!(r.ok()["eligibility"]["eligible"], true);
    let r = c
        .query(elig, json!({"c": id, "on": "1. 3. 2026", "p": amif}))
        .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
}
on_both_engines!(
    duplicates_audit_eligibility,
    duplicates_audit_and_eligibility
);

async fn bad_input_names_the_field(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let ok = person("Anna", "Petrenko", "UA", "1990-01-01");
    let huge = "a".repeat(10 * 1024 * 1024);
    let cases: Vec<(Value, Value, &str)> = vec![
        (
            {
                let mut v = ok.clone();
                v["nationality"] = json!("XX");
                v
            },
            Value::Null,
            "nationality",
        ),
        (
            {
                let mut v = ok.clone();
                v["birthDate"] = json!("2999-01-01");
                v
            },
            Value::Null,
            "birthDate",
        ),
        (
            {
                let mut v = ok.clone();
                v["givenName"] = json!(huge);
                v
            },
            Value::Null,
            "givenName",
        ),
        (
            {
                let mut v = ok.clone();
                v["familyName"] = json!("  ");
                v
            },
            Value::Null,
            "familyName",
        ),
        (
            {
                let mut v = ok.clone();
                v["email"] = json!("nope");
                v
            },
            Value::Null,
            "email",
        ),
        (
            {
                let mut v = ok.clone();
                v["regionCode"] = json!("CZ999");
                v
            },
            Value::Null,
            "regionCode",
        ),
        (
            {
                let mut v = ok.clone();
                v["branchId"] = json!(uuid::Uuid::now_v7().to_string());
                v
            },
            Value::Null,
            "branchId",
        ),
        (
            ok.clone(),
            json!({"status": "PERMANENT", "validFrom": "2025-01-01", "validTo": "2024-01-01"}),
            "residence.validTo",
        ),
    ];
    for (input, residence, field) in cases {
        let r = c
            .query(
                REGISTER,
                json!({"input": input, "residence": residence, "confirm": true}),
            )
            .await;
        assert_eq!(
            r.code().as_deref(),
            Some("BAD_USER_INPUT"),
            "{field}: {}",
            &r.body.to_string()[..200.min(r.body.to_string().len())]
        );
        assert_eq!(r.errors()[0]["extensions"]["field"], field);
    }
    // Nothing was half-saved.
    assert!(names_found(&c, "petrenko", false).await.is_empty());
    let r = c.query(SEARCH, json!({"text": null})).await;
    assert_eq!(r.ok()["searchClients"]["edges"], json!([]));
}
on_both_engines!(bad_input, bad_input_names_the_field);

async fn access_by_role(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let client = register(
        &c,
        person("Oksana", "Bondarenko", "UA", "1991-04-04"),
        Value::Null,
    )
    .await;
    let lecturer = app.signed_in("lecturer.usti@example.org").await;
    let r = lecturer.query(SEARCH, json!({"text": "bondarenko"})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    let r = lecturer
        .query(
            "query($id: ClientId!) { client(id: $id) { id } }",
            json!({"id": client["id"]}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    let ministry = app.signed_in("ministry@example.org").await;
    let r = ministry.query(SEARCH, json!({"text": "bondarenko"})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
}
on_both_engines!(roles, access_by_role);

async fn duplicates_without_a_birth_date(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let undated = json!({"givenName": "Oleksandr", "familyName": "Kovalenko", "sex": "MALE", "nationality": "UA"});
    let first = register(&c, undated.clone(), Value::Null).await;
    let id = first["id"].as_str().unwrap().to_owned();
    let try_register = |input: Value| {
        let c = c.clone();
        async move {
            let r = c.query(REGISTER, json!({"input": input})).await;
            r.ok()["registerClient"].clone()
        }
    };
    // Someone with a birth date whose name reads the same: the record
    // without one is shown (transliteration and script do not matter).
    let reg = try_register(person("Olexandr", "Коваленко", "UA", "1990-05-17")).await;
    assert_eq!(reg["client"], Value::Null, "{reg}");
    assert_eq!(reg["duplicates"][0]["client"]["id"], id.as_str());
    assert_eq!(reg["duplicates"][0]["sameBirthDate"], false);
    // Another given name is another person.
    let reg = try_register(person("Petro", "Kovalenko", "UA", "1990-05-17")).await;
    assert!(reg["client"]["id"].is_string(), "{reg}");
    // Without a birth date on either side the name search decides.
    let reg = try_register(undated).await;
    assert_eq!(reg["duplicates"][0]["client"]["id"], id.as_str(), "{reg}");
    assert_eq!(reg["duplicates"][0]["samePerson"], true);
    // Once the birth date is known, the record is found by it instead.
    let update = "mutation($id: ClientId!, $input: ClientInput!) { updateClient(id: $id, input: $input) { birthDate } }";
    c.query(
        update,
        json!({"id": id, "input": person("Oleksandr", "Kovalenko", "UA", "1985-03-03")}),
    )
    .await
    .ok();
    let reg = try_register(person("Oleksandr", "Kovalenko", "UA", "1991-01-01")).await;
    assert!(reg["client"]["id"].is_string(), "born another day: {reg}");
    let reg = try_register(person("Aleksandr", "Kovalenko", "UA", "1985-03-03")).await;
    assert_eq!(reg["duplicates"][0]["client"]["id"], id.as_str(), "{reg}");
    assert_eq!(reg["duplicates"][0]["sameBirthDate"], true);
}
on_both_engines!(duplicates_undated, duplicates_without_a_birth_date);
