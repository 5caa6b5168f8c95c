//! Helpers for the unit tests only.

/// A xorshift64 generator: reproducible pseudo-random numbers for generated test inputs.
/// `seed` must not be 0 (it is replaced by 1).
pub fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut x = seed.max(1);
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}
