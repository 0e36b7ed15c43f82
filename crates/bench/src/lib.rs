//! Shared helpers of the benchmark and fuzz binaries (native only; they read the real clock).

use std::time::{Duration, Instant};

/// Runs `f` repeatedly for about `budget` and returns (iterations, elapsed).
pub fn measure(budget: Duration, mut f: impl FnMut()) -> (u64, Duration) {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for _ in 0..16 {
            f();
        }
        n += 16;
    }
    (n, start.elapsed())
}
