//! `golden OUTDIR`: writes a behaviour fingerprint of the engine into OUTDIR: for every playable
//! scenario, the reference solution's lines (output, "Why?" cards), the grading and the saved
//! state file; then a script of allowed, denied, cross-account, granted and malformed calls
//! through the terminal, and the same kinds of calls through `World::call`,
//! `World::call_recorded` and `World::explain`. Two builds whose fingerprints are identical
//! (`diff -r`) behave alike on all of it: CloudTrail records as read and as saved, "Why?" cards,
//! `lab explain`, state files. Not a benchmark and not a test: a tool for changes that must not
//! change behaviour (docs/reports/2026-12-06-engine-speed.md).

use std::fmt::Write as _;
use std::path::Path;

use awscli::{ScriptOptions, Session};
use cloud::World;
use serde_json::{Value, json};

const T0: i64 = bench::T0;

fn write(dir: &Path, name: &str, text: &str) -> Result<(), String> {
    std::fs::write(dir.join(name), text).map_err(|e| format!("{name}: {e}"))
}

fn pretty(v: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("<{e}>"))
}

fn scenarios(dir: &Path) -> Result<(), String> {
    for s in lab::scenario::catalog()
        .iter()
        .filter(|s| s.availability == lab::scenario::Availability::Playable)
    {
        let mut out = String::new();
        let mut session = Session::new(7, T0);
        match lab::scenario::start(&mut session, s.id, 7) {
            Ok(steps) => {
                for st in steps {
                    let _ = writeln!(out, "start> {}\n{}", st.line, pretty(&st.output));
                }
            }
            Err(e) => {
                let _ = writeln!(out, "start failed: {e}");
            }
        }
        match lab::scenario::solve(&mut session, s.id, None) {
            Ok(steps) => {
                for st in steps {
                    let _ = writeln!(out, "solve> {}\n{}", st.line, pretty(&st.output));
                }
            }
            Err(e) => {
                let _ = writeln!(out, "solve failed: {e}");
            }
        }
        let _ = writeln!(
            out,
            "evaluate: {:?}\nwrong turns: {:?}",
            lab::scenario::evaluate(&session, s.id),
            lab::scenario::wrong_turns(&session, s.id)
        );
        let lookup = session.run_line_in_memory("aws cloudtrail lookup-events --max-results 50");
        let _ = writeln!(out, "lookup-events:\n{}", pretty(&lookup));
        write(dir, &format!("scenario-{}.txt", s.id), &out)?;
        let state = document::state_file::save(&session).map_err(|e| e.to_string())?;
        write(dir, &format!("scenario-{}.state.json", s.id), &state)?;
    }
    Ok(())
}

/// Allowed, denied, cross-account, granted, malformed and failing calls through the terminal.
const SCRIPT: &str = r#"
K=$(aws kms create-key --description golden --query KeyMetadata.KeyId --output text)
ARN=$(aws kms describe-key --key-id $K --query KeyMetadata.Arn --output text)
aws kms create-alias --alias-name alias/golden --target-key-id $K
aws kms encrypt --key-id $K --plaintext aGVsbG8= --encryption-context purpose=bench,dept=lab
aws kms encrypt --key-id alias/golden --plaintext aGVsbG8= --encryption-context purpose=bench --query CiphertextBlob --output text > ct.b64
base64 -d ct.b64 > ct.bin
aws kms decrypt --ciphertext-blob fileb://ct.bin --encryption-context purpose=bench
aws kms decrypt --ciphertext-blob fileb://ct.bin --encryption-context purpose=wrong
aws kms decrypt --ciphertext-blob fileb://ct.bin --encryption-context purpose=bench --profile app
aws kms generate-data-key --key-id $K --key-spec AES_256
aws kms generate-data-key --key-id $K --key-spec AES_256 --profile app
aws kms generate-data-key --key-id $K --number-of-bytes 2000
aws kms generate-data-key --key-id $K
aws kms encrypt --key-id $K --plaintext aGVsbG8= --profile security-admin
aws kms encrypt --key-id alias/none --plaintext aGVsbG8=
aws kms encrypt --key-id $ARN --plaintext aGVsbG8= --profile partner-admin
aws kms put-key-policy --key-id $K --policy-name default --policy '{"Version":"2012-10-17","Statement":[{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["kms:Encrypt","kms:Decrypt","kms:GenerateDataKey"],"Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:purpose":"bench"}}},{"Sid":"NoDelete","Effect":"Deny","Principal":"*","Action":"kms:ScheduleKeyDeletion","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}'
aws kms encrypt --key-id $ARN --plaintext aGVsbG8= --encryption-context purpose=bench --profile partner-admin
aws kms encrypt --key-id $ARN --plaintext aGVsbG8= --encryption-context purpose=other --profile partner-admin
aws kms decrypt --ciphertext-blob fileb://ct.bin --encryption-context purpose=bench --profile partner-admin
aws kms schedule-key-deletion --key-id $K --pending-window-in-days 7
aws kms create-grant --key-id $K --grantee-principal arn:aws:iam::111122223333:role/AppRole --operations Decrypt GenerateDataKey --constraints EncryptionContextSubset={purpose=bench}
aws kms decrypt --ciphertext-blob fileb://ct.bin --encryption-context purpose=bench --profile app
lab clock advance 2m
aws kms decrypt --ciphertext-blob fileb://ct.bin --encryption-context purpose=bench --profile app
aws kms generate-data-key --key-id $K --key-spec AES_256 --encryption-context purpose=other --profile app
aws kms list-grants --key-id $K
aws kms re-encrypt --ciphertext-blob fileb://ct.bin --source-encryption-context purpose=bench --destination-key-id $K --destination-encryption-context purpose=bench
lab explain -- aws kms decrypt --ciphertext-blob fileb://ct.bin --encryption-context purpose=bench --profile app
lab explain -- aws kms schedule-key-deletion --key-id $K
lab explain -- aws kms encrypt --key-id $ARN --plaintext aGVsbG8= --encryption-context purpose=other --profile partner-admin
aws kms disable-key --key-id $K
aws kms encrypt --key-id $K --plaintext aGVsbG8=
aws kms enable-key --key-id $K
aws iam list-users
aws iam create-user --user-name golden --profile app
aws sts get-caller-identity --profile app
aws s3api create-bucket --bucket golden-bucket-111122223333
aws s3api put-object --bucket golden-bucket-111122223333 --key a.txt --body ct.b64 --server-side-encryption aws:kms --ssekms-key-id $K
aws s3api get-object --bucket golden-bucket-111122223333 --key a.txt out.txt
aws s3api get-object --bucket golden-bucket-111122223333 --key a.txt out.txt --profile partner-admin
aws cloudtrail lookup-events --max-results 50
aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=Decrypt
aws cloudtrail lookup-events --profile partner-admin
aws kms frobnicate
aws kms encrypt --key-id $K
"#;

fn terminal(dir: &Path) -> Result<(), String> {
    let mut session = Session::new(11, T0);
    let out = session.run_script_in_memory(SCRIPT, ScriptOptions { keep_going: true });
    let mut text = String::new();
    for line in &out.lines {
        let _ = writeln!(text, "> {}\n{}", line.source, pretty(&line.output));
    }
    write(dir, "terminal.txt", &text)?;
    let state = document::state_file::save(&session).map_err(|e| e.to_string())?;
    write(dir, "terminal.state.json", &state)
}

fn world_api(dir: &Path) -> Result<(), String> {
    let mut w = World::new(5, T0);
    let admin = w
        .context_for_profile(None, None)
        .map_err(|e| e.to_string())?;
    let app = w
        .context_for_profile(Some("app"), None)
        .map_err(|e| e.to_string())?;
    let partner = w
        .context_for_profile(Some("partner-admin"), None)
        .map_err(|e| e.to_string())?;
    let mut text = String::new();
    fn log_to(text: &mut String, label: &str, v: &dyn std::fmt::Debug) {
        let _ = writeln!(text, "{label}: {v:?}");
    }
    macro_rules! log {
        ($label:expr, $v:expr $(,)?) => {
            log_to(&mut text, $label, $v)
        };
    }
    let created = w.call(&admin, "kms", "CreateKey", json!({ "Description": "w" }));
    log!("create", &created);
    let key = created
        .as_ref()
        .ok()
        .and_then(|v| v["KeyMetadata"]["Arn"].as_str())
        .unwrap_or_default()
        .to_owned();
    let ec = json!({ "purpose": "bench", "dept": "lab" });
    let enc = w.call(
        &admin,
        "kms",
        "Encrypt",
        json!({ "KeyId": key, "Plaintext": "aGVsbG8=", "EncryptionContext": ec }),
    );
    log!("encrypt", &enc);
    let blob = enc
        .as_ref()
        .ok()
        .map(|v| v["CiphertextBlob"].clone())
        .unwrap_or(Value::Null);
    for (who, ctx) in [("admin", &admin), ("app", &app), ("partner", &partner)] {
        for (op, input) in [
            (
                "Decrypt",
                json!({ "CiphertextBlob": blob, "EncryptionContext": ec }),
            ),
            (
                "Encrypt",
                json!({ "Plaintext": "aGVsbG8=", "KeyId": key, "GrantTokens": ["x"], "EncryptionContext": ec }),
            ),
            (
                "GenerateDataKey",
                json!({ "KeyId": key, "KeySpec": "AES_256" }),
            ),
            ("GenerateDataKey", json!({ "KeyId": key })),
            ("Decrypt", json!({ "CiphertextBlob": 5 })),
            ("Nope", json!({})),
            ("ListKeys", Value::Null),
        ] {
            log!(
                &format!("{who} call {op}"),
                &w.call(ctx, "kms", op, input.clone())
            );
            let (r, d) = w.call_recorded(ctx, "kms", op, input.clone());
            log!(&format!("{who} call_recorded {op}"), &r);
            let _ = writeln!(text, "decisions: {}", pretty(&d));
            log!(
                &format!("{who} explain {op}"),
                &w.explain(ctx, "kms", op, input),
            );
        }
        log!(
            &format!("{who} last denial"),
            &w.last_denial(&ctx.principal_arn),
        );
    }
    // The typed client: the same seam, its audit input built from the typed request.
    {
        use cloud::kms::model::{
            Blob, CreateKeyRequest, DecryptRequest, EncryptRequest, GenerateDataKeyRequest, Tag,
        };
        let ec: cloud::kms::model::EncryptionContext = [
            ("b".to_owned(), "2".to_owned()),
            ("a".to_owned(), "1".to_owned()),
        ]
        .into();
        for ctx in [&admin, &app, &partner] {
            let mut kms = w.client(ctx).kms();
            let created = kms.create_key(CreateKeyRequest {
                description: Some("typed".into()),
                tags: Some(vec![Tag {
                    tag_key: "Team".into(),
                    tag_value: "blue".into(),
                }]),
                ..CreateKeyRequest::default()
            });
            log!("typed create", &created);
            let enc = kms.encrypt(EncryptRequest {
                key_id: key.clone(),
                plaintext: Blob(b"hello".to_vec()),
                encryption_context: Some(ec.clone()),
                grant_tokens: Some(vec!["t".into()]),
                ..EncryptRequest::default()
            });
            log!("typed encrypt", &enc);
            if let Ok(e) = &enc {
                let dec = kms.decrypt(DecryptRequest {
                    ciphertext_blob: e.ciphertext_blob.clone().unwrap_or_default(),
                    encryption_context: Some(ec.clone()),
                    ..DecryptRequest::default()
                });
                log!("typed decrypt", &dec);
            }
            let gdk = kms.generate_data_key(GenerateDataKeyRequest {
                key_id: key.clone(),
                key_spec: Some("AES_128".into()),
                ..GenerateDataKeyRequest::default()
            });
            log!("typed gdk", &gdk.map(|r| r.key_id));
        }
    }
    log!("iam", &w.call(&app, "iam", "ListUsers", json!({})));
    log!(
        "sts",
        &w.call(&partner, "sts", "GetCallerIdentity", json!({})),
    );
    log!("unknown service", &w.call(&admin, "nope", "X", json!({})),);
    let mut bad_region = admin.clone();
    bad_region.region = "xx-nowhere-1".into();
    log!(
        "bad region",
        &w.call(&bad_region, "kms", "ListKeys", json!({})),
    );
    let events: Vec<&Value> = w.events().map(|e| &e.record).collect();
    let _ = writeln!(text, "events: {}", pretty(&events));
    let _ = writeln!(text, "counters: {}", pretty(w.event_counters()));
    write(dir, "world.txt", &text)?;
    write(
        dir,
        "world.state.json",
        &serde_json::to_string_pretty(&w).map_err(|e| e.to_string())?,
    )
}

fn main() -> Result<(), String> {
    let dir = std::env::args().nth(1).ok_or("usage: golden OUTDIR")?;
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    scenarios(dir)?;
    terminal(dir)?;
    world_api(dir)?;
    println!("fingerprint written to {}", dir.display());
    Ok(())
}
