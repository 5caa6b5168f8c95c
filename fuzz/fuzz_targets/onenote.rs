//! Fuzz target `onenote`: runs [`tenpu::fuzzing::onenote`] (it panics when an invariant breaks).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tenpu::fuzzing::onenote(data);
});
