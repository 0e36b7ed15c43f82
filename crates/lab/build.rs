//! Embeds every scenario's data files (`scenarios/<id>/...`): writes `$OUT_DIR/scenario_files.rs`,
//! a table of `(relative path, include_str!(file))`, so that a new file or a new scenario folder
//! needs no Rust listing. The scenario loader parses and validates them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs, io};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> io::Result<()> {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").map_err(io::Error::other)?).join("scenarios");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for entry in fs::read_dir(&root)? {
        let dir = entry?.path();
        if dir.is_dir() {
            println!("cargo:rerun-if-changed={}", dir.display());
            walk(&dir, &mut files)?;
        }
    }
    files.sort();
    let mut code = String::from("&[\n");
    for path in &files {
        let rel = path
            .strip_prefix(&root)
            .map_err(io::Error::other)?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        writeln!(code, "    ({rel:?}, include_str!({:?})),", path.display())
            .map_err(io::Error::other)?;
    }
    code.push_str("]\n");
    let out = PathBuf::from(env::var("OUT_DIR").map_err(io::Error::other)?);
    fs::write(out.join("scenario_files.rs"), code)
}
