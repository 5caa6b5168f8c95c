//! Zip-bomb checks on the central directory, before anything is inflated.
//!
//! - Declared compression ratio (APPNOTE 4.4.8/4.4.9 sizes): DEFLATE cannot exceed about 1032:1,
//!   so a declared ratio above `Limits::max_ratio` is not a real file.
//! - Overlapping entries (David Fifield, "A better zip bomb", 2019): several central directory
//!   entries whose local header + data ranges overlap, so one compressed kernel is inflated many
//!   times. Legitimate archives never share bytes between entries.

use super::archive::Entry;

/// Evidence when an entry's declared sizes are an impossible compression ratio.
pub fn declared_bomb(e: &Entry, max_ratio: u64) -> Option<String> {
    if e.uncompressed == 0 {
        return None;
    }
    let over = match e.uncompressed.checked_div(e.compressed) {
        None => true, // nothing stored, something declared
        Some(r) => r > max_ratio,
    };
    over.then(|| {
        format!(
            "zip bomb: declares {} bytes from {} compressed bytes (ratio {}:1, limit {}:1); not inflated",
            e.uncompressed,
            e.compressed,
            e.uncompressed.checked_div(e.compressed.max(1)).unwrap_or(0),
            max_ratio
        )
    })
}

/// Indices of entries whose `[local header, data end)` spans overlap another entry's.
/// Sorting plus one sweep: O(n log n).
pub fn overlapping(entries: &[Entry]) -> Vec<bool> {
    let mut flagged = vec![false; entries.len()];
    let mut spans: Vec<(u64, u64, usize)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.span().map(|s| (s.start, s.end, i)))
        .collect();
    spans.sort_unstable();
    // The span reaching furthest so far, and whose it is.
    let mut reach: Option<(u64, usize)> = None;
    for &(start, end, i) in &spans {
        if let Some((far, j)) = reach {
            if start < far {
                for k in [i, j] {
                    if let Some(f) = flagged.get_mut(k) {
                        *f = true;
                    }
                }
            }
        }
        if reach.is_none_or(|(far, _)| end > far) {
            reach = Some((end, i));
        }
    }
    flagged
}
