//! The course part of a client's data-subject export: placement tests and
//! enrolments with attendance.

use integra_clients::rights::{ExportSection, words};
use integra_kernel::scope::can;
use integra_kernel::{AppResult, Authorized, ClientId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::{attendance, course, enrolment, placement};
use crate::model::Mark;
use crate::service::CourseService;

impl CourseService {
    /// Placement tests and courses of a client, as export tables.
    pub async fn export_sections(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        client: ClientId,
    ) -> AppResult<Vec<ExportSection>> {
        let tenant = auth.centre_id().uuid();
        let txn = self.db.scoped(auth).await?;
        let mut tests = ExportSection::new("Placement tests", &["Tested on", "Level", "Note"]);
        for p in placement::Entity::find()
            .filter(placement::Column::TenantId.eq(tenant))
            .filter(placement::Column::ClientId.eq(client.uuid()))
            .order_by_asc(placement::Column::TestedOn)
            .all(&txn)
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
        let rows = enrolment::Entity::find()
            .filter(enrolment::Column::TenantId.eq(tenant))
            .filter(enrolment::Column::ClientId.eq(client.uuid()))
            .order_by_asc(enrolment::Column::Id)
            .all(&txn)
            .await?;
        for e in rows {
            let title = course::Entity::find_by_id(e.course_id)
                .filter(course::Column::TenantId.eq(tenant))
                .one(&txn)
                .await?
                .map(|c| c.title)
                .unwrap_or_default();
            let attended = attendance::Entity::find()
                .filter(attendance::Column::TenantId.eq(tenant))
                .filter(attendance::Column::EnrolmentId.eq(e.id))
                .all(&txn)
                .await?
                .into_iter()
                .filter(|a| Mark::parse(&a.status).is_some_and(Mark::attended))
                .count();
            courses.push(vec![
                title,
                words(&e.status),
                e.entry_level,
                e.exit_level,
                attended.to_string(),
            ]);
        }
        txn.commit().await?;
        Ok(vec![tests, courses])
    }
}
