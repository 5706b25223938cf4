//! The counselling part of a client's data-subject export: cases and their
//! plan goals, services received, appointments, notes and follow-up tasks.

use chrono_tz::Europe::Prague;
use integra_kernel::lifecycle::{ExportSection, words};
use integra_kernel::{AppResult, ClientId, TenantTx};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

use crate::entity::{appointment, case, goal, intervention, note, participant, task};
use crate::service::local_date;

fn date(d: impl std::fmt::Display) -> String {
    d.to_string()
}

fn opt<T: std::fmt::Display>(d: Option<T>) -> String {
    d.map(|v| v.to_string()).unwrap_or_default()
}

/// What counselling holds on a client, as export tables (centre
/// admins, who may read every kind of note).
pub(crate) async fn export_sections(
    txn: &TenantTx,
    client: ClientId,
) -> AppResult<Vec<ExportSection>> {
    let id = client.uuid();

    let cases = txn
        .find::<case::Entity>()
        .filter(case::Column::ClientId.eq(id))
        .order_by_asc(case::Column::OpenedOn)
        .all(txn)
        .await?;
    let goals = txn
        .find::<goal::Entity>()
        .filter(goal::Column::CaseId.is_in(cases.iter().map(|c| c.id)))
        .order_by_asc(goal::Column::Position)
        .all(txn)
        .await?;
    let mut case_table =
        ExportSection::new("Cases", &["Kind", "Title", "Status", "Opened", "Closed"]);
    let mut goal_table = ExportSection::new(
        "Individual plan goals",
        &["Case", "Goal", "Status", "Progress", "Target date", "Note"],
    );
    for c in &cases {
        case_table.push(vec![
            words(&c.kind),
            c.title.clone(),
            words(&c.status),
            date(c.opened_on),
            opt(c.closed_on),
        ]);
        for g in goals.iter().filter(|g| g.case_id == c.id) {
            goal_table.push(vec![
                c.title.clone(),
                g.description.clone(),
                words(&g.status),
                format!("{} %", g.progress),
                opt(g.target_on),
                g.progress_note.clone(),
            ]);
        }
    }

    let took_part = txn
        .find::<participant::Entity>()
        .filter(participant::Column::ClientId.eq(id))
        .order_by_asc(participant::Column::OccurredOn)
        .all(txn)
        .await?;
    let mut interventions = std::collections::HashMap::new();
    for chunk in took_part.chunks(500) {
        for i in txn
            .find::<intervention::Entity>()
            .filter(intervention::Column::Id.is_in(chunk.iter().map(|p| p.intervention_id)))
            .all(txn)
            .await?
        {
            interventions.insert(i.id, i);
        }
    }
    let mut service_table = ExportSection::new(
        "Services received",
        &[
            "Date", "Kind", "Form", "Minutes", "Place", "Topics", "Language", "Outcome", "Group",
        ],
    );
    for p in &took_part {
        let Some(i) = interventions.get(&p.intervention_id) else {
            continue;
        };
        service_table.push(vec![
            date(p.occurred_on),
            words(&i.kind),
            words(&i.form),
            i.duration_minutes.to_string(),
            i.place.clone(),
            i.topics
                .split(',')
                .map(words)
                .collect::<Vec<_>>()
                .join(", "),
            i.language.clone(),
            i.outcome.clone(),
            if i.is_group { "yes" } else { "no" }.to_owned(),
        ]);
    }

    let appointments = txn
        .find::<appointment::Entity>()
        .filter(appointment::Column::ClientId.eq(id))
        .order_by_asc(appointment::Column::StartsAt)
        .all(txn)
        .await?;
    let mut appointment_table = ExportSection::new(
        "Appointments",
        &[
            "Day", "From", "To", "Service", "Language", "Place", "Status",
        ],
    );
    for a in appointments {
        appointment_table.push(vec![
            date(local_date(a.starts_at)),
            a.starts_at
                .with_timezone(&Prague)
                .format("%H:%M")
                .to_string(),
            a.ends_at.with_timezone(&Prague).format("%H:%M").to_string(),
            words(&a.kind),
            a.language.clone(),
            a.place.clone(),
            words(&a.status),
        ]);
    }

    let notes = txn
        .find::<note::Entity>()
        .filter(note::Column::ClientId.eq(id))
        .order_by_asc(note::Column::CreatedAt)
        .all(txn)
        .await?;
    let mut note_table = ExportSection::new("Notes", &["Written", "Kind", "Text"]);
    for n in notes {
        note_table.push(vec![
            n.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            words(&n.kind),
            n.body.clone(),
        ]);
    }

    let tasks = txn
        .find::<task::Entity>()
        .filter(task::Column::ClientId.eq(id))
        .order_by_asc(task::Column::DueOn)
        .all(txn)
        .await?;
    let mut task_table = ExportSection::new("Follow-up tasks", &["Task", "Due", "Done"]);
    for t in tasks {
        task_table.push(vec![
            t.title.clone(),
            date(t.due_on),
            t.done_at
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        ]);
    }
    Ok(vec![
        case_table,
        goal_table,
        service_table,
        appointment_table,
        note_table,
        task_table,
    ])
}
