//! Figures the ministry must not learn: a project's progress toward a
//! target shows nothing that depends on a suppressed actual.

use integra_test_support::{Gql, TestApp, on_both_engines};
use serde_json::{Value, json};

use crate::counselling::project;
use crate::reporting::{centre_id, person, record, registered};

const PROGRESS: &str = "{ ministryProjects { centreId registrationNumber \
    targets { indicator planned actual mark expected behind } } }";

/// What the ministry sees of Ústí's AMIF/52 target for unique persons.
async fn seen(ministry: &Gql, usti: &str) -> Value {
    let r = ministry.query(PROGRESS, json!({})).await;
    let all = r.ok()["ministryProjects"].as_array().unwrap().clone();
    let p = all
        .iter()
        .find(|p| {
            p["centreId"] == usti
                && p["registrationNumber"]
                    .as_str()
                    .unwrap()
                    .starts_with("AMIF/52")
        })
        .unwrap()
        .clone();
    p["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["indicator"] == "UNIQUE_PERSONS")
        .unwrap()
        .clone()
}

/// Registers each person and records one service for them in March 2025
/// (an ended month) under `project`.
async fn serve_persons(counsellor: &Gql, project: &str, names: &[(&str, &str)]) {
    for (given, family) in names {
        let c = registered(
            counsellor,
            person(given, family, "UA", "1985-06-01", "FEMALE"),
        )
        .await;
        record(
            counsellor,
            &[&c],
            "2025-03-10",
            60,
            "SOCIAL_COUNSELLING",
            "OFFICE",
            project,
        )
        .await;
    }
}

async fn suppressed_project_figure_cannot_be_inferred(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let counsellor = app.signed_in("counsellor.usti@example.org").await;
    let ministry = app.signed_in("ministry@example.org").await;
    let usti = centre_id(&admin).await;
    let amif = project(&admin, "AMIF/52").await;
    admin
        .query(
            "mutation($p: FundingProjectId!) { setProjectTargets(projectId: $p, targets: [{indicator: UNIQUE_PERSONS, planned: 300}]) }",
            json!({"p": amif}),
        )
        .await
        .ok();
    // Nobody served yet: "<5", not a 0 that would differ from 1–4.
    let nobody = seen(&ministry, &usti).await;
    assert_eq!(nobody["mark"], "SMALL", "{nobody}");
    assert!(
        nobody["actual"].is_null() && nobody["behind"].is_null(),
        "{nobody}"
    );
    // Two persons served in an ended month: the ministry sees exactly the
    // same answer as for nobody.
    serve_persons(
        &counsellor,
        &amif,
        &[("Olena", "Bondarenko"), ("Taras", "Melnyk")],
    )
    .await;
    app.reporting.refresh().await.unwrap();
    assert_eq!(
        seen(&ministry, &usti).await,
        nobody,
        "a hidden actual left a trace"
    );
    // Past the threshold the figure and the comparison are shown.
    let four = [
        ("Iryna", "Shevchenko"),
        ("Petro", "Kovalenko"),
        ("Anna", "Tkachenko"),
        ("Oleh", "Boyko"),
    ];
    serve_persons(&counsellor, &amif, &four).await;
    app.reporting.refresh().await.unwrap();
    let six = seen(&ministry, &usti).await;
    assert_eq!(six["actual"], 6.0, "{six}");
    assert_eq!(six["behind"], true, "{six}");
}
on_both_engines!(
    suppressed_project_figure_cannot_be_inferred,
    suppressed_project_figure_cannot_be_inferred
);
