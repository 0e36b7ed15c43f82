use serde_json::json;

use super::resolve::{Kind, resolve};
use super::*;

#[test]
fn aws_cli_dumper_cases() {
    // awscli tests/unit/test_formatter.py TestYAMLDumper / TestStreamedYAMLFormatter
    assert_eq!(yaml(&json!(1)), "1\n");
    assert_eq!(yaml(&json!(1.2)), "1.2\n");
    assert_eq!(yaml(&json!(true)), "true\n");
    assert_eq!(yaml(&json!("foo")), "\"foo\"\n");
    assert_eq!(yaml(&json!(null)), "null\n");
    assert_eq!(yaml(&json!({"key": "val"})), "key: val\n");
    assert_eq!(yaml(&json!(["val1", "val2"])), "- val1\n- val2\n");
    assert_eq!(yaml(&json!({})), "");
    assert_eq!(yaml(&json!([])), "[]\n");
    assert_eq!(
        yaml_stream(&[json!({"TableNames": ["MyTable"]})], false),
        "- TableNames:\n  - MyTable\n"
    );
    assert_eq!(
        yaml_stream(
            &[
                json!({"TableNames": ["MyTable"]}),
                json!({"TableNames": ["MyTable2"]})
            ],
            true
        ),
        "- TableNames:\n  - MyTable\n- TableNames:\n  - MyTable2\n"
    );
    assert_eq!(yaml_stream(&[json!({})], false), "");
    assert_eq!(yaml_stream(&[json!("x")], false), "- x\n");
}

#[test]
fn user_guide_list_users_example() {
    // docs.aws.amazon.com/cli/latest/userguide/cli-usage-output-format.html (YAML): keys
    // sorted, timestamps quoted, the list under a key not indented.
    let v = json!({"Users": [
        {"Path": "/", "UserName": "Admin", "UserId": "AIDA1111111111EXAMPLE",
         "Arn": "arn:aws:iam::123456789012:user/Admin",
         "CreateDate": "2014-10-16T16:03:09+00:00",
         "PasswordLastUsed": "2016-06-03T18:37:29+00:00"},
        {"Path": "/backup/", "UserName": "backup-user", "UserId": "AIDA2222222222EXAMPLE",
         "Arn": "arn:aws:iam::123456789012:user/backup/backup-user",
         "CreateDate": "2019-09-17T19:30:40+00:00"}
    ]});
    assert_eq!(
        yaml(&v),
        "Users:
- Arn: arn:aws:iam::123456789012:user/Admin
  CreateDate: '2014-10-16T16:03:09+00:00'
  PasswordLastUsed: '2016-06-03T18:37:29+00:00'
  Path: /
  UserId: AIDA1111111111EXAMPLE
  UserName: Admin
- Arn: arn:aws:iam::123456789012:user/backup/backup-user
  CreateDate: '2019-09-17T19:30:40+00:00'
  Path: /backup/
  UserId: AIDA2222222222EXAMPLE
  UserName: backup-user
"
    );
    let page = json!({"IsTruncated": false, "Users": [{"Path": "/", "UserName": "cli-user"}]});
    assert_eq!(
        yaml_stream(&[page], true),
        "- IsTruncated: false\n  Users:\n  - Path: /\n    UserName: cli-user\n"
    );
}

#[test]
fn scalars_are_quoted_only_when_plain_would_change_them() {
    let v = json!({
        "Account": "111122223333",
        "Empty": "",
        "Enabled": true,
        "Flag": "true",
        "Null": null,
        "Size": 42,
        "Ratio": 0.5,
        "Dash": "-",
        "Colon": "a: b",
        "Hash": "a #b",
        "Quote": "it's",
        "Star": "*",
        "Version": "1.0",
        "Hex": "0x1F",
        "Yes": "yes",
        "Tab": "a\tb",
        "Multi": "line1\nline2",
        "Emoji": "\u{1F600}",
        "Accent": "é",
        "Arn": "arn:aws:kms:us-east-1:111122223333:alias/x",
        "Lists": [[], {}, ["a", ["b", "c"]]]
    });
    assert_eq!(
        yaml(&v),
        "Accent: é
Account: '111122223333'
Arn: arn:aws:kms:us-east-1:111122223333:alias/x
Colon: 'a: b'
Dash: '-'
Emoji: \"\\U0001F600\"
Empty: ''
Enabled: true
Flag: 'true'
Hash: 'a #b'
Hex: '0x1F'
Lists:
- []
- {}
- - a
  - - b
    - c
Multi: 'line1

  line2'
'Null': null
Quote: it's
Ratio: 0.5
Size: 42
Star: '*'
Tab: \"a\\tb\"
Version: '1.0'
Yes: yes
"
    );
}

#[test]
fn policies_are_double_quoted_and_folded_at_80_columns() {
    let policy = "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n    \"Sid\" : \"Enable IAM User Permissions\"\n  } ]\n}";
    let out = yaml(&json!({ "Policy": policy, "PolicyName": "default" }));
    assert_eq!(
        out,
        "Policy: \"{\\n  \\\"Version\\\" : \\\"2012-10-17\\\",\\n  \\\"Id\\\" : \\\"key-default-1\\\",\\n  \\\"Statement\\\"\n  : [ {\\n    \\\"Sid\\\" : \\\"Enable IAM User Permissions\\\"\\n  } ]\\n}\"\nPolicyName: default\n"
    );
    // Folded at the first space past column 80: 14 words, then 16 on the next line.
    let long = "word ".repeat(30);
    let long = long.trim_end();
    assert_eq!(
        yaml(&json!({ "Description": long })),
        format!(
            "Description: {}\n  {}\n",
            "word ".repeat(14).trim_end(),
            "word ".repeat(16).trim_end()
        )
    );
}

#[test]
fn python_float_repr() {
    let f = |x: f64| number(&serde_json::Number::from_f64(x).unwrap());
    assert_eq!(f(2.0), "2.0");
    assert_eq!(f(0.5), "0.5");
    assert_eq!(f(1e16), "1e+16");
    assert_eq!(f(1.5e-7), "1.5e-07");
    assert_eq!(f(123.456), "123.456");
    assert_eq!(f(0.0001), "0.0001");
    assert_eq!(f(-3.25), "-3.25");
}

#[test]
fn implicit_types() {
    for (s, k) in [
        ("123", Kind::Int),
        ("0o17", Kind::Int),
        ("+1_000", Kind::Int),
        ("1.5", Kind::Float),
        ("1e5", Kind::Float),
        (".5", Kind::Float),
        ("-.inf", Kind::Float),
        ("2026-11-22T20:00:59.123000+00:00", Kind::Timestamp),
        ("2026-11-22", Kind::Timestamp),
        ("2026-11-22 20:00:59 Z", Kind::Timestamp),
        ("Null", Kind::Null),
        ("FALSE", Kind::Bool),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", Kind::Str),
        ("yes", Kind::Str),
        ("e5", Kind::Str),
        ("1.2.3", Kind::Str),
    ] {
        assert_eq!(resolve(s), k, "{s}");
    }
}
