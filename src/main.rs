//! The `readout` command: argument parsing lives in [`readout::cli`].

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(readout::cli::main());
}
