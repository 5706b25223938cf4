//! The database handle. Context crates never see a raw pooled connection for
//! tenant data: they ask for a transaction bound to a [`TenantScope`], which on
//! PostgreSQL also sets `app.tenant_id` for row-level security.

use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use crate::error::AppError;
use crate::id::{CentreId, UserId};
use crate::scope::TenantScope;
use crate::tenant_tx::TenantTx;

/// Which database engine is behind a [`Database`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (application-level tenant filtering only).
    Sqlite,
    /// PostgreSQL (application filtering plus row-level security).
    Postgres,
}

impl Backend {
    /// The engine behind a connection or transaction.
    pub fn of(conn: &impl ConnectionTrait) -> Self {
        match conn.get_database_backend() {
            DbBackend::Postgres => Self::Postgres,
            _ => Self::Sqlite,
        }
    }
}

/// `select` with `FOR UPDATE` on PostgreSQL, locking the rows it reads until
/// the transaction ends; unchanged on SQLite, whose write transactions hold
/// the whole database already (and which has no `FOR UPDATE`).
pub fn for_update<E: sea_orm::EntityTrait>(
    select: sea_orm::Select<E>,
    txn: &impl ConnectionTrait,
) -> sea_orm::Select<E> {
    use sea_orm::QuerySelect;
    if txn.get_database_backend() == DbBackend::Postgres {
        select.lock_exclusive()
    } else {
        select
    }
}

/// Builds a statement from SQL written with `?` placeholders, numbering
/// them `$1, $2, …` for PostgreSQL.
pub fn stmt(backend: Backend, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    match backend {
        Backend::Sqlite => Statement::from_sql_and_values(DbBackend::Sqlite, sql, values),
        Backend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(c);
                }
            }
            Statement::from_sql_and_values(DbBackend::Postgres, out, values)
        }
    }
}

/// `expr` is one of `items`, with the list bound as a single parameter on
/// PostgreSQL (`expr = ANY(?)` over a text array): the statement's text is
/// then the same whatever the list's length, so each pooled connection
/// prepares it once and PostgreSQL can keep one plan for it, instead of
/// parsing and planning a new text per length (planning a search statement
/// costs more than running it). SQLite, which has no arrays and plans
/// cheaply, gets `expr IN (?, …)`. Answers the SQL and its values; an empty
/// list matches nothing.
pub fn in_texts(backend: Backend, expr: &str, items: &[String]) -> (String, Vec<sea_orm::Value>) {
    match backend {
        Backend::Postgres => (
            format!("{expr} = ANY(?)"),
            vec![sea_orm::Value::Array(
                sea_orm::sea_query::ArrayType::String,
                Some(Box::new(
                    items
                        .iter()
                        .map(|i| sea_orm::Value::from(i.clone()))
                        .collect(),
                )),
            )],
        ),
        Backend::Sqlite if items.is_empty() => ("1 = 0".to_owned(), Vec::new()),
        Backend::Sqlite => (
            format!("{expr} IN ({})", vec!["?"; items.len()].join(", ")),
            items
                .iter()
                .map(|i| sea_orm::Value::from(i.clone()))
                .collect(),
        ),
    }
}

/// `column IN ids` for a query builder, with the ids bound as one array on
/// PostgreSQL (`= ANY($n)`): one statement text whatever the number of ids
/// (see [`in_texts`]); `IN (…)` on SQLite.
pub fn one_of<C: sea_orm::ColumnTrait>(
    backend: Backend,
    column: C,
    ids: impl IntoIterator<Item = uuid::Uuid>,
) -> sea_orm::sea_query::Expr {
    match backend {
        Backend::Postgres => column.eq_any(ids),
        Backend::Sqlite => column.is_in(ids),
    }
}

/// A pooled database handle.
#[derive(Clone, Debug)]
pub struct Database {
    conn: DatabaseConnection,
    backend: Backend,
}

/// How long a pooled connection may sit idle before it is pinged on
/// checkout (a server restart or a dropped link shows after such a pause,
/// not between two requests a few milliseconds apart).
pub const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

/// Pool settings.
#[derive(Clone, Debug)]
pub struct PoolOptions {
    /// Maximum open connections.
    pub max_connections: u32,
    /// How long to wait for a free connection or a new one. Long enough
    /// for a burst (hundreds registering the moment an event opens, on
    /// SQLite's single writer) to queue rather than fail.
    pub acquire_timeout: Duration,
    /// Limits PostgreSQL holds every connection of the pool to.
    pub timeouts: SessionTimeouts,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_connections: 16,
            acquire_timeout: Duration::from_secs(15),
            timeouts: SessionTimeouts::default(),
        }
    }
}

/// How long PostgreSQL lets one connection's work run before it cancels
/// it (`None`: no limit). Set as start-up parameters of each connection,
/// so they cost no round trip; a statement past its limit fails, its
/// transaction rolls back and the request answers `INTERNAL`, instead of
/// holding a connection and its locks for good.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SessionTimeouts {
    /// `statement_timeout`: one statement.
    pub statement: Option<Duration>,
    /// `lock_timeout`: waiting for one lock.
    pub lock: Option<Duration>,
    /// `idle_in_transaction_session_timeout`: a transaction left open with
    /// nothing running (a stuck request), which would hold its locks.
    pub idle_in_transaction: Option<Duration>,
}

impl SessionTimeouts {
    /// The settings as PostgreSQL start-up options (milliseconds).
    fn options(self) -> Vec<(&'static str, String)> {
        [
            ("statement_timeout", self.statement),
            ("lock_timeout", self.lock),
            (
                "idle_in_transaction_session_timeout",
                self.idle_in_transaction,
            ),
        ]
        .into_iter()
        .filter_map(|(name, d)| d.map(|d| (name, d.as_millis().to_string())))
        .collect()
    }
}

impl Database {
    /// Connects to `url` (`sqlite://…` or `postgres://…`).
    pub async fn connect(url: &str, pool: &PoolOptions) -> Result<Self, DbErr> {
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.max_connections(pool.max_connections)
            .min_connections(1)
            .acquire_timeout(pool.acquire_timeout)
            .connect_timeout(pool.acquire_timeout.min(Duration::from_secs(5)))
            // A connection is checked with a ping only after it sat idle:
            // pinging on every checkout (the default) put one more round
            // trip in front of every transaction of every request.
            .test_before_acquire_if_idle_for(IDLE_BEFORE_PING)
            .sqlx_logging(false);
        let settings = pool.timeouts.options();
        if !settings.is_empty() {
            opts.map_sqlx_postgres_opts(move |pg| pg.options(settings.clone()));
        }
        let conn = sea_orm::Database::connect(opts).await?;
        let db = Self::from_connection(conn);
        if db.backend == Backend::Sqlite {
            // WAL lets readers proceed while one writer commits.
            db.conn
                .execute_unprepared("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
                .await?;
        }
        Ok(db)
    }

    /// Wraps an existing connection.
    pub fn from_connection(conn: DatabaseConnection) -> Self {
        let backend = match conn.get_database_backend() {
            DbBackend::Postgres => Backend::Postgres,
            _ => Backend::Sqlite,
        };
        Self { conn, backend }
    }

    /// The engine.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A transaction scoped to the actor's centre. Every tenant-data access
    /// goes through this; it carries the centre ([`TenantTx`]), whose query
    /// starters add the centre's filter.
    pub async fn scoped(&self, scope: &TenantScope) -> Result<TenantTx, AppError> {
        let txn = self
            .begin_with(Some(scope.centre_id()), Some(scope.user_id()), false)
            .await?;
        Ok(TenantTx::new(txn, scope.centre_id()))
    }

    /// Like [`Database::scoped`], for a transaction that will write. On
    /// SQLite it starts `IMMEDIATE`, taking the write lock up front (waiting
    /// for it under the busy timeout) so that a read-then-write transaction
    /// never fails halfway when another writer got there first; PostgreSQL
    /// writers use row locks and constraints instead.
    pub async fn scoped_write(&self, scope: &TenantScope) -> Result<TenantTx, AppError> {
        let txn = self
            .begin_with(Some(scope.centre_id()), Some(scope.user_id()), true)
            .await?;
        Ok(TenantTx::new(txn, scope.centre_id()))
    }

    /// Calls a PostgreSQL function that does a request's whole work in one
    /// statement, run in a transaction of its own: one round trip instead of
    /// one per statement plus `BEGIN` and `COMMIT`. The function receives
    /// the actor's centre and user as its first two arguments (then `args`)
    /// and must set them first, as [`Database::scoped`] does:
    /// `PERFORM set_config('app.tenant_id', p_tenant::text, true),
    /// set_config('app.user_id', p_user::text, true)`; row-level security
    /// then holds for every statement in it. Returns the function's single
    /// JSON value read as `T` (`None` for SQL NULL): it travels as text and
    /// is deserialised straight into `T`, with no `serde_json::Value` tree
    /// in between. PostgreSQL only: SQLite has no functions, and its
    /// callers run the statements themselves.
    pub async fn scoped_call<T: serde::de::DeserializeOwned>(
        &self,
        scope: &TenantScope,
        function: &str,
        args: Vec<sea_orm::Value>,
    ) -> Result<Option<T>, AppError> {
        if self.backend != Backend::Postgres {
            return Err(AppError::internal_msg(format!(
                "{function} is a PostgreSQL function"
            )));
        }
        // A name from the code, never from input; checked all the same,
        // since it is written into the statement's text.
        if function.is_empty()
            || !function
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(AppError::internal_msg("not a function name"));
        }
        let mut values: Vec<sea_orm::Value> = Vec::with_capacity(args.len() + 2);
        values.push(scope.centre_id().uuid().into());
        values.push(scope.user_id().uuid().into());
        values.extend(args);
        let placeholders: Vec<String> = (1..=values.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT {function}({})::text AS answer",
            placeholders.join(", ")
        );
        let row = self
            .conn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                values,
            ))
            .await?;
        let text: Option<String> = match row {
            Some(row) => row.try_get("", "answer")?,
            None => None,
        };
        text.map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| AppError::internal_msg(format!("{function}: {e}")))
    }

    /// The raw connection, for the platform's doors ([`PlatformDb`]).
    ///
    /// [`PlatformDb`]: crate::PlatformDb
    pub(crate) fn connection(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.ping().await
    }

    pub(crate) async fn begin_with(
        &self,
        centre: Option<CentreId>,
        user: Option<UserId>,
        write: bool,
    ) -> Result<DatabaseTransaction, AppError> {
        let txn = if write && self.backend == Backend::Sqlite {
            self.conn
                .begin_with_options(TransactionOptions {
                    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                    ..TransactionOptions::default()
                })
                .await?
        } else {
            self.conn.begin().await?
        };
        if self.backend == Backend::Postgres && (centre.is_some() || user.is_some()) {
            // set_config(…, true) is SET LOCAL with a bind parameter: it ends
            // with the transaction and never leaks to the next pool user.
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true)",
                [
                    centre.map(|c| c.to_string()).unwrap_or_default().into(),
                    user.map(|u| u.to_string()).unwrap_or_default().into(),
                ],
            ))
            .await?;
        }
        Ok(txn)
    }
}
