//! Placement tests, enrolment within capacity and the waitlist beyond it.
//!
//! A place is one conditional update of the course row
//! (`enrolled < capacity`) in the enrolment's transaction, so capacity
//! holds however many enrol at once. A withdrawal frees the place and gives
//! it to the first on the waitlist, who is emailed.

use chrono::NaiveDate;
use integra_clients::facts::{kept_client, names};
use integra_kernel::TenantTx;
use integra_kernel::scope::can;
use integra_kernel::validate::text;
use integra_kernel::{AppError, AppResult, Authorized, ClientId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::entity::{course, enrolment, placement};
use crate::model::{CourseKind, CourseStatus, Enrolment, EnrolmentStatus, Level, Placement};
use crate::service::{CourseService, teaching};

impl CourseService {
    /// Records a placement test result.
    pub async fn record_placement(
        &self,
        auth: &Authorized<'_, can::ManageCourses>,
        client: ClientId,
        level: Level,
        tested_on: NaiveDate,
        note: &str,
    ) -> AppResult<Placement> {
        let note = text("note", note, 500, false)?;
        if tested_on > self.today() {
            return Err(AppError::bad_input("testedOn", "must not be in the future"));
        }
        let txn = self.db().scoped_write(auth).await?;
        let client = kept_client(&txn, client, "clientId").await?;
        let id = Uuid::now_v7();
        placement::Entity::insert(placement::ActiveModel {
            id: Set(id),
            tenant_id: Set(auth.centre_id().uuid()),
            client_id: Set(client.uuid()),
            level: Set(level.as_str().to_owned()),
            tested_on: Set(tested_on),
            note: Set(note.clone()),
            recorded_by: Set(Some(auth.user_id().uuid())),
            created_at: Set(self.now()),
        })
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        Ok(Placement {
            id: id.into(),
            client_id: client,
            level,
            tested_on,
            note,
        })
    }

    /// Enrols a client: a place while any are left, else the waitlist.
    /// A Czech-language course needs a placement test first; its level is
    /// the entry level.
    pub async fn enrol(
        &self,
        auth: &Authorized<'_, can::ManageCourses>,
        course_id: crate::ids::CourseId,
        client: ClientId,
    ) -> AppResult<Enrolment> {
        let now = self.now();
        let today = self.today();
        let txn = self.db().scoped_write(auth).await?;
        let c = teaching(&txn, auth, course_id.into()).await?;
        if c.status == CourseStatus::Cancelled.as_str() {
            return Err(AppError::bad_input("courseId", "the course is cancelled"));
        }
        if c.enrolment_opens_on.is_some_and(|d| today < d) {
            return Err(AppError::bad_input(
                "courseId",
                "enrolment has not opened yet",
            ));
        }
        if c.enrolment_closes_on.is_some_and(|d| today > d) {
            return Err(AppError::bad_input("courseId", "enrolment has closed"));
        }
        let client = kept_client(&txn, client, "clientId").await?;
        let latest = txn
            .find::<placement::Entity>()
            .filter(placement::Column::ClientId.eq(client.uuid()))
            .order_by_desc(placement::Column::TestedOn)
            .order_by_desc(placement::Column::Id)
            .one(&txn)
            .await?;
        if c.kind == CourseKind::CzechLanguage.as_str() && latest.is_none() {
            return Err(AppError::bad_input(
                "clientId",
                "needs a placement test result before a Czech-language course",
            ));
        }
        let taken = take_place(&txn, c.id).await?;
        let id = Uuid::now_v7();
        let status = if taken {
            EnrolmentStatus::Enrolled
        } else {
            EnrolmentStatus::Waitlisted
        };
        let row = enrolment::ActiveModel {
            id: Set(id),
            tenant_id: Set(auth.centre_id().uuid()),
            course_id: Set(c.id),
            client_id: Set(client.uuid()),
            status: Set(status.as_str().to_owned()),
            entry_level: Set(latest.map(|p| p.level).unwrap_or_default()),
            exit_level: Set(String::new()),
            fee_paid: Set(false),
            enrolled_at: Set(taken.then_some(now)),
            withdrawn_at: Set(None),
            created_by: Set(Some(auth.user_id().uuid())),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                AppError::bad_input("clientId", "is already enrolled or on the waitlist")
            }
            _ => AppError::from(e),
        })?;
        let out = enrolment_out(&txn, row).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Withdraws an enrolment (or takes someone off the waitlist). A freed
    /// place goes to the first on the waitlist, who is emailed.
    pub async fn withdraw(
        &self,
        auth: &Authorized<'_, can::ManageCourses>,
        enrolment_id: crate::ids::EnrolmentId,
    ) -> AppResult<Enrolment> {
        let now = self.now();
        let txn = self.db().scoped_write(auth).await?;
        let row = find(&txn, enrolment_id.into()).await?;
        let c = teaching(&txn, auth, row.course_id).await?;
        if row.status == EnrolmentStatus::Withdrawn.as_str() {
            let out = enrolment_out(&txn, row).await?;
            txn.commit().await?;
            return Ok(out);
        }
        let had_place = row.status == EnrolmentStatus::Enrolled.as_str();
        let mut a = row.into_active_model();
        a.status = Set(EnrolmentStatus::Withdrawn.as_str().to_owned());
        a.withdrawn_at = Set(Some(now));
        a.updated_at = Set(now);
        let saved = a.update(&txn).await?;
        let mut mailed = false;
        if had_place {
            txn.update_many::<course::Entity>()
                .col_expr(
                    course::Column::Enrolled,
                    Expr::col(course::Column::Enrolled).sub(1),
                )
                .filter(course::Column::Id.eq(c.id))
                .exec(&txn)
                .await?;
            let next = txn
                .find::<enrolment::Entity>()
                .filter(enrolment::Column::CourseId.eq(c.id))
                .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted.as_str()))
                .order_by_asc(enrolment::Column::Id)
                .one(&txn)
                .await?;
            if let Some(next) = next
                && take_place(&txn, c.id).await?
            {
                let client = ClientId(next.client_id);
                let mut a = next.into_active_model();
                a.status = Set(EnrolmentStatus::Enrolled.as_str().to_owned());
                a.enrolled_at = Set(Some(now));
                a.updated_at = Set(now);
                a.update(&txn).await?;
                mailed = crate::mail::place_given(&txn, auth, &c, client, now).await?;
            }
        }
        let out = enrolment_out(&txn, saved).await?;
        txn.commit().await?;
        if mailed {
            self.mail.wake();
        }
        Ok(out)
    }

    /// A course's enrolments: enrolled, then the waitlist in order, then
    /// those who withdrew (lecturers: courses they teach).
    pub async fn enrolments(
        &self,
        auth: &Authorized<'_, can::Teach>,
        course_id: crate::ids::CourseId,
    ) -> AppResult<Vec<Enrolment>> {
        let txn = self.db().scoped(auth).await?;
        let c = teaching(&txn, auth, course_id.into()).await?;
        let rows = txn
            .find::<enrolment::Entity>()
            .filter(enrolment::Column::CourseId.eq(c.id))
            .order_by_asc(enrolment::Column::Id)
            .all(&txn)
            .await?;
        let out = list_out(&txn, rows).await?;
        txn.commit().await?;
        Ok(out)
    }
}

/// Takes a place if one is left (exact under concurrency).
async fn take_place(txn: &TenantTx, course: Uuid) -> AppResult<bool> {
    let res = txn
        .update_many::<course::Entity>()
        .col_expr(
            course::Column::Enrolled,
            Expr::col(course::Column::Enrolled).add(1),
        )
        .filter(course::Column::Id.eq(course))
        .filter(Expr::col(course::Column::Enrolled).lt(Expr::col(course::Column::Capacity)))
        .exec(txn)
        .await?;
    Ok(res.rows_affected == 1)
}

pub(crate) async fn find(txn: &TenantTx, id: Uuid) -> AppResult<enrolment::Model> {
    txn.find_by_id::<enrolment::Entity>(id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)
}

async fn enrolment_out(txn: &TenantTx, row: enrolment::Model) -> AppResult<Enrolment> {
    let position = if row.status == EnrolmentStatus::Waitlisted.as_str() {
        let n = txn
            .find::<enrolment::Entity>()
            .filter(enrolment::Column::CourseId.eq(row.course_id))
            .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted.as_str()))
            .filter(enrolment::Column::Id.lte(row.id))
            .count(txn)
            .await?;
        Some(i64::try_from(n).unwrap_or(i64::MAX))
    } else {
        None
    };
    let mut out = list_out(txn, vec![row])
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    out.waitlist_position = position;
    Ok(out)
}

/// Enrolments with names: enrolled first, then the waitlist in order (with
/// positions counted within `rows`), then the withdrawn.
pub(crate) async fn list_out(
    txn: &TenantTx,
    rows: Vec<enrolment::Model>,
) -> AppResult<Vec<Enrolment>> {
    let ids: Vec<ClientId> = rows.iter().map(|r| ClientId(r.client_id)).collect();
    let names = names(txn, &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let status = EnrolmentStatus::parse(&r.status)
            .ok_or_else(|| AppError::internal_msg("unknown enrolment status"))?;
        out.push(Enrolment {
            id: r.id.into(),
            course_id: r.course_id.into(),
            client_id: ClientId(r.client_id),
            client_name: names
                .get(&ClientId(r.client_id))
                .cloned()
                .unwrap_or_default(),
            status,
            waitlist_position: None,
            entry_level: Level::parse(&r.entry_level),
            exit_level: Level::parse(&r.exit_level),
            enrolled_at: r.enrolled_at,
        });
    }
    out.sort_by_key(|e| {
        (
            match e.status {
                EnrolmentStatus::Enrolled => 0,
                EnrolmentStatus::Waitlisted => 1,
                EnrolmentStatus::Withdrawn => 2,
            },
            e.id,
        )
    });
    // Positions within the list given (a whole course's, in id order).
    let mut n = 0;
    for e in &mut out {
        if e.status == EnrolmentStatus::Waitlisted {
            n += 1;
            e.waitlist_position = Some(n);
        }
    }
    Ok(out)
}
