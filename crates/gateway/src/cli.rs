//! The `integra` command line.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::app::{StartError, migrate, open_database, serve};
use crate::config::Config;
use crate::telemetry;

/// Integra: case management for integration centres for foreigners.
#[derive(Parser, Debug)]
#[command(name = "integra", version, about)]
pub struct Cli {
    /// TOML configuration file (settings are overridden by INTEGRA_* variables).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Sub-commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server.
    Serve {
        /// Apply pending migrations before serving (always done in dev mode).
        #[arg(long)]
        migrate: bool,
        /// Allow dev mode (demo sign-ins, GraphiQL, cookies without
        /// `Secure`) on an address other than loopback or on PostgreSQL;
        /// without it such a start is refused.
        #[arg(long)]
        dev: bool,
    },
    /// Apply pending database migrations (and PostgreSQL roles and policies).
    Migrate,
    /// Load data into the database.
    #[command(group(clap::ArgGroup::new("what").required(true).args(["demo", "synthetic"])))]
    Seed {
        /// The demo network of centres and the demo sign-ins.
        #[arg(long)]
        demo: bool,
        /// Synthetic clients in the demo centres, for benchmarks (implies
        /// --demo). On PostgreSQL connect as the owner: it loads with COPY.
        #[arg(long)]
        synthetic: bool,
        /// `small` (2,000 clients) or `national` (1,000,000 clients).
        #[arg(long, default_value = "small", value_parser = ["small", "national"])]
        scale: String,
        /// Seed of the generator: the same seed gives the same data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Count every month marked for reporting and rebuild the years they
    /// belong to, as the server does in the background, then exit (after a
    /// bulk load, so that the server starts with its figures up to date).
    RefreshReports,
    /// Write the GraphQL schema (SDL).
    ExportSchema {
        /// Output file; `-` for standard output.
        #[arg(long, default_value = "graphql/schema.graphql")]
        out: PathBuf,
    },
}

/// Runs the command line; returns the process exit code.
#[allow(
    clippy::print_stderr,
    clippy::print_stdout,
    reason = "a command-line tool answers on stdout and stderr"
)]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::ExportSchema { out } = &cli.command {
        let sdl = crate::graphql::sdl();
        if out.as_os_str() == "-" {
            print!("{sdl}");
            return ExitCode::SUCCESS;
        }
        return match std::fs::write(out, sdl) {
            Ok(()) => {
                eprintln!("wrote {}", out.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("integra: cannot write {}: {e}", out.display());
                ExitCode::FAILURE
            }
        };
    }
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("integra: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&config.log.filter, config.log.format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("integra: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve { migrate, dev } => serve(config, migrate, dev).await,
            Command::Migrate => {
                let db = open_database(&config).await?;
                let applied = migrate(&db).await?;
                eprintln!("migrations applied: {applied}");
                Ok(())
            }
            Command::Seed {
                synthetic,
                scale,
                seed,
                ..
            } => {
                crate::app::refuse_demo_seed(&config)?;
                if synthetic && !cfg!(feature = "synthetic") {
                    return Err(StartError(
                        "seed --synthetic: this build leaves the synthetic generator out; build \
                         with `cargo build --release -p integra-gateway --features synthetic` \
                         (the bench scripts do)"
                            .into(),
                    ));
                }
                let mut config = config;
                config.ensure_secret().map_err(|e| StartError(e.0))?;
                let db = open_database(&config).await?;
                let platform = integra_kernel::PlatformDb::grant(&db);
                let clock: integra_kernel::SharedClock = Arc::new(integra_kernel::SystemClock);
                let report = integra_tenants::seed::demo(&platform, &clock)
                    .await
                    .map_err(|e| StartError(format!("seed failed: {e}")))?;
                eprintln!(
                    "demo seed: {} centres and {} users created",
                    report.centres, report.users
                );
                #[cfg(feature = "synthetic")]
                if synthetic {
                    synthetic_seed(&db, &platform, &config, clock, &scale, seed).await?;
                }
                #[cfg(not(feature = "synthetic"))]
                let _ = (scale, seed);
                Ok(())
            }
            Command::RefreshReports => {
                let db = open_database(&config).await?;
                let clock: integra_kernel::SharedClock = Arc::new(integra_kernel::SystemClock);
                let reporting = integra_reporting::ReportingService::new(
                    integra_kernel::PlatformDb::grant(&db),
                    clock,
                );
                let started = std::time::Instant::now();
                let (mut months, mut years) = (0, std::collections::BTreeSet::new());
                loop {
                    let done = reporting
                        .refresh()
                        .await
                        .map_err(|e| StartError(format!("reporting refresh failed: {e}")))?;
                    months += done.months;
                    years.extend(done.years);
                    if done.months == 0 {
                        break;
                    }
                }
                eprintln!(
                    "reporting refresh: {months} centre-months counted, {} years built in {:.1} s",
                    years.len(),
                    started.elapsed().as_secs_f64()
                );
                // A month that fails to recount stays marked (the log says
                // why); the command fails rather than report figures whole.
                let left = reporting
                    .marked_months()
                    .await
                    .map_err(|e| StartError(format!("reporting refresh failed: {e}")))?;
                if left > 0 {
                    return Err(StartError(format!(
                        "{left} centre-months could not be counted (see the warnings above)"
                    )));
                }
                Ok(())
            }
            Command::ExportSchema { .. } => Ok(()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("integra: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `seed --synthetic`: the generated clients, services, courses and events
/// in the demo centres (a build with the `synthetic` feature).
#[cfg(feature = "synthetic")]
#[allow(
    clippy::print_stderr,
    reason = "a command-line tool reports what it loaded to the person who ran it"
)]
async fn synthetic_seed(
    db: &integra_kernel::Database,
    platform: &integra_kernel::PlatformDb,
    config: &Config,
    clock: integra_kernel::SharedClock,
    scale: &str,
    seed: u64,
) -> Result<(), StartError> {
    let scale = integra_synth::Scale::parse(scale)
        .ok_or_else(|| StartError(format!("--scale: unknown scale '{scale}'")))?;
    let clients = crate::app::client_service(db, config, clock.clone())?;
    let key =
        |f: &str, g: &str, b: Option<chrono::NaiveDate>, n: &str| clients.person_key(f, g, b, n);
    let r = integra_synth::load(platform, &clock, scale, seed, &key)
        .await
        .map_err(|e| StartError(format!("synthetic seed failed: {e}")))?;
    eprintln!(
        "synthetic seed: {} clients, {} residence periods, {} index postings, {} index variants, {} interventions, {} tasks, {} courses, {} sessions, {} enrolments, {} attendance marks, {} events, {} registrations in {:.1} s ({} centres already had clients)",
        r.clients,
        r.residence_periods,
        r.terms,
        r.variants,
        r.interventions,
        r.tasks,
        r.courses,
        r.sessions,
        r.enrolments,
        r.attendance,
        r.events,
        r.registrations,
        r.seconds,
        r.skipped_centres
    );
    Ok(())
}
