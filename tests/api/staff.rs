//! A centre's staff: listing, changing roles, removing members, and the rule
//! that a centre always keeps an admin.

use integra_test_support::{TestApp, on_both_engines};
use serde_json::{Value, json};

fn member<'a>(staff: &'a Value, email: &str) -> &'a Value {
    staff["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == email)
        .unwrap_or_else(|| panic!("{email} missing from {staff}"))
}

async fn staff_admin(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let list = admin
        .query(
            "{ staff { userId email displayName roles disabled } }",
            json!({}),
        )
        .await;
    let staff = list.ok().clone();
    let emails: Vec<&str> = staff["staff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap())
        .collect();
    for e in [
        "admin.usti@example.org",
        "counsellor.usti@example.org",
        "lecturer.usti@example.org",
    ] {
        assert!(emails.contains(&e), "{emails:?}");
    }
    assert!(!emails.contains(&"admin.praha@example.org"));
    assert!(!emails.contains(&"ministry@example.org"));
    let counsellor = member(&staff, "counsellor.usti@example.org")["userId"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = member(&staff, "admin.usti@example.org")["userId"]
        .as_str()
        .unwrap()
        .to_owned();

    // Change roles; the answer and the list agree, in a stable order.
    let set = "mutation($u: UserId!, $r: [Role!]!) { setStaffRoles(userId: $u, roles: $r) { email roles } }";
    let r = admin
        .query(
            set,
            json!({"u": counsellor, "r": ["LEGAL_COUNSELLOR", "COUNSELLOR"]}),
        )
        .await;
    assert_eq!(
        r.ok()["setStaffRoles"]["roles"],
        json!(["COUNSELLOR", "LEGAL_COUNSELLOR"])
    );
    let list = admin.query("{ staff { email roles } }", json!({})).await;
    assert_eq!(
        member(list.ok(), "counsellor.usti@example.org")["roles"],
        json!(["COUNSELLOR", "LEGAL_COUNSELLOR"])
    );
    // The member's next sign-in carries the new roles.
    let c = app.signed_in("counsellor.usti@example.org").await;
    let v = c.query("{ viewer { roles } }", json!({})).await;
    assert_eq!(
        v.ok()["viewer"]["roles"],
        json!(["COUNSELLOR", "LEGAL_COUNSELLOR"])
    );

    // Bad roles name the field.
    for bad in [json!([]), json!(["MINISTRY_OFFICER"]), json!(["wizard"])] {
        let r = admin.query(set, json!({"u": counsellor, "r": bad})).await;
        assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
        assert_eq!(r.errors()[0]["extensions"]["field"], "roles", "{}", r.body);
    }
    // A malformed id names its field too.
    let r = admin
        .query(set, json!({"u": "nope", "r": ["COUNSELLOR"]}))
        .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(r.errors()[0]["extensions"]["field"], "userId");

    // The only admin can neither demote nor remove themself.
    let r = admin
        .query(set, json!({"u": me, "r": ["COUNSELLOR"]}))
        .await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"), "{}", r.body);
    let rm = "mutation($u: UserId!) { removeStaffMember(userId: $u) }";
    let r = admin.query(rm, json!({"u": me})).await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"), "{}", r.body);
    // With a second admin, the first may step down.
    let r = admin
        .query(
            set,
            json!({"u": counsellor, "r": ["CENTRE_ADMIN", "COUNSELLOR"]}),
        )
        .await;
    assert!(r.errors().is_empty(), "{}", r.body);
    let r = admin
        .query(set, json!({"u": me, "r": ["COORDINATOR"]}))
        .await;
    assert!(r.errors().is_empty(), "{}", r.body);
    assert_eq!(r.ok()["setStaffRoles"]["roles"], json!(["COORDINATOR"]));

    // Non-admins cannot manage staff.
    let lecturer = app.signed_in("lecturer.usti@example.org").await;
    let r = lecturer.query("{ staff { email } }", json!({})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));

    // Removing a member: gone from the list, their account signs in without
    // this centre.
    let new_admin = app.signed_in("counsellor.usti@example.org").await;
    let lecturer_id = member(
        new_admin
            .query("{ staff { userId email } }", json!({}))
            .await
            .ok(),
        "lecturer.usti@example.org",
    )["userId"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = new_admin.query(rm, json!({"u": lecturer_id})).await;
    assert_eq!(r.ok()["removeStaffMember"], true);
    let list = new_admin.query("{ staff { email } }", json!({})).await;
    assert!(!list.ok().to_string().contains("lecturer.usti"));
    let r = new_admin.query(rm, json!({"u": lecturer_id})).await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
    let gone = app.signed_in("lecturer.usti@example.org").await;
    let v = gone
        .query("{ viewer { email centre { id } } }", json!({}))
        .await;
    assert_eq!(v.ok()["viewer"]["centre"], Value::Null);
}
on_both_engines!(staff, staff_admin);

/// The roles a centre admin may give come from the server (the web app
/// keeps no list of its own): the centre roles, in ladder order, never the
/// ministry's or the platform's; only centre admins ask.
async fn assignable_roles_are_the_centre_roles(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let r = admin.query("{ assignableRoles }", json!({})).await;
    assert_eq!(
        r.ok()["assignableRoles"],
        json!([
            "CENTRE_ADMIN",
            "COORDINATOR",
            "COUNSELLOR",
            "LEGAL_COUNSELLOR",
            "LECTURER",
            "FIELD_WORKER",
            "RECEPTIONIST"
        ])
    );
    let counsellor = app.signed_in("counsellor.usti@example.org").await;
    let r = counsellor.query("{ assignableRoles }", json!({})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
}
on_both_engines!(assignable_roles, assignable_roles_are_the_centre_roles);
