//! sea-orm entities of the clients context. Internal: the service hands out
//! domain types.
#![allow(
    missing_docs,
    reason = "sea-orm entity models: each table and its columns are described in its migration"
)]

pub mod alias;
pub mod audit;
pub mod client;
pub mod consent;
pub mod household;
pub mod residence;

integra_kernel::tenant_owned!(alias, audit, client, consent, household, residence);
