//! Counselling's rows about a client on merge and anonymisation (see
//! [`integra_kernel::lifecycle`]).

use integra_kernel::lifecycle::ExportSection;
use integra_kernel::lifecycle::{drop_twins, erase, relink};
use integra_kernel::{AppResult, ClientId, ClientLinks, TenantTx};
use sea_orm::prelude::async_trait;

/// Cases, group-session participation, notes, appointments, inquiries and
/// tasks of a client.
#[derive(Clone, Copy, Debug, Default)]
pub struct CounsellingClientLinks;

/// Tables of this context whose rows belong to one client.
const LINKED: &[&str] = &[
    "cases",
    "intervention_participants",
    "notes",
    "appointments",
    "inquiries",
    "tasks",
];

/// Free text about the person; the records (and so every count) stay.
const ERASE: &[&str] = &[
    "DELETE FROM notes WHERE tenant_id = :tenant AND client_id = ?",
    "DELETE FROM case_goals WHERE tenant_id = :tenant AND case_id IN \
     (SELECT id FROM cases WHERE tenant_id = :tenant AND client_id = ?)",
    "UPDATE cases SET title = '' WHERE tenant_id = :tenant AND client_id = ?",
    "UPDATE tasks SET title = '' WHERE tenant_id = :tenant AND client_id = ?",
    "UPDATE appointments SET note = '', place = '' WHERE tenant_id = :tenant AND client_id = ?",
    "UPDATE interventions SET outcome = '', place = '' WHERE tenant_id = :tenant \
     AND is_group = false AND id IN (SELECT intervention_id FROM intervention_participants \
     WHERE tenant_id = :tenant AND client_id = ?)",
];

#[async_trait::async_trait]
impl ClientLinks for CounsellingClientLinks {
    fn context(&self) -> &'static str {
        "counselling"
    }

    async fn on_merge(&self, txn: &TenantTx, kept: ClientId, merged: ClientId) -> AppResult<()> {
        // Both records at the same group session: the person counts once.
        drop_twins(
            txn,
            "intervention_participants",
            "intervention_id",
            kept,
            merged,
        )
        .await?;
        for table in LINKED {
            relink(txn, table, kept, merged).await?;
        }
        Ok(())
    }

    async fn on_anonymise(&self, txn: &TenantTx, client: ClientId) -> AppResult<()> {
        erase(txn, client, ERASE).await
    }

    async fn export_sections(
        &self,
        txn: &TenantTx,
        client: ClientId,
    ) -> AppResult<Vec<ExportSection>> {
        crate::export::export_sections(txn, client).await
    }
}
