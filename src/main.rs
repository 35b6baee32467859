//! The `readout` command: argument parsing lives in [`readout::cli`].

#[global_allocator]
static GLOBAL: readout::alloc::Allocator = readout::alloc::Allocator;

fn main() {
    std::process::exit(readout::cli::main());
}
