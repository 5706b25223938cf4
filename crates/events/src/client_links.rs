//! Events' rows about a client on merge and anonymisation (see
//! [`integra_kernel::lifecycle`]).

use integra_kernel::lifecycle::ExportSection;
use integra_kernel::lifecycle::{erase, relink};
use integra_kernel::{AppResult, ClientId, ClientLinks, TenantTx};
use sea_orm::prelude::async_trait;

/// Event registrations linked to a client.
#[derive(Clone, Copy, Debug, Default)]
pub struct EventsClientLinks;

#[async_trait::async_trait]
impl ClientLinks for EventsClientLinks {
    fn context(&self) -> &'static str {
        "events"
    }

    async fn on_merge(&self, txn: &TenantTx, kept: ClientId, merged: ClientId) -> AppResult<()> {
        relink(txn, "event_registrations", kept, merged).await
    }

    /// Registrations keep their place and check-in (so counts stand) but
    /// lose name, address and organisation; the address becomes the
    /// check-in code, unique within the event, which no mail can be sent to.
    async fn on_anonymise(&self, txn: &TenantTx, client: ClientId) -> AppResult<()> {
        erase(
            txn,
            client,
            &[
                "UPDATE event_registrations SET name = '', organisation = '', email = code \
               WHERE tenant_id = :tenant AND client_id = ?",
            ],
        )
        .await
    }

    async fn export_sections(
        &self,
        txn: &TenantTx,
        client: ClientId,
    ) -> AppResult<Vec<ExportSection>> {
        Ok(vec![crate::client_view::export_section(txn, client).await?])
    }
}
