//! A client's timeline.

use super::*;
use super::{appointments::*, interventions::*, tasks::*};
use crate::graphql::clients::PageInfo;
use crate::graphql::ids::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, Object, SimpleObject, Union};
use integra_counselling::{self as c};
use integra_kernel::ClientId;
use integra_kernel::scope::can;

/// An entry of a client's timeline.
// Built once per entry of a page and serialised at once: the event
// variant's size (its staff and places) costs nothing worth a box.
#[allow(
    clippy::large_enum_variant,
    reason = "a GraphQL union built once per timeline row; boxing its members saves nothing measurable"
)]
#[derive(Union)]
pub enum TimelineItem {
    /// A service.
    Intervention(Intervention),
    /// An appointment.
    Appointment(Appointment),
    /// A follow-up task.
    Task(Task),
    /// An event the client registered for.
    Event(crate::graphql::events::EventAttendance),
}

/// An entry with its cursor.
#[derive(SimpleObject)]
pub struct TimelineEdge {
    cursor: String,
    /// The day it sorts by.
    date: Date,
    node: TimelineItem,
}

/// A page of a client's timeline, newest first.
#[derive(SimpleObject)]
pub struct TimelineConnection {
    edges: Vec<TimelineEdge>,
    page_info: PageInfo,
}

/// Queries: a client's timeline.
#[derive(Default)]
pub struct TimelineQuery;

#[Object]
impl TimelineQuery {
    /// A client's timeline: interventions, appointments and tasks, newest
    /// first. Each read is logged.
    async fn client_timeline(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<TimelineConnection> {
        let auth = scope(ctx)?.authorize::<can::ManageClients>().gql()?;
        let client: ClientId = client_id.get();
        let first = first_arg(first, 50, c::timeline::MAX_PAGE)?;
        let page = services(ctx)?
            .counselling
            .timeline(&auth, client, first, after.as_deref())
            .await
            .gql()?;
        let today = today(ctx)?;
        let end_cursor = page.entries.last().map(c::TimelineEntry::cursor);
        Ok(TimelineConnection {
            edges: page
                .entries
                .into_iter()
                .map(|e| TimelineEdge {
                    cursor: e.cursor(),
                    date: Date(e.date()),
                    node: match e {
                        c::TimelineEntry::Intervention(i) => TimelineItem::Intervention(i.into()),
                        c::TimelineEntry::Appointment(a) => TimelineItem::Appointment(a.into()),
                        c::TimelineEntry::Task(t) => TimelineItem::Task(task(t, today)),
                        c::TimelineEntry::Event(e) => TimelineItem::Event((*e).into()),
                    },
                })
                .collect(),
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor,
            },
        })
    }
}
