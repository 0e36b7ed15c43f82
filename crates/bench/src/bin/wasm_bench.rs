//! The engine benchmark compiled to wasm32 (`cargo xtask bench --wasm`): the same
//! `bench::engine_rows` as the native table, on the page's clock (`performance.now()`), run in
//! headless Chromium by `crates/bench/wasm/run.mjs`. Natively this binary does nothing.

#[cfg(target_arch = "wasm32")]
mod web {
    // The app's memcmp (as `src/lib.rs` links it), so the rows run the same code.
    use wasm_bindgen::prelude::*;
    use wasm_mem as _;

    #[wasm_bindgen]
    extern "C" {
        /// `performance.now()`: milliseconds, monotonic.
        #[wasm_bindgen(js_namespace = performance)]
        fn now() -> f64;
    }

    /// Runs the three engine rows for about `budget_ms` each; returns
    /// `{"engine": {"Encrypt": ops_per_s, …}, "runs": {…}, "failures": n}` as JSON text.
    #[wasm_bindgen]
    pub fn run_engine(budget_ms: f64) -> Result<String, String> {
        let clock = || now() / 1000.0;
        let (rows, engine) = bench::engine_rows(&clock, &|| None, budget_ms / 1000.0)?;
        let runs: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|r| (r.key.to_owned(), serde_json::json!(r.runs)))
            .collect();
        Ok(serde_json::json!({
            "engine": bench::rows_json(&rows),
            "runs": runs,
            "failures": engine.failures,
        })
        .to_string())
    }
}

fn main() {}
