//! Random and mutated inputs through `tenpu::check` never panic and always return a report
//! whose verdict obeys the policy (never `no_findings` when something was left uninspected).
//!
//! Seeds: every fixture of `tests/common/fixtures.rs`, plus a sample of `../shared/corpus` when
//! present. Mutations: bit flips, byte overwrites with boundary values, truncation, duplication
//! and removal of ranges, splices between seeds. A fixed-seed xorshift generator keeps the run
//! reproducible; set `TENPU_MUTATIONS` to run more.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use tenpu::{Limits, Options, Verdict};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const BOUNDARY: &[u8] = &[0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF];

fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        if v.is_empty() {
            v.push(rng.next() as u8);
        }
        let len = v.len();
        match rng.below(7) {
            0 => {
                let i = rng.below(len);
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(len);
                v[i] = BOUNDARY[rng.below(BOUNDARY.len())];
            }
            2 => {
                // A 32-bit field set to a huge or boundary value (sizes, counts, offsets).
                let i = rng.below(len);
                let val: u32 = [0, 1, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000, 0xFFFF][rng.below(6)];
                for (k, b) in val.to_le_bytes().iter().enumerate() {
                    if let Some(x) = v.get_mut(i + k) {
                        *x = *b;
                    }
                }
            }
            3 => v.truncate(rng.below(len)),
            4 => {
                let a = rng.below(len);
                let b = (a + rng.below(256)).min(len);
                let chunk = v[a..b].to_vec();
                let at = rng.below(v.len());
                v.splice(at..at, chunk);
            }
            5 => {
                let a = rng.below(len);
                let b = (a + rng.below(256)).min(len);
                v.drain(a..b);
            }
            _ => {
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = (a + rng.below(4096)).min(other.len());
                    let at = rng.below(v.len());
                    v.splice(at..at, other[a..b].iter().copied());
                }
            }
        }
    }
    v
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut s: Vec<(String, Vec<u8>)> = common::fixtures::all()
        .into_iter()
        .map(|f| (f.file.to_string(), f.bytes))
        .collect();
    if let Some(dir) = common::corpus_dir() {
        // A few small files of each source: enough to reach every parser with real structure.
        let mut picked = 0;
        for source in std::fs::read_dir(&dir).unwrap().flatten() {
            let mut stack = vec![source.path()];
            let mut per_source = 0;
            while let Some(d) = stack.pop() {
                let Ok(rd) = std::fs::read_dir(&d) else {
                    continue;
                };
                for e in rd.flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if per_source < 6
                        && e.metadata().map(|m| m.len() < 200_000).unwrap_or(false)
                    {
                        if let Ok(b) = std::fs::read(&p) {
                            s.push((p.file_name().unwrap().to_string_lossy().to_string(), b));
                            per_source += 1;
                            picked += 1;
                        }
                    }
                }
            }
        }
        println!("robustness: {picked} corpus seeds");
    } else {
        println!("robustness: ../shared/corpus absent, fixtures only");
    }
    s
}

#[test]
fn mutated_inputs_never_panic_and_verdicts_stay_honest() {
    let n: usize = std::env::var("TENPU_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let seeds = seeds();
    // Small budgets too, so the limit paths are exercised.
    let small = Options {
        passwords: vec!["Kaigi2026".into(), "infected".into()],
        limits: Limits {
            max_depth: 3,
            max_entries: 20,
            max_total_inflated: 1 << 20,
            max_entry_inflated: 1 << 19,
            ..Limits::default()
        },
        ..Options::default()
    };
    let default = Options::default();
    let mut rng = Rng(0x7e4b_0001_dead_beef);
    let mut failures = Vec::new();
    for i in 0..n {
        let (name, seed) = &seeds[rng.below(seeds.len())];
        let other = &seeds[rng.below(seeds.len())].1;
        let input = mutate(&mut rng, seed, other);
        let opts = if i % 2 == 0 { &default } else { &small };
        match catch_unwind(AssertUnwindSafe(|| tenpu::check(&input, name, opts))) {
            Ok(r) => {
                if !r.complete && r.verdict == Verdict::NoFindings {
                    failures.push(format!("#{i} {name}: incomplete but no_findings"));
                }
                if r.objects.is_empty() {
                    failures.push(format!("#{i} {name}: no objects recorded"));
                }
            }
            Err(_) => failures.push(format!("#{i} {name}: panicked (len {})", input.len())),
        }
    }
    println!("robustness: {n} mutated inputs from {} seeds", seeds.len());
    assert!(
        failures.is_empty(),
        "{} failures:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn random_bytes_with_every_magic() {
    let magics: &[&[u8]] = &[
        b"PK\x03\x04",
        b"PK\x05\x06",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
        b"MZ",
        b"%PDF-1.7\n",
        b"{\\rtf1",
        b"From: a@b\r\nSubject: x\r\n\r\n",
        b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n",
    ];
    let mut rng = Rng(42);
    for i in 0..2000 {
        let magic = magics[i % magics.len()];
        let mut v = magic.to_vec();
        let len = rng.below(2048);
        v.extend((0..len).map(|_| rng.next() as u8));
        let r = catch_unwind(AssertUnwindSafe(|| {
            tenpu::check(&v, "random.bin", &Options::default())
        }));
        assert!(r.is_ok(), "panic on random input #{i} with magic {magic:?}");
    }
}
