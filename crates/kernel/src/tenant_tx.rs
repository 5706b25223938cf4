//! A transaction that carries its centre. [`Database::scoped`] and its
//! siblings hand out a [`TenantTx`] instead of a bare transaction: queries
//! on a tenant-owned entity started through it ([`TenantTx::find`],
//! [`TenantTx::update_many`], …) already hold the centre's filter, raw SQL
//! binds the centre from it ([`TenantTx::stmt`] with `:tenant`), and the
//! centre never has to travel beside the transaction as a separate
//! argument. On PostgreSQL row-level security checks the same centre again
//! (set as `app.tenant_id` when the transaction began); on SQLite these
//! filters are the only wall, which is why they are added here once and
//! not written by hand in every query.
//!
//! [`Database::scoped`]: crate::Database::scoped

use std::ops::Deref;

use sea_orm::prelude::async_trait;
use sea_orm::sea_query::IntoCondition;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, DeleteMany, EntityTrait,
    ExecResult, PrimaryKeyTrait, QueryFilter, QueryResult, Select, Statement, UpdateMany,
};

use crate::db::{Backend, stmt};
use crate::id::CentreId;

/// An entity whose rows belong to one centre: it has a column naming the
/// centre (`tenant_id`). Implement it with [`tenant_owned!`](crate::tenant_owned).
pub trait TenantOwned: EntityTrait {
    /// The column holding the owning centre's id.
    fn tenant_column() -> Self::Column;
}

/// Declares entities tenant-owned by their `tenant_id` column:
/// `tenant_owned!(event, registration);` for entity modules `event` and
/// `registration` in scope.
#[macro_export]
macro_rules! tenant_owned {
    ($($module:ident),+ $(,)?) => {
        $(
            impl $crate::TenantOwned for $module::Entity {
                fn tenant_column() -> $module::Column {
                    $module::Column::TenantId
                }
            }
        )+
    };
}

/// A transaction inside one centre. It is a [`ConnectionTrait`], so
/// anything that runs on a transaction runs on it; its own query starters
/// add the centre's filter.
#[derive(Debug)]
pub struct TenantTx {
    txn: DatabaseTransaction,
    centre: CentreId,
}

impl TenantTx {
    /// Wraps a transaction already bound to `centre` (on PostgreSQL,
    /// `app.tenant_id` set). Only the database handle does this.
    pub(crate) fn new(txn: DatabaseTransaction, centre: CentreId) -> Self {
        Self { txn, centre }
    }

    /// The centre the transaction acts in.
    pub fn centre(&self) -> CentreId {
        self.centre
    }

    /// The engine.
    pub fn backend(&self) -> Backend {
        Backend::of(&self.txn)
    }

    /// Commits.
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    /// Rolls back (dropping the transaction does too).
    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }

    /// `E`'s rows of this centre.
    pub fn find<E: TenantOwned>(&self) -> Select<E> {
        E::find().filter(self.owned_by::<E>())
    }

    /// `E`'s row with this primary key, if this centre's.
    pub fn find_by_id<E: TenantOwned>(
        &self,
        id: impl Into<<E::PrimaryKey as PrimaryKeyTrait>::ValueType>,
    ) -> Select<E> {
        E::find_by_id(id).filter(self.owned_by::<E>())
    }

    /// An update of `E`'s rows of this centre (add the rest of the filter).
    pub fn update_many<E: TenantOwned>(&self) -> UpdateMany<E> {
        E::update_many().filter(self.owned_by::<E>())
    }

    /// A delete of `E`'s rows of this centre (add the rest of the filter).
    pub fn delete_many<E: TenantOwned>(&self) -> DeleteMany<E> {
        E::delete_many().filter(self.owned_by::<E>())
    }

    /// The condition "owned by this centre" on `E`, for queries that join
    /// several entities.
    pub fn owned_by<E: TenantOwned>(&self) -> impl IntoCondition + use<E> {
        E::tenant_column().eq(self.centre.uuid())
    }

    /// "Owned by this centre" on `E`'s column named with its table
    /// (`courses.tenant_id = …`), for statements that join several tables.
    pub fn owned_by_qualified<E: TenantOwned + Default>(&self) -> sea_orm::sea_query::Expr {
        use sea_orm::sea_query::ExprTrait;
        sea_orm::sea_query::Expr::col((E::default(), E::tenant_column())).eq(self.centre.uuid())
    }

    /// A raw statement in this transaction's dialect, written with `?`
    /// placeholders for `values`; every `:tenant` in `sql` is bound to the
    /// transaction's centre. `:tenant` may appear in any position relative
    /// to the `?` placeholders.
    pub fn stmt(&self, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
        let (text, bound) = bind_tenant(sql, values, self.centre);
        stmt(self.backend(), &text, bound)
    }
}

impl Deref for TenantTx {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for TenantTx {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }
}

/// `sql` with every `:tenant` turned into a `?` placeholder, and the
/// values in placeholder order with `centre` at each `:tenant`.
fn bind_tenant(
    sql: &str,
    values: Vec<sea_orm::Value>,
    centre: CentreId,
) -> (String, Vec<sea_orm::Value>) {
    let mut bound = Vec::with_capacity(values.len() + 2);
    let mut text = String::with_capacity(sql.len());
    let mut values = values.into_iter();
    let mut rest = sql;
    while let Some(pos) = rest.find(['?', ':']) {
        let (head, tail) = rest.split_at(pos);
        text.push_str(head);
        if let Some(after) = tail.strip_prefix(":tenant") {
            text.push('?');
            bound.push(centre.uuid().into());
            rest = after;
        } else if let Some(after) = tail.strip_prefix('?') {
            text.push('?');
            bound.extend(values.next());
            rest = after;
        } else {
            // A ':' that is not ':tenant' (a cast such as `::text`).
            text.push(':');
            rest = &tail[1..];
        }
    }
    text.push_str(rest);
    bound.extend(values);
    (text, bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_placeholders_bind_the_centre_in_order() {
        let centre = CentreId::from(uuid::Uuid::now_v7());
        let (text, values) = bind_tenant(
            "SELECT x::text FROM t WHERE tenant_id = :tenant AND a = ? AND b = ? OR c = :tenant",
            vec![1_i32.into(), 2_i32.into()],
            centre,
        );
        assert_eq!(
            text,
            "SELECT x::text FROM t WHERE tenant_id = ? AND a = ? AND b = ? OR c = ?"
        );
        let c: sea_orm::Value = centre.uuid().into();
        assert_eq!(values, vec![c.clone(), 1_i32.into(), 2_i32.into(), c]);
    }

    #[test]
    fn statements_without_tenant_keep_their_values() {
        let centre = CentreId::from(uuid::Uuid::now_v7());
        let (text, values) = bind_tenant("SELECT ? + ?", vec![1_i32.into(), 2_i32.into()], centre);
        assert_eq!(text, "SELECT ? + ?");
        assert_eq!(values, vec![sea_orm::Value::from(1_i32), 2_i32.into()]);
    }
}
