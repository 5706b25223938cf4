//! One span per service call. Every root field of an operation is one call
//! into a context's service (`client`, `recordIntervention`, …); it runs in
//! a `service_call` span named by the field, inside the request span that
//! carries the operation and the centre (`crate::telemetry`). A line logged
//! by the service says which call it came from, and the end of each call is
//! logged at `DEBUG` with its time, so `INTEGRA_LOG=integra_gateway=debug`
//! shows which call of a slow request took the time. Only the field name is
//! recorded: never arguments or results.

use std::sync::Arc;
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
};
use async_graphql::{ServerResult, Value};
use tracing::Instrument;

/// The extension that opens the spans.
pub struct ServiceCallSpans;

impl ExtensionFactory for ServiceCallSpans {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ServiceCallSpans)
    }
}

#[async_trait::async_trait]
impl Extension for ServiceCallSpans {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        // Nested fields are read from what the root field's call returned.
        if info.path_node.parent.is_some() || info.is_for_introspection {
            return next.run(ctx, info).await;
        }
        let span = tracing::info_span!("service_call", field = info.name);
        let started = Instant::now();
        let out = next.run(ctx, info).instrument(span.clone()).await;
        let elapsed_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        tracing::debug!(parent: &span, elapsed_us, ok = out.is_ok(), "service call finished");
        out
    }
}
