//! Scripts through the real simulated world.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use awscli::{FileSystem, ScriptOptions, Session};

mod common;

use common::{START, ok, session};

#[test]
fn envelope_round_trip_with_files_and_capture() {
    let (mut s, mut fs) = session();
    let script = r#"
# create a key and remember its id
KEY=$(aws kms create-key --description "lab key" --query KeyMetadata.KeyId --output text)
echo "hello, kms" > plain.txt
aws kms encrypt --key-id $KEY --plaintext fileb://plain.txt \
    --encryption-context purpose=test \
    --query CiphertextBlob --output text | base64 --decode > secret.bin
aws kms decrypt --ciphertext-blob fileb://secret.bin --encryption-context purpose=test \
    --query Plaintext --output text | base64 -d > back.txt
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    assert_eq!(fs.read("back.txt").unwrap(), b"hello, kms\n");
    assert_ne!(fs.read("secret.bin").unwrap(), b"hello, kms\n");
    let key = s.vars.get("KEY").unwrap().clone();
    assert_eq!(key.len(), 36, "{key}");
    let text = ok(
        &mut s,
        &mut fs,
        "aws kms describe-key --key-id $KEY --query KeyMetadata.KeyState --output text",
    );
    assert_eq!(text, "Enabled\n");
    // A different encryption context fails with InvalidCiphertextException (exit 254).
    let bad = s.run_line(
        "aws kms decrypt --ciphertext-blob fileb://secret.bin",
        &mut fs,
    );
    assert_eq!(bad.exit_code, 254, "{bad:?}");
    assert_eq!(
        bad.error_code.as_deref(),
        Some("InvalidCiphertextException")
    );
    assert!(bad.stderr.starts_with(
        "\nAn error occurred (InvalidCiphertextException) when calling the Decrypt operation: "
    ));
}

#[test]
fn lab_clock_show_plus_prints_a_future_time_without_moving_the_clock() {
    let (mut s, mut fs) = session();
    assert_eq!(
        ok(&mut s, &mut fs, "lab clock show --plus 30d"),
        "2026-12-22T20:00:59+00:00\n"
    );
    assert_eq!(
        ok(&mut s, &mut fs, "lab clock show"),
        "2026-11-22T20:00:59+00:00\n"
    );
    ok(&mut s, &mut fs, "VALID_TO=$(lab clock show --plus 1d)");
    assert_eq!(
        ok(&mut s, &mut fs, "echo $VALID_TO"),
        "2026-11-23T20:00:59+00:00\n"
    );
    assert_eq!(
        s.run_line("lab clock show --plus soon", &mut fs).exit_code,
        252
    );
}

#[test]
fn lab_clock_show_epoch_ms_gives_a_log_event_timestamp() {
    let (mut s, mut fs) = session();
    assert_eq!(
        ok(&mut s, &mut fs, "lab clock show --epoch-ms"),
        "1795377659000\n"
    );
    ok(&mut s, &mut fs, "NOW=$(lab clock show --epoch-ms)");
    assert_eq!(ok(&mut s, &mut fs, "echo $NOW"), "1795377659000\n");
}

#[test]
fn lab_expect_and_clock() {
    let (mut s, mut fs) = session();
    let out = ok(
        &mut s,
        &mut fs,
        "lab expect NotFoundException -- aws kms describe-key --key-id alias/none",
    );
    assert!(out.starts_with("ok: "), "{out}");
    let failed = s.run_line(
        "lab expect AccessDeniedException -- aws kms describe-key --key-id alias/none",
        &mut fs,
    );
    assert_eq!(failed.exit_code, 1);
    assert!(
        failed
            .stderr
            .contains("expected AccessDeniedException, got NotFoundException"),
        "{}",
        failed.stderr
    );
    let failed = s.run_line(
        "lab expect NotFoundException -- aws sts get-caller-identity",
        &mut fs,
    );
    assert_eq!(failed.exit_code, 1);
    assert!(failed.stderr.contains("but it succeeded"));
    assert_eq!(
        ok(&mut s, &mut fs, "lab expect 252 -- aws kms describe-key"),
        "ok: failed as expected with 252\n"
    );

    // Each of the three aws commands above took a client round trip (300 ms); lab commands none.
    assert_eq!(
        ok(&mut s, &mut fs, "lab clock show"),
        "2026-11-22T20:00:59.900000+00:00\n"
    );
    ok(&mut s, &mut fs, "lab clock advance 1d12h");
    assert_eq!(
        ok(&mut s, &mut fs, "lab clock show"),
        "2026-11-24T08:00:59.900000+00:00\n"
    );
    assert_eq!(s.run_line("lab clock advance soon", &mut fs).exit_code, 252);
    assert_eq!(
        s.run_line("lab clock advance 106751991167d", &mut fs)
            .exit_code,
        252
    );
}

#[test]
fn outputs_and_errors_through_the_engine() {
    let (mut s, mut fs) = session();
    let json = ok(&mut s, &mut fs, "aws sts get-caller-identity");
    assert!(json.starts_with("{\n    \"UserId\": "), "{json}");
    let text = ok(
        &mut s,
        &mut fs,
        "sts get-caller-identity --query Arn --output text",
    );
    assert_eq!(text, "arn:aws:iam::111122223333:user/Admin\n");
    let table = ok(
        &mut s,
        &mut fs,
        "aws sts get-caller-identity --output table",
    );
    assert!(
        table.contains("|                           GetCallerIdentity                           |")
            || table.contains("GetCallerIdentity")
    );

    let e = s.run_line("aws kms describe-key --key-id alias/none", &mut fs);
    assert_eq!(e.exit_code, 254);
    assert!(
        e.stderr.starts_with(
            "\nAn error occurred (NotFoundException) when calling the DescribeKey operation: "
        ),
        "{}",
        e.stderr
    );
    let e = s.run_line("aws kms describe-key", &mut fs);
    assert_eq!(e.exit_code, 252);
    let e = s.run_line(
        "aws kms encrypt --key-id alias/x --plaintext fileb://missing.bin",
        &mut fs,
    );
    assert_eq!(e.exit_code, 255);
    assert_eq!(
        e.stderr,
        "Error parsing parameter '--plaintext': Unable to load paramfile fileb://missing.bin: [Errno 2] No such file or directory: 'missing.bin'\n"
    );
    let e = s.run_line("aws sts get-caller-identity --profile nobody", &mut fs);
    assert_eq!(e.exit_code, 253);
    assert_eq!(
        e.stderr,
        "\nThe config profile (nobody) could not be found\n\n"
    );
    let e = s.run_line("aws kms list-keys --region mars-1", &mut fs);
    assert_eq!(e.exit_code, 255);
    assert_eq!(
        e.stderr,
        "\nCould not connect to the endpoint URL: \"https://kms.mars-1.amazonaws.com/\"\n\n"
    );
    let e = s.run_line("echo $UNSET", &mut fs);
    assert_eq!(e.exit_code, 1);
    assert!(e.stderr.contains("$UNSET: variable is not set"));
    let e = s.run_line("frobnicate", &mut fs);
    assert_eq!(e.exit_code, 127);
}

#[test]
fn profiles_whoami_and_configure() {
    let (mut s, mut fs) = session();
    let who = ok(&mut s, &mut fs, "lab whoami");
    assert!(
        who.contains("principal: arn:aws:iam::111122223333:user/Admin"),
        "{who}"
    );
    let profiles = ok(&mut s, &mut fs, "aws configure list-profiles");
    assert!(profiles.lines().any(|l| l == "partner-admin"), "{profiles}");
    ok(
        &mut s,
        &mut fs,
        "aws configure set region eu-west-1 --profile app",
    );
    assert_eq!(
        ok(&mut s, &mut fs, "aws configure get region --profile app"),
        "eu-west-1\n"
    );
    let table = ok(&mut s, &mut fs, "lab profiles");
    assert!(table.contains("* admin"), "{table}");
    ok(&mut s, &mut fs, "lab profile use partner-admin");
    assert!(ok(&mut s, &mut fs, "lab whoami").contains("444455556666"));
}

#[test]
fn local_envelope_encryption_with_a_data_key() {
    let (mut s, mut fs) = session();
    let script = r#"
KEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)
aws kms generate-data-key --key-id $KEY --key-spec AES_256 --query CiphertextBlob --output text | base64 -d > key.enc
DK=$(aws kms decrypt --ciphertext-blob fileb://key.enc --query Plaintext --output text)
echo "top secret" > doc.txt
lab local encrypt --key-b64 $DK --in doc.txt --out doc.enc --aad v1
lab local decrypt --key-b64 $DK --in doc.enc --out doc.out --aad v1
lab expect 1 -- lab local decrypt --key-b64 $DK --in doc.enc --out doc.bad --aad v2
lab local random --bytes 16 --out r.bin
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    assert_eq!(fs.read("doc.out").unwrap(), b"top secret\n");
    assert_eq!(fs.read("r.bin").unwrap().len(), 16);
}

#[test]
fn scripts_stop_at_the_first_failure_unless_keep_going() {
    let (mut s, mut fs) = session();
    let script = "echo one\naws kms describe-key --key-id alias/none\necho three\n";
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 254);
    assert_eq!(out.lines.len(), 2);
    assert_eq!(out.lines[1].line_no, 2);
    let out = s.run_script(script, &mut fs, ScriptOptions { keep_going: true });
    assert_eq!(out.exit_code, 254);
    assert_eq!(out.lines.len(), 3);
    assert_eq!(out.lines[2].output.stdout, "three\n");
}

#[test]
fn variables_quotes_and_splitting() {
    let (mut s, mut fs) = session();
    ok(&mut s, &mut fs, "A='one two' B=x");
    assert_eq!(
        ok(&mut s, &mut fs, "echo $A-$B \"$A\" '$A' ${B}y"),
        "one two-x one two $A xy\n"
    );
    ok(&mut s, &mut fs, "OPS=\"Encrypt Decrypt\"");
    let out = s.run_line("aws kms create-grant --key-id k --grantee-principal p --operations $OPS --generate-cli-skeleton", &mut fs);
    assert_eq!(out.exit_code, 0);
    ok(&mut s, &mut fs, "N=$(echo '  padded  ')");
    assert_eq!(s.vars["N"], "  padded  ");
    ok(&mut s, &mut fs, "echo -n abc > f.txt");
    ok(&mut s, &mut fs, "echo def >> f.txt");
    assert_eq!(ok(&mut s, &mut fs, "cat f.txt"), "abcdef\n");
    assert_eq!(ok(&mut s, &mut fs, "cat f.txt | base64"), "YWJjZGVmCg==\n");
    assert_eq!(ok(&mut s, &mut fs, "echo $?"), "0\n");
    let e = s.run_line(
        "X=$(aws kms describe-key --key-id alias/none --query KeyMetadata.KeyId --output text)",
        &mut fs,
    );
    assert_eq!(e.exit_code, 254);
    assert!(!s.vars.contains_key("X"));
    assert_eq!(s.run_line("echo 'unterminated", &mut fs).exit_code, 2);
    assert_eq!(s.run_line("echo a | jq .", &mut fs).exit_code, 127);
}

#[test]
fn completion() {
    let (mut s, mut fs) = session();
    ok(
        &mut s,
        &mut fs,
        "aws kms create-alias --alias-name alias/app --target-key-id $(aws kms create-key --query KeyMetadata.KeyId --output text)",
    );
    assert_eq!(awscli::complete(&s, "aws km", &fs), vec!["kms"]);
    assert!(
        awscli::complete(&s, "aws kms gen", &fs)
            .contains(&"generate-data-key-without-plaintext".to_owned())
    );
    let opts = awscli::complete(&s, "aws kms encrypt --", &fs);
    assert!(
        opts.contains(&"--key-id".to_owned())
            && opts.contains(&"--no-dry-run".to_owned())
            && opts.contains(&"--query".to_owned())
    );
    assert!(
        awscli::complete(&s, "aws kms describe-key --key-id al", &fs)
            .contains(&"alias/app".to_owned())
    );
    assert_eq!(
        awscli::complete(&s, "aws kms list-keys --output t", &fs),
        vec!["table", "text"]
    );
    fs.write("plain.txt", b"x").unwrap();
    assert_eq!(
        awscli::complete(&s, "aws kms encrypt --plaintext fileb://pl", &fs),
        vec!["fileb://plain.txt"]
    );
    assert!(awscli::complete(&s, "lab cl", &fs) == vec!["clock"]);
    assert_eq!(awscli::complete(&s, "lab expl", &fs), vec!["explain"]);
    assert_eq!(awscli::complete(&s, "lab explain -- ", &fs), vec!["aws"]);
    assert_eq!(
        awscli::complete(&s, "lab local encrypt --i", &fs),
        vec!["--in"]
    );
    assert_eq!(
        awscli::complete(&s, "lab local encrypt --in ", &fs),
        vec!["plain.txt"]
    );
    assert_eq!(
        awscli::complete(&s, "aws kms create-key --key-spec HMAC_2", &fs),
        vec!["HMAC_224", "HMAC_256"]
    );
    assert!(
        awscli::complete(&s, "aws kms create-grant --operations ", &fs)
            .contains(&"GenerateDataKey".to_owned())
    );
    // Completion must not leave audit events.
    let before = s.world.events().count();
    let _ = awscli::complete(&s, "aws kms describe-key --key-id ", &fs);
    assert_eq!(s.world.events().count(), before);
}

#[test]
fn in_memory_entry_points_use_the_session_files() {
    let mut s = Session::new(3, START);
    let out = s.run_line_in_memory("echo data > f.txt");
    assert_eq!(out.exit_code, 0);
    assert_eq!(s.files.read("f.txt").unwrap(), b"data\n");
    let out = s.run_script_in_memory(
        "aws kms generate-random --number-of-bytes 4 --query Plaintext --output text | base64 -d > r.bin\nlab reset\ncat f.txt\n",
        ScriptOptions::default(),
    );
    assert_eq!(out.exit_code, 0, "{out:#?}");
    assert_eq!(s.files.read("r.bin").unwrap().len(), 4);
    assert_eq!(
        out.lines[2].output.stdout, "data\n",
        "lab reset keeps files"
    );
    let list = s.run_line_in_memory("aws configure list --profile app");
    assert!(list.stdout.contains(" assume-role "), "{}", list.stdout);
    assert!(list.stdout.contains("    --profile"), "{}", list.stdout);
}

#[test]
fn pagination_like_aws_cli() {
    let (mut s, mut fs) = session();
    for _ in 0..3 {
        ok(
            &mut s,
            &mut fs,
            "aws kms create-key --query KeyMetadata.KeyId --output text",
        );
    }
    let all = s.run_line("aws kms list-keys --page-size 1", &mut fs);
    let json = all.json.clone().unwrap();
    assert_eq!(json["Keys"].as_array().unwrap().len(), 3, "{}", all.stdout);
    assert!(
        json.get("Truncated").is_none() && json.get("NextMarker").is_none(),
        "{}",
        all.stdout
    );
    let two = s.run_line(
        "aws kms list-keys --max-items 2 --query 'length(Keys)'",
        &mut fs,
    );
    assert_eq!(two.stdout, "2\n");
    // An explicit --limit turns automatic pagination off, as in aws-cli.
    let one = s
        .run_line("aws kms list-keys --limit 1", &mut fs)
        .json
        .unwrap();
    assert_eq!(one["Keys"].as_array().unwrap().len(), 1);
    assert_eq!(one["Truncated"], true);
    let marker = one["NextMarker"].as_str().unwrap().to_owned();
    let next = s
        .run_line(
            &format!("aws kms list-keys --limit 1 --marker {marker}"),
            &mut fs,
        )
        .json
        .unwrap();
    assert_ne!(next["Keys"][0], one["Keys"][0]);
    let first_only = s
        .run_line("aws kms list-keys --no-paginate", &mut fs)
        .json
        .unwrap();
    assert!(first_only.get("Truncated").is_some());
    assert_eq!(
        ok(&mut s, &mut fs, "aws kms list-keys --output text")
            .lines()
            .count(),
        3
    );
}

#[test]
fn profile_output_and_binary_format_settings() {
    let (mut s, mut fs) = session();
    ok(&mut s, &mut fs, "aws configure set output text");
    assert_eq!(ok(&mut s, &mut fs, "aws configure get output"), "text\n");
    let text = ok(
        &mut s,
        &mut fs,
        "aws sts get-caller-identity --query Account",
    );
    assert_eq!(text, "111122223333\n");
    let json = ok(
        &mut s,
        &mut fs,
        "aws sts get-caller-identity --query Account --output json",
    );
    assert_eq!(json, "\"111122223333\"\n");
    // Other profiles keep the default json.
    let json = ok(
        &mut s,
        &mut fs,
        "aws sts get-caller-identity --query Account --profile partner-admin",
    );
    assert_eq!(json, "\"444455556666\"\n");
    let e = s.run_line(
        "aws kms encrypt --key-id alias/x --plaintext hello",
        &mut fs,
    );
    assert_eq!(e.stderr, "\nInvalid base64: \"hello\"\n\n");
    ok(
        &mut s,
        &mut fs,
        "aws configure set cli_binary_format raw-in-base64-out",
    );
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --query KeyMetadata.KeyId",
    );
    let out = ok(
        &mut s,
        &mut fs,
        &format!(
            "aws kms encrypt --key-id {} --plaintext hello --query CiphertextBlob",
            key.trim()
        ),
    );
    assert!(!out.trim().is_empty());
    assert_eq!(
        s.run_line("aws configure set output xml", &mut fs)
            .exit_code,
        253
    );
    // Like aws-cli, any other key is stored in the profile's configuration.
    ok(&mut s, &mut fs, "aws configure set cli_pager less");
    assert_eq!(ok(&mut s, &mut fs, "aws configure get cli_pager"), "less\n");
    ok(&mut s, &mut fs, "aws configure set colour blue");
    assert_eq!(ok(&mut s, &mut fs, "aws configure get colour"), "blue\n");
}

#[test]
fn status_and_prompt() {
    let (mut s, mut fs) = session();
    assert_eq!(s.prompt(), "admin@us-east-1 $ ");
    ok(&mut s, &mut fs, "lab profile use app");
    ok(&mut s, &mut fs, "lab clock advance 1h");
    let st = s.status();
    assert_eq!(
        (st.profile.as_str(), st.region.as_str(), st.now.as_str()),
        ("app", "us-east-1", "2026-11-22T21:00:59+00:00")
    );
}

#[test]
fn explain_shows_why_without_calling() {
    let (mut s, mut fs) = session();
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --query KeyMetadata.KeyId --output text",
    );
    let key = key.trim().to_owned();
    let events = s.world.event_counters().total;
    // The app role may not disable keys: the explanation says which rule decided.
    let out = s.run_line(
        &format!("lab explain -- aws kms disable-key --key-id {key} --profile app"),
        &mut fs,
    );
    assert_eq!(out.exit_code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("DENIED: arn:aws:sts::111122223333:assumed-role/AppRole/"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Outcome: AccessDeniedException"),
        "{}",
        out.stdout
    );
    let json = out.json.unwrap();
    assert_eq!(json["Decisions"][0]["Gate"], "NoIamAllow");
    // Nothing happened: no CloudTrail event, the key is still enabled.
    assert_eq!(s.world.event_counters().total, events);
    let state = ok(
        &mut s,
        &mut fs,
        &format!("aws kms describe-key --key-id {key} --query KeyMetadata.KeyState --output text"),
    );
    assert_eq!(state, "Enabled\n");
    // `--explain` on the command itself does the same; `--output json` prints the JSON.
    let out = s.run_line(
        &format!(
            "aws kms encrypt --key-id {key} --plaintext aGk= --profile app --explain --output json"
        ),
        &mut fs,
    );
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["Outcome"], "Allowed");
    assert_eq!(v["Decisions"][0]["Gate"], "KeyPolicyPlusIam");
    // The real call is denied with AWS's message; `lab expect` sees the code.
    ok(
        &mut s,
        &mut fs,
        &format!(
            "lab expect AccessDeniedException -- aws kms disable-key --key-id {key} --profile app"
        ),
    );
    let out = s.run_line("lab explain -- echo hi", &mut fs);
    assert_eq!(out.exit_code, 252, "{}", out.stderr);
}

#[test]
fn import_key_material_wrapped_with_lab_local() {
    let (mut s, mut fs) = session();
    let script = r#"
KEY=$(aws kms create-key --origin EXTERNAL --query KeyMetadata.KeyId --output text)
aws kms get-parameters-for-import --key-id $KEY --wrapping-algorithm RSAES_OAEP_SHA_256 \
    --wrapping-key-spec RSA_2048 > params.json
lab local random --bytes 32 --out key.bin
lab local wrap-key-material --public-key fileb://params.json --algorithm RSAES_OAEP_SHA_256 \
    --in key.bin --out wrapped.bin --token-out token.bin
aws kms import-key-material --key-id $KEY --encrypted-key-material fileb://wrapped.bin \
    --import-token fileb://token.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE
echo "imported" > plain.txt
aws kms encrypt --key-id $KEY --plaintext fileb://plain.txt --query CiphertextBlob --output text | base64 -d > secret.bin
aws kms decrypt --ciphertext-blob fileb://secret.bin --query Plaintext --output text | base64 -d > back.txt
lab local random --bytes 32 --out other.bin
aws kms get-parameters-for-import --key-id $KEY --wrapping-algorithm RSA_AES_KEY_WRAP_SHA_256 \
    --wrapping-key-spec RSA_3072 > params2.json
lab local wrap-key-material --public-key fileb://params2.json --algorithm RSA_AES_KEY_WRAP_SHA_256 \
    --in other.bin --out wrapped2.bin --token-out token2.bin
lab expect IncorrectKeyMaterialException -- aws kms import-key-material --key-id $KEY \
    --encrypted-key-material fileb://wrapped2.bin --import-token fileb://token2.bin \
    --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    assert_eq!(fs.read("back.txt").unwrap(), b"imported\n");
}

#[test]
fn rsa_encrypt_locally_then_decrypt_in_kms() {
    let (mut s, mut fs) = session();
    let script = r#"
KEY=$(aws kms create-key --key-spec RSA_2048 --key-usage ENCRYPT_DECRYPT --query KeyMetadata.KeyId --output text)
aws kms get-public-key --key-id $KEY --query PublicKey --output text | base64 -d > pub.der
echo "for kms only" > plain.txt
lab local rsa-encrypt --public-key fileb://pub.der --algorithm RSAES_OAEP_SHA_256 --in plain.txt --out ct.bin
aws kms decrypt --key-id $KEY --encryption-algorithm RSAES_OAEP_SHA_256 --ciphertext-blob fileb://ct.bin \
    --query Plaintext --output text | base64 -d > back.txt
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    assert_eq!(fs.read("back.txt").unwrap(), b"for kms only\n");
}

#[test]
fn lab_load_and_cost_print_reports() {
    let (mut s, mut fs) = session();
    ok(
        &mut s,
        &mut fs,
        "KEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)",
    );
    let text = ok(
        &mut s,
        &mut fs,
        "lab load --operation Encrypt --key-id $KEY --rate 120000/s --duration 2s",
    );
    assert!(text.contains("requests:   240000"), "{text}");
    assert!(text.contains("throttled:  40000"), "{text}");
    assert!(text.contains("100000/s"), "{text}");
    let text = ok(&mut s, &mut fs, "lab cost");
    assert!(
        text.contains("KMS bill for account 111122223333 - 2026-11"),
        "{text}"
    );
    assert!(text.contains("free tier: 20000 of 20000"), "{text}");
}

/// Each aws command takes a client round trip of simulated time (300 ms) and lab commands none,
/// so six CreateKey commands in a row are not throttled by CreateKey's 5 per second, as in AWS.
#[test]
fn scripts_run_on_a_realistic_clock() {
    let (mut s, mut fs) = session();
    let start = s.world.now_ms();
    for i in 0..6 {
        ok(
            &mut s,
            &mut fs,
            &format!(
                "aws kms create-key --description k{i} --query KeyMetadata.KeyId --output text"
            ),
        );
    }
    assert_eq!(s.world.now_ms() - start, 6 * 300);
    ok(&mut s, &mut fs, "lab whoami");
    ok(&mut s, &mut fs, "echo no time");
    assert_eq!(
        s.world.now_ms() - start,
        6 * 300,
        "lab and shell commands take no time"
    );
    assert_eq!(
        ok(&mut s, &mut fs, "aws kms list-keys --query 'length(Keys)'"),
        "6\n"
    );
}
