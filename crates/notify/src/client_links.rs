//! The outbox's rows about a client on merge and anonymisation (see
//! [`integra_kernel::lifecycle`]).

use integra_kernel::lifecycle::ExportSection;
use integra_kernel::lifecycle::{erase, relink};
use integra_kernel::{AppResult, ClientId, ClientLinks, TenantTx};
use sea_orm::prelude::async_trait;

/// Emails to a client.
#[derive(Clone, Copy, Debug, Default)]
pub struct OutboxClientLinks;

#[async_trait::async_trait]
impl ClientLinks for OutboxClientLinks {
    fn context(&self) -> &'static str {
        "notify"
    }

    async fn on_merge(&self, txn: &TenantTx, kept: ClientId, merged: ClientId) -> AppResult<()> {
        relink(txn, "outbox", kept, merged).await
    }

    /// Emails to the person, sent or not, hold their name and address.
    async fn on_anonymise(&self, txn: &TenantTx, client: ClientId) -> AppResult<()> {
        erase(
            txn,
            client,
            &["DELETE FROM outbox WHERE tenant_id = :tenant AND client_id = ?"],
        )
        .await
    }

    async fn export_sections(
        &self,
        txn: &TenantTx,
        client: ClientId,
    ) -> AppResult<Vec<ExportSection>> {
        Ok(vec![crate::outbox::export_section(txn, client).await?])
    }
}
