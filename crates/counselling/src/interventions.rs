//! Recording interventions: validation, the eligibility snapshot with the
//! "counts toward indicators" rule, group sessions, and reading them back.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use integra_clients::eligibility::{self, Eligibility};
use integra_clients::facts::ServiceFacts;
use integra_clients::{Client, ClientService, Parts};
use integra_kernel::TenantTx;
use integra_kernel::scope::can;
use integra_kernel::validate::{date_not_future, int_range, long_text, text};
use integra_kernel::{
    AppError, AppResult, Authorized, Backend, ClientId, FundingProjectId, TenantScope, UserId,
    one_of,
};
use integra_tenants::FundingProject;
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};

use crate::entity::{intervention, note, participant, task};
use crate::model::{
    Form, Intervention, InterventionInput, InterventionKind, NoteKind, Participant, TargetOffice,
    join, split,
};
use crate::record_store::{Ask, Rows};
use crate::service::{CounsellingService, language};

/// Most named participants of one group session.
pub const MAX_PARTICIPANTS: usize = 200;

/// The snapshot kept with each participant: eligibility for the project on
/// the service date, and whether the service counts toward indicators —
/// eligible, identity verified when the form is remote, and at least the
/// project's threshold long (shorter is a "contact"). The reason names what
/// kept it out.
pub fn snapshot(
    project: &FundingProject,
    facts: &ServiceFacts,
    day: NaiveDate,
    form: Form,
    duration_minutes: i32,
) -> Participant {
    let Eligibility { eligible, reason } =
        eligibility::evaluate(project, &facts.nationality, &facts.periods, day);
    let mut why_not = Vec::new();
    if eligible && form.is_remote() && !facts.identity_verified {
        why_not.push(format!(
            "identity not verified, which a {} service requires",
            form.as_str().replace('_', " ")
        ));
    }
    if eligible && duration_minutes < project.contact_threshold_minutes {
        why_not.push(format!(
            "{duration_minutes} minutes is a contact, below the project's {}-minute threshold",
            project.contact_threshold_minutes
        ));
    }
    let counts = eligible && why_not.is_empty();
    let eligibility_reason = if why_not.is_empty() {
        reason
    } else {
        format!("{reason}; not counted: {}", why_not.join("; "))
    };
    Participant {
        client_id: facts.id,
        eligible,
        eligibility_reason,
        counts,
    }
}

/// A service about to be recorded: its checked input and what is saved
/// with it.
struct New {
    v: Valid,
    /// The confidential note's kind and checked body.
    note: Option<(NoteKind, String)>,
    /// The follow-up task's title, due date and assignee.
    follow_up: Option<(String, NaiveDate, UserId)>,
    now: chrono::DateTime<chrono::Utc>,
}

impl New {
    /// The worker, then the follow-up's assignee if any: the staff named.
    fn staff(&self) -> Vec<UserId> {
        let mut staff = vec![self.v.worker_id];
        if let Some((_, _, assignee)) = &self.follow_up {
            staff.push(*assignee);
        }
        staff
    }
}

/// Two ids that are one person after merges are refused.
fn once_each(facts: &[ServiceFacts]) -> AppResult<()> {
    let mut kept = HashSet::new();
    if facts.iter().any(|f| !kept.insert(f.id)) {
        return Err(AppError::bad_input(
            "clientIds",
            "lists the same person twice (one record was merged into the other)",
        ));
    }
    Ok(())
}

/// The case named must be one of the centre's (`NOT_FOUND`) and the first
/// participant's; `case_client` is its client, `None` when there is no
/// such case.
fn case_of_first(facts: &[ServiceFacts], case_client: Option<uuid::Uuid>) -> AppResult<()> {
    let client = case_client.ok_or(AppError::NotFound)?;
    if facts.first().map(|f| f.id.uuid()) != Some(client) {
        return Err(AppError::bad_input("caseId", "is a case of another client"));
    }
    Ok(())
}

/// The record of a checked service, with each participant's snapshot.
fn build(
    input: &InterventionInput,
    new: &New,
    project: &FundingProject,
    facts: &[ServiceFacts],
) -> Intervention {
    let v = &new.v;
    let participants: Vec<Participant> = facts
        .iter()
        .map(|f| snapshot(project, f, v.occurred_on, input.form, v.duration_minutes))
        .collect();
    Intervention {
        id: crate::ids::InterventionId::new(),
        occurred_on: v.occurred_on,
        duration_minutes: v.duration_minutes,
        worker_id: v.worker_id,
        kind: input.kind,
        target_office: input.target_office,
        form: input.form,
        branch_id: input.branch_id,
        place: v.place.clone(),
        topics: dedup(&input.topics),
        language: v.language.clone(),
        interpreter_id: input.interpreter_id,
        interpreter_language: v.interpreter_language.clone(),
        outcome: v.outcome.clone(),
        case_id: input.case_id,
        funding_project_id: project.id,
        key_activity: v.key_activity.clone(),
        is_group: participants.len() > 1 || v.anonymous_count > 0,
        anonymous_count: v.anonymous_count,
        outreach_slot_id: input.outreach_slot_id,
        participants,
        created_at: new.now,
    }
}

impl Rows {
    fn of(scope: &TenantScope, record: &Intervention, new: &New) -> AppResult<Self> {
        let tenant = scope.centre_id().uuid();
        let by = scope.user_id().uuid();
        let first_client = record.participants.first().map(|p| p.client_id);
        Ok(Self {
            intervention: to_model(tenant, record, scope.user_id()),
            participants: record
                .participants
                .iter()
                .map(|p| participant::Model {
                    tenant_id: tenant,
                    intervention_id: record.id.into(),
                    client_id: p.client_id.uuid(),
                    occurred_on: record.occurred_on,
                    eligible: p.eligible,
                    eligibility_reason: p.eligibility_reason.clone(),
                    counts: p.counts,
                })
                .collect(),
            task: new
                .follow_up
                .as_ref()
                .map(|(title, due_on, assignee)| task::Model {
                    id: uuid::Uuid::now_v7(),
                    tenant_id: tenant,
                    title: title.clone(),
                    due_on: *due_on,
                    assignee_id: assignee.uuid(),
                    client_id: first_client
                        .filter(|_| record.participants.len() == 1)
                        .map(|c| c.uuid()),
                    case_id: record.case_id.map(Into::into),
                    intervention_id: Some(record.id.into()),
                    created_by: Some(by),
                    created_at: new.now,
                    done_at: None,
                    done_by: None,
                }),
            note: match (&new.note, first_client) {
                (Some((kind, body)), Some(client)) => Some(note::Model {
                    id: uuid::Uuid::now_v7(),
                    tenant_id: tenant,
                    client_id: client.uuid(),
                    case_id: record.case_id.map(Into::into),
                    intervention_id: Some(record.id.into()),
                    kind: kind.as_str().to_owned(),
                    body: body.clone(),
                    author_id: by,
                    created_at: new.now,
                }),
                _ => None,
            },
        })
    }
}

struct Valid {
    client_ids: Vec<ClientId>,
    anonymous_count: i32,
    occurred_on: NaiveDate,
    duration_minutes: i32,
    worker_id: UserId,
    place: String,
    language: String,
    interpreter_language: String,
    outcome: String,
    key_activity: String,
}

fn validate(scope: &TenantScope, input: &InterventionInput, today: NaiveDate) -> AppResult<Valid> {
    let mut seen = HashSet::new();
    if input.client_ids.iter().any(|c| !seen.insert(*c)) {
        return Err(AppError::bad_input("clientIds", "lists a client twice"));
    }
    if input.client_ids.len() > MAX_PARTICIPANTS {
        return Err(AppError::bad_input(
            "clientIds",
            format!("at most {MAX_PARTICIPANTS} named participants"),
        ));
    }
    let anonymous_count = int_range("anonymousCount", input.anonymous_count, 0, 10_000)?;
    if input.client_ids.is_empty() && anonymous_count == 0 {
        return Err(AppError::bad_input(
            "clientIds",
            "name at least one client or give an anonymous head-count",
        ));
    }
    let duration_minutes = int_range("durationMinutes", input.duration_minutes, 1, 24 * 60)?;
    let occurred_on = date_not_future("occurredOn", input.occurred_on.unwrap_or(today), today)?;
    match (input.kind, input.target_office) {
        (InterventionKind::Accompaniment, None) => {
            return Err(AppError::bad_input(
                "targetOffice",
                "is required for an accompaniment",
            ));
        }
        (kind, Some(_)) if kind != InterventionKind::Accompaniment => {
            return Err(AppError::bad_input(
                "targetOffice",
                "is only for accompaniment to an office",
            ));
        }
        _ => {}
    }
    if input.topics.is_empty() {
        return Err(AppError::bad_input("topics", "choose at least one topic"));
    }
    if input.case_id.is_some() && input.client_ids.len() != 1 {
        return Err(AppError::bad_input(
            "caseId",
            "only an individual intervention belongs to a case",
        ));
    }
    if input.note.is_some() && input.client_ids.len() != 1 {
        return Err(AppError::bad_input(
            "note",
            "a note belongs to one client: write it on the client's page",
        ));
    }
    let interpreter_language = language("interpreterLanguage", &input.interpreter_language)?;
    if input.interpreter_id.is_none() && !interpreter_language.is_empty() {
        return Err(AppError::bad_input(
            "interpreterLanguage",
            "choose the interpreter too",
        ));
    }
    Ok(Valid {
        client_ids: input.client_ids.clone(),
        anonymous_count,
        occurred_on,
        duration_minutes,
        worker_id: input.worker_id.unwrap_or(scope.user_id()),
        place: text("place", &input.place, 200, false)?,
        language: language("language", &input.language)?,
        interpreter_language,
        outcome: long_text("outcome", &input.outcome, 4_000, false)?,
        key_activity: text("keyActivity", &input.key_activity, 60, false)?,
    })
}

impl CounsellingService {
    /// Records an intervention (individual, or a group session with named
    /// participants and an anonymous head-count). Eligibility is evaluated
    /// for the service date and kept with each participant. Receptionists
    /// may record information-centre services only. A follow-up task and a
    /// confidential note can be saved with it, in the same transaction.
    pub async fn record_intervention(
        &self,
        auth: &Authorized<'_, can::ServeDesk>,
        input: &InterventionInput,
    ) -> AppResult<Intervention> {
        let counsel = auth.authorize::<can::Counsel>().is_ok();
        if !counsel && input.kind != InterventionKind::InformationService {
            return Err(AppError::Forbidden);
        }
        if let Some(n) = &input.note {
            match n.kind {
                NoteKind::Legal => {
                    auth.authorize::<can::ReadLegalNotes>()?;
                }
                NoteKind::Social if !counsel => return Err(AppError::Forbidden),
                NoteKind::Social => {}
            }
        }
        let today = self.today();
        let v = validate(auth, input, today)?;
        let note_body = input
            .note
            .as_ref()
            .map(|n| long_text("note.body", &n.body, 20_000, true))
            .transpose()?;
        let follow_up = match &input.follow_up {
            Some(f) => Some((
                text("followUp.title", &f.title, 200, true)?,
                f.due_on,
                f.assignee_id.unwrap_or(v.worker_id),
            )),
            None => None,
        };
        let now = self.now();
        let new = New {
            v,
            note: input.note.as_ref().map(|n| n.kind).zip(note_body),
            follow_up,
            now,
        };
        let record = self.record_checked(auth, input, new).await?;
        tracing::info!(
            event = "intervention_recorded",
            intervention_id = %record.id,
            participants = record.participants.len(),
            "intervention recorded"
        );
        Ok(record)
    }

    /// Reads what the service names ([`RecordStore::read`]), checks it and
    /// builds every row here, once for both engines, then writes them
    /// ([`RecordStore::write`]).
    async fn record_checked(
        &self,
        auth: &Authorized<'_, can::ServeDesk>,
        input: &InterventionInput,
        new: New,
    ) -> AppResult<Intervention> {
        let v = &new.v;
        let staff = new.staff();
        // `require_staff` does not ask about the caller.
        let not_caller = |users: &[UserId]| -> Vec<UserId> {
            users
                .iter()
                .copied()
                .filter(|u| *u != auth.user_id())
                .collect()
        };
        let ask = Ask {
            project: input.funding_project_id,
            clients: &v.client_ids,
            others: not_caller(&staff).iter().map(|u| u.uuid()).collect(),
            branch: input.branch_id,
            interpreter: input.interpreter_id.map(Into::into),
            slot: input.outreach_slot_id.map(Into::into),
            case: input.case_id.map(Into::into),
        };
        let read = self.store.read(auth, &ask).await?;
        once_each(&read.facts)?;
        let member = |users: &[UserId], field: &str| {
            integra_tenants::staff::check_members(&not_caller(users), &read.members, field)
        };
        member(&staff[..1], "workerId")?;
        member(&staff[1..], "followUp.assigneeId")?;
        if !read.found {
            return Err(AppError::NotFound);
        }
        if input.case_id.is_some() {
            case_of_first(&read.facts, read.case_client)?;
        }
        let record = build(input, &new, &read.project, &read.facts);
        let rows = Rows::of(auth, &record, &new)?;
        let audited: Vec<ClientId> = record.participants.iter().map(|p| p.client_id).collect();
        self.store.write(auth, rows, &audited, new.now).await?;
        Ok(record)
    }

    /// One intervention of the centre.
    pub async fn intervention(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        id: crate::ids::InterventionId,
    ) -> AppResult<Intervention> {
        let txn = self.db.scoped(auth).await?;
        let row = txn
            .find_by_id::<intervention::Entity>(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut out = with_participants(&txn, vec![row]).await?;
        txn.commit().await?;
        out.pop().ok_or(AppError::NotFound)
    }

    /// The client's latest `first` interventions, newest first (for the
    /// client page; the read is logged with the client detail).
    pub async fn latest_interventions(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        client: ClientId,
        first: u64,
    ) -> AppResult<Vec<Intervention>> {
        let txn = self.db.scoped(auth).await?;
        let out = latest_in(&txn, client, first).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// A client's page: the record (read and logged as
    /// [`ClientService::get_parts`] does) and its `latest` latest
    /// interventions, in one transaction, as this engine's
    /// [`crate::client_page::PageReader`] reads it.
    pub async fn client_page(
        &self,
        clients: &ClientService,
        auth: &Authorized<'_, can::ManageClients>,
        client: ClientId,
        parts: Parts,
        latest: u64,
    ) -> AppResult<(Client, Vec<Intervention>)> {
        self.page
            .read(self, clients, auth, client, parts, latest)
            .await
    }

    /// [`CounsellingService::client_page`] statement by statement in one
    /// transaction: the path on SQLite, and on PostgreSQL the yardstick its
    /// one-statement page is tested against.
    pub async fn client_page_by_statements(
        &self,
        clients: &ClientService,
        auth: &Authorized<'_, can::ManageClients>,
        client: ClientId,
        parts: Parts,
        latest: u64,
    ) -> AppResult<(Client, Vec<Intervention>)> {
        let txn = self.db.scoped_write(auth).await?;
        let record = clients.get_parts_in(&txn, auth, client, parts).await?;
        let services = latest_in(&txn, record.id, latest).await?;
        txn.commit().await?;
        Ok((record, services))
    }
}

/// The client's `first` latest interventions, newest first: their
/// participations and interventions in one statement, then the
/// participants.
async fn latest_in(txn: &TenantTx, client: ClientId, first: u64) -> AppResult<Vec<Intervention>> {
    let latest = txn
        .find::<participant::Entity>()
        .select_only()
        .column(participant::Column::InterventionId)
        .filter(participant::Column::ClientId.eq(client.uuid()))
        .order_by_desc(participant::Column::OccurredOn)
        .order_by_desc(participant::Column::InterventionId)
        .limit(first.clamp(1, 100))
        .into_query();
    let rows = txn
        .find::<intervention::Entity>()
        .filter(intervention::Column::Id.in_subquery(latest))
        .order_by_desc(intervention::Column::OccurredOn)
        .order_by_desc(intervention::Column::Id)
        .all(txn)
        .await?;
    with_participants(txn, rows).await
}

fn dedup<T: Copy + Ord>(v: &[T]) -> Vec<T> {
    let mut out = v.to_vec();
    out.sort();
    out.dedup();
    out
}

fn to_model(tenant: uuid::Uuid, r: &Intervention, by: UserId) -> intervention::Model {
    intervention::Model {
        id: r.id.into(),
        tenant_id: tenant,
        occurred_on: r.occurred_on,
        duration_minutes: r.duration_minutes,
        worker_id: r.worker_id.uuid(),
        kind: r.kind.as_str().to_owned(),
        target_office: r.target_office.map(|t| t.as_str().to_owned()),
        form: r.form.as_str().to_owned(),
        branch_id: r.branch_id.map(|b| b.uuid()),
        place: r.place.clone(),
        topics: join(&r.topics, crate::model::Topic::as_str),
        language: r.language.clone(),
        interpreter_id: r.interpreter_id.map(Into::into),
        interpreter_language: r.interpreter_language.clone(),
        outcome: r.outcome.clone(),
        case_id: r.case_id.map(Into::into),
        funding_project_id: r.funding_project_id.uuid(),
        key_activity: r.key_activity.clone(),
        is_group: r.is_group,
        anonymous_count: r.anonymous_count,
        outreach_slot_id: r.outreach_slot_id.map(Into::into),
        recorded_by: Some(by.uuid()),
        created_at: r.created_at,
    }
}

/// Interventions by id, in the order given, each with its participants:
/// two queries whatever the number.
pub(crate) async fn load(txn: &TenantTx, ids: &[uuid::Uuid]) -> AppResult<Vec<Intervention>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = txn
        .find::<intervention::Entity>()
        .filter(one_of(
            Backend::of(txn),
            intervention::Column::Id,
            ids.iter().copied(),
        ))
        .all(txn)
        .await?;
    let mut by_id: HashMap<uuid::Uuid, Intervention> = with_participants(txn, rows)
        .await?
        .into_iter()
        .map(|i| (i.id.uuid(), i))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

async fn with_participants(
    txn: &TenantTx,
    rows: Vec<intervention::Model>,
) -> AppResult<Vec<Intervention>> {
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
    let participants = if ids.is_empty() {
        Vec::new()
    } else {
        txn.find::<participant::Entity>()
            .filter(one_of(
                Backend::of(txn),
                participant::Column::InterventionId,
                ids,
            ))
            .order_by_asc(participant::Column::ClientId)
            .all(txn)
            .await?
    };
    attach(rows, participants)
}

/// The latest services' rows as `integra_client_page` returns them.
#[derive(serde::Deserialize)]
pub(crate) struct LatestRows {
    pub interventions: Vec<intervention::Model>,
    pub participants: Vec<participant::Model>,
}

/// Interventions with their participants (each intervention's in the order
/// given, by client id).
pub(crate) fn attach(
    rows: Vec<intervention::Model>,
    participants: Vec<participant::Model>,
) -> AppResult<Vec<Intervention>> {
    let mut parts: HashMap<uuid::Uuid, Vec<Participant>> = HashMap::new();
    for p in participants {
        parts
            .entry(p.intervention_id)
            .or_default()
            .push(Participant {
                client_id: ClientId(p.client_id),
                eligible: p.eligible,
                eligibility_reason: p.eligibility_reason,
                counts: p.counts,
            });
    }
    rows.into_iter()
        .map(|r| {
            let participants = parts.remove(&r.id).unwrap_or_default();
            from_row(r, participants)
        })
        .collect()
}

fn from_row(r: intervention::Model, participants: Vec<Participant>) -> AppResult<Intervention> {
    let bad = |what: &str| AppError::internal_msg(format!("stored intervention {what} unknown"));
    Ok(Intervention {
        id: r.id.into(),
        occurred_on: r.occurred_on,
        duration_minutes: r.duration_minutes,
        worker_id: UserId(r.worker_id),
        kind: InterventionKind::parse(&r.kind).ok_or_else(|| bad("kind"))?,
        target_office: r.target_office.as_deref().and_then(TargetOffice::parse),
        form: Form::parse(&r.form).ok_or_else(|| bad("form"))?,
        branch_id: r.branch_id.map(Into::into),
        place: r.place,
        topics: split(&r.topics, crate::model::Topic::parse),
        language: r.language,
        interpreter_id: r.interpreter_id.map(Into::into),
        interpreter_language: r.interpreter_language,
        outcome: r.outcome,
        case_id: r.case_id.map(Into::into),
        funding_project_id: FundingProjectId(r.funding_project_id),
        key_activity: r.key_activity,
        is_group: r.is_group,
        anonymous_count: r.anonymous_count,
        outreach_slot_id: r.outreach_slot_id.map(Into::into),
        participants,
        created_at: r.created_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use integra_clients::residence::{ResidencePeriod, ResidenceStatusKind};
    use integra_tenants::{EligibilityRule, FundingSource};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn project(threshold: i32) -> FundingProject {
        FundingProject {
            id: FundingProjectId(uuid::Uuid::nil()),
            registration_number: "AMIF/31/03".into(),
            name: "Integration".into(),
            source: FundingSource::Amif,
            eligibility_rule: EligibilityRule::AmifDefault,
            starts_on: d(2024, 1, 1),
            ends_on: d(2027, 12, 31),
            contact_threshold_minutes: threshold,
        }
    }

    fn person(nationality: &str, verified: bool) -> ServiceFacts {
        ServiceFacts {
            id: ClientId(uuid::Uuid::nil()),
            nationality: nationality.into(),
            identity_verified: verified,
            periods: vec![ResidencePeriod {
                status: ResidenceStatusKind::TemporaryProtection,
                valid_from: d(2022, 3, 1),
                valid_to: None,
                proceedings_pending: false,
            }],
            email: String::new(),
            languages: Vec::new(),
        }
    }

    #[test]
    fn the_counting_rule() {
        let p = project(30);
        let day = d(2026, 5, 4);
        // Eligible, in the office, long enough: counts.
        let s = snapshot(&p, &person("UA", false), day, Form::Office, 45);
        assert!(s.eligible && s.counts, "{s:?}");
        // Below the threshold: a contact, eligible but not counted.
        let s = snapshot(&p, &person("UA", true), day, Form::Office, 20);
        assert!(s.eligible && !s.counts);
        assert!(
            s.eligibility_reason
                .contains("below the project's 30-minute threshold")
        );
        // Exactly the threshold counts.
        assert!(snapshot(&p, &person("UA", true), day, Form::Office, 30).counts);
        // Remote without a verified identity: not counted.
        let s = snapshot(&p, &person("UA", false), day, Form::Phone, 60);
        assert!(s.eligible && !s.counts);
        assert!(s.eligibility_reason.contains("identity not verified"));
        assert!(snapshot(&p, &person("UA", true), day, Form::Online, 60).counts);
        // A per-project threshold.
        assert!(snapshot(&project(15), &person("UA", true), day, Form::Office, 20).counts);
        // Not eligible: never counts, whatever else.
        let s = snapshot(&p, &person("SK", true), day, Form::Office, 90);
        assert!(!s.eligible && !s.counts);
        assert!(
            s.eligibility_reason.contains("EU/EEA/Swiss"),
            "{}",
            s.eligibility_reason
        );
        // Outside the project period.
        let s = snapshot(&p, &person("UA", true), d(2023, 6, 1), Form::Office, 90);
        assert!(!s.eligible);
    }
}
