//! The attendance confirmations of an adaptation-integration course
//! ("Vítejte v České republice") for the ministry, as CSV: one row per
//! enrolled participant, with the course day and whether they attended.

use integra_kernel::scope::can;
use integra_kernel::{AppError, AppResult, Authorized, ClientId};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

use crate::entity::{attendance, enrolment, session};
use crate::model::{CourseKind, EnrolmentStatus, Mark, SessionStatus};
use crate::service::{CourseService, teaching};

/// A CSV file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvFile {
    /// Suggested file name.
    pub file_name: String,
    /// The content (UTF-8 with a byte-order mark, so spreadsheet programs
    /// read the diacritics right; `;`-separated as Czech Excel expects).
    pub content: String,
}

impl CourseService {
    /// The attendance confirmations of an adaptation-integration course.
    pub async fn aik_confirmations(
        &self,
        auth: &Authorized<'_, can::ManageCourses>,
        course_id: crate::ids::CourseId,
    ) -> AppResult<CsvFile> {
        let today = self.today();
        let txn = self.db().scoped(auth).await?;
        let c = teaching(&txn, auth, course_id.into()).await?;
        if c.kind != CourseKind::AdaptationIntegration.as_str() {
            return Err(AppError::bad_input(
                "courseId",
                "is not an adaptation-integration course",
            ));
        }
        let sessions = txn
            .find::<session::Entity>()
            .filter(session::Column::CourseId.eq(c.id))
            .filter(session::Column::Status.eq(SessionStatus::Scheduled.as_str()))
            .order_by_asc(session::Column::StartsAt)
            .all(&txn)
            .await?;
        let enrolled = txn
            .find::<enrolment::Entity>()
            .filter(enrolment::Column::CourseId.eq(c.id))
            .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled.as_str()))
            .order_by_asc(enrolment::Column::Id)
            .all(&txn)
            .await?;
        let marks = txn
            .find::<attendance::Entity>()
            .filter(attendance::Column::EnrolmentId.is_in(enrolled.iter().map(|e| e.id)))
            .all(&txn)
            .await?;
        let ids: Vec<uuid::Uuid> = enrolled.iter().map(|e| e.client_id).collect();
        let people = integra_clients::facts::summaries(&txn, today, &ids).await?;
        let (centre, _) = integra_tenants::centres::letterhead(&txn, None).await?;
        txn.commit().await?;
        let day = sessions
            .first()
            .map(|s| {
                s.starts_at
                    .with_timezone(&chrono_tz::Europe::Prague)
                    .format("%-d. %-m. %Y")
                    .to_string()
            })
            .unwrap_or_default();
        let hours: i64 = sessions
            .iter()
            .map(|s| (s.ends_at - s.starts_at).num_minutes())
            .sum::<i64>()
            / 60;
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(Vec::new());
        let io = |e: csv::Error| AppError::internal(e);
        w.write_record([
            "Centrum",
            "Kurz",
            "Datum",
            "Hodin",
            "Jazyk tlumočení",
            "Příjmení",
            "Jméno",
            "Datum narození",
            "Státní příslušnost",
            "Účast",
        ])
        .map_err(io)?;
        for e in &enrolled {
            let Some(p) = people.iter().find(|p| p.id == ClientId(e.client_id)) else {
                continue;
            };
            let attended = !sessions.is_empty()
                && sessions.iter().all(|s| {
                    marks.iter().any(|m| {
                        m.enrolment_id == e.id
                            && m.session_id == s.id
                            && Mark::parse(&m.status).is_some_and(Mark::attended)
                    })
                });
            w.write_record([
                centre.as_str(),
                c.title.as_str(),
                day.as_str(),
                &hours.to_string(),
                c.interpreter_language.as_str(),
                p.family_name.as_str(),
                p.given_name.as_str(),
                &p.birth_date
                    .map(|d| d.format("%-d. %-m. %Y").to_string())
                    .unwrap_or_default(),
                p.nationality.as_str(),
                if attended { "ano" } else { "ne" },
            ])
            .map_err(io)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| AppError::internal_msg(e.to_string()))?;
        let body = String::from_utf8(bytes).map_err(AppError::internal)?;
        Ok(CsvFile {
            file_name: format!("aik-{}.csv", c.id),
            content: format!("\u{feff}{body}"),
        })
    }
}
