//! The platform's doors to the database: the transactions that act before
//! or beyond one signed-in actor's centre (signing in, links opened from
//! an email, public pages, the background workers, the demo seed).
//!
//! A context reaches tenant data only through [`Database::scoped`] and
//! [`Database::scoped_write`], which need a [`TenantScope`] issued by
//! sign-in. Everything else is on a [`PlatformDb`], and a [`PlatformDb`] is
//! made in one place: the composition root of the server (the gateway),
//! which hands it to the few services whose work is a platform path. A
//! service built without one cannot leave its actor's centre; a structure
//! test keeps [`PlatformDb::grant`] out of every context crate, as lldap
//! keeps its one unfiltered handler named `unsafe_get_handler`.
//!
//! [`TenantScope`]: crate::TenantScope

use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement};

use crate::db::{Backend, Database};
use crate::error::AppError;
use crate::id::{CentreId, UserId};
use crate::tenant_tx::TenantTx;

/// A database handle with the platform's doors. See the module.
#[derive(Clone, Debug)]
pub struct PlatformDb {
    db: Database,
}

impl PlatformDb {
    /// Grants platform access on `db`. Called by the composition root
    /// (and test harnesses) only; a structure test refuses it anywhere
    /// else.
    pub fn grant(db: &Database) -> Self {
        Self { db: db.clone() }
    }

    /// The tenant-scoped handle under it, for the scoped work of a service
    /// that also has platform paths.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// The engine.
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// A transaction acting inside `centre` without a signed-in actor: the
    /// demo seed, a public page once its slug named the centre, a worker
    /// doing one centre's share. Named `unscoped_*` so that it stands out in
    /// review.
    pub async fn unscoped_for_centre(&self, centre: CentreId) -> Result<TenantTx, AppError> {
        let txn = self.db.begin_with(Some(centre), None, true).await?;
        Ok(TenantTx::new(txn, centre))
    }

    /// A transaction for one user's own records before a centre is chosen
    /// (reading their memberships while signing in).
    pub async fn for_user(&self, user: UserId) -> Result<DatabaseTransaction, AppError> {
        self.db.begin_with(None, Some(user), false).await
    }

    /// A transaction acting for one user's own records that will write
    /// (their password-reset links), before a centre is chosen.
    pub async fn for_user_write(&self, user: UserId) -> Result<DatabaseTransaction, AppError> {
        self.db.begin_with(None, Some(user), true).await
    }

    /// A transaction for a caller who holds a secret key (a link's token
    /// hash, a public page's slug) before any centre is known: on
    /// PostgreSQL the directory tables (`account_tokens`, `calendar_feeds`,
    /// `public_events`) show it the row with that key and nothing else, and
    /// no centre's data is visible through it.
    pub async fn by_secret(&self, key: &str) -> Result<DatabaseTransaction, AppError> {
        let txn = self.db.begin_with(None, None, false).await?;
        if self.backend() == Backend::Postgres {
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT set_config('app.lookup', $1, true)",
                [key.into()],
            ))
            .await?;
        }
        Ok(txn)
    }

    /// A transaction for the indicator work (recounting, building and
    /// reading the cells of every centre): on PostgreSQL it sees and writes
    /// every row of `report_cells`, which other transactions see only when
    /// published or their own centre's. Tenant tables stay hidden.
    pub async fn reporting(&self) -> Result<DatabaseTransaction, AppError> {
        self.flagged("app.reporting").await
    }

    /// A transaction for the email delivery worker: on PostgreSQL it sees
    /// and marks the outbox rows of every centre (and nothing else of any
    /// centre's data), by the `mail_worker` policy of the outbox table.
    pub async fn mail_worker(&self) -> Result<DatabaseTransaction, AppError> {
        self.flagged("app.mail_worker").await
    }

    /// The raw connection, for migrations, health checks and the platform
    /// tables (centres, users, sessions, sign-in throttling), which no
    /// tenant policy guards.
    pub fn connection(&self) -> &DatabaseConnection {
        self.db.connection()
    }

    /// A writing transaction with no tenant set and one platform flag of
    /// the row-level policies switched on for its length (PostgreSQL; on
    /// SQLite there are no policies to switch).
    async fn flagged(&self, flag: &'static str) -> Result<DatabaseTransaction, AppError> {
        let txn = self.db.begin_with(None, None, true).await?;
        if self.backend() == Backend::Postgres {
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT set_config($1, 'on', true)",
                [flag.into()],
            ))
            .await?;
        }
        Ok(txn)
    }
}
