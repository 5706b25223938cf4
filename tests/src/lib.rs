//! End-to-end tests of Integra live in `api/` (one test binary, so the
//! workspace is compiled and linked once and the PostgreSQL cluster is
//! started once per run). This library is intentionally empty.
