//! Consents, household links, merging duplicates, the data-subject export
//! and anonymisation over the API.

use integra_test_support::{Gql, TestApp, on_both_engines};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::clients::register;

const FULL: &str = "id givenName familyName phone aliases { givenName familyName } \
    residenceHistory { status } consents { purpose given decidedOn } \
    consentsInForce { purpose given } household { clientId givenName relation }";

/// A client's data-subject export as JSON, read by `admin`.
pub async fn export_of(admin: &Gql, client: &str) -> Value {
    let r = admin
        .query(
            "mutation($id: ClientId!) { exportClient(clientId: $id) { json } }",
            json!({ "id": client }),
        )
        .await;
    serde_json::from_str(r.ok()["exportClient"]["json"].as_str().unwrap()).unwrap()
}

/// The section of an export titled `title` (the test fails without one).
pub fn section(export: &Value, title: &str) -> Value {
    export["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == title)
        .unwrap_or_else(|| panic!("no section {title}: {export}"))
        .clone()
}

fn person(given: &str, family: &str, born: &str) -> Value {
    json!({"givenName": given, "familyName": family, "sex": "FEMALE", "nationality": "UA", "birthDate": born})
}

async fn detail(c: &Gql, id: &str) -> Value {
    // Through a fragment: the detail reads only the parts asked for, and
    // finds them in fragments too.
    let r = c
        .query(
            &format!(
                "query($id: ClientId!) {{ client(id: $id) {{ ...Full }} }} fragment Full on Client {{ {FULL} }}"
            ),
            json!({"id": id}),
        )
        .await;
    r.ok()["client"].clone()
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

fn field_of(r: &integra_test_support::GqlResponse) -> Value {
    r.errors()[0]["extensions"]["field"].clone()
}

async fn consents_and_household(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let mother = id_of(&register(&c, person("Halyna", "Melnyk", "1980-03-03"), Value::Null).await);
    let son = id_of(&register(&c, person("Taras", "Melnyk", "2012-06-06"), Value::Null).await);

    let consent = "mutation($id: ClientId!, $p: ConsentPurpose!, $g: Boolean!, $on: Date!) { recordConsent(clientId: $id, purpose: $p, given: $g, decidedOn: $on) { consents { purpose given } consentsInForce { purpose given } } }";
    c.query(
        consent,
        json!({"id": mother, "p": "PHOTOGRAPHY", "g": true, "on": "2026-01-10"}),
    )
    .await
    .ok();
    c.query(
        consent,
        json!({"id": mother, "p": "NEWSLETTER", "g": true, "on": "2026-01-10"}),
    )
    .await
    .ok();
    let r = c
        .query(
            consent,
            json!({"id": mother, "p": "PHOTOGRAPHY", "g": false, "on": "2026-02-01"}),
        )
        .await;
    let v = r.ok()["recordConsent"].clone();
    assert_eq!(
        v["consents"].as_array().unwrap().len(),
        3,
        "the history is kept"
    );
    assert_eq!(
        v["consentsInForce"],
        json!([{"purpose": "NEWSLETTER", "given": true}, {"purpose": "PHOTOGRAPHY", "given": false}])
    );
    let r = c
        .query(
            consent,
            json!({"id": mother, "p": "PHOTOGRAPHY", "g": true, "on": "2099-01-01"}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(field_of(&r), "decidedOn");
    assert_eq!(
        detail(&c, &mother).await["consents"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let link = "mutation($a: ClientId!, $b: ClientId!, $r: HouseholdRelation!) { linkHousehold(clientId: $a, otherClientId: $b, relation: $r) { household { clientId givenName relation } } }";
    let r = c
        .query(link, json!({"a": mother, "b": son, "r": "CHILD"}))
        .await;
    assert_eq!(
        r.ok()["linkHousehold"]["household"],
        json!([{"clientId": son, "givenName": "Taras", "relation": "CHILD"}])
    );
    assert_eq!(
        detail(&c, &son).await["household"],
        json!([{"clientId": mother, "givenName": "Halyna", "relation": "PARENT"}]),
        "the other side sees the inverse relation"
    );
    // Linking again changes the relation rather than doubling the link.
    c.query(link, json!({"a": mother, "b": son, "r": "OTHER"}))
        .await
        .ok();
    assert_eq!(detail(&c, &son).await["household"][0]["relation"], "OTHER");
    assert_eq!(
        detail(&c, &son).await["household"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let r = c
        .query(link, json!({"a": mother, "b": mother, "r": "CHILD"}))
        .await;
    assert_eq!(field_of(&r), "otherClientId");
    let r = c
        .query(
            link,
            json!({"a": mother, "b": uuid::Uuid::now_v7().to_string(), "r": "CHILD"}),
        )
        .await;
    assert_eq!(field_of(&r), "otherClientId");
    // A client of another centre cannot be linked (and looks missing).
    let praha = app.signed_in("admin.praha@example.org").await;
    let theirs =
        id_of(&register(&praha, person("Olha", "Melnyk", "1981-01-01"), Value::Null).await);
    let r = c
        .query(link, json!({"a": mother, "b": theirs, "r": "PARTNER"}))
        .await;
    assert_eq!(field_of(&r), "otherClientId");

    let unlink = "mutation($a: ClientId!, $b: ClientId!) { unlinkHousehold(clientId: $a, otherClientId: $b) { household { clientId } } }";
    let r = c.query(unlink, json!({"a": son, "b": mother})).await;
    assert_eq!(r.ok()["unlinkHousehold"]["household"], json!([]));
    assert_eq!(detail(&c, &mother).await["household"], json!([]));
    let r = c.query(unlink, json!({"a": son, "b": mother})).await;
    assert_eq!(field_of(&r), "otherClientId");
}
on_both_engines!(consents_household, consents_and_household);

async fn merging_duplicates(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let tp = json!({"status": "TEMPORARY_PROTECTION", "validFrom": "2022-03-15", "validTo": "2027-03-31"});
    let keep = id_of(&register(&c, person("Oleksandra", "Kravchenko", "1990-05-17"), tp).await);
    // The same woman registered again at another desk, spelled differently.
    let mut other = person("Aleksandra", "Kravčenko", "1990-05-17");
    other["phone"] = json!("+420 601 222 333");
    let merge = id_of(&register(&c, other, Value::Null).await);
    let neighbour =
        id_of(&register(&c, person("Nina", "Kravchenko", "2015-01-01"), Value::Null).await);
    c.query(
        "mutation($a: ClientId!, $b: ClientId!) { linkHousehold(clientId: $a, otherClientId: $b, relation: CHILD) { id } }",
        json!({"a": merge, "b": neighbour}),
    )
    .await
    .ok();
    c.query(
        "mutation($id: ClientId!) { recordConsent(clientId: $id, purpose: DATA_PROCESSING, given: true, decidedOn: \"2026-01-02\") { id } }",
        json!({"id": merge}),
    )
    .await
    .ok();

    let m = "mutation($k: ClientId!, $m: ClientId!) { mergeClients(keepId: $k, mergeId: $m) { id phone aliases { givenName familyName } residenceHistory { status } consents { purpose } household { clientId relation } } }";
    let r = c.query(m, json!({"k": keep, "m": merge})).await;
    let kept = r.ok()["mergeClients"].clone();
    assert_eq!(kept["id"], keep.as_str());
    assert_eq!(kept["phone"], "+420 601 222 333", "empty fields filled");
    assert_eq!(
        kept["aliases"],
        json!([{"givenName": "Aleksandra", "familyName": "Kravčenko"}])
    );
    assert_eq!(kept["residenceHistory"].as_array().unwrap().len(), 1);
    assert_eq!(kept["consents"], json!([{"purpose": "DATA_PROCESSING"}]));
    assert_eq!(
        kept["household"],
        json!([{"clientId": neighbour, "relation": "CHILD"}])
    );
    assert_eq!(
        detail(&c, &neighbour).await["household"],
        json!([{"clientId": keep, "givenName": "Oleksandra", "relation": "PARENT"}])
    );
    // The old id answers the kept record; search shows one person.
    assert_eq!(detail(&c, &merge).await["id"], keep.as_str());
    let r = c
        .query(
            "{ searchClients(text: \"aleksandra kravcenko\") { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r.ok()["searchClients"]["edges"],
        json!([{"node": {"id": keep}}])
    );
    // Merging again, or into itself, is refused naming the field.
    let r = c.query(m, json!({"k": keep, "m": merge})).await;
    assert_eq!(field_of(&r), "mergeId");
    let r = c.query(m, json!({"k": keep, "m": keep})).await;
    assert_eq!(field_of(&r), "mergeId");
    // The trail: both records name the other.
    let admin = app.signed_in("admin.usti@example.org").await;
    let log = |id: String| {
        let admin = admin.clone();
        async move {
            admin
                .query(
                    "query($id: ClientId!) { auditLog(first: 200) { action clientId fields } clientAccessLog(clientId: $id) { action fields } }",
                    json!({"id": id}),
                )
                .await
        }
    };
    let r = log(keep.clone()).await;
    let merges: Vec<Value> = r.ok()["auditLog"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["action"] == "MERGE")
        .cloned()
        .collect();
    assert_eq!(merges.len(), 2, "{merges:?}");
    let into_keep = merges
        .iter()
        .find(|l| l["clientId"] == keep.as_str())
        .unwrap();
    assert_eq!(into_keep["fields"][0], format!("from:{merge}"));
    assert!(
        into_keep["fields"]
            .as_array()
            .unwrap()
            .contains(&json!("phone"))
    );
    let from_merge = merges
        .iter()
        .find(|l| l["clientId"] == merge.as_str())
        .unwrap();
    assert_eq!(from_merge["fields"], json!([format!("into:{keep}")]));
    // Lecturers may not merge.
    let desk = app.signed_in("lecturer.usti@example.org").await;
    let r = desk.query(m, json!({"k": keep, "m": neighbour})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
}
on_both_engines!(merge, merging_duplicates);

async fn export_and_anonymise(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let tp = json!({"status": "TEMPORARY_PROTECTION", "validFrom": "2022-03-15", "validTo": "2030-03-31", "documentNumber": "UKR998877"});
    let mut input = person("Mariia", "O'Brien <i>", "1984-09-09");
    input["email"] = json!("mariia@example.net");
    let id = id_of(&register(&c, input, tp).await);
    detail(&c, &id).await;
    let admin = app.signed_in("admin.usti@example.org").await;

    let export = "mutation($id: ClientId!) { exportClient(clientId: $id) { fileStem json html } }";
    let r = c.query(export, json!({"id": id})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"), "centre admins only");
    let r = admin.query(export, json!({"id": id})).await;
    let e = r.ok()["exportClient"].clone();
    assert_eq!(e["fileStem"], format!("client-{id}"));
    let data: Value = serde_json::from_str(e["json"].as_str().unwrap()).unwrap();
    assert_eq!(data["client"]["familyName"], "O'Brien <i>");
    assert_eq!(data["client"]["email"], "mariia@example.net");
    assert_eq!(
        data["client"]["residence"][0]["documentNumber"],
        "UKR998877"
    );
    let log: Vec<(String, String)> = data["accessLog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["action"].as_str().unwrap().to_owned(),
                l["who"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        log,
        [
            ("create".to_owned(), "Petr Poradce".to_owned()),
            ("read".to_owned(), "Petr Poradce".to_owned()),
            ("export".to_owned(), "Alena Admin".to_owned()),
        ]
    );
    let html = e["html"].as_str().unwrap();
    assert!(html.contains("O&#39;Brien &#60;i&#62;"), "escaped: {html}");
    assert!(!html.contains("<i>"));
    assert!(html.contains("UKR998877") && html.contains("Petr Poradce"));

    // Anonymisation keeps the aggregates.
    let stats = "{ clientStatistics { total anonymised bySex { key count } byNationality { key count } byResidenceCategory { key count } byAgeGroup { key count } } }";
    let before = admin.query(stats, json!({})).await.ok()["clientStatistics"].clone();
    assert_eq!(before["total"], 1);
    // Another centre's counts never include this centre's clients.
    let praha = app.signed_in("admin.praha@example.org").await;
    let theirs = praha.query(stats, json!({})).await.ok()["clientStatistics"].clone();
    assert_eq!(theirs["total"], 0, "{theirs}");
    let anon = "mutation($id: ClientId!) { anonymiseClient(clientId: $id) { sex birthYear nationality residenceCategory } }";
    let r = c.query(anon, json!({"id": id})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"), "centre admins only");
    let r = admin.query(anon, json!({"id": id})).await;
    assert_eq!(
        r.ok()["anonymiseClient"],
        json!({"sex": "FEMALE", "birthYear": 1984, "nationality": "UA", "residenceCategory": "TEMPORARY_PROTECTION"})
    );
    let mut after = admin.query(stats, json!({})).await.ok()["clientStatistics"].clone();
    assert_eq!(after["anonymised"], 1);
    after["anonymised"] = before["anonymised"].clone();
    assert_eq!(before, after, "aggregates unchanged");
    // The person is gone.
    let r = c
        .query(
            "query($id: ClientId!) { client(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
    let r = c
        .query(
            "{ searchClients(text: \"brien\") { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.ok()["searchClients"]["edges"], json!([]));
    let r = admin.query(anon, json!({"id": id})).await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
    let viewer = admin.query("{ viewer { centre { id } } }", json!({})).await;
    let centre: integra_kernel::CentreId = integra_kernel::id::parse_id(
        "centre",
        viewer.ok()["viewer"]["centre"]["id"].as_str().unwrap(),
    )
    .unwrap();
    let txn = app.platform.unscoped_for_centre(centre).await.unwrap();
    let uuid = uuid::Uuid::parse_str(&id).unwrap();
    let query = |sql: &str| {
        let backend = txn.get_database_backend();
        let sql = if backend == sea_orm::DbBackend::Postgres {
            sql.replace('?', "$1")
        } else {
            sql.to_owned()
        };
        sea_orm::Statement::from_sql_and_values(backend, sql, [uuid.into()])
    };
    let row = txn
        .query_one_raw(query(
            "SELECT given_name, family_name, email, birth_year FROM clients WHERE id = ?",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "family_name").unwrap(), "");
    assert_eq!(row.try_get::<String>("", "email").unwrap(), "");
    assert_eq!(row.try_get::<i32>("", "birth_year").unwrap(), 1984);
    for table in [
        "residence_statuses",
        "client_aliases",
        "client_terms",
        "consents",
    ] {
        let n = txn
            .query_one_raw(query(&format!(
                "SELECT COUNT(*) AS n FROM {table} WHERE client_id = ?"
            )))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap();
        assert_eq!(n, 0, "{table} still holds the person");
    }
    let reg = txn
        .query_one_raw(query(
            "SELECT COUNT(*) AS n FROM clients WHERE id = ? AND family_name = ''",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(reg, 1, "the tombstone stays");
    txn.rollback().await.unwrap();
}
on_both_engines!(export_anonymise, export_and_anonymise);
