//! File access for `file://`, `fileb://`, `>` redirections and `lab local`.
//!
//! The parser never touches the operating system: the browser passes a [`MemFs`] (kept in the
//! session), the native `kmslab` binary passes a file system over real files.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The files a command line can read and write.
pub trait FileSystem {
    /// Reads a whole file. The error text is the OS-style reason, e.g.
    /// `[Errno 2] No such file or directory: 'x'`.
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;
    /// Creates or replaces a file.
    fn write(&mut self, path: &str, data: &[u8]) -> Result<(), String>;
    /// The file names, sorted (for `ls` and tab completion).
    fn list(&self) -> Vec<String>;
}

/// The message aws-cli (Python) gives for a missing file.
pub fn not_found(path: &str) -> String {
    format!("[Errno 2] No such file or directory: '{path}'")
}

/// An in-memory file system, serialised with the session (file contents as base64).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemFs {
    files: BTreeMap<String, Vec<u8>>,
}

impl MemFs {
    /// An empty file system.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

fn normalise(path: &str) -> &str {
    path.strip_prefix("./").unwrap_or(path)
}

impl FileSystem for MemFs {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        self.files
            .get(normalise(path))
            .cloned()
            .ok_or_else(|| not_found(path))
    }

    fn write(&mut self, path: &str, data: &[u8]) -> Result<(), String> {
        let p = normalise(path);
        if p.is_empty() || p.ends_with('/') {
            return Err(format!("[Errno 21] Is a directory: '{path}'"));
        }
        self.files.insert(p.to_owned(), data.to_vec());
        Ok(())
    }

    fn list(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }
}

impl Serialize for MemFs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let m: BTreeMap<&String, String> =
            self.files.iter().map(|(k, v)| (k, b64.encode(v))).collect();
        m.serialize(s)
    }
}

impl<'de> Deserialize<'de> for MemFs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let m = BTreeMap::<String, String>::deserialize(d)?;
        let mut files = BTreeMap::new();
        for (k, v) in m {
            let bytes = b64.decode(v.as_bytes()).map_err(serde::de::Error::custom)?;
            files.insert(k, bytes);
        }
        Ok(Self { files })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memfs_round_trips_through_json() {
        let mut fs = MemFs::new();
        fs.write("./a.bin", &[0, 1, 255]).unwrap();
        assert_eq!(fs.read("a.bin").unwrap(), vec![0, 1, 255]);
        let text = serde_json::to_string(&fs).unwrap();
        assert_eq!(text, r#"{"a.bin":"AAH/"}"#);
        let back: MemFs = serde_json::from_str(&text).unwrap();
        assert_eq!(back, fs);
        assert_eq!(
            fs.read("b").unwrap_err(),
            "[Errno 2] No such file or directory: 'b'"
        );
    }
}
