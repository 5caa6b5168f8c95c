//! Fuzz target `pdf`: runs [`tenpu::fuzzing::pdf`] (it panics when an invariant breaks).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tenpu::fuzzing::pdf(data);
});
