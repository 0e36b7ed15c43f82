use serde_json::json;

use super::*;
use crate::fs::MemFs;
use crate::model::Operation;

fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

fn call(line: &str) -> Result<(Globals, String, Value), CliError> {
    let mut fs = MemFs::new();
    fs.write("plain.txt", b"hello\n").unwrap();
    fs.write("policy.json", br#"{"Version":"2012-10-17"}"#)
        .unwrap();
    fs.write("bin", &[0, 159, 146, 150]).unwrap();
    match parse(&words(line), &fs)? {
        (
            g,
            AwsCommand::Call {
                operation, input, ..
            },
        ) => Ok((g, operation, input)),
        (_, other) => panic!("not a call: {other:?}"),
    }
}

#[test]
fn maps_options_to_members() {
    let (_, op, input) = call("kms create-key --description x --tags TagKey=a,TagValue=b TagKey=c,TagValue=d --multi-region").unwrap();
    assert_eq!(op, "CreateKey");
    assert_eq!(
        input,
        json!({"Description": "x", "Tags": [{"TagKey": "a", "TagValue": "b"}, {"TagKey": "c", "TagValue": "d"}], "MultiRegion": true})
    );
    let (_, op, input) =
        call("kms re-encrypt --ciphertext-blob fileb://bin --destination-key-id k --no-dry-run")
            .unwrap();
    assert_eq!(op, "ReEncrypt");
    assert_eq!(
        input,
        json!({"CiphertextBlob": "AJ+Slg==", "DestinationKeyId": "k", "DryRun": false})
    );
    let (_, _, input) =
        call("kms encrypt --key-id alias/x --plaintext fileb://plain.txt --encryption-context purpose=test,dept=hr --grant-tokens a b").unwrap();
    assert_eq!(
        input,
        json!({"KeyId": "alias/x", "Plaintext": "aGVsbG8K", "EncryptionContext": {"purpose": "test", "dept": "hr"}, "GrantTokens": ["a", "b"]})
    );
    let (_, _, input) = call("kms create-grant --key-id k --grantee-principal p --operations Encrypt Decrypt --constraints EncryptionContextSubset={k=v}").unwrap();
    assert_eq!(input["Operations"], json!(["Encrypt", "Decrypt"]));
    assert_eq!(
        input["Constraints"],
        json!({"EncryptionContextSubset": {"k": "v"}})
    );
    let (_, _, input) = call("kms put-key-policy --key-id k --policy file://policy.json --bypass-policy-lockout-safety-check").unwrap();
    assert_eq!(
        input,
        json!({"KeyId": "k", "Policy": "{\"Version\":\"2012-10-17\"}", "BypassPolicyLockoutSafetyCheck": true})
    );
    let (_, _, input) = call("cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=Encrypt --max-results 5").unwrap();
    assert_eq!(
        input,
        json!({"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "Encrypt"}], "MaxResults": 5})
    );
    let (_, _, input) = call("kms generate-data-key --key-id=k --number-of-bytes 32").unwrap();
    assert_eq!(input, json!({"KeyId": "k", "NumberOfBytes": 32}));
    let (_, op, _) = call("sts get-caller-identity").unwrap();
    assert_eq!(op, "GetCallerIdentity");
    let (_, op, input) =
        call("iam attach-role-policy --role-name r --policy-arn arn:aws:iam::aws:policy/x")
            .unwrap();
    assert_eq!(op, "AttachRolePolicy");
    assert_eq!(
        input,
        json!({"RoleName": "r", "PolicyArn": "arn:aws:iam::aws:policy/x"})
    );
}

#[test]
fn json_values_and_globals() {
    let mut fs = MemFs::new();
    let args: Vec<String> = vec![
        "kms".into(),
        "encrypt".into(),
        "--profile".into(),
        "app".into(),
        "--key-id".into(),
        "k".into(),
        "--plaintext".into(),
        "aGk=".into(),
        "--encryption-context".into(),
        r#"{"purpose":"test"}"#.into(),
        "--output".into(),
        "text".into(),
        "--query".into(),
        "CiphertextBlob".into(),
        "--region".into(),
        "eu-west-1".into(),
        "--no-cli-pager".into(),
    ];
    let (g, cmd) = parse(&args, &fs).unwrap();
    assert_eq!(g.profile.as_deref(), Some("app"));
    assert_eq!(g.region.as_deref(), Some("eu-west-1"));
    assert_eq!(g.output, Some(Format::Text));
    assert_eq!(g.query.as_deref(), Some("CiphertextBlob"));
    let AwsCommand::Call { input, .. } = cmd else {
        panic!()
    };
    assert_eq!(input["EncryptionContext"], json!({"purpose": "test"}));
    fs.write("in.json", br#"{"KeyId": "from-file", "Plaintext": "aGk="}"#)
        .unwrap();
    let (_, cmd) = parse(&words("kms encrypt --cli-input-json file://in.json"), &fs).unwrap();
    let AwsCommand::Call { input, .. } = cmd else {
        panic!()
    };
    assert_eq!(input, json!({"KeyId": "from-file", "Plaintext": "aGk="}));
    let (g, _) = parse(
        &words("kms encrypt --key-id k --plaintext hello --cli-binary-format raw-in-base64-out"),
        &fs,
    )
    .unwrap();
    assert!(g.raw_in_base64_out);
}

#[test]
fn usage_errors_like_aws_cli() {
    let e = call("kms describe-key").unwrap_err();
    assert_eq!(e.exit_code(), 252);
    assert!(
        e.stderr()
            .ends_with("aws: error: the following arguments are required: --key-id\n"),
        "{e}"
    );
    let e = call("kms encrypt").unwrap_err();
    assert!(
        e.stderr().ends_with("required: --key-id, --plaintext\n"),
        "{e}"
    );
    let e = call("kms describe-key --key-id k --foo bar").unwrap_err();
    assert!(
        e.stderr().ends_with("\nUnknown options: --foo, bar\n"),
        "{e}"
    );
    assert_eq!(e.exit_code(), 252);
    let e = call("kms describe-key --key-id a b").unwrap_err();
    assert!(e.stderr().ends_with("Unknown options: b\n"), "{e}");
    let e = call("kms describe-key --key-id").unwrap_err();
    assert!(
        e.stderr()
            .ends_with("aws: error: argument --key-id: expected one argument\n"),
        "{e}"
    );
    let e = call("kms frobnicate").unwrap_err();
    assert!(
        e.stderr()
            .contains("argument operation: Invalid choice, valid choices are:"),
        "{e}"
    );
    assert!(e.stderr().contains("create-key"));
    let e = call("s3x ls").unwrap_err();
    assert!(e.stderr().contains("argument command: Invalid choice"));
    let e = call("kms list-keys --output yaml2").unwrap_err();
    assert_eq!(e.exit_code(), 252);
    let deep = format!("kms list-keys --query {}", "(".repeat(100_000));
    assert_eq!(call(&deep).unwrap_err().exit_code(), 252);
    let e = call("kms list-keys --query [").unwrap_err();
    assert!(e.stderr().contains("Bad value for --query"), "{e}");
    let e = call("kms create-key --tags TagKey=a").unwrap_err();
    assert_eq!(
        e.stderr(),
        "\nParameter validation failed:\nMissing required parameter in Tags[0]: \"TagValue\"\n"
    );
    let e = call("kms create-key --tags Nope=a").unwrap_err();
    assert!(
        e.stderr()
            .contains("Unknown parameter in Tags[0]: \"Nope\", must be one of: TagKey, TagValue"),
        "{e}"
    );
    let e = call("kms generate-random --number-of-bytes lots").unwrap_err();
    assert_eq!(e.exit_code(), 252);
}

#[test]
fn json_input_is_validated_like_botocore() {
    let fs = MemFs::new();
    let args: Vec<String> = vec![
        "kms".into(),
        "create-key".into(),
        "--tags".into(),
        r#"[{"TagKey": "a", "TagValue": 5}]"#.into(),
    ];
    let e = parse(&args, &fs).unwrap_err();
    assert_eq!(
        e.stderr(),
        "\nParameter validation failed:\nInvalid type for parameter Tags[0].TagValue, value: 5, type: <class 'int'>, valid types: <class 'str'>\n"
    );
    let args: Vec<String> = vec![
        "kms".into(),
        "list-keys".into(),
        "--cli-input-json".into(),
        r#"{"Limit": 1, "Bogus": 2}"#.into(),
    ];
    let e = parse(&args, &fs).unwrap_err();
    assert!(
        e.stderr()
            .contains("Unknown parameter in input: \"Bogus\", must be one of: Limit, Marker"),
        "{e}"
    );
    assert_eq!(e.exit_code(), 252);
}

#[test]
fn usage_and_help_text_snapshots() {
    let fs = MemFs::new();
    insta::assert_snapshot!(
        "invalid_operation",
        call("kms frobnicate").unwrap_err().stderr()
    );
    insta::assert_snapshot!(
        "missing_required",
        call("kms encrypt --plaintext aGk=").unwrap_err().stderr()
    );
    let (_, AwsCommand::Print(h)) = parse(&words("kms create-grant help"), &fs).unwrap() else {
        panic!()
    };
    insta::assert_snapshot!("create_grant_help", h);
}

#[test]
fn positional_outfile_hook() {
    let op: Operation = serde_json::from_value(json!({
        "members": {"Bucket": {"type": "string"}, "Key": {"type": "string"}},
        "required": ["Bucket", "Key"],
        "outfile": "Body"
    }))
    .unwrap();
    let fs = MemFs::new();
    let args = words("--bucket b --key k out.bin");
    let (_, cmd) =
        parse_operation(Globals::default(), "s3api", "GetObject", &op, &args, &fs).unwrap();
    let AwsCommand::Call { outfile, input, .. } = cmd else {
        panic!()
    };
    assert_eq!(outfile, Some(("out.bin".to_owned(), "Body".to_owned())));
    assert_eq!(input, json!({"Bucket": "b", "Key": "k"}));
    let e = parse_operation(
        Globals::default(),
        "s3api",
        "GetObject",
        &op,
        &words("--bucket b --key k"),
        &fs,
    )
    .unwrap_err();
    assert!(e.stderr().ends_with("required: outfile\n"), "{e}");
}

#[test]
fn file_and_base64_errors_exit_255() {
    let e = call("kms encrypt --key-id k --plaintext fileb://x").unwrap_err();
    assert_eq!(
        e.stderr(),
        "Error parsing parameter '--plaintext': Unable to load paramfile fileb://x: [Errno 2] No such file or directory: 'x'\n"
    );
    assert_eq!(e.exit_code(), 255);
    let e = call("kms encrypt --key-id k --plaintext hello").unwrap_err();
    assert_eq!(e.stderr(), "\nInvalid base64: \"hello\"\n\n");
    assert_eq!(e.exit_code(), 255);
}

#[test]
fn help_and_skeleton() {
    let fs = MemFs::new();
    let (_, AwsCommand::Print(h)) = parse(&words("kms encrypt help"), &fs).unwrap() else {
        panic!()
    };
    assert!(
        h.contains("--key-id <string>") && h.contains("[--dry-run | --no-dry-run]"),
        "{h}"
    );
    let (_, AwsCommand::Print(s)) =
        parse(&words("kms encrypt --generate-cli-skeleton"), &fs).unwrap()
    else {
        panic!()
    };
    let v: Value = serde_json::from_str(&s).unwrap();
    assert_eq!(v["EncryptionContext"], json!({"KeyName": ""}));
    let (_, AwsCommand::Print(s)) = parse(&words("--version"), &fs).unwrap() else {
        panic!()
    };
    assert!(s.starts_with("aws-cli/2."));
    assert!(matches!(
        parse(&words("configure list-profiles"), &fs).unwrap().1,
        AwsCommand::ListProfiles
    ));
    assert_eq!(
        parse(&words("configure set region eu-west-1 --profile app"), &fs).unwrap(),
        (
            Globals {
                profile: Some("app".into()),
                ..Globals::default()
            },
            AwsCommand::ConfigureSet {
                key: "region".into(),
                value: "eu-west-1".into()
            }
        )
    );
}
