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
    },
    /// Apply pending database migrations (and PostgreSQL roles and policies).
    Migrate,
    /// Load data into the database.
    Seed {
        /// The demo network of centres and the demo sign-ins.
        #[arg(long, required = true)]
        demo: bool,
    },
    /// Write the GraphQL schema (SDL).
    ExportSchema {
        /// Output file; `-` for standard output.
        #[arg(long, default_value = "graphql/schema.graphql")]
        out: PathBuf,
    },
}

/// Runs the command line; returns the process exit code.
#[allow(clippy::print_stderr, clippy::print_stdout)]
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
    telemetry::init(&config.log_filter, config.log_format);
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
            Command::Serve { migrate } => serve(config, migrate).await,
            Command::Migrate => {
                let db = open_database(&config).await?;
                let applied = migrate(&db).await?;
                eprintln!("migrations applied: {applied}");
                Ok(())
            }
            Command::Seed { .. } => {
                let db = open_database(&config).await?;
                let clock: integra_kernel::SharedClock = Arc::new(integra_kernel::SystemClock);
                let report = integra_tenants::seed::demo(&db, &clock)
                    .await
                    .map_err(|e| StartError(format!("seed failed: {e}")))?;
                eprintln!(
                    "demo seed: {} centres and {} users created",
                    report.centres, report.users
                );
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
