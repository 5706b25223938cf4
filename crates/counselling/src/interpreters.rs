//! Interpreters: members of staff or external contractors with their
//! languages, bookable for appointments (and courses and events alike).

use integra_kernel::TenantTx;
use integra_kernel::scope::can;
use integra_kernel::validate::text;
use integra_kernel::{AppError, AppResult, Authorized, UserId};
use sea_orm::{ActiveModelTrait, IntoActiveModel, PaginatorTrait, QueryOrder, Set};

use crate::entity::interpreter;
use crate::model::{Interpreter, InterpreterInput};
use crate::service::{CounsellingService, language, require_staff};

struct Valid {
    name: String,
    languages: String,
    email: String,
    phone: String,
}

fn validate(input: &InterpreterInput) -> AppResult<Valid> {
    let name = text("name", &input.name, 200, true)?;
    if input.languages.is_empty() {
        return Err(AppError::bad_input(
            "languages",
            "give at least one language",
        ));
    }
    let mut languages = Vec::new();
    for l in &input.languages {
        let l = language("languages", l)?;
        if !l.is_empty() && !languages.contains(&l) {
            languages.push(l);
        }
    }
    let email = text("email", &input.email, 254, false)?;
    if !email.is_empty() && !email.contains('@') {
        return Err(AppError::bad_input("email", "is not an email address"));
    }
    Ok(Valid {
        name,
        languages: languages.join(","),
        email,
        phone: text("phone", &input.phone, 40, false)?,
    })
}

impl CounsellingService {
    /// The centre's interpreters, by name.
    pub async fn interpreters(
        &self,
        auth: &Authorized<'_, can::ReadCentre>,
    ) -> AppResult<Vec<Interpreter>> {
        let txn = self.db.scoped(auth).await?;
        let rows = txn
            .find::<interpreter::Entity>()
            .order_by_asc(interpreter::Column::Name)
            .all(&txn)
            .await?;
        txn.commit().await?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    /// Adds an interpreter (centre admins).
    pub async fn add_interpreter(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        input: &InterpreterInput,
    ) -> AppResult<Interpreter> {
        let v = validate(input)?;
        let txn = self.db.scoped_write(auth).await?;
        if let Some(u) = input.user_id {
            require_staff(&txn, auth, &[u], "userId").await?;
        }
        let row = interpreter::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            tenant_id: Set(auth.centre_id().uuid()),
            name: Set(v.name),
            languages: Set(v.languages),
            email: Set(v.email),
            phone: Set(v.phone),
            user_id: Set(input.user_id.map(UserId::uuid)),
            external: Set(input.user_id.is_none()),
            active: Set(input.active.unwrap_or(true)),
            created_at: Set(self.now()),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(from_row(row))
    }

    /// Changes an interpreter (centre admins).
    pub async fn update_interpreter(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        id: integra_kernel::InterpreterId,
        input: &InterpreterInput,
    ) -> AppResult<Interpreter> {
        let v = validate(input)?;
        let txn = self.db.scoped_write(auth).await?;
        let row = txn
            .find_by_id::<interpreter::Entity>(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        if let Some(u) = input.user_id {
            require_staff(&txn, auth, &[u], "userId").await?;
        }
        let mut row = row.into_active_model();
        row.name = Set(v.name);
        row.languages = Set(v.languages);
        row.email = Set(v.email);
        row.phone = Set(v.phone);
        row.user_id = Set(input.user_id.map(UserId::uuid));
        row.external = Set(input.user_id.is_none());
        if let Some(a) = input.active {
            row.active = Set(a);
        }
        let row = row.update(&txn).await?;
        txn.commit().await?;
        Ok(from_row(row))
    }
}

/// Checks that the interpreter belongs to the scope's centre.
pub(crate) async fn require(txn: &TenantTx, id: uuid::Uuid) -> AppResult<()> {
    if exists(txn, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Whether the scope's centre has the interpreter.
pub(crate) async fn exists(txn: &TenantTx, id: uuid::Uuid) -> AppResult<bool> {
    Ok(txn.find_by_id::<interpreter::Entity>(id).count(txn).await? > 0)
}

fn from_row(r: interpreter::Model) -> Interpreter {
    Interpreter {
        id: r.id.into(),
        name: r.name,
        languages: r
            .languages
            .split(',')
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        email: r.email,
        phone: r.phone,
        user_id: r.user_id.map(UserId),
        external: r.external,
        active: r.active,
    }
}
