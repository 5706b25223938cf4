//! The course part of a client's data-subject export: placement tests and
//! enrolments with attendance.

use integra_kernel::lifecycle::{ExportSection, words};
use integra_kernel::{AppResult, ClientId, TenantTx};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

use crate::entity::{attendance, course, enrolment, placement};
use crate::model::Mark;

/// Placement tests and courses of a client, as export tables.
pub(crate) async fn export_sections(
    txn: &TenantTx,
    client: ClientId,
) -> AppResult<Vec<ExportSection>> {
    let mut tests = ExportSection::new("Placement tests", &["Tested on", "Level", "Note"]);
    for p in txn
        .find::<placement::Entity>()
        .filter(placement::Column::ClientId.eq(client.uuid()))
        .order_by_asc(placement::Column::TestedOn)
        .all(txn)
        .await?
    {
        tests.push(vec![p.tested_on.to_string(), p.level, p.note]);
    }
    let mut courses = ExportSection::new(
        "Courses",
        &[
            "Course",
            "Status",
            "Entry level",
            "Exit level",
            "Sessions attended",
        ],
    );
    let rows = txn
        .find::<enrolment::Entity>()
        .filter(enrolment::Column::ClientId.eq(client.uuid()))
        .order_by_asc(enrolment::Column::Id)
        .all(txn)
        .await?;
    let course_ids: Vec<uuid::Uuid> = rows.iter().map(|e| e.course_id).collect();
    let titles: std::collections::HashMap<uuid::Uuid, String> = txn
        .find::<course::Entity>()
        .filter(course::Column::Id.is_in(course_ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    let mut attended: std::collections::HashMap<uuid::Uuid, usize> = Default::default();
    for a in txn
        .find::<attendance::Entity>()
        .filter(attendance::Column::EnrolmentId.is_in(rows.iter().map(|e| e.id)))
        .all(txn)
        .await?
    {
        if Mark::parse(&a.status).is_some_and(Mark::attended) {
            *attended.entry(a.enrolment_id).or_default() += 1;
        }
    }
    for e in rows {
        courses.push(vec![
            titles.get(&e.course_id).cloned().unwrap_or_default(),
            words(&e.status),
            e.entry_level,
            e.exit_level,
            attended.get(&e.id).copied().unwrap_or(0).to_string(),
        ]);
    }
    Ok(vec![tests, courses])
}
