//! Courses' rows about a client on merge and anonymisation (see
//! [`integra_kernel::lifecycle`]).

use integra_kernel::lifecycle::ExportSection;
use integra_kernel::lifecycle::{erase, relink};
use integra_kernel::{AppResult, ClientId, ClientLinks, TenantTx};
use sea_orm::ConnectionTrait;
use sea_orm::prelude::async_trait;

/// Enrolments and placement tests of a client.
#[derive(Clone, Copy, Debug, Default)]
pub struct CoursesClientLinks;

/// Where both records hold a place in the same course, the merged record's
/// enrolment is withdrawn (its attendance stays with it).
const WITHDRAW_TWIN_ENROLMENTS: &str = "UPDATE enrolments SET status = 'withdrawn' \
     WHERE tenant_id = :tenant AND client_id = ? AND status <> 'withdrawn' AND course_id IN \
     (SELECT course_id FROM enrolments WHERE tenant_id = :tenant AND client_id = ? \
      AND status <> 'withdrawn')";

/// The places taken of the kept record's courses, counted again.
const RECOUNT_PLACES: &str = "UPDATE courses SET enrolled = \
     (SELECT COUNT(*) FROM enrolments e WHERE e.tenant_id = courses.tenant_id \
      AND e.course_id = courses.id AND e.status = 'enrolled') \
     WHERE tenant_id = :tenant AND id IN \
     (SELECT course_id FROM enrolments WHERE tenant_id = :tenant AND client_id = ?)";

#[async_trait::async_trait]
impl ClientLinks for CoursesClientLinks {
    fn context(&self) -> &'static str {
        "courses"
    }

    async fn on_merge(&self, txn: &TenantTx, kept: ClientId, merged: ClientId) -> AppResult<()> {
        txn.execute_raw(txn.stmt(
            WITHDRAW_TWIN_ENROLMENTS,
            vec![merged.uuid().into(), kept.uuid().into()],
        ))
        .await?;
        relink(txn, "enrolments", kept, merged).await?;
        relink(txn, "placement_tests", kept, merged).await?;
        txn.execute_raw(txn.stmt(RECOUNT_PLACES, vec![kept.uuid().into()]))
            .await?;
        Ok(())
    }

    async fn on_anonymise(&self, txn: &TenantTx, client: ClientId) -> AppResult<()> {
        erase(
            txn,
            client,
            &["UPDATE placement_tests SET note = '' WHERE tenant_id = :tenant AND client_id = ?"],
        )
        .await
    }

    async fn export_sections(
        &self,
        txn: &TenantTx,
        client: ClientId,
    ) -> AppResult<Vec<ExportSection>> {
        crate::export::export_sections(txn, client).await
    }
}
