//! `imported-key-material`: bring your own key material. Import it with an expiry, encrypt, see
//! the key fall back to PendingImport when the material expires or is deleted, and restore it by
//! re-importing the SAME material from the escrow copy. Graded in the clone: the escrow file is
//! re-imported there after deleting the material, and the old ciphertext must decrypt again.

use super::{Checks, decrypts_to};
use crate::scenario::probe::shapes::{KeyMetadata, KeyState};
use crate::scenario::{Probe, Seen, Verdict};

/// The line `setup.aws` writes to payroll.csv.
const PAYROLL: &str = "payroll 2026-11: 214 employees, net 1,088,412.90 EUR";
const MATERIAL: &str = "payroll-material.bin";
const MAX_DAYS: i64 = 30;
const DAY_MS: i64 = 86_400_000;

pub(super) const CHECKS: Checks = Checks {
    id: "imported-key-material",
    objectives: &[
        ("imported", imported),
        ("payroll", payroll),
        ("rehearsed", rehearsed),
        ("escrow", escrow_restores),
    ],
    wrong_turns: &[
        ("no-expiry", no_expiry),
        ("expiry-too-far", expiry_too_far),
        ("different-material", different_material),
        ("escrow-lost", escrow_lost),
        ("auto-rotation", auto_rotation),
        ("key-scheduled-for-deletion", key_scheduled),
    ],
    ..Checks::BASE
};

fn payroll_text() -> String {
    format!("{PAYROLL}\n")
}

/// The key's metadata, or a failing verdict.
fn metadata(p: &mut Probe) -> Result<KeyMetadata, Verdict> {
    let key = p.var("KEY_ID");
    p.describe(&key)
        .map_err(|e| Verdict::fail(format!("DescribeKey $KEY_ID failed: {}", e.code)))
}

/// Milliseconds until the material expires (`None`: it does not expire).
fn expires_in_ms(p: &Probe, m: &KeyMetadata) -> Option<i64> {
    #[expect(clippy::cast_possible_truncation, reason = "epoch seconds to ms")]
    let valid_to = m.valid_to.map(|s| (s * 1000.0) as i64)?;
    Some(valid_to - p.now_ms())
}

fn imported(p: &mut Probe) -> Verdict {
    let m = match metadata(p) {
        Ok(m) => m,
        Err(v) => return v,
    };
    if m.key_state != KeyState::Enabled {
        return Verdict::fail(format!(
            "$KEY_ID is {}: it holds no usable material.",
            m.key_state
        ));
    }
    match expires_in_ms(p, &m) {
        None => Verdict::fail(
            "The material is imported with KEY_MATERIAL_DOES_NOT_EXPIRE; the contract requires an expiry.",
        ),
        Some(ms) if ms > MAX_DAYS * DAY_MS => Verdict::fail(format!(
            "The material expires in {} days, more than the 30 the contract allows.",
            ms / DAY_MS
        )),
        Some(ms) => Verdict::pass(format!(
            "$KEY_ID is Enabled; its imported material expires in {} days {} hours (KEY_MATERIAL_EXPIRES).",
            ms / DAY_MS,
            ms % DAY_MS / 3_600_000
        )),
    }
}

/// Decrypts payroll.bin as `app`: the verdict, requiring the ciphertext to be under $KEY_ID.
fn payroll_readable(p: &mut Probe) -> Verdict {
    let key = p.var("KEY_ID");
    let Some(blob) = p.file_b64("payroll.bin") else {
        return Verdict::fail("payroll.bin does not exist yet.");
    };
    match p.kms("app").decrypt(&blob, None) {
        Ok(d) if !d.key_id.ends_with(&key) => Verdict::fail(
            "payroll.bin decrypts, but it is encrypted under another key than alias/payroll.",
        ),
        Ok(_) => decrypts_to(p, "app", "payroll.bin", None, &payroll_text()),
        Err(e) => Verdict::fail(format!("`app` cannot decrypt payroll.bin: {}", e.code)),
    }
}

fn payroll(p: &mut Probe) -> Verdict {
    payroll_readable(p)
}

/// Why the escrow check failed: the material file is the problem, or something else is.
enum EscrowFailure {
    Material(String),
    Other(String),
}

/// In the clone: find the material payroll.bin is encrypted under (Decrypt returns its
/// KeyMaterialId), delete that material and check payroll.bin is unreadable, then re-import the
/// escrow file as that KeyMaterialId with fresh import parameters and check payroll.bin decrypts
/// again. After an on-demand rotation the key holds several materials: only the one payroll.bin
/// needs is deleted and restored, and the escrow file must be exactly that one.
fn escrow_check(p: &mut Probe) -> Result<String, EscrowFailure> {
    use EscrowFailure::{Material, Other};
    if p.file(MATERIAL).is_none() {
        return Err(Material(format!(
            "{MATERIAL} does not exist: there is no escrow copy of the material."
        )));
    }
    let Some(blob) = p.file_b64("payroll.bin") else {
        return Err(Other("payroll.bin does not exist yet.".to_owned()));
    };
    let key = p.var("KEY_ID");
    let mut material_id = None;
    if p.key_state(&key) == Ok(KeyState::Enabled) {
        let id = p
            .kms("admin")
            .decrypt(&blob, None)
            .ok()
            .and_then(|d| d.key_material_id);
        let mut delete = "aws kms delete-imported-key-material --key-id $KEY_ID".to_owned();
        if let Some(id) = &id {
            delete.push_str(&format!(" --key-material-id {id}"));
        }
        let out = p.run(&delete);
        if out.exit_code != 0 {
            return Err(Other(format!(
                "Deleting the material (in a throw-away copy) failed: {}",
                out.stderr.trim()
            )));
        }
        if payroll_readable(p).passed {
            return Err(Other(
                "payroll.bin still decrypts without the key's material.".to_owned(),
            ));
        }
        material_id = id;
    }
    let named = material_id
        .as_deref()
        .map(|id| format!(" --key-material-id {id}"))
        .unwrap_or_default();
    let lines = [
        "aws kms get-parameters-for-import --key-id $KEY_ID --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_2048 > .grader-params.json".to_owned(),
        format!(
            "lab local wrap-key-material --public-key fileb://.grader-params.json --algorithm RSAES_OAEP_SHA_256 --in {MATERIAL} --out .grader-wrapped.bin --token-out .grader-token.bin"
        ),
        format!("aws kms import-key-material --key-id $KEY_ID --encrypted-key-material fileb://.grader-wrapped.bin --import-token fileb://.grader-token.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE{named}"),
    ];
    for (n, line) in lines.iter().enumerate() {
        let out = p.run(line);
        if out.exit_code == 0 {
            continue;
        }
        let code = out.error_code.unwrap_or_default();
        return Err(if code == "IncorrectKeyMaterialException" || n == 1 {
            Material(format!(
                "{MATERIAL} is not {} ({}).",
                if material_id.is_some() {
                    "the material payroll.bin is encrypted under"
                } else {
                    "the material imported into $KEY_ID"
                },
                if code.is_empty() {
                    out.stderr.trim().to_owned()
                } else {
                    code
                }
            ))
        } else {
            Other(format!(
                "Re-importing {MATERIAL} in a throw-away copy fails: {}",
                out.stderr.trim()
            ))
        });
    }
    let v = payroll_readable(p);
    if v.passed {
        Ok(format!(
            "In a throw-away copy, without the key's material payroll.bin is unreadable; after re-importing {MATERIAL} it decrypts again."
        ))
    } else {
        Err(Other(format!(
            "{MATERIAL} re-imports, but payroll.bin still does not decrypt: {}",
            v.evidence
        )))
    }
}

fn escrow_restores(p: &mut Probe) -> Verdict {
    match escrow_check(p) {
        Ok(e) => Verdict::pass(e),
        Err(EscrowFailure::Material(e) | EscrowFailure::Other(e)) => Verdict::fail(e),
    }
}

/// Events about $KEY_ID since the start (by resource ARN or key id in the request).
fn key_events(p: &Probe) -> Vec<(String, i64, bool)> {
    let key = p.var("KEY_ID");
    if key.is_empty() {
        return Vec::new();
    }
    p.events_since_start()
        .iter()
        .filter(|e| {
            e.resource_names().any(|name| name.ends_with(&key))
                || e.param("KeyId").is_some_and(|k| k.ends_with(&key))
        })
        .map(|e| (e.name().to_owned(), e.time_ms(), e.succeeded()))
        .collect()
}

fn rehearsed(p: &mut Probe) -> Verdict {
    let events = key_events(p);
    let first_encrypt = events
        .iter()
        .filter(|(n, _, ok)| *ok && n == "Encrypt")
        .map(|(_, t, _)| *t)
        .min();
    let Some(first_encrypt) = first_encrypt else {
        return Verdict::fail("Nothing has been encrypted under $KEY_ID yet.");
    };
    let gone = events
        .iter()
        .filter(|(n, t, ok)| {
            *ok && *t >= first_encrypt
                && matches!(
                    n.as_str(),
                    "DeleteExpiredKeyMaterial" | "DeleteImportedKeyMaterial"
                )
        })
        .map(|(n, t, _)| (n.clone(), *t))
        .min_by_key(|(_, t)| *t);
    let Some((how, gone_at)) = gone else {
        return Verdict::fail(
            "CloudTrail shows no expiry (DeleteExpiredKeyMaterial) or deletion of the material since data was encrypted.",
        );
    };
    let back = events
        .iter()
        .any(|(n, t, ok)| *ok && *t >= gone_at && n == "ImportKeyMaterial");
    if !back {
        return Verdict::fail(format!(
            "CloudTrail shows {how}, but no import since: the key is still waiting for its material."
        ));
    }
    let how = if how == "DeleteExpiredKeyMaterial" {
        "expired"
    } else {
        "was deleted"
    };
    Verdict::pass(format!(
        "CloudTrail: the material {how} after data was encrypted, then was imported again."
    ))
    .and(|| payroll_readable(p))
}

fn no_expiry(p: &mut Probe) -> Option<Seen> {
    let m = metadata(p).ok()?;
    (m.key_state == KeyState::Enabled
        && m.expiration_model.as_deref() == Some("KEY_MATERIAL_DOES_NOT_EXPIRE"))
    .then(Seen::it)
}

fn expiry_too_far(p: &mut Probe) -> Option<Seen> {
    let m = metadata(p).ok()?;
    let ms = expires_in_ms(p, &m)?;
    (m.key_state == KeyState::Enabled && ms > MAX_DAYS * DAY_MS)
        .then(|| Seen::it().with("DAYS", ms / DAY_MS))
}

fn failed(p: &Probe, event: &str, code: &str) -> bool {
    p.events_since_start()
        .iter()
        .any(|e| e.name() == event && e.error_code() == Some(code))
}

fn different_material(p: &mut Probe) -> Option<Seen> {
    failed(p, "ImportKeyMaterial", "IncorrectKeyMaterialException").then(Seen::it)
}

fn escrow_lost(p: &mut Probe) -> Option<Seen> {
    let imported = key_events(p)
        .iter()
        .any(|(n, _, ok)| *ok && n == "ImportKeyMaterial");
    if !imported {
        return None;
    }
    match escrow_check(p) {
        Err(EscrowFailure::Material(why)) => Some(Seen::it().with("WHY", why)),
        _ => None,
    }
}

fn auto_rotation(p: &mut Probe) -> Option<Seen> {
    failed(p, "EnableKeyRotation", "UnsupportedOperationException").then(Seen::it)
}

fn key_scheduled(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ID");
    (p.key_state(&key).ok()? == KeyState::PendingDeletion).then(Seen::it)
}

#[cfg(test)]
mod tests {
    use awscli::Session;

    use crate::scenario::testing::{self, run};
    use crate::scenario::{Status, evaluate};

    const ID: &str = "imported-key-material";
    /// Encrypts payroll.csv into payroll.bin (a line of both solution routes).
    const ENCRYPT: &str = "aws kms encrypt --key-id alias/payroll --plaintext fileb://payroll.csv --query CiphertextBlob --output text | base64 --decode > payroll.bin";

    fn session() -> Session {
        testing::started(ID, 7)
    }

    fn hits(s: &Session) -> Vec<&'static str> {
        testing::wrong_turn_ids(s, ID)
    }

    fn passed(s: &Session) -> Vec<&'static str> {
        testing::passed_ids(s, ID)
    }

    fn import(s: &mut Session, material: &str, expiry: &str) {
        // KMS's default ExpirationModel is KEY_MATERIAL_EXPIRES, which needs ValidTo.
        let expiry = if expiry.is_empty() {
            "--expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE"
        } else {
            expiry
        };
        for line in [
            "aws kms get-parameters-for-import --key-id $KEY_ID --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_2048 > params.json".to_owned(),
            format!("lab local wrap-key-material --public-key fileb://params.json --algorithm RSAES_OAEP_SHA_256 --in {material} --out wrapped.bin --token-out token.bin"),
            format!("aws kms import-key-material --key-id $KEY_ID --encrypted-key-material fileb://wrapped.bin --import-token fileb://token.bin {expiry}"),
        ] {
            run(s, &line);
        }
    }

    #[test]
    fn no_expiry_then_new_material_is_named_and_the_escrow_is_lost() {
        let mut s = session();
        run(
            &mut s,
            "lab local random --bytes 32 --out payroll-material.bin",
        );
        import(
            &mut s,
            "payroll-material.bin",
            "--expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE",
        );
        run(&mut s, ENCRYPT);
        assert_eq!(hits(&s), ["no-expiry"]);
        assert_eq!(passed(&s), ["payroll", "escrow"]);
        // The expiry of the current import cannot be changed, but re-importing the same
        // material with an expiry replaces it.
        run(&mut s, "VALID_TO=$(lab clock show --plus 20d)");
        import(
            &mut s,
            "payroll-material.bin",
            "--expiration-model KEY_MATERIAL_EXPIRES --valid-to $VALID_TO",
        );
        assert!(hits(&s).is_empty(), "{:?}", hits(&s));
        assert_eq!(passed(&s), ["imported", "payroll", "escrow"]);
    }

    #[test]
    fn expiry_limit_and_different_material() {
        let mut s = session();
        run(
            &mut s,
            "lab local random --bytes 32 --out payroll-material.bin",
        );
        run(&mut s, "VALID_TO=$(lab clock show --plus 90d)");
        import(
            &mut s,
            "payroll-material.bin",
            "--expiration-model KEY_MATERIAL_EXPIRES --valid-to $VALID_TO",
        );
        run(&mut s, ENCRYPT);
        assert_eq!(hits(&s), ["expiry-too-far"]);
        run(
            &mut s,
            "aws kms delete-imported-key-material --key-id $KEY_ID",
        );
        // The custodian "regenerates" the material: refused, and the escrow copy is gone.
        run(
            &mut s,
            "lab local random --bytes 32 --out payroll-material.bin",
        );
        let out = s.run_line_in_memory("aws kms get-parameters-for-import --key-id $KEY_ID --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_2048 > params.json");
        assert_eq!(out.exit_code, 0, "{}", out.stderr);
        run(
            &mut s,
            "lab local wrap-key-material --public-key fileb://params.json --algorithm RSAES_OAEP_SHA_256 --in payroll-material.bin --out wrapped.bin --token-out token.bin",
        );
        let out = s.run_line_in_memory("aws kms import-key-material --key-id $KEY_ID --encrypted-key-material fileb://wrapped.bin --import-token fileb://token.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE");
        assert_eq!(
            out.error_code.as_deref(),
            Some("IncorrectKeyMaterialException")
        );
        assert_eq!(hits(&s), ["different-material", "escrow-lost"]);
        assert!(passed(&s).is_empty(), "{:?}", passed(&s));
    }

    #[test]
    fn auto_rotation_and_key_deletion_are_named() {
        let mut s = session();
        let out = s.run_line_in_memory("aws kms enable-key-rotation --key-id $KEY_ID");
        assert_eq!(
            out.error_code.as_deref(),
            Some("UnsupportedOperationException")
        );
        run(
            &mut s,
            "aws kms schedule-key-deletion --key-id $KEY_ID --pending-window-in-days 7",
        );
        assert_eq!(hits(&s), ["auto-rotation", "key-scheduled-for-deletion"]);
    }

    #[test]
    fn expiry_makes_the_key_pending_import_until_the_same_material_returns() {
        let mut s = session();
        crate::scenario::solve(&mut s, ID, Some("delete-and-reimport")).unwrap();
        assert_eq!(passed(&s).len(), 4);
        run(&mut s, "lab clock advance 29d");
        let r = evaluate(&s, ID).unwrap();
        assert_eq!(r[0].status, Status::Failed, "{r:#?}");
        assert!(r[0].evidence.contains("PendingImport"), "{r:#?}");
        let out = s.run_line_in_memory("aws kms decrypt --ciphertext-blob fileb://payroll.bin");
        assert_eq!(out.error_code.as_deref(), Some("KMSInvalidStateException"));
    }

    fn rotate_on_demand(s: &mut Session) {
        run(
            s,
            "lab local random --bytes 32 --out payroll-material-2.bin",
        );
        run(s, "VALID_TO=$(lab clock show --plus 30d)");
        import(
            s,
            "payroll-material-2.bin",
            "--import-type NEW_KEY_MATERIAL --expiration-model KEY_MATERIAL_EXPIRES --valid-to $VALID_TO",
        );
        run(s, "aws kms rotate-key-on-demand --key-id $KEY_ID");
    }

    #[test]
    fn on_demand_rotation_keeps_the_escrow_of_the_material_payroll_bin_needs() {
        let mut s = session();
        crate::scenario::solve(&mut s, ID, Some("expire-and-reimport")).unwrap();
        // The wrong turn's own advice: rotate with new material. payroll.bin is still under the
        // first material, and payroll-material.bin restores exactly that one.
        rotate_on_demand(&mut s);
        assert_eq!(passed(&s).len(), 4, "{:#?}", evaluate(&s, ID));
        assert!(hits(&s).is_empty(), "{:?}", hits(&s));
        // Re-encrypted under the new material, payroll.bin needs the new material's escrow copy.
        run(&mut s, ENCRYPT);
        let r = evaluate(&s, ID).unwrap();
        assert_eq!(r[3].status, Status::Failed, "{r:#?}");
        assert!(
            r[3].evidence
                .contains("the material payroll.bin is encrypted under"),
            "{r:#?}"
        );
        assert_eq!(hits(&s), ["escrow-lost"]);
    }

    #[test]
    fn a_rotated_key_stays_pending_import_until_every_material_is_back() {
        let mut s = session();
        crate::scenario::solve(&mut s, ID, Some("delete-and-reimport")).unwrap();
        rotate_on_demand(&mut s);
        // Deleting the current (new) material and re-importing only the first one is not enough.
        run(
            &mut s,
            "aws kms delete-imported-key-material --key-id $KEY_ID",
        );
        import(&mut s, "payroll-material.bin", "");
        let r = evaluate(&s, ID).unwrap();
        assert!(r[0].evidence.contains("PendingImport"), "{r:#?}");
        import(&mut s, "payroll-material-2.bin", "");
        assert_eq!(passed(&s).len(), 3, "{:#?}", evaluate(&s, ID));
    }
}
