//! The one integration-test binary (ripgrep's layout): each module covers one surface.

mod util;

mod bad_input;
mod cli;
mod golden;
mod roundtrip;
mod sample;
mod sentences;
