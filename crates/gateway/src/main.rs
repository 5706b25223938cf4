//! `integra`: see `integra --help`.

// mimalloc returns freed memory to the system promptly; with glibc's malloc
// the 19 MiB argon2 buffers of each sign-in stayed resident and idle RSS
// doubled.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    integra_gateway::cli::main()
}
