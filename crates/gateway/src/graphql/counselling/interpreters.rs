//! The centre's interpreters.

use crate::graphql::ids::*;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use integra_counselling::{self as c};
use integra_kernel::scope::can;

/// An interpreter (member of staff or external contractor).
#[derive(SimpleObject)]
pub struct Interpreter {
    id: Id<InterpreterId>,
    name: String,
    /// Languages (ISO 639-1).
    languages: Vec<String>,
    email: String,
    phone: String,
    user_id: Option<Id<UserId>>,
    external: bool,
    active: bool,
}

impl From<c::Interpreter> for Interpreter {
    fn from(x: c::Interpreter) -> Self {
        Self {
            id: Id::from(x.id),
            name: x.name,
            languages: x.languages,
            email: x.email,
            phone: x.phone,
            user_id: x.user_id.map(Id::from),
            external: x.external,
            active: x.active,
        }
    }
}

/// An interpreter to add or change.
#[derive(InputObject)]
pub struct InterpreterInput {
    name: String,
    languages: Vec<String>,
    #[graphql(default)]
    email: String,
    #[graphql(default)]
    phone: String,
    /// The staff account, when a member of staff.
    user_id: Option<Id<UserId>>,
    active: Option<bool>,
}

impl InterpreterInput {
    fn into_domain(self) -> async_graphql::Result<c::InterpreterInput> {
        Ok(c::InterpreterInput {
            name: self.name,
            languages: self.languages,
            email: self.email,
            phone: self.phone,
            user_id: self.user_id.map(|v| v.get()),
            active: self.active,
        })
    }
}

/// Queries: the centre's interpreters.
#[derive(Default)]
pub struct InterpretersQuery;

#[Object]
impl InterpretersQuery {
    /// The centre's interpreters.
    async fn interpreters(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Interpreter>> {
        let auth = scope(ctx)?.authorize::<can::ReadCentre>().gql()?;
        let out = services(ctx)?.counselling.interpreters(&auth).await.gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }
}

/// Mutations: the centre's interpreters.
#[derive(Default)]
pub struct InterpretersMutation;

#[Object]
impl InterpretersMutation {
    /// Adds an interpreter (centre admins).
    async fn add_interpreter(
        &self,
        ctx: &Context<'_>,
        input: InterpreterInput,
    ) -> async_graphql::Result<Interpreter> {
        let auth = scope(ctx)?.authorize::<can::ManageCentre>().gql()?;
        let input = input.into_domain()?;
        Ok(services(ctx)?
            .counselling
            .add_interpreter(&auth, &input)
            .await
            .gql()?
            .into())
    }

    /// Changes an interpreter (centre admins).
    async fn update_interpreter(
        &self,
        ctx: &Context<'_>,
        id: Id<InterpreterId>,
        input: InterpreterInput,
    ) -> async_graphql::Result<Interpreter> {
        let auth = scope(ctx)?.authorize::<can::ManageCentre>().gql()?;
        let id = id.get();
        let input = input.into_domain()?;
        Ok(services(ctx)?
            .counselling
            .update_interpreter(&auth, id, &input)
            .await
            .gql()?
            .into())
    }
}
