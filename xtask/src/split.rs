//! `cargo xtask split-wasm`: cuts the app's wasm into the first download and the chunks its
//! split points name (`src/lazy/`), after trunk has built it. A Trunk.toml `post_build` hook runs
//! it, for `trunk build` and `trunk serve` alike, in trunk's staging directory:
//!
//! 1. reads the linked wasm cargo wrote (`<target>/wasm32-unknown-unknown/<profile>/kmslab-web.wasm`,
//!    `wasm-release` or `debug`,
//!    linked with `--emit-relocs`: `.cargo/config.toml`), and splits it with
//!    `wasm_split_cli_support` into a main module, one module per split point and modules of
//!    code several split points share, plus the link module that loads them;
//! 2. runs wasm-bindgen on the main module over trunk's own output (same file names, so trunk's
//!    `index.html` stays right), keeping the linker's exports the chunks import;
//! 3. in release builds, `wasm-opt -Oz` on every module (trunk's own wasm-opt is off);
//! 4. names every chunk and the link module after trunk's hashed name, so a new build never
//!    reuses an old file name, and rewrites `index.html`'s integrity hashes of the two files it
//!    replaced.

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use sha2::Digest as _;

use super::{Result, cmd, root, run, target_dir};

pub fn split_wasm_task(rest: &[String]) -> Result {
    let staging = match super::option(rest, "--staging")? {
        Some(dir) => root().join(dir),
        None => std::env::var_os("TRUNK_STAGING_DIR")
            .map(PathBuf::from)
            .ok_or("split-wasm needs --staging DIR (or TRUNK_STAGING_DIR, set by trunk)")?,
    };
    let profile = match super::option(rest, "--profile")? {
        Some(p) => p,
        None => std::env::var("TRUNK_PROFILE").unwrap_or_else(|_| "release".into()),
    };
    let release = match profile.as_str() {
        "release" => true,
        "debug" => false,
        other => return Err(format!("--profile {other}: release or debug")),
    };
    let input = match super::option(rest, "--input")? {
        Some(path) => root().join(path),
        None => target_dir()?
            .join("wasm32-unknown-unknown")
            // index.html's data-cargo-profile-release: the size-optimised profile.
            .join(if release { "wasm-release" } else { "debug" })
            .join("kmslab-web.wasm"),
    };
    // `--keep-names`: no wasm-opt, so the function names stay in (for profiling).
    let optimise = release && !rest.iter().any(|a| a == "--keep-names");
    split(&staging, &input, optimise)
}

/// trunk's output in `dir`: the name shared by `<name>.js` and `<name>_bg.wasm`.
fn bindgen_name(dir: &Path) -> Result<String> {
    let mut names = fs::read_dir(dir)
        .map_err(|e| format!("read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            file.strip_suffix("_bg.wasm").map(str::to_owned)
        })
        .filter(|name| dir.join(format!("{name}.js")).exists());
    match (names.next(), names.next()) {
        (Some(name), None) => Ok(name),
        (None, _) => Err(format!(
            "no <name>.js with <name>_bg.wasm in {}",
            dir.display()
        )),
        (Some(_), Some(_)) => Err(format!(
            "more than one wasm-bindgen output in {}",
            dir.display()
        )),
    }
}

fn sri(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(bytes))
    )
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("read {}: {e}", path.display()))
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result {
    fs::write(path, bytes).map_err(|e| format!("write {}: {e}", path.display()))
}

fn split(staging: &Path, input: &Path, optimise: bool) -> Result {
    let name = bindgen_name(staging)?;
    let glue = staging.join(format!("{name}.js"));
    let main_wasm = staging.join(format!("{name}_bg.wasm"));
    let old_glue_sri = sri(&read(&glue)?);
    let old_wasm_sri = sri(&read(&main_wasm)?);
    let linked = read(input)?;

    // (1) Split, in a work directory inside the staging directory (removed after).
    let work = staging.join(".split");
    if work.exists() {
        fs::remove_dir_all(&work).map_err(|e| format!("clear {}: {e}", work.display()))?;
    }
    fs::create_dir_all(&work).map_err(|e| format!("create {}: {e}", work.display()))?;
    let split_main = work.join("main.wasm");
    let link_name = format!("./{name}.split.js");
    let main_module = format!("./{name}.js");
    eprintln!("xtask: ▶ split {}", input.display());
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&linked);
        opts.output_dir = &work;
        opts.main_out_path = &split_main;
        opts.link_name = &link_name;
        opts.main_module = &main_module;
        opts
    })
    .map_err(|e| {
        format!(
            "wasm split of {}: {e:#} (is it linked with --emit-relocs? see .cargo/config.toml)",
            input.display()
        )
    })?;

    // (2) wasm-bindgen on the main module, over trunk's files.
    run(
        "wasm-bindgen (split main module)",
        cmd("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--keep-lld-exports"])
            .arg("--out-dir")
            .arg(staging)
            .args(["--out-name", &name])
            .arg(&split_main),
    )?;

    // (3) The chunks, named after trunk's hashed name; the link module's URLs follow.
    let link_path = work.join(link_name.trim_start_matches("./"));
    let mut link = String::from_utf8(read(&link_path)?)
        .map_err(|e| format!("{}: {e}", link_path.display()))?;
    let mut modules = vec![main_wasm.clone()];
    for chunk in &split.split_modules {
        let file = chunk
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .ok_or_else(|| format!("chunk without a name: {}", chunk.display()))?;
        let renamed = format!("{name}.{file}");
        let quoted = format!("\"./{file}\"");
        if !link.contains(&quoted) {
            return Err(format!("the link module does not load {file}"));
        }
        link = link.replace(&quoted, &format!("\"./{renamed}\""));
        let dest = staging.join(&renamed);
        fs::rename(chunk, &dest).map_err(|e| format!("move {}: {e}", chunk.display()))?;
        modules.push(dest);
    }
    let link = with_instantiate_fallback(&link)?;
    write(&staging.join(link_name.trim_start_matches("./")), &link)?;

    if optimise {
        for module in &modules {
            run(
                "wasm-opt -Oz",
                cmd("wasm-opt")
                    .args([
                        "-Oz",
                        "--enable-bulk-memory",
                        "--enable-nontrapping-float-to-int",
                    ])
                    .args(["--enable-sign-ext", "--enable-mutable-globals"])
                    .args(["--enable-reference-types", "--enable-multivalue"])
                    .arg(module)
                    .arg("-o")
                    .arg(module),
            )?;
        }
    }
    fs::remove_dir_all(&work).map_err(|e| format!("remove {}: {e}", work.display()))?;

    // (4) index.html's integrity hashes of the glue and the main module.
    let index = staging.join("index.html");
    let html = String::from_utf8(read(&index)?).map_err(|e| format!("index.html: {e}"))?;
    // Trunk writes both hashes (`integrity="sha384-…"`); if it ever wrote another algorithm, the
    // browser would refuse the new files: stop here instead.
    if html.contains("integrity=")
        && !(html.contains(&old_glue_sri) && html.contains(&old_wasm_sri))
    {
        return Err(
            "index.html: the integrity hashes of trunk's files are not sha384 ones this \
             hook can update"
                .into(),
        );
    }
    let html = html
        .replace(&old_glue_sri, &sri(&read(&glue)?))
        .replace(&old_wasm_sri, &sri(&read(&main_wasm)?));
    write(&index, html)?;

    let size = |p: &Path| fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "xtask: split: main module {:.1} KiB, {} chunks {:.1} KiB (raw)",
        size(&main_wasm) as f64 / 1024.0,
        modules.len() - 1,
        modules.iter().skip(1).map(|m| size(m)).sum::<u64>() as f64 / 1024.0
    );
    Ok(())
}

/// The call the link module makes for each chunk, and what replaces it.
const STREAMING: &str = "(WebAssembly.instantiateStreaming(src, imports))";
const WITH_FALLBACK: &str = "(__kmslabInstantiate(src, imports))";

/// The link module with each chunk instantiated through [`FALLBACK_JS`]: a host that serves
/// `.wasm` without `Content-Type: application/wasm` (some LMSs and buckets) still gets the chunks,
/// as wasm-bindgen's glue does for the first module, and an HTTP error is reported as one.
fn with_instantiate_fallback(link: &str) -> Result<String> {
    if !link.contains(STREAMING) {
        return Err(format!(
            "the link module no longer instantiates chunks with `{STREAMING}`: update split.rs"
        ));
    }
    Ok(format!(
        "{}\n{FALLBACK_JS}",
        link.replace(STREAMING, WITH_FALLBACK)
    ))
}

const FALLBACK_JS: &str = r#"// Added by `cargo xtask split-wasm` (xtask/src/split.rs).
async function __kmslabInstantiate(src, imports) {
    const response = await src;
    if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
    try {
        return await WebAssembly.instantiateStreaming(response.clone(), imports);
    } catch (e) {
        if ((response.headers.get('Content-Type') || '').startsWith('application/wasm')) throw e;
        return await WebAssembly.instantiate(await response.arrayBuffer(), imports);
    }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chunk_is_instantiated_with_the_fallback() {
        let link = format!(
            "const a = makeLoad(() => {{ return async (imports) => {STREAMING}; }});\n\
             const b = makeLoad(() => {{ return async (imports) => {STREAMING}; }});"
        );
        let out = with_instantiate_fallback(&link).unwrap_or_default();
        assert!(!out.contains(STREAMING));
        assert_eq!(out.matches(WITH_FALLBACK).count(), 2);
        assert!(out.contains("async function __kmslabInstantiate(src, imports)"));
    }

    #[test]
    fn a_link_module_of_another_shape_is_refused() {
        let err = with_instantiate_fallback("WebAssembly.instantiate(bytes, imports)");
        assert!(err.is_err_and(|e| e.contains("no longer instantiates")));
    }
}
