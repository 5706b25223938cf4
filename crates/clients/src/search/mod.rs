//! The name index and the search over it.
//!
//! Two tables per centre, both ordinary B-tree indexes, so the same design
//! runs on PostgreSQL and SQLite:
//! - `client_terms (tenant_id, term, client_id)`: every folded word of a
//!   client's names and aliases (the postings);
//! - `client_term_variants (tenant_id, variant, term)`: for every distinct
//!   word, its deletion variants, its skeleton (`~…`) and itself for prefix
//!   search (`=…`) — see [`crate::names`].
//!
//! A search folds the typed words, looks their variants up (one indexed
//! `IN` query), keeps the stored words that really are close
//! ([`names::match_quality`]), and then ranks the clients that match every
//! typed word in one SQL statement. No similarity is computed over the
//! table: the work grows with the number of matching names, not with the
//! size of the registry, which is why this beats a trigram scan by far.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use chrono::NaiveDate;
use integra_kernel::TenantTx;
use integra_kernel::{AppError, AppResult, Backend, BranchId, ClientId, in_texts};
use sea_orm::sea_query::ArrayType;
use sea_orm::{ConnectionTrait, Value};
use serde::{Deserialize, Serialize};

use crate::model::{ClientSummary, Sex};
use crate::names;
use crate::residence::ResidenceStatusKind;

mod dialect;

use dialect::SearchSql;

/// Largest page.
pub const MAX_PAGE: u64 = 100;
/// Words of the search text that are used.
const MAX_WORDS: usize = 4;
/// Stored words a typed prefix may expand to.
const MAX_PREFIX_TERMS: u64 = 50;
/// How well a word the typed prefix begins answers it.
const PREFIX_QUALITY: f64 = 0.9;

fn placeholders(n: usize, group: &str) -> String {
    vec![group; n].join(", ")
}

/// Replaces a client's entries in the name index.
pub(crate) async fn index_client(
    txn: &TenantTx,
    client: ClientId,
    names_text: &[&str],
) -> AppResult<()> {
    txn.execute_raw(txn.stmt(
        "DELETE FROM client_terms WHERE tenant_id = :tenant AND client_id = ?",
        vec![client.uuid().into()],
    ))
    .await?;
    let texts: Vec<String> = names_text.iter().map(|t| (*t).to_owned()).collect();
    index_new_clients(txn, &[(client, texts)]).await
}

/// Indexes clients that have no entries yet (new ones, or after
/// [`index_client`] removed theirs): one posting per word and the search
/// keys of every word (shared across the centre). Written in large batches
/// (the spreadsheet import indexes thousands at once).
pub(crate) async fn index_new_clients(
    txn: &TenantTx,
    clients: &[(ClientId, Vec<String>)],
) -> AppResult<()> {
    let sql = dialect::for_engine(txn.backend());
    let backend = sql.backend();
    let mut terms: Vec<(String, uuid::Uuid)> = Vec::new();
    let mut seen_words: BTreeSet<String> = BTreeSet::new();
    for (id, texts) in clients {
        let words: BTreeSet<String> = texts.iter().flat_map(|t| names::words(t)).collect();
        for w in words {
            terms.push((w.clone(), id.uuid()));
            seen_words.insert(w);
        }
    }
    // A word's keys are written together with its `=word` entry, so a word
    // that has one is indexed already: most names at a desk (Olha, Nguyen)
    // are, and their hundred-odd keys need not be written again.
    let listed: Vec<String> = seen_words.iter().map(|w| format!("={w}")).collect();
    for chunk in listed.chunks(500) {
        let (in_listed, listed) = in_texts(backend, "variant", chunk);
        let mut values: Vec<Value> = Vec::new();
        values.extend(listed);
        let rows = txn
            .query_all_raw(txn.stmt(
                &format!(
                    "SELECT term FROM client_term_variants WHERE tenant_id = :tenant AND {in_listed}"
                ),
                values,
            ))
            .await?;
        for row in rows {
            let term: String = row.try_get("", "term")?;
            seen_words.remove(&term);
        }
    }
    let mut variants: BTreeSet<(String, String)> = BTreeSet::new();
    for w in seen_words {
        variants.insert((format!("={w}"), w.clone()));
        for k in names::index_keys(&w) {
            variants.insert((k, w.clone()));
        }
    }
    insert_new(
        txn,
        sql,
        "client_terms (tenant_id, term, client_id)",
        (ArrayType::String, ArrayType::Uuid),
        terms,
    )
    .await?;
    insert_new(
        txn,
        sql,
        "client_term_variants (tenant_id, variant, term)",
        (ArrayType::String, ArrayType::String),
        variants.into_iter().collect(),
    )
    .await?;
    Ok(())
}

/// Inserts the centre's `rows` of two columns into `target` (a table and
/// its three columns, the centre's first), skipping rows already there, in
/// the largest batches the engine takes ([`SearchSql::insert_new`]).
async fn insert_new<A: Into<Value>, B: Into<Value>>(
    txn: &TenantTx,
    sql: &dyn SearchSql,
    target: &str,
    types: (ArrayType, ArrayType),
    rows: Vec<(A, B)>,
) -> AppResult<()> {
    let rows: Vec<(Value, Value)> = rows
        .into_iter()
        .map(|(a, b)| (a.into(), b.into()))
        .collect();
    for chunk in rows.chunks(sql.insert_batch()) {
        let (text, values) = sql.insert_new(target, &types, chunk);
        txn.execute_raw(txn.stmt(&text, values)).await?;
    }
    Ok(())
}

/// Filters of a client search.
#[derive(Clone, Debug, Default)]
pub struct SearchFilter {
    /// Nationalities (ISO codes), any of.
    pub nationalities: Vec<String>,
    /// Residence statuses in force today, any of.
    pub residence_statuses: Vec<ResidenceStatusKind>,
    /// Registering branch.
    pub branch: Option<BranchId>,
}

/// What to search for.
#[derive(Clone, Debug, Default)]
pub struct SearchQuery {
    /// The typed text (may be empty: then clients are listed by name).
    pub text: String,
    /// Typing in progress: the last word also matches as a prefix.
    pub typing: bool,
    /// Filters.
    pub filter: SearchFilter,
    /// Page size (1–100).
    pub first: u64,
    /// Cursor of the last result seen.
    pub after: Option<String>,
}

/// A page of results.
#[derive(Clone, Debug)]
pub struct SearchPage {
    /// The results with their cursors.
    pub items: Vec<(ClientSummary, String)>,
    /// Whether more follow.
    pub has_next_page: bool,
}

/// Where a page of results ends: the last result's score, names and id.
#[derive(Serialize, Deserialize)]
struct Cursor {
    s: f64,
    #[serde(default)]
    f: String,
    #[serde(default)]
    g: String,
    i: uuid::Uuid,
}

fn encode_cursor(c: &ClientSummary) -> String {
    let json = serde_json::to_vec(&Cursor {
        s: c.score,
        f: c.family_name.clone(),
        g: c.given_name.clone(),
        i: c.id.uuid(),
    })
    .unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

fn decode_cursor(raw: &str) -> AppResult<Cursor> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| AppError::bad_input("after", "is not a cursor from this search"))
}

/// Stored words that answer each typed word, with their quality.
async fn expand(
    txn: &TenantTx,
    typed: &[String],
    prefix_last: bool,
) -> AppResult<Vec<BTreeMap<String, f64>>> {
    let backend = txn.backend();
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for w in typed {
        keys.extend(names::deletion_variants(w));
        let sk = names::skeleton(w);
        if sk.len() >= 2 {
            keys.insert(format!("~{sk}"));
        }
    }
    let keys: Vec<String> = keys.into_iter().collect();
    let (in_keys, keys) = in_texts(backend, "variant", &keys);
    let mut values: Vec<Value> = Vec::new();
    values.extend(keys);
    let rows = txn
        .query_all_raw(txn.stmt(
            &format!(
                "SELECT DISTINCT term FROM client_term_variants WHERE tenant_id = :tenant AND {in_keys}"
            ),
            values,
        ))
        .await?;
    let mut found: Vec<BTreeMap<String, f64>> = vec![BTreeMap::new(); typed.len()];
    for row in rows {
        let term: String = row.try_get("", "term")?;
        for (i, w) in typed.iter().enumerate() {
            if let Some(q) = names::match_quality(w, &term) {
                let e = found[i].entry(term.clone()).or_insert(0.0);
                *e = e.max(q);
            }
        }
    }
    if prefix_last && let Some(last) = typed.last().filter(|w| w.len() >= 2) {
        let rows = txn
            .query_all_raw(txn.stmt(
                &format!(
                    "SELECT term FROM client_term_variants WHERE tenant_id = :tenant AND variant >= ? AND variant < ? ORDER BY variant LIMIT {MAX_PREFIX_TERMS}"
                ),
                vec![
                    format!("={last}").into(),
                    format!("={last}\u{7f}").into(),
                ],
            ))
            .await?;
        let i = typed.len() - 1;
        for row in rows {
            let term: String = row.try_get("", "term")?;
            let e = found[i].entry(term).or_insert(0.0);
            *e = e.max(PREFIX_QUALITY);
        }
    }
    Ok(found)
}

/// The residence status in force on `today`, as SQL over the client `c`:
/// of the periods covering the day, the latest to start; a lapsed period
/// with proceedings pending still counts (the same rule as
/// [`crate::residence::status_on`]). Computed when read, so it never goes
/// stale as permits expire. `today` is a formatted date, not user input.
pub(crate) fn status_sql(today: NaiveDate) -> String {
    let covers = format!("(r.valid_to IS NULL OR r.valid_to >= '{today}')");
    format!(
        "(SELECT r.status FROM residence_statuses r WHERE r.tenant_id = c.tenant_id AND r.client_id = c.id \
         AND r.valid_from <= '{today}' AND ({covers} OR r.proceedings_pending) \
         ORDER BY CASE WHEN {covers} THEN 1 ELSE 0 END DESC, r.valid_from DESC LIMIT 1)"
    )
}

fn summary_columns(today: NaiveDate) -> String {
    format!(
        "c.id, c.given_name, c.family_name, c.birth_date, c.sex, c.nationality, {} AS residence_status, c.branch_id",
        status_sql(today)
    )
}

fn filter_sql(
    backend: Backend,
    filter: &SearchFilter,
    today: NaiveDate,
    sql: &mut String,
    values: &mut Vec<Value>,
) {
    if !filter.nationalities.is_empty() {
        let (cond, list) = in_texts(backend, "c.nationality", &filter.nationalities);
        sql.push_str(&format!(" AND {cond}"));
        values.extend(list);
    }
    if !filter.residence_statuses.is_empty() {
        let statuses: Vec<String> = filter
            .residence_statuses
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect();
        let (cond, list) = in_texts(backend, &status_sql(today), &statuses);
        sql.push_str(&format!(" AND {cond}"));
        values.extend(list);
    }
    if let Some(b) = filter.branch {
        sql.push_str(" AND c.branch_id = ?");
        values.push(b.uuid().into());
    }
}

fn summary(row: &sea_orm::QueryResult, score: f64) -> AppResult<ClientSummary> {
    let sex: String = row.try_get("", "sex")?;
    let status: Option<String> = row.try_get("", "residence_status")?;
    let id: uuid::Uuid = row.try_get("", "id")?;
    let branch: Option<uuid::Uuid> = row.try_get("", "branch_id")?;
    Ok(ClientSummary {
        id: id.into(),
        given_name: row.try_get("", "given_name")?,
        family_name: row.try_get("", "family_name")?,
        birth_date: row.try_get("", "birth_date")?,
        sex: Sex::parse(&sex).ok_or_else(|| AppError::internal_msg("unknown sex value"))?,
        nationality: row.try_get("", "nationality")?,
        residence_status: status.as_deref().and_then(ResidenceStatusKind::parse),
        branch_id: branch.map(BranchId::from),
        score,
    })
}

/// A page from ranked rows fetched with one more than `first` (that one
/// says whether more follow), each with its cursor.
fn page_of(rows: &[sea_orm::QueryResult], first: u64) -> AppResult<SearchPage> {
    let mut items = Vec::with_capacity(rows.len());
    for row in rows.iter().take(first as usize) {
        let score: f64 = row.try_get("", "score")?;
        let s = summary(row, score)?;
        let cursor = encode_cursor(&s);
        items.push((s, cursor));
    }
    Ok(SearchPage {
        has_next_page: rows.len() as u64 > first,
        items,
    })
}

/// Search results for given clients (records in use only), in no order.
pub(crate) async fn summaries(
    txn: &TenantTx,
    today: NaiveDate,
    ids: &[uuid::Uuid],
) -> AppResult<Vec<ClientSummary>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = Vec::new();
    values.extend(ids.iter().map(|id| Value::from(*id)));
    let rows = txn
        .query_all_raw(txn.stmt(
            &format!(
                "SELECT {} FROM clients c WHERE c.tenant_id = :tenant AND c.id IN ({}) AND c.merged_into IS NULL AND c.anonymised_at IS NULL",
                summary_columns(today),
                placeholders(ids.len(), "?")
            ),
            values,
        ))
        .await?;
    rows.iter().map(|r| summary(r, 0.0)).collect()
}

/// One typed word without filters, the common case at the desk: each
/// candidate word's postings are read newest first straight from the index,
/// at most a page each, and merged by quality. Nothing is aggregated over
/// all the people who share a common surname.
async fn single_word(
    txn: &TenantTx,
    today: NaiveDate,
    terms: &BTreeMap<String, f64>,
    first: u64,
    after: Option<&Cursor>,
) -> AppResult<SearchPage> {
    let sql = dialect::for_engine(txn.backend());
    let rows: Vec<(String, i64, f64)> = terms.iter().map(|(t, q)| (t.clone(), 0, *q)).collect();
    let (words, mut values) = sql.words_table(&rows);
    let Some((pages, page_values)) = sql.single_word_pages(terms, first, after) else {
        return Ok(SearchPage {
            items: Vec::new(),
            has_next_page: false,
        });
    };
    // Ranking and reading the page's records in one statement.
    values.extend(page_values);
    let text = format!(
        "WITH q (term, w, quality) AS ({words}), \
         pages AS ({pages}), \
         best AS (SELECT client_id, MAX(quality) AS score FROM pages GROUP BY client_id), \
         top AS (SELECT client_id, score FROM best ORDER BY score DESC, client_id DESC LIMIT {}) \
         SELECT {}, top.score AS score FROM top JOIN clients c ON c.tenant_id = :tenant AND c.id = top.client_id \
         WHERE c.merged_into IS NULL AND c.anonymised_at IS NULL \
         ORDER BY top.score DESC, top.client_id DESC",
        first + 1,
        summary_columns(today),
    );
    let rows = txn.query_all_raw(txn.stmt(&text, values)).await?;
    page_of(&rows, first)
}

/// Postings counted per stored word when choosing the word that finds the
/// candidates: enough to tell a rare name from a common one.
const DRIVER_COUNT_CAP: u64 = 200;

/// Which of the typed words' stored words have the fewest postings (each
/// counted up to [`DRIVER_COUNT_CAP`], so a common name costs no more than
/// a rare one to count): the index of that word in `words`.
async fn rarest_word(txn: &TenantTx, words: &[BTreeMap<String, f64>]) -> AppResult<usize> {
    if words.len() < 2 {
        return Ok(0);
    }
    let rows: Vec<(String, i64, f64)> = words
        .iter()
        .enumerate()
        .flat_map(|(i, terms)| terms.keys().map(move |t| (t.clone(), i as i64, 0.0)))
        .collect();
    let (table, values) = dialect::for_engine(txn.backend()).words_table(&rows);
    let counted = txn
        .query_all_raw(txn.stmt(
            &format!(
                "WITH q (term, w, quality) AS ({table}) \
                 SELECT q.w AS w, CAST(SUM((SELECT COUNT(*) FROM (SELECT 1 FROM client_terms t \
                 WHERE t.tenant_id = :tenant AND t.term = q.term LIMIT {DRIVER_COUNT_CAP}) x)) AS BIGINT) AS n \
                 FROM q GROUP BY q.w"
            ),
            values,
        ))
        .await?;
    let mut best = (0, i64::MAX);
    for row in counted {
        let w: i64 = row.try_get("", "w")?;
        let n: i64 = row.try_get("", "n")?;
        if n < best.1 || (n == best.1 && (w as usize) < best.0) {
            best = (w as usize, n);
        }
    }
    Ok(best.0)
}

/// Searches the centre's clients (see [`SearchQuery`]). Text results rank
/// by how well the words match, then newest client first; without text,
/// clients are listed by name.
pub(crate) async fn search(
    txn: &TenantTx,
    today: NaiveDate,
    query: &SearchQuery,
) -> AppResult<SearchPage> {
    let dialect = dialect::for_engine(txn.backend());
    let backend = dialect.backend();
    let cols = summary_columns(today);
    let first = query.first.clamp(1, MAX_PAGE);
    let after = query.after.as_deref().map(decode_cursor).transpose()?;
    let filter = &query.filter;
    let mut typed = names::words(&query.text);
    typed.truncate(MAX_WORDS);
    // Typing in progress: the last word is also a prefix. Alone, it expands
    // to the stored words it begins; after other words, it filters the
    // people they found (even a single letter: "kovalenko m").
    let prefix_alone = query.typing && typed.len() == 1;
    let prefix_after = (query.typing && typed.len() > 1)
        .then(|| typed.last().cloned())
        .flatten();
    let mut values: Vec<Value> = Vec::new();
    let mut sql;
    if typed.is_empty() {
        let zero = dialect.zero_score();
        sql = format!(
            "SELECT {cols}, {zero} AS score FROM clients c WHERE c.tenant_id = :tenant AND c.merged_into IS NULL AND c.anonymised_at IS NULL"
        );
        filter_sql(backend, filter, today, &mut sql, &mut values);
        if let Some(c) = &after {
            sql.push_str(" AND (c.family_name, c.given_name, c.id) > (?, ?, ?)");
            values.extend([c.f.clone().into(), c.g.clone().into(), c.i.into()]);
        }
        sql.push_str(" ORDER BY c.family_name, c.given_name, c.id");
    } else {
        let found = expand(txn, &typed, prefix_alone).await?;
        let complete = typed.len() - usize::from(prefix_after.is_some());
        if found[..complete].iter().any(BTreeMap::is_empty) {
            return Ok(SearchPage {
                items: Vec::new(),
                has_next_page: false,
            });
        }
        let no_filter = filter.nationalities.is_empty()
            && filter.residence_statuses.is_empty()
            && filter.branch.is_none();
        if typed.len() == 1 && no_filter {
            return single_word(txn, today, &found[0], first, after.as_ref()).await;
        }
        let mut rows = Vec::new();
        for (i, terms) in found.iter().enumerate() {
            for (term, q) in terms {
                rows.push((term.clone(), i as i64, *q));
            }
        }
        // The people are found through the complete word with the fewest
        // postings (a rare surname, not a common given name), then each of
        // them is checked against every word by their own few index
        // entries: the work grows with the rarest word's holders, not with
        // everyone called Oksana. Ranking needs only the index; the client
        // rows are read for the page alone unless a filter needs them.
        let driver = rarest_word(txn, &found[..complete]).await?;
        let driver_terms: Vec<String> = found[driver].keys().cloned().collect();
        // Each candidate's own entries, looked up by client: PostgreSQL
        // would otherwise join every posting of every typed word (it
        // underestimates common names); the `OFFSET 0` keeps the lateral
        // look-up from being flattened into that join. SQLite's `CROSS
        // JOIN` fixes the same order.
        let each = dialect.candidate_entries();
        // The typed words as a table: (term, word, quality).
        let (table, words) = dialect.words_table(&rows);
        let (in_driver, driver_terms) = in_texts(backend, "d.term", &driver_terms);
        sql = format!(
            "WITH q (term, w, quality) AS ({table}), \
             hits AS (SELECT t.client_id, q.w, MAX(q.quality) AS quality \
             FROM (SELECT DISTINCT d.client_id FROM client_terms d WHERE d.tenant_id = :tenant AND {in_driver}) d \
             {each} \
             JOIN q ON t.term = q.term GROUP BY t.client_id, q.w), "
        );
        values.extend(words);
        values.extend(driver_terms);
        match &prefix_after {
            None => {
                sql.push_str(
                    "scored AS (SELECT client_id, SUM(quality) AS score FROM hits GROUP BY client_id HAVING COUNT(*) = ?)",
                );
                values.push((typed.len() as i64).into());
            }
            Some(prefix) => {
                // Everyone the complete words found whose last word matched
                // too, or who has a stored word that begins with it.
                let last = complete as i64;
                sql.push_str(&format!(
                    "matched AS (SELECT client_id, SUM(quality) AS score, MAX(CASE WHEN w = {last} THEN 1 ELSE 0 END) AS has_last \
                     FROM hits GROUP BY client_id HAVING SUM(CASE WHEN w < {last} THEN 1 ELSE 0 END) = {last}), \
                     scored AS (SELECT m.client_id, m.score + CASE WHEN m.has_last = 1 THEN 0.0 ELSE {PREFIX_QUALITY} END AS score FROM matched m \
                     WHERE m.has_last = 1 OR EXISTS (SELECT 1 FROM client_terms p WHERE p.tenant_id = :tenant AND p.client_id = m.client_id AND p.term >= ? AND p.term < ?))"
                ));
                values.extend([prefix.clone().into(), format!("{prefix}\u{7f}").into()]);
            }
        }
        let cursor_sql = " AND (s.score < ? OR (s.score = ? AND s.client_id < ?))";
        if no_filter {
            sql.push_str(", top AS (SELECT s.client_id, s.score FROM scored s WHERE 1 = 1");
            if let Some(c) = &after {
                sql.push_str(cursor_sql);
                values.extend([c.s.into(), c.s.into(), c.i.into()]);
            }
            sql.push_str(&format!(
                " ORDER BY s.score DESC, s.client_id DESC LIMIT {}) \
                 SELECT {cols}, s.score AS score FROM top s JOIN clients c ON c.tenant_id = :tenant AND c.id = s.client_id \
                 WHERE c.merged_into IS NULL AND c.anonymised_at IS NULL",
                first + 1
            ));
        } else {
            sql.push_str(&format!(
                " SELECT {cols}, s.score AS score FROM scored s JOIN clients c ON c.tenant_id = :tenant AND c.id = s.client_id \
                 WHERE c.merged_into IS NULL AND c.anonymised_at IS NULL"
            ));
            filter_sql(backend, filter, today, &mut sql, &mut values);
            if let Some(c) = &after {
                sql.push_str(cursor_sql);
                values.extend([c.s.into(), c.s.into(), c.i.into()]);
            }
        }
        sql.push_str(" ORDER BY s.score DESC, s.client_id DESC");
    }
    sql.push_str(&format!(" LIMIT {}", first + 1));
    let rows = txn.query_all_raw(txn.stmt(&sql, values)).await?;
    page_of(&rows, first)
}
