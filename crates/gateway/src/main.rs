//! `integra`: see `integra --help`.

fn main() -> std::process::ExitCode {
    integra_gateway::cli::main()
}
