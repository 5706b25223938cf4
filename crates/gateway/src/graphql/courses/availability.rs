//! Lecturers' availability and absences.

use crate::graphql::ids::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use integra_kernel::UserId;
use integra_kernel::scope::can;

/// A weekly availability window.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "WindowInput")]
pub struct Window {
    /// 1 = Monday … 7 = Sunday.
    weekday: i32,
    /// `HH:MM`.
    starts: String,
    /// `HH:MM`.
    ends: String,
}

/// Queries: lecturers' availability and absences.
#[derive(Default)]
pub struct AvailabilityQuery;

#[Object]
impl AvailabilityQuery {
    /// A lecturer's weekly availability.
    async fn lecturer_availability(
        &self,
        ctx: &Context<'_>,
        user_id: Id<UserId>,
    ) -> async_graphql::Result<Vec<Window>> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let list = services(ctx)?
            .courses
            .availability(&auth, user_id.get())
            .await
            .gql()?;
        Ok(list
            .into_iter()
            .map(|w| Window {
                weekday: i32::try_from(w.weekday).unwrap_or(1),
                starts: w.starts,
                ends: w.ends,
            })
            .collect())
    }
}

/// Mutations: lecturers' availability and absences.
#[derive(Default)]
pub struct AvailabilityMutation;

#[Object]
impl AvailabilityMutation {
    /// Replaces a lecturer's weekly availability (lecturers: their own).
    async fn set_lecturer_availability(
        &self,
        ctx: &Context<'_>,
        user_id: Id<UserId>,
        windows: Vec<Window>,
    ) -> async_graphql::Result<Vec<Window>> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let windows: Vec<integra_courses::availability::Window> = windows
            .into_iter()
            .map(|w| integra_courses::availability::Window {
                weekday: u32::try_from(w.weekday).unwrap_or(0),
                starts: w.starts,
                ends: w.ends,
            })
            .collect();
        let list = services(ctx)?
            .courses
            .set_availability(&auth, user_id.get(), &windows)
            .await
            .gql()?;
        Ok(list
            .into_iter()
            .map(|w| Window {
                weekday: i32::try_from(w.weekday).unwrap_or(1),
                starts: w.starts,
                ends: w.ends,
            })
            .collect())
    }

    /// Records days a lecturer is away (lecturers: their own).
    async fn add_lecturer_absence(
        &self,
        ctx: &Context<'_>,
        user_id: Id<UserId>,
        first_day: Date,
        last_day: Date,
        #[graphql(default)] reason: String,
    ) -> async_graphql::Result<bool> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        services(ctx)?
            .courses
            .add_absence(&auth, user_id.get(), first_day.0, last_day.0, &reason)
            .await
            .gql()?;
        Ok(true)
    }
}
