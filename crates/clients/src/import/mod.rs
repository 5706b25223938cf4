//! Spreadsheet import of clients: `.xlsx` and `.csv` (read within the
//! limits of `integra_files`, off the request threads) with a column mapping, a dry run that reports every problem by row and
//! column (bad date, unknown nationality, likely duplicate), and an import
//! that is all-or-nothing unless the caller chooses to skip rejected rows.

pub mod fields;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use integra_kernel::TenantTx;
use integra_kernel::scope::can;
use integra_kernel::{AppError, AppResult, Authorized, BranchId, ClientId, TenantScope};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::audit::AuditAction;
use crate::entity::{audit as audit_entity, client, residence};
use crate::model::{ClientInput, NewResidence, ValidInput, ValidResidence};
use crate::names;
use crate::search;
use crate::service::{ClientService, name_texts};
pub use fields::ImportField;
use integra_files::{Cell, FileLimits, column_letter};

/// Which column fills which field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnMapping {
    /// The column's header text as in the file.
    pub column: String,
    /// The field it fills.
    pub field: ImportField,
}

/// What to import and how.
#[derive(Clone, Debug, Default)]
pub struct ImportRequest {
    /// The file's bytes.
    pub content: Vec<u8>,
    /// The sheet of a workbook (the first when left out).
    pub sheet: Option<String>,
    /// The mapping; guessed from the headers when left out. Columns not
    /// named are ignored.
    pub mapping: Option<Vec<ColumnMapping>>,
    /// Only check and report; write nothing.
    pub dry_run: bool,
    /// Import the good rows even when some are rejected (otherwise any
    /// rejected row stops the whole import).
    pub skip_rejected: bool,
    /// Branch the clients are registered at.
    pub branch_id: Option<BranchId>,
}

/// One problem of one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProblem {
    /// Row number as the spreadsheet shows it.
    pub row: u32,
    /// Column letter (A, B, …), when the problem is in one column.
    pub column: Option<String>,
    /// The column's header, when the problem is in one column.
    pub header: Option<String>,
    /// The input field concerned (`birthDate`, `nationality`, `duplicate`).
    pub field: String,
    /// What is wrong, for a person.
    pub message: String,
    /// The existing client a likely duplicate matches.
    pub existing_client: Option<ClientId>,
}

/// What an import found and did.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: u32,
    /// Rows without problems.
    pub accepted: u32,
    /// Rows with at least one problem.
    pub rejected: u32,
    /// Clients created (0 on a dry run or when nothing was written).
    pub imported: u32,
    /// Whether anything was written.
    pub committed: bool,
    /// The mapping used.
    pub mapping: Vec<ColumnMapping>,
    /// Headers no field was mapped to.
    pub ignored_columns: Vec<String>,
    /// Every problem, by row then column.
    pub problems: Vec<ImportProblem>,
}

struct Row {
    number: u32,
    input: Option<ValidInput>,
    residence: Option<ValidResidence>,
    key: Option<String>,
    rejected: bool,
}

impl ClientService {
    /// Imports clients from a spreadsheet; see [`ImportRequest`]. Problems
    /// in the file are reported, not raised: only a file that cannot be
    /// read at all, or a bad mapping, is an error.
    pub async fn import(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        req: &ImportRequest,
    ) -> AppResult<ImportReport> {
        let (content, sheet) = (req.content.clone(), req.sheet.clone());
        let table = integra_files::parse::off_thread(move || {
            integra_files::sheet::read(&content, sheet.as_deref(), &FileLimits::IMPORT)
        })
        .await?;
        let columns = resolve_mapping(&table.headers, req.mapping.as_deref())?;
        let today = self.today();
        let mut report = ImportReport {
            rows: u32::try_from(table.rows.len()).unwrap_or(u32::MAX),
            mapping: columns
                .iter()
                .enumerate()
                .filter(|(_, f)| **f != ImportField::Ignore)
                .map(|(i, f)| ColumnMapping {
                    column: table.headers[i].clone(),
                    field: *f,
                })
                .collect(),
            ignored_columns: columns
                .iter()
                .enumerate()
                .filter(|(i, f)| **f == ImportField::Ignore && !table.headers[*i].is_empty())
                .map(|(i, _)| table.headers[i].clone())
                .collect(),
            ..ImportReport::default()
        };
        let column_of = |field: &str| -> Option<usize> {
            columns
                .iter()
                .position(|f| f.input_name() == field)
                .or_else(|| {
                    field
                        .strip_prefix("aliases.")
                        .and_then(|_| columns.iter().position(|f| *f == ImportField::GivenName))
                })
        };
        let problem = |row: u32, field: &str, message: String| {
            let col = column_of(field);
            ImportProblem {
                row,
                column: col.map(column_letter),
                header: col.map(|c| table.headers[c].clone()),
                field: field.to_owned(),
                message,
                existing_client: None,
            }
        };

        // 1. Every row on its own.
        let mut rows = Vec::with_capacity(table.rows.len());
        for (number, cells) in &table.rows {
            let (input, residence, parse_problems) = parse_row(&columns, cells, req.branch_id);
            let mut problems: Vec<ImportProblem> = parse_problems
                .into_iter()
                .map(|(f, m)| problem(*number, f, m))
                .collect();
            let valid = match input.validate_all(today) {
                Ok(v) => Some(v),
                Err(p) => {
                    for (f, m) in p.0 {
                        // A cell that did not parse already has its problem.
                        if !problems.iter().any(|q| q.field == f) {
                            problems.push(problem(*number, &f, m));
                        }
                    }
                    None
                }
            };
            let residence = match residence.map(|r| r.validate("residence.")) {
                None => None,
                Some(Ok(r)) => Some(r),
                Some(Err(AppError::BadInput { field, message })) => {
                    if !problems.iter().any(|q| q.field == field) {
                        problems.push(problem(*number, &field, message));
                    }
                    None
                }
                Some(Err(e)) => return Err(e),
            };
            let key = valid.as_ref().map(|v| {
                self.person_key(&v.family_name, &v.given_name, v.birth_date, &v.nationality)
            });
            let rejected = !problems.is_empty();
            report.problems.extend(problems);
            rows.push(Row {
                number: *number,
                input: valid,
                residence,
                key,
                rejected,
            });
        }

        // 2. The same person twice in the file.
        let mut first_row: HashMap<&str, u32> = HashMap::new();
        for r in rows.iter_mut() {
            let Some(key) = r.key.as_deref() else {
                continue;
            };
            if r.rejected {
                continue;
            }
            if let Some(first) = first_row.get(key) {
                report.problems.push(ImportProblem {
                    row: r.number,
                    column: None,
                    header: None,
                    field: "duplicate".to_owned(),
                    message: format!("the same person as row {first}"),
                    existing_client: None,
                });
                r.rejected = true;
            } else {
                first_row.insert(key, r.number);
            }
        }

        // 3. Likely duplicates of clients already registered.
        let txn = if req.dry_run {
            self.db.scoped(auth).await?
        } else {
            self.db.scoped_write(auth).await?
        };
        let existing = existing_matches(&txn, &rows).await?;
        for (i, found) in existing {
            let r = &mut rows[i];
            r.rejected = true;
            report.problems.push(ImportProblem {
                row: r.number,
                column: None,
                header: None,
                field: "duplicate".to_owned(),
                message: if found.same_key {
                    "likely duplicate: the same person is already registered".to_owned()
                } else {
                    "likely duplicate: a client with a similar name and the same date of birth is already registered".to_owned()
                },
                existing_client: Some(found.id),
            });
        }
        report
            .problems
            .sort_by(|a, b| (a.row, &a.column).cmp(&(b.row, &b.column)));
        report.rejected = u32::try_from(rows.iter().filter(|r| r.rejected).count()).unwrap_or(0);
        report.accepted = report.rows - report.rejected;

        // 4. Write, unless checking only or something is wrong.
        let write = !req.dry_run && (report.rejected == 0 || req.skip_rejected);
        if !write || report.accepted == 0 {
            txn.rollback().await?;
            return Ok(report);
        }
        let created = self.write_rows(&txn, auth, &rows).await?;
        txn.commit().await?;
        report.imported = created;
        report.committed = true;
        tracing::info!(
            event = "clients_imported",
            rows = created,
            "clients imported"
        );
        Ok(report)
    }

    async fn write_rows(
        &self,
        txn: &TenantTx,
        scope: &TenantScope,
        rows: &[Row],
    ) -> AppResult<u32> {
        let now = self.clock.now();
        let tenant = scope.centre_id().uuid();
        let mut clients = Vec::new();
        let mut statuses = Vec::new();
        let mut audits = Vec::new();
        let mut index: Vec<(ClientId, Vec<String>)> = Vec::new();
        for r in rows.iter().filter(|r| !r.rejected) {
            let (Some(v), Some(key)) = (&r.input, &r.key) else {
                continue;
            };
            let id = ClientId::new();
            clients.push(crate::service::new_row(
                scope.centre_id(),
                id,
                key.clone(),
                v,
                now,
            ));
            if let Some(s) = &r.residence {
                statuses.push(residence::ActiveModel {
                    id: Set(uuid::Uuid::now_v7()),
                    tenant_id: Set(tenant),
                    client_id: Set(id.uuid()),
                    status: Set(s.status.as_str().to_owned()),
                    document_type: Set(s.document_type.clone()),
                    document_number: Set(s.document_number.clone()),
                    valid_from: Set(s.valid_from),
                    valid_to: Set(s.valid_to),
                    proceedings_pending: Set(s.proceedings_pending),
                    recorded_by: Set(Some(scope.user_id().uuid())),
                    recorded_at: Set(now),
                });
            }
            audits.push(audit_entity::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                tenant_id: Set(tenant),
                at: Set(now),
                actor_id: Set(Some(scope.user_id().uuid())),
                action: Set(AuditAction::Create.as_str().to_owned()),
                entity: Set("client".to_owned()),
                entity_id: Set(id.uuid()),
                fields: Set("import".to_owned()),
            });
            index.push((id, name_texts(v).into_iter().map(str::to_owned).collect()));
        }
        let created = u32::try_from(clients.len()).unwrap_or(u32::MAX);
        for chunk in chunks(clients, 500) {
            client::Entity::insert_many(chunk)
                .exec_without_returning(txn)
                .await
                .map_err(crate::service::fk_error)?;
        }
        for chunk in chunks(statuses, 1000) {
            residence::Entity::insert_many(chunk)
                .exec_without_returning(txn)
                .await?;
        }
        for chunk in chunks(audits, 1000) {
            audit_entity::Entity::insert_many(chunk)
                .exec_without_returning(txn)
                .await?;
        }
        search::index_new_clients(txn, &index).await?;
        Ok(created)
    }
}

fn chunks<T>(mut v: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    while !v.is_empty() {
        let rest = v.split_off(size.min(v.len()));
        out.push(std::mem::replace(&mut v, rest));
    }
    out
}

/// Each column's field: from the mapping when given (by header text), else
/// guessed from the header.
fn resolve_mapping(
    headers: &[String],
    mapping: Option<&[ColumnMapping]>,
) -> AppResult<Vec<ImportField>> {
    let mut columns: Vec<ImportField> = match mapping {
        None => headers.iter().map(|h| fields::guess(h)).collect(),
        Some(m) => {
            let mut cols = vec![ImportField::Ignore; headers.len()];
            for entry in m {
                let pos = headers
                    .iter()
                    .position(|h| h.trim() == entry.column.trim())
                    .ok_or_else(|| {
                        AppError::bad_input(
                            "mapping",
                            format!("the file has no column '{}'", entry.column),
                        )
                    })?;
                cols[pos] = entry.field;
            }
            cols
        }
    };
    // A field filled from two columns would be ambiguous: keep the first.
    let mut seen = HashSet::new();
    for f in columns.iter_mut() {
        if *f != ImportField::Ignore && !seen.insert(*f) {
            if mapping.is_some() {
                return Err(AppError::bad_input(
                    "mapping",
                    format!("two columns are mapped to {}", f.input_name()),
                ));
            }
            *f = ImportField::Ignore;
        }
    }
    for required in [
        ImportField::GivenName,
        ImportField::FamilyName,
        ImportField::Sex,
        ImportField::Nationality,
    ] {
        if !columns.contains(&required) {
            return Err(AppError::bad_input(
                "mapping",
                format!(
                    "no column is mapped to {} (found: {})",
                    required.input_name(),
                    headers.join(", ")
                ),
            ));
        }
    }
    Ok(columns)
}

type ParsedRow = (
    ClientInput,
    Option<NewResidence>,
    Vec<(&'static str, String)>,
);

/// Turns the cells of one row into the registry's input, noting cells that
/// do not parse.
fn parse_row(columns: &[ImportField], cells: &[Cell], branch: Option<BranchId>) -> ParsedRow {
    let mut input = ClientInput {
        branch_id: branch,
        ..ClientInput::default()
    };
    let mut res = NewResidence::default();
    let mut has_residence = false;
    let mut problems = Vec::new();
    let empty = Cell::Empty;
    for (i, field) in columns.iter().enumerate() {
        let cell = cells.get(i).unwrap_or(&empty);
        if cell.is_empty() {
            continue;
        }
        let name = field.input_name();
        let date = |problems: &mut Vec<(&'static str, String)>| match fields::date(cell) {
            Ok(d) => Some(d),
            Err(m) => {
                problems.push((name, m));
                None
            }
        };
        match field {
            ImportField::GivenName => input.given_name = cell.text(),
            ImportField::FamilyName => input.family_name = cell.text(),
            ImportField::BirthDate => input.birth_date = date(&mut problems),
            ImportField::Sex => match fields::sex(cell) {
                Ok(s) => input.sex = s.to_owned(),
                Err(m) => problems.push((name, m)),
            },
            ImportField::Nationality => match fields::nationality(cell) {
                Ok(n) => input.nationality = n,
                Err(m) => problems.push((name, m)),
            },
            ImportField::Languages => input.languages = fields::languages(cell),
            ImportField::Phone => input.phone = cell.text(),
            ImportField::Email => input.email = cell.text(),
            ImportField::Municipality => input.municipality = cell.text(),
            ImportField::Region => match fields::region(cell) {
                Ok(r) => input.region_code = Some(r),
                Err(m) => problems.push((name, m)),
            },
            ImportField::FirstContactOn => input.first_contact_on = date(&mut problems),
            ImportField::ReferralSource => input.referral_source = cell.text(),
            ImportField::ResidenceStatus => {
                has_residence = true;
                match fields::residence_status(cell) {
                    Ok(k) => res.status = k.as_str().to_owned(),
                    Err(m) => problems.push((name, m)),
                }
            }
            ImportField::ResidenceValidFrom => {
                has_residence = true;
                res.valid_from = date(&mut problems);
            }
            ImportField::ResidenceValidTo => {
                has_residence = true;
                res.valid_to = date(&mut problems);
            }
            ImportField::DocumentType => {
                has_residence = true;
                res.document_type = cell.text();
            }
            ImportField::DocumentNumber => {
                has_residence = true;
                res.document_number = cell.text();
            }
            ImportField::Ignore => {}
        }
    }
    (input, has_residence.then_some(res), problems)
}

struct Existing {
    id: ClientId,
    same_key: bool,
}

/// Rows that match a client already registered: the same person key, or the
/// same birth date with closely matching names.
async fn existing_matches(txn: &TenantTx, rows: &[Row]) -> AppResult<Vec<(usize, Existing)>> {
    let candidates: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.rejected && r.input.is_some())
        .map(|(i, _)| i)
        .collect();
    let mut by_key: HashMap<String, ClientId> = HashMap::new();
    let keys: Vec<&str> = candidates
        .iter()
        .filter_map(|i| rows[*i].key.as_deref())
        .collect();
    for chunk in keys.chunks(500) {
        let values: Vec<sea_orm::Value> = chunk
            .iter()
            .map(|k| sea_orm::Value::from((*k).to_owned()))
            .collect();
        let found = txn
            .query_all_raw(txn.stmt(
                &format!(
                    "SELECT id, person_key FROM clients WHERE tenant_id = :tenant AND person_key IN ({}) \
                     AND merged_into IS NULL AND anonymised_at IS NULL",
                    vec!["?"; chunk.len()].join(", ")
                ),
                values,
            ))
            .await?;
        for r in found {
            let id: uuid::Uuid = r.try_get("", "id")?;
            let key: String = r.try_get("", "person_key")?;
            by_key.insert(key, id.into());
        }
    }
    let mut by_birth: HashMap<NaiveDate, Vec<(ClientId, Vec<String>)>> = HashMap::new();
    let mut dates: Vec<NaiveDate> = candidates
        .iter()
        .filter_map(|i| rows[*i].input.as_ref().and_then(|v| v.birth_date))
        .collect();
    dates.sort();
    dates.dedup();
    for chunk in dates.chunks(500) {
        let values: Vec<sea_orm::Value> = chunk.iter().map(|d| sea_orm::Value::from(*d)).collect();
        let found = txn
            .query_all_raw(txn.stmt(
                &format!(
                    "SELECT id, given_name, family_name, birth_date FROM clients WHERE tenant_id = :tenant \
                     AND birth_date IN ({}) AND merged_into IS NULL AND anonymised_at IS NULL",
                    vec!["?"; chunk.len()].join(", ")
                ),
                values,
            ))
            .await?;
        for r in found {
            let id: uuid::Uuid = r.try_get("", "id")?;
            let given: String = r.try_get("", "given_name")?;
            let family: String = r.try_get("", "family_name")?;
            let born: NaiveDate = r.try_get("", "birth_date")?;
            by_birth
                .entry(born)
                .or_default()
                .push((id.into(), names::words(&format!("{given} {family}"))));
        }
    }
    let mut out = Vec::new();
    for i in candidates {
        let r = &rows[i];
        if let Some(id) = r.key.as_ref().and_then(|k| by_key.get(k)) {
            out.push((
                i,
                Existing {
                    id: *id,
                    same_key: true,
                },
            ));
            continue;
        }
        let Some(v) = &r.input else { continue };
        let Some(born) = v.birth_date else { continue };
        let typed = names::words(&format!("{} {}", v.given_name, v.family_name));
        if let Some((id, _)) = by_birth
            .get(&born)
            .into_iter()
            .flatten()
            .find(|(_, stored)| names_agree(&typed, stored))
        {
            out.push((
                i,
                Existing {
                    id: *id,
                    same_key: false,
                },
            ));
        }
    }
    Ok(out)
}

/// Whether every typed word matches some stored word (the tolerance of the
/// name search: diacritics, transliteration, typing errors). Only used
/// with the birth date already equal.
fn names_agree(typed: &[String], stored: &[String]) -> bool {
    names::agreement(typed, stored).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        names::words(s)
    }

    #[test]
    fn close_names_agree() {
        assert!(names_agree(
            &w("Olexandr Kovalenko"),
            &w("Oleksandr Kovalenko")
        ));
        assert!(names_agree(&w("Jiri Dvorak"), &w("Jiří Dvořák")));
        assert!(!names_agree(
            &w("Petro Kovalenko"),
            &w("Oleksandr Kovalenko")
        ));
    }

    #[test]
    fn mapping_is_guessed_and_checked() {
        let headers: Vec<String> = [
            "Příjmení",
            "Jméno",
            "Pohlaví",
            "Státní příslušnost",
            "Poznámka",
        ]
        .map(String::from)
        .to_vec();
        let cols = resolve_mapping(&headers, None).unwrap();
        assert_eq!(cols[0], ImportField::FamilyName);
        assert_eq!(cols[4], ImportField::Ignore);
        let err = resolve_mapping(&headers[..2], None).unwrap_err();
        assert!(matches!(err, AppError::BadInput { ref field, .. } if field == "mapping"));
        let bad = [ColumnMapping {
            column: "Nope".into(),
            field: ImportField::Email,
        }];
        assert!(resolve_mapping(&headers, Some(&bad)).is_err());
    }

    #[test]
    fn chunks_keep_everything() {
        let c = chunks((0..1001).collect::<Vec<_>>(), 500);
        assert_eq!(c.iter().map(Vec::len).collect::<Vec<_>>(), [500, 500, 1]);
    }
}
