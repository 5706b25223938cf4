//! Structure guards (issue 32): rules of the code base that the compiler
//! does not check yet, read from the sources.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Crates that may name the tenant column: the kernel defines the query
/// starters that add it.
const EXEMPT: &[&str] = &["kernel"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Filters on the tenant column written by hand: the column compared with a
/// value (`Column::TenantId.eq(…)`, also across a line break or after a
/// table-qualified `Expr::col((…, Column::TenantId))`), or `tenant_id = ?`
/// in SQL. Join conditions and conflict targets name the column without
/// filtering by a centre and are not counted.
fn hand_filters(text: &str) -> usize {
    let compared = text
        .match_indices("Column::TenantId")
        .filter(|(at, found)| {
            let rest = text[at + found.len()..].trim_start_matches([')', ' ', '\n', '\t']);
            [".eq(", ".ne(", ".is_in(", ".is_null("]
                .iter()
                .any(|op| rest.starts_with(op))
        })
        .count();
    compared + text.matches("tenant_id = ?").count()
}

#[test]
fn hand_filters_count_comparisons_not_joins_or_conflict_targets() {
    let text = r#"
        .filter(a::Column::TenantId.eq(centre))
        .and_where(Expr::col((b::Entity, b::Column::TenantId))
            .eq(centre))
        "SELECT x FROM t WHERE tenant_id = ? AND y = ?"
        Expr::col((c::Entity, c::Column::TenantId)).equals((d::Entity, d::Column::TenantId))
        OnConflict::columns([e::Column::TenantId, e::Column::Id])
        #[sea_orm(from = "Column::TenantId")]
        "WHERE tenant_id = :tenant"
    "#;
    assert_eq!(hand_filters(text), 3);
}

/// No crate filters by the tenant column by hand (`Column::TenantId`
/// compared with a value, or `tenant_id = ?` in SQL, see [`hand_filters`]):
/// queries start from the `TenantTx` (`txn.find::<E>()`, `:tenant` in raw
/// SQL), which adds the filter itself. On SQLite that filter is the only
/// wall between centres, so it is written once, in the kernel.
#[test]
fn no_crate_writes_a_tenant_filter_by_hand() {
    let crates = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../crates"));
    let mut wrong = Vec::new();
    for entry in std::fs::read_dir(crates).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let src = entry.path().join("src");
        if EXEMPT.contains(&name.as_str()) || !src.is_dir() {
            continue;
        }
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        for f in files {
            let n = hand_filters(&std::fs::read_to_string(&f).unwrap());
            if n > 0 {
                wrong.push(format!(
                    "{}: {n} hand-written tenant filters; start queries with \
                     txn.find::<E>() (or :tenant in SQL) instead",
                    f.display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Tables of other contexts that have no sea-orm entity (written in SQL).
const TABLES_WITHOUT_ENTITY: &[&str] = &[
    "feedback_requests",
    "report_cells",
    "report_dirty",
    "report_claims",
    "report_project_firsts",
];

/// The tables the entities of `krate` map.
fn entity_tables(krate: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let dir = krate.join("src/entity");
    if dir.is_dir() {
        rust_files(&dir, &mut files);
    }
    files
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let at = text.find("table_name = \"")? + "table_name = \"".len();
            Some(text[at..].split('"').next()?.to_owned())
        })
        .collect()
}

/// The client registry knows nothing of the contexts above it: their rows
/// about a client move and are erased by their own `ClientLinks`.
#[test]
fn the_client_registry_names_no_table_of_another_context() {
    let crates = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../crates"));
    let mut others: Vec<String> = TABLES_WITHOUT_ENTITY
        .iter()
        .map(|t| (*t).to_owned())
        .collect();
    for entry in std::fs::read_dir(crates).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !["clients", "kernel"].contains(&name.as_str()) {
            others.extend(entity_tables(&entry.path()));
        }
    }
    assert!(others.iter().any(|t| t == "enrolments"), "{others:?}");
    let mut files = Vec::new();
    rust_files(&crates.join("clients/src"), &mut files);
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for t in &others {
            for shape in [
                format!("FROM {t} "),
                format!("FROM {t}\""),
                format!("UPDATE {t} "),
                format!("INTO {t} "),
                format!("JOIN {t} "),
                format!("\"{t}\""),
            ] {
                if text.contains(&shape) {
                    found.push(format!("{}: {shape}", f.display()));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// Crates that may grant the platform's doors (`PlatformDb::grant`): the
/// composition root and the harnesses that play it.
const PLATFORM_GRANTERS: &[&str] = &["gateway", "test-support", "bench"];

/// Contexts whose every operation acts inside the signed-in actor's
/// centre: they never hold the platform's doors at all.
const TENANT_ONLY: &[&str] = &["calendar", "clients", "counselling"];

/// The platform's doors are handed out by the composition root only; a
/// context reaches another centre's rows, or rows before a centre is
/// known, only through the `PlatformDb` it was given.
#[test]
fn the_platform_doors_are_granted_only_by_the_composition_root() {
    let crates = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../crates"));
    let mut found = Vec::new();
    for entry in std::fs::read_dir(crates).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let mut files = Vec::new();
        rust_files(&entry.path().join("src"), &mut files);
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            let granted = text.contains("PlatformDb::grant");
            let named = text.contains("PlatformDb");
            if (granted && !PLATFORM_GRANTERS.contains(&name.as_str()) && name != "kernel")
                || (named && TENANT_ONLY.contains(&name.as_str()))
            {
                found.push(f.display().to_string());
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// The context crates: plain Rust services, no HTTP and no GraphQL.
const CONTEXT_CRATES: &[&str] = &[
    "integra-kernel",
    "integra-files",
    "integra-tenants",
    "integra-clients",
    "integra-counselling",
    "integra-courses",
    "integra-events",
    "integra-calendar",
    "integra-notify",
    "integra-reporting",
];

/// Only the gateway knows HTTP and GraphQL: neither axum nor async-graphql
/// is reachable from a context crate, directly or through another crate
/// (read from `Cargo.lock`, which lists every package's dependencies).
#[test]
fn no_context_crate_depends_on_http_or_graphql() {
    let lock =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock")).unwrap();
    let mut deps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for block in lock.split("[[package]]").skip(1) {
        let name = block
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .map(|n| n.trim_end_matches('"').to_owned())
            .unwrap();
        let list = block
            .split_once("dependencies = [")
            .map(|(_, rest)| rest.split(']').next().unwrap_or(""))
            .unwrap_or("");
        let names = list
            .split(',')
            .map(|d| d.trim().trim_matches('"'))
            .filter(|d| !d.is_empty())
            .map(|d| d.split(' ').next().unwrap().to_owned());
        deps.entry(name).or_default().extend(names);
    }
    assert!(deps.contains_key("integra-gateway"), "Cargo.lock read");
    let mut wrong = Vec::new();
    for krate in CONTEXT_CRATES {
        assert!(deps.contains_key(*krate), "{krate} is in Cargo.lock");
        let mut seen = std::collections::BTreeSet::new();
        let mut stack = vec![((*krate).to_owned(), vec![(*krate).to_owned()])];
        while let Some((name, path)) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if ["axum", "async-graphql"].contains(&name.as_str()) {
                wrong.push(path.join(" -> "));
                continue;
            }
            for d in deps.get(&name).into_iter().flatten() {
                let mut p = path.clone();
                p.push(d.clone());
                stack.push((d.clone(), p));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The GraphQL module (a top-level file or folder of `gateway/src/graphql`)
/// each Rust file of it belongs to, and the sibling modules it names.
fn graphql_module_imports() -> BTreeMap<String, std::collections::BTreeSet<String>> {
    let root = repo().join("crates/gateway/src/graphql");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let modules: Vec<String> = files
        .iter()
        .map(|f| module_of(&root, f))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut graph = BTreeMap::new();
    for f in &files {
        let from = module_of(&root, f);
        let text = std::fs::read_to_string(f).unwrap();
        let named: &mut std::collections::BTreeSet<String> = graph.entry(from.clone()).or_default();
        for to in &modules {
            let nested = f.parent() != Some(root.as_path());
            let by_super = if nested {
                format!("super::super::{to}")
            } else {
                format!("super::{to}")
            };
            if *to != from
                && (text.contains(&format!("crate::graphql::{to}::"))
                    || text.contains(&format!("{by_super}::"))
                    || text.contains(&format!("{by_super}}}"))
                    || (!nested && text.contains(&format!("super::{{{to}"))))
            {
                named.insert(to.clone());
            }
        }
    }
    graph
}

fn module_of(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// The GraphQL modules follow the contexts' own order: a module never
/// imports one that imports it back, directly or around a loop (the client
/// page, which joins the registry, the client records and counselling, sits
/// above all three).
#[test]
fn the_graphql_modules_import_one_another_without_a_cycle() {
    let graph = graphql_module_imports();
    assert!(
        graph["client_page"].contains("counselling") && graph["counselling"].contains("clients"),
        "the reader of the imports lost its way: {graph:?}"
    );
    fn reaches(
        graph: &BTreeMap<String, std::collections::BTreeSet<String>>,
        from: &str,
        to: &str,
        seen: &mut Vec<String>,
    ) -> bool {
        if seen.iter().any(|s| s == from) {
            return false;
        }
        seen.push(from.to_owned());
        graph
            .get(from)
            .is_some_and(|next| next.iter().any(|n| n == to || reaches(graph, n, to, seen)))
    }
    for (module, named) in &graph {
        for n in named {
            assert!(
                !reaches(&graph, n, module, &mut Vec::new()),
                "graphql::{module} imports {n}, which leads back to {module}"
            );
        }
    }
}

fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Runs one of `scripts/perf/` with `args` (and `PERF_ROOT` when given),
/// failing the test with its stderr when it fails.
fn perf_script(script: &str, args: &[&str], root: Option<&Path>) {
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(repo().join("scripts/perf").join(script)).args(args);
    if let Some(r) = root {
        cmd.env("PERF_ROOT", r);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The README's Performance table is what `scripts/perf/render` makes of
/// `docs/performance/results/`: figures are never copied by hand.
#[test]
fn the_performance_dashboard_is_rendered_from_the_results() {
    perf_script("render", &["--check"], None);
}

/// `scripts/perf/record` turns the bench's JSON lines into a scenario's
/// row: throughput, p50, p99, the ratio to direct SQL, commit and day.
#[test]
fn a_recorded_benchmark_becomes_its_dashboard_row() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("docs/performance/results")).unwrap();
    std::fs::write(
        root.join("README.md"),
        "# x\n\n<!-- performance:start (rendered by scripts/perf/render from docs/performance/results; do not edit) -->\n<!-- performance:end -->\n\nafter\n",
    )
    .unwrap();
    let lines = r#"{"scenario": "detail", "throughput_rps": 2000.4, "p50_ms": 6.5, "p99_ms": 14.25, "errors": 0}
{"scenario": "detail (direct SQL)", "throughput_rps": 3000.0, "p50_ms": 4.0, "p99_ms": 9.5, "errors": 0, "ratio_integra_to_direct": 0.6668}"#;
    perf_script(
        "record",
        &[
            "client-detail",
            "--scenario",
            "client detail",
            "--command",
            "integra-bench detail",
            "--",
            "printf",
            "%s\\n",
            lines,
        ],
        Some(root),
    );
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains("| client detail | 2,000/s, p50 6.50 ms, p99 14.25 ms; ratio to direct SQL 0.67 (direct 3,000/s, p99 9.50 ms) |"),
        "{readme}"
    );
    assert!(readme.ends_with("after\n"));
    let result: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("docs/performance/results/01-client-detail.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(result["measured"].as_array().unwrap().len(), 2);
    assert_eq!(result["commit"].as_str().unwrap().len(), 7);
}
