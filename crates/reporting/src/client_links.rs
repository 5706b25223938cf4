//! Feedback requests about a client on merge and anonymisation (see
//! [`integra_kernel::lifecycle`]).

use integra_kernel::lifecycle::ExportSection;
use integra_kernel::lifecycle::{drop_twins, erase, relink};
use integra_kernel::{AppResult, ClientId, ClientLinks, TenantTx};
use sea_orm::prelude::async_trait;

/// Feedback asked of a client.
#[derive(Clone, Copy, Debug, Default)]
pub struct FeedbackClientLinks;

#[async_trait::async_trait]
impl ClientLinks for FeedbackClientLinks {
    fn context(&self) -> &'static str {
        "reporting"
    }

    async fn on_merge(&self, txn: &TenantTx, kept: ClientId, merged: ClientId) -> AppResult<()> {
        // Asked once per course or case (their ids never coincide).
        drop_twins(txn, "feedback_requests", "subject_id", kept, merged).await?;
        relink(txn, "feedback_requests", kept, merged).await
    }

    async fn on_anonymise(&self, txn: &TenantTx, client: ClientId) -> AppResult<()> {
        erase(
            txn,
            client,
            &["UPDATE feedback_requests SET comment = '' WHERE tenant_id = :tenant AND client_id = ?"],
        )
        .await
    }

    async fn export_sections(
        &self,
        txn: &TenantTx,
        client: ClientId,
    ) -> AppResult<Vec<ExportSection>> {
        Ok(vec![
            crate::feedback::FeedbackService::export_section(txn, client).await?,
        ])
    }
}
