//! `lab local ...`: the client-side steps AWS users perform themselves (envelope encryption
//! with a data key, random bytes, RSA encryption and key-material wrapping for imports).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes128Gcm, Aes256Gcm, Nonce};
use base64::Engine as _;
use rand_core::RngCore;

use super::{Opts, usage};
use crate::error::CliError;
use crate::fs::FileSystem;
use crate::session::{Out, Session};

type LocalCommand = fn(&mut Session, &Opts, &mut dyn FileSystem) -> Result<Out, CliError>;

/// `lab local` subcommands: name, allowed options, handler. Add client-side steps here.
pub(super) const LOCAL: &[(&str, &[&str], LocalCommand)] = &[
    (
        "encrypt",
        &["key-b64", "key-file", "in", "out", "aad"],
        local_encrypt,
    ),
    (
        "decrypt",
        &["key-b64", "key-file", "in", "out", "aad"],
        local_decrypt,
    ),
    ("random", &["bytes", "out"], local_random),
    (
        "rsa-encrypt",
        &["public-key", "algorithm", "in", "out"],
        local_rsa_encrypt,
    ),
    (
        "wrap-key-material",
        &["public-key", "algorithm", "in", "out", "token-out"],
        local_wrap_key_material,
    ),
];

/// The `lab local` subcommand names.
pub(crate) fn local_commands() -> impl Iterator<Item = &'static str> {
    LOCAL.iter().map(|(n, _, _)| *n)
}

/// The options of one `lab local` subcommand.
pub(crate) fn local_options(sub: &str) -> impl Iterator<Item = &'static str> {
    LOCAL
        .iter()
        .filter(move |(n, _, _)| *n == sub)
        .flat_map(|(_, o, _)| o.iter().copied())
}

fn read(fs: &dyn FileSystem, path: &str) -> Result<Vec<u8>, CliError> {
    fs.read(path)
        .map_err(|e| CliError::lab(format!("lab local: {e}"), 1))
}

fn write(fs: &mut dyn FileSystem, path: &str, data: &[u8]) -> Result<(), CliError> {
    fs.write(path, data)
        .map_err(|e| CliError::lab(format!("lab local: {path}: {e}"), 1))
}

/// The plaintext data key from `--key-b64` or `--key-file`.
fn data_key(o: &Opts, fs: &dyn FileSystem) -> Result<Vec<u8>, CliError> {
    let key = match (o.get("key-b64"), o.get("key-file")) {
        (Some(b), None) => base64::engine::general_purpose::STANDARD
            .decode(b.trim().as_bytes())
            .map_err(|_| CliError::lab("lab local: --key-b64 is not valid base64 (use the Plaintext of generate-data-key)", 1))?,
        (None, Some(f)) => read(fs, f)?,
        _ => return Err(usage("give the data key with exactly one of --key-b64 or --key-file")),
    };
    if key.len() != 32 && key.len() != 16 {
        return Err(CliError::lab(
            format!(
                "lab local: the data key must be 32 bytes (AES_256) or 16 bytes (AES_128); got {} bytes",
                key.len()
            ),
            1,
        ));
    }
    Ok(key)
}

/// AES-GCM with a data key: the file is `nonce (12 bytes) || ciphertext || tag (16 bytes)`.
fn seal(key: &[u8], nonce: &[u8; 12], data: &[u8], aad: &[u8]) -> Result<Vec<u8>, ()> {
    let n = Nonce::from_slice(nonce);
    let p = Payload { msg: data, aad };
    if key.len() == 32 {
        Aes256Gcm::new_from_slice(key)
            .map_err(|_| ())?
            .encrypt(n, p)
            .map_err(|_| ())
    } else {
        Aes128Gcm::new_from_slice(key)
            .map_err(|_| ())?
            .encrypt(n, p)
            .map_err(|_| ())
    }
}

fn open(key: &[u8], nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>, ()> {
    if nonce.len() != 12 {
        return Err(());
    }
    let n = Nonce::from_slice(nonce);
    let p = Payload { msg: data, aad };
    if key.len() == 32 {
        Aes256Gcm::new_from_slice(key)
            .map_err(|_| ())?
            .decrypt(n, p)
            .map_err(|_| ())
    } else {
        Aes128Gcm::new_from_slice(key)
            .map_err(|_| ())?
            .decrypt(n, p)
            .map_err(|_| ())
    }
}

fn local_encrypt(s: &mut Session, o: &Opts, fs: &mut dyn FileSystem) -> Result<Out, CliError> {
    let key = data_key(o, fs)?;
    let input = read(fs, o.require("in")?)?;
    let out_path = o.require("out")?.to_owned();
    let mut nonce = [0u8; 12];
    s.rng().fill_bytes(&mut nonce);
    let sealed = seal(
        &key,
        &nonce,
        &input,
        o.get("aad").unwrap_or_default().as_bytes(),
    )
    .map_err(|()| CliError::lab("lab local: encryption failed", 1))?;
    let mut file = nonce.to_vec();
    file.extend(sealed);
    write(fs, &out_path, &file)?;
    Ok(Out::text(format!(
        "encrypted {} bytes into {out_path} ({} bytes: 12-byte nonce, ciphertext, 16-byte tag) with AES-{}-GCM\n",
        input.len(),
        file.len(),
        key.len() * 8
    )))
}

fn local_decrypt(_s: &mut Session, o: &Opts, fs: &mut dyn FileSystem) -> Result<Out, CliError> {
    let key = data_key(o, fs)?;
    let input = read(fs, o.require("in")?)?;
    let out_path = o.require("out")?.to_owned();
    let (nonce, body) = input.split_at(input.len().min(12));
    let plain = open(
        &key,
        nonce,
        body,
        o.get("aad").unwrap_or_default().as_bytes(),
    )
    .map_err(|()| {
        CliError::lab(
            "lab local: decryption failed: wrong data key, wrong --aad, or the file was changed",
            1,
        )
    })?;
    write(fs, &out_path, &plain)?;
    Ok(Out::text(format!(
        "decrypted {} bytes into {out_path}\n",
        plain.len()
    )))
}

fn local_random(s: &mut Session, o: &Opts, fs: &mut dyn FileSystem) -> Result<Out, CliError> {
    let n: usize = o
        .require("bytes")?
        .parse()
        .ok()
        .filter(|n| *n > 0 && *n <= 1 << 20)
        .ok_or_else(|| usage("--bytes must be a number from 1 to 1048576"))?;
    let mut buf = vec![0u8; n];
    s.rng().fill_bytes(&mut buf);
    let path = o.require("out")?.to_owned();
    write(fs, &path, &buf)?;
    Ok(Out::text(format!("wrote {n} random bytes to {path}\n")))
}

/// A `fileb://PATH` or plain path.
fn file_arg(v: &str) -> &str {
    v.strip_prefix("fileb://")
        .or_else(|| v.strip_prefix("file://"))
        .unwrap_or(v)
}

fn local_rsa_encrypt(s: &mut Session, o: &Opts, fs: &mut dyn FileSystem) -> Result<Out, CliError> {
    let public = read(fs, file_arg(o.require("public-key")?))?;
    let alg = o.get("algorithm").unwrap_or("RSAES_OAEP_SHA_256");
    let input = read(fs, file_arg(o.require("in")?))?;
    let out_path = o.require("out")?.to_owned();
    let ct = cloud::client::rsa_oaep_encrypt(&public, alg, &input, s.rng())
        .map_err(|e| CliError::lab(format!("lab local: {e}"), 1))?;
    write(fs, &out_path, &ct)?;
    Ok(Out::text(format!(
        "encrypted {} bytes into {out_path} ({} bytes) with {alg}\n",
        input.len(),
        ct.len()
    )))
}

fn local_wrap_key_material(
    s: &mut Session,
    o: &Opts,
    fs: &mut dyn FileSystem,
) -> Result<Out, CliError> {
    let mut public = read(fs, file_arg(o.require("public-key")?))?;
    // The saved JSON output of `aws kms get-parameters-for-import` works too: its PublicKey is
    // used, and --token-out receives its ImportToken.
    if public.first() == Some(&b'{') {
        let v: serde_json::Value = serde_json::from_slice(&public)
            .map_err(|e| CliError::lab(format!("lab local: --public-key JSON: {e}"), 1))?;
        let field = |name: &str| {
            v.get(name)
                .and_then(serde_json::Value::as_str)
                .and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok())
                .ok_or_else(|| {
                    CliError::lab(format!("lab local: the JSON has no base64 {name}"), 1)
                })
        };
        if let Some(path) = o.get("token-out") {
            let token = field("ImportToken")?;
            write(fs, path, &token)?;
        }
        public = field("PublicKey")?;
    }
    let alg = o.require("algorithm")?.to_owned();
    let input = read(fs, file_arg(o.require("in")?))?;
    let out_path = o.require("out")?.to_owned();
    let wrapped = cloud::client::wrap_key_material(&public, &alg, &input, s.rng())
        .map_err(|e| CliError::lab(format!("lab local: {e}"), 1))?;
    write(fs, &out_path, &wrapped)?;
    Ok(Out::text(format!(
        "wrapped {} bytes of key material into {out_path} ({} bytes) with {alg}\n",
        input.len(),
        wrapped.len()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip() {
        let key = [7u8; 32];
        let nonce = [1u8; 12];
        let c = seal(&key, &nonce, b"secret", b"ctx").unwrap();
        assert_eq!(open(&key, &nonce, &c, b"ctx").unwrap(), b"secret");
        assert!(open(&key, &nonce, &c, b"other").is_err());
        assert!(open(&[8u8; 32], &nonce, &c, b"ctx").is_err());
        assert!(open(&key, &nonce[..3], &c, b"ctx").is_err());
        let k16 = [3u8; 16];
        let c = seal(&k16, &nonce, b"x", b"").unwrap();
        assert_eq!(open(&k16, &nonce, &c, b"").unwrap(), b"x");
    }
}
