//! `imported-key-material`: bring your own key material. Import it with an expiry, encrypt, see
//! the key fall back to PendingImport when the material expires or is deleted, and restore it by
//! re-importing the SAME material from the escrow copy. Graded in the clone: the escrow file is
//! re-imported there after deleting the material, and the old ciphertext must decrypt again.

use serde_json::{Value, json};

use super::{decrypts_to, key_state, never};
use crate::scenario::{
    Availability, Difficulty, Hint, Objective, Probe, Scenario, Solution, Verdict, WrongTurn,
};

const PAYROLL: &str = "payroll 2026-11: 214 employees, net 1,088,412.90 EUR";
const MATERIAL: &str = "payroll-material.bin";
const MAX_DAYS: i64 = 30;
const DAY_MS: i64 = 86_400_000;

fn setup(_seed: u64) -> String {
    format!(
        "\
KEY_ID=$(aws kms create-key --origin EXTERNAL --description \"Payroll (BYOK: material from the on-premises generator)\" --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/payroll --target-key-id $KEY_ID
echo \"{PAYROLL}\" > payroll.csv
"
    )
}

fn payroll_text() -> String {
    format!("{PAYROLL}\n")
}

/// The key's metadata, or a failing verdict.
fn metadata(p: &mut Probe) -> Result<Value, Verdict> {
    let key = p.var("KEY_ID");
    p.describe(&key)
        .map_err(|code| Verdict::fail(format!("DescribeKey $KEY_ID failed: {code}")))
}

/// Milliseconds until the material expires (`None`: it does not expire).
fn expires_in_ms(p: &Probe, m: &Value) -> Option<i64> {
    #[expect(clippy::cast_possible_truncation, reason = "epoch seconds to ms")]
    let valid_to = m["ValidTo"].as_f64().map(|s| (s * 1000.0) as i64)?;
    Some(valid_to - p.now_ms())
}

fn imported(p: &mut Probe) -> Verdict {
    let m = match metadata(p) {
        Ok(m) => m,
        Err(v) => return v,
    };
    let state = m["KeyState"].as_str().unwrap_or_default();
    if state != "Enabled" {
        return Verdict::fail(format!("$KEY_ID is {state}: it holds no usable material."));
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
    match p.kms("app", "Decrypt", json!({ "CiphertextBlob": blob })) {
        Ok(v) if !v["KeyId"].as_str().unwrap_or_default().ends_with(&key) => Verdict::fail(
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
    if key_state(p, &key).as_deref() == Ok("Enabled") {
        let id = p
            .kms("admin", "Decrypt", json!({ "CiphertextBlob": blob }))
            .ok()
            .and_then(|v| v["KeyMaterialId"].as_str().map(str::to_owned));
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
            e.resources.iter().any(|(_, name)| name.ends_with(&key))
                || e.record["requestParameters"]["keyId"]
                    .as_str()
                    .is_some_and(|k| k.ends_with(&key))
        })
        .map(|e| {
            (
                e.event_name.clone(),
                e.event_time_ms,
                e.error_code.is_none(),
            )
        })
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

fn no_expiry(p: &mut Probe) -> Option<String> {
    let m = metadata(p).ok()?;
    (m["KeyState"] == "Enabled" && m["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE").then(|| {
        "The material was imported with KEY_MATERIAL_DOES_NOT_EXPIRE, but the contract lets AWS hold it for at most \
30 days. You cannot change the expiration of the current import: re-import the same material with \
--expiration-model KEY_MATERIAL_EXPIRES --valid-to (at most 365 days ahead in AWS; 30 here)."
            .to_owned()
    })
}

fn expiry_too_far(p: &mut Probe) -> Option<String> {
    let m = metadata(p).ok()?;
    let ms = expires_in_ms(p, &m)?;
    (m["KeyState"] == "Enabled" && ms > MAX_DAYS * DAY_MS).then(|| {
        format!(
            "The material expires in {} days; the contract allows 30. Re-import the same material with an earlier \
--valid-to (`lab clock show --plus 30d` prints the limit).",
            ms / DAY_MS
        )
    })
}

fn failed(p: &Probe, event: &str, code: &str) -> bool {
    p.events_since_start()
        .iter()
        .any(|e| e.event_name == event && e.error_code.as_deref() == Some(code))
}

fn different_material(p: &mut Probe) -> Option<String> {
    failed(p, "ImportKeyMaterial", "IncorrectKeyMaterialException").then(|| {
        "KMS refused material that differs from what was first imported into this key (IncorrectKeyMaterialException). \
A key with imported material is bound to it for ever: to restore it you must re-import the SAME bytes, not \
generate new ones; data encrypted under the old material needs exactly that material."
            .to_owned()
    })
}

fn escrow_lost(p: &mut Probe) -> Option<String> {
    let imported = key_events(p)
        .iter()
        .any(|(n, _, ok)| *ok && n == "ImportKeyMaterial");
    if !imported {
        return None;
    }
    match escrow_check(p) {
        Err(EscrowFailure::Material(why)) => Some(format!(
            "{why} AWS KMS cannot export or return imported material in any form: the copy you keep outside AWS is \
the only one, and without it everything encrypted under the key is lost once the material expires."
        )),
        _ => None,
    }
}

fn auto_rotation(p: &mut Probe) -> Option<String> {
    failed(p, "EnableKeyRotation", "UnsupportedOperationException").then(|| {
        "Automatic rotation is not supported for keys with imported material, but since 2025 every symmetric \
encryption key with Origin EXTERNAL (multi-Region keys too) can be rotated on demand: import new material with \
--import-type NEW_KEY_MATERIAL (for a multi-Region key: into the primary, then the same material into every \
replica), then `aws kms rotate-key-on-demand` (guides saying imported keys can only be rotated by moving an alias to \
a new key are out of date). Old ciphertexts still need the old material: keep an escrow copy of EVERY material you \
import, because the key stays PendingImport until each one of them is back."
            .to_owned()
    })
}

fn key_scheduled(p: &mut Probe) -> Option<String> {
    let key = p.var("KEY_ID");
    (key_state(p, &key).ok()? == "PendingDeletion").then(|| {
        "You scheduled the key itself for deletion. To take the material out of AWS, use \
delete-imported-key-material (immediate, and reversible by re-importing the same material); deleting the key is \
final after the waiting period and makes payroll.bin unrecoverable even with your copy of the material. \
cancel-key-deletion still saves it."
            .to_owned()
    })
}

const ENCRYPT: &str = "aws kms encrypt --key-id alias/payroll --plaintext fileb://payroll.csv --query CiphertextBlob --output text | base64 --decode > payroll.bin\n";

fn import(alg: &str, spec: &str, days: u32) -> String {
    format!(
        "\
aws kms get-parameters-for-import --key-id $KEY_ID --wrapping-algorithm {alg} --wrapping-key-spec {spec} > params.json
lab local wrap-key-material --public-key fileb://params.json --algorithm {alg} --in {MATERIAL} --out wrapped.bin --token-out token.bin
VALID_TO=$(lab clock show --plus {days}d)
aws kms import-key-material --key-id $KEY_ID --encrypted-key-material fileb://wrapped.bin --import-token fileb://token.bin --expiration-model KEY_MATERIAL_EXPIRES --valid-to $VALID_TO
"
    )
}

fn solution_expire(_: u64) -> Option<String> {
    Some(format!(
        "\
lab local random --bytes 32 --out {MATERIAL}
{}{ENCRYPT}lab clock advance 31d
lab expect KMSInvalidStateException -- aws kms decrypt --ciphertext-blob fileb://payroll.bin
{}aws kms decrypt --ciphertext-blob fileb://payroll.bin --query Plaintext --output text
",
        import("RSAES_OAEP_SHA_256", "RSA_2048", 30),
        import("RSAES_OAEP_SHA_256", "RSA_2048", 30),
    ))
}

fn solution_delete(_: u64) -> Option<String> {
    Some(format!(
        "\
lab local random --bytes 32 --out {MATERIAL}
{}{ENCRYPT}aws kms delete-imported-key-material --key-id $KEY_ID
lab expect KMSInvalidStateException -- aws kms decrypt --ciphertext-blob fileb://payroll.bin
{}",
        import("RSA_AES_KEY_WRAP_SHA_256", "RSA_3072", 14),
        import("RSAES_OAEP_SHA_256", "RSA_2048", 28),
    ))
}

pub(super) const SCENARIO: Scenario = Scenario {
    id: "imported-key-material",
    title: "Bring your own key material",
    exam: "SOA-C03 Domain 4 (Security and Compliance): KMS key material origin; SAA-C03 Domain 1 (Design Secure Architectures)",
    difficulty: Difficulty::Advanced,
    minutes: 25,
    availability: Availability::Playable,
    story: "The payroll auditors require \"bring your own key\": the key material for alias/payroll ($KEY_ID, created \
with Origin EXTERNAL and waiting in PendingImport) must come from your own generator (in the lab: `lab local random \
--bytes 32`), AWS may hold it for at most 30 days after each import, and the key custodian keeps the escrow copy in \
payroll-material.bin. Import the material with a compliant expiry, encrypt payroll.csv into payroll.bin with \
alias/payroll, then rehearse the monthly cycle before going live: the material goes away (let it expire, or delete \
it), payroll.bin becomes unreadable, and you bring the key back so that payroll.bin opens again.",
    setup,
    record_vars: &["KEY_ID"],
    files: &["payroll.csv", "payroll.bin", "payroll-material.bin"],
    objectives: &[
        Objective {
            id: "imported",
            text: "$KEY_ID is Enabled with imported material that expires within 30 days.",
            success: "ImportKeyMaterial with KEY_MATERIAL_EXPIRES and ValidTo: KMS deletes the material at that time, not the key.",
            check: imported,
            pending: None,
        },
        Objective {
            id: "payroll",
            text: "payroll.bin holds payroll.csv encrypted under alias/payroll, and the app can decrypt it.",
            success: "Once material is imported, the key works like any symmetric KMS key.",
            check: payroll,
            pending: None,
        },
        Objective {
            id: "rehearsed",
            text: "Rehearse: after payroll.bin was encrypted, the material expired or was deleted, and the key came back; payroll.bin decrypts.",
            success: "Without material the key is PendingImport and unusable; re-importing the same material restores every ciphertext.",
            check: rehearsed,
            pending: None,
        },
        Objective {
            id: "escrow",
            text: "payroll-material.bin is the escrow copy of the material payroll.bin is encrypted under: re-importing it after that material is gone makes payroll.bin readable.",
            success: "KMS never returns imported material; your copy is the only way back after expiry or deletion.",
            check: escrow_restores,
            pending: None,
        },
    ],
    hints: &[
        Hint {
            text: "Three steps: `lab local random --bytes 32 --out payroll-material.bin`; `aws kms get-parameters-for-import --key-id $KEY_ID --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_2048 > params.json`; `lab local wrap-key-material --public-key fileb://params.json --algorithm RSAES_OAEP_SHA_256 --in payroll-material.bin --out wrapped.bin --token-out token.bin`.",
            cost: 10,
        },
        Hint {
            text: "`VALID_TO=$(lab clock show --plus 30d)`, then `aws kms import-key-material --key-id $KEY_ID --encrypted-key-material fileb://wrapped.bin --import-token fileb://token.bin --expiration-model KEY_MATERIAL_EXPIRES --valid-to $VALID_TO`.",
            cost: 20,
        },
        Hint {
            text: "`lab clock advance 31d` (or `aws kms delete-imported-key-material --key-id $KEY_ID`) and the key is PendingImport. The import token lasts 24 hours: get new parameters, wrap the SAME payroll-material.bin again and import it.",
            cost: 30,
        },
    ],
    wrong_turns: &[
        WrongTurn {
            id: "no-expiry",
            detect: no_expiry,
        },
        WrongTurn {
            id: "expiry-too-far",
            detect: expiry_too_far,
        },
        WrongTurn {
            id: "different-material",
            detect: different_material,
        },
        WrongTurn {
            id: "escrow-lost",
            detect: escrow_lost,
        },
        WrongTurn {
            id: "auto-rotation",
            detect: auto_rotation,
        },
        WrongTurn {
            id: "key-scheduled-for-deletion",
            detect: key_scheduled,
        },
    ],
    solutions: &[
        Solution {
            route: "expire-and-reimport",
            script: solution_expire,
        },
        Solution {
            route: "delete-and-reimport",
            script: solution_delete,
        },
    ],
    debrief: "A key with Origin EXTERNAL starts in PendingImport. GetParametersForImport returns a wrapping public key \
and an import token, both valid for 24 hours; you wrap the material (RSAES_OAEP_SHA_256, or RSA_AES_KEY_WRAP_SHA_256 \
for larger material) and ImportKeyMaterial it, optionally with KEY_MATERIAL_EXPIRES and a ValidTo at most 365 days \
ahead. You cannot change the expiry of the current import; re-import the same material to change it. When the \
material expires (CloudTrail: DeleteExpiredKeyMaterial) or you call DeleteImportedKeyMaterial, KMS deletes the \
material but not the key: the key is PendingImport and every ciphertext under it is unreadable until you re-import \
the SAME material (different material is refused with IncorrectKeyMaterialException; the KeyMaterialId is derived \
from the key and the material). KMS cannot export or return imported material, so your copy outside AWS (ideally in \
an HSM) is the only failsafe, and availability and durability are your responsibility. Deleting material is \
immediate and reversible; ScheduleKeyDeletion is final. Automatic rotation is not supported for imported material; \
since 2025 every symmetric encryption key with imported material, multi-Region keys included, supports on-demand \
rotation (ImportKeyMaterial with ImportType NEW_KEY_MATERIAL, then RotateKeyOnDemand; for a multi-Region key, \
import the new material into the primary, the same material into every replica, then rotate the primary) — guides \
that say such keys can only be rotated manually by moving an alias are out of date, though that remains the way for \
asymmetric and HMAC keys. A rotated key holds several materials: DeleteImportedKeyMaterial removes the current one \
(or the KeyMaterialId you name), the key stays PendingImport until every material is imported again, and each \
ciphertext needs the material it was encrypted under (Decrypt returns its KeyMaterialId; ListKeyRotations lists \
them all), so every material version needs its own escrow copy.",
    docs: &[
        "https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-considerations.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-import-key-material.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/import-keys-protect.html",
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-on-demand.html",
    ],
    needs_enforcement: never,
    diagnose_from_cloudtrail: super::never,
};

#[cfg(test)]
mod tests {
    use awscli::Session;

    use crate::scenario::testing::{self, run};
    use crate::scenario::{Status, evaluate};

    const ID: &str = "imported-key-material";

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
        run(&mut s, super::ENCRYPT.trim());
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
        run(&mut s, super::ENCRYPT.trim());
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
        let out = s.run_line_in_memory("aws kms import-key-material --key-id $KEY_ID --encrypted-key-material fileb://wrapped.bin --import-token fileb://token.bin");
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
        run(&mut s, super::ENCRYPT.trim());
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
