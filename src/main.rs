//! The `newsgraph` binary: all the work is in the library (`newsgraph::cli`).

// Loading a store inserts and frees millions of small terms; mimalloc does that markedly
// faster than glibc's allocator (measured on the BBC corpus store: see data/models/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    newsgraph::cli::main()
}
