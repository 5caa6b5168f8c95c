//! Fuzz target `vba_decompress`: runs [`tenpu::fuzzing::vba_decompress`] (it panics when an invariant breaks).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tenpu::fuzzing::vba_decompress(data);
});
