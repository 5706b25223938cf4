//! The committed schema is the schema the code serves.

#[test]
fn committed_schema_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../graphql/schema.graphql");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let current = integra_gateway::graphql::sdl();
    assert!(
        committed == current,
        "graphql/schema.graphql is stale: run `cargo run -p integra-gateway -- export-schema` and commit it"
    );
}
