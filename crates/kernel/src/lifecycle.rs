//! What becomes of the rows other contexts link to a client when the
//! client's record is merged into another, anonymised or exported. The
//! client registry owns the client records and knows no other context's
//! tables: each context that links rows to a client implements
//! [`ClientLinks`] for its own tables, the server registers the set at
//! start-up, and the registry calls each inside the merge's, the
//! anonymisation's or the export's transaction.

use std::sync::Arc;

use sea_orm::ConnectionTrait;
use sea_orm::prelude::async_trait;

use crate::{AppResult, ClientId, TenantTx};

/// A context's rows about clients.
#[async_trait::async_trait]
pub trait ClientLinks: Send + Sync {
    /// The context, e.g. `counselling` (for tests and logs).
    fn context(&self) -> &'static str;

    /// `merged` is being folded into `kept`: move the context's rows to
    /// `kept`. A row that would then exist twice (both records took part in
    /// the same group session) is dropped from `merged` instead, so the
    /// person counts once.
    async fn on_merge(&self, txn: &TenantTx, kept: ClientId, merged: ClientId) -> AppResult<()>;

    /// `client` is being anonymised: erase the free text the context holds
    /// about the person, keeping its rows, so that every count stands.
    async fn on_anonymise(&self, txn: &TenantTx, client: ClientId) -> AppResult<()>;

    /// What the context holds on `client`, as tables of the person's
    /// data-subject export (read for a centre admin, in the export's
    /// transaction).
    async fn export_sections(
        &self,
        txn: &TenantTx,
        client: ClientId,
    ) -> AppResult<Vec<ExportSection>>;
}

/// A table of a data-subject export contributed by a context, e.g. the
/// client's interventions or event registrations.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportSection {
    /// Heading, e.g. "Services received".
    pub title: String,
    /// Column headings.
    pub columns: Vec<String>,
    /// One row per item, as many cells as columns.
    pub rows: Vec<Vec<String>>,
}

impl ExportSection {
    /// A section with the given heading and columns, no rows yet.
    pub fn new(title: &str, columns: &[&str]) -> Self {
        Self {
            title: title.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// A stored vocabulary value as words for an export: `legal_counselling`
/// → "legal counselling".
pub fn words(code: &str) -> String {
    code.replace('_', " ")
}

/// The contexts registered with the client registry.
pub type ClientLinkSet = Arc<[Arc<dyn ClientLinks>]>;

/// Moves the rows of `table` (a table with `tenant_id` and `client_id`)
/// from `merged` to `kept`. `table` is a name from the code, never input.
pub async fn relink(
    txn: &TenantTx,
    table: &str,
    kept: ClientId,
    merged: ClientId,
) -> AppResult<()> {
    txn.execute_raw(txn.stmt(
        &format!("UPDATE {table} SET client_id = ? WHERE tenant_id = :tenant AND client_id = ?"),
        vec![kept.uuid().into(), merged.uuid().into()],
    ))
    .await?;
    Ok(())
}

/// Drops `merged`'s rows of `table` whose `key` `kept` also has (one row
/// per key and client is allowed), before the rest are relinked.
pub async fn drop_twins(
    txn: &TenantTx,
    table: &str,
    key: &str,
    kept: ClientId,
    merged: ClientId,
) -> AppResult<()> {
    txn.execute_raw(txn.stmt(
        &format!(
            "DELETE FROM {table} WHERE tenant_id = :tenant AND client_id = ? AND {key} IN \
             (SELECT {key} FROM {table} WHERE tenant_id = :tenant AND client_id = ?)"
        ),
        vec![merged.uuid().into(), kept.uuid().into()],
    ))
    .await?;
    Ok(())
}

/// Runs `statements` (each taking the client id as its one `?`, the centre
/// as `:tenant`) for `client`: the erasures of an anonymisation.
pub async fn erase(txn: &TenantTx, client: ClientId, statements: &[&str]) -> AppResult<()> {
    for sql in statements {
        txn.execute_raw(txn.stmt(sql, vec![client.uuid().into()]))
            .await?;
    }
    Ok(())
}
