#!/usr/bin/env python3
"""Writes a compact parameter table for one AWS service from its official API model.

Usage: python3 crates/awscli/tools/gen_model.py /work/shared/aws-models/kms-2014-11-01.service-2.json \
           > crates/awscli/src/model/kms.json
       python3 crates/awscli/tools/gen_model.py MODEL --service s3api --only GetObject,PutObject,...
--service names the command-line service when it differs from the model's endpoint prefix (s3 →
s3api); --only keeps the operations the lab implements (EC2, RDS and S3 have hundreds more, and
the tables are compiled into the browser bundle). Regenerate the lab's tables with:
  M=/work/shared/aws-models T=crates/awscli/src/model G=crates/awscli/tools/gen_model.py
  python3 $G $M/kms-2014-11-01.service-2.json > $T/kms.json
  python3 $G $M/ec2-2016-11-15.service-2.json --only "$(python3 $G --ops $T/ec2.json)" > $T/ec2.json.new
  (likewise rds-2014-10-31 → rds.json, s3-2006-03-01 --service s3api → s3api.json), then move
  each .new over its table.

The table keeps only what the command-line parser needs: each operation's input members with
their type (string, integer, long, boolean, blob, timestamp, list, map, structure), whether they
are required, and enum values. Documentation, output shapes and errors are dropped.
Format (also used by the hand-written iam/sts/cloudtrail tables):
  {"service": "kms", "operations": {"CreateKey": {"members": {"Description": {"type": "string"}, ...},
                                                  "required": ["KeyId"]}},
   "timestamps": ["CreationDate", ...]}
An operation may also carry "paginator": {"input_token", "output_token", "more_results"?,
"limit_key", "result_key"} (botocore's paginator config) and "outfile": MEMBER (a streaming
response member written to a positional file argument, e.g. s3api get-object).
A member: {"type": T, "min": N?, "enum": [...]?, "member": M? (list), "key": M?, "value": M? (map),
           "members": {...}?, "required": [...]? (structure)}
"""
import json
import sys

# botocore's paginators-1.json for KMS (not part of the service model file): aws-cli follows
# these automatically and strips the pagination members from its output.
KMS_PAGE = {"input_token": "Marker", "output_token": "NextMarker", "more_results": "Truncated",
            "limit_key": "Limit"}
PAGINATORS = {
    "kms": {
        "DescribeCustomKeyStores": {**KMS_PAGE, "result_key": "CustomKeyStores"},
        "ListAliases": {**KMS_PAGE, "result_key": "Aliases"},
        "ListGrants": {**KMS_PAGE, "result_key": "Grants"},
        "ListKeyPolicies": {**KMS_PAGE, "result_key": "PolicyNames"},
        "ListKeyRotations": {**KMS_PAGE, "result_key": "Rotations"},
        "ListKeys": {**KMS_PAGE, "result_key": "Keys"},
        "ListResourceTags": {**KMS_PAGE, "result_key": "Tags"},
        "ListRetirableGrants": {**KMS_PAGE, "result_key": "Grants"},
    },
    "s3api": {
        "ListObjectsV2": {"input_token": "ContinuationToken", "output_token": "NextContinuationToken",
                          "more_results": "IsTruncated", "limit_key": "MaxKeys",
                          "result_key": "Contents"},
    },
}

# Streaming response members aws-cli writes to a positional outfile argument.
OUTFILES = {"s3api": {"GetObject": "Body"}}

# Members aws-cli adds to an operation (its presigned-URL customization gives RDS copies and
# cross-Region replicas --source-region).
EXTRA_MEMBERS = {
    "rds": {
        "CopyDBSnapshot": {"SourceRegion": {"type": "string"}},
        "CreateDBInstanceReadReplica": {"SourceRegion": {"type": "string"}},
    }
}

SCALARS = {"string", "integer", "long", "boolean", "blob", "timestamp", "double", "float"}


def shape_to_member(model, name, depth=0):
    if depth > 12:
        raise SystemExit(f"shape {name} nests too deeply (recursive?)")
    shape = model["shapes"][name]
    kind = shape["type"]
    out = {"type": kind}
    # botocore checks only `min` client-side (lengths of strings, blobs, lists and maps, values
    # of numbers); `max`, patterns and enums are the service's to check.
    if "min" in shape and kind != "timestamp":
        out["min"] = shape["min"]
    if kind in SCALARS:
        if "enum" in shape:
            out["enum"] = shape["enum"]
    elif kind == "list":
        out["member"] = shape_to_member(model, shape["member"]["shape"], depth + 1)
    elif kind == "map":
        out["key"] = shape_to_member(model, shape["key"]["shape"], depth + 1)
        out["value"] = shape_to_member(model, shape["value"]["shape"], depth + 1)
    elif kind == "structure":
        out["members"] = {
            m: shape_to_member(model, ref["shape"], depth + 1)
            for m, ref in shape.get("members", {}).items()
        }
        if shape.get("required"):
            out["required"] = shape["required"]
    else:
        raise SystemExit(f"unsupported shape type {kind} for {name}")
    return out


def output_timestamps(model, only=None):
    """Names of timestamp members anywhere in an output shape: the output formatter prints them
    as ISO 8601 (aws-cli v2's default `cli_timestamp_format`)."""
    names = set()
    seen = set()

    def walk(name):
        if name in seen:
            return
        seen.add(name)
        shape = model["shapes"][name]
        for member, ref in shape.get("members", {}).items():
            if model["shapes"][ref["shape"]]["type"] == "timestamp":
                names.add(member)
            walk(ref["shape"])
        for part in ("member", "key", "value"):
            if part in shape:
                walk(shape[part]["shape"])

    for name, op in model["operations"].items():
        if "output" in op and (only is None or name in only):
            walk(op["output"]["shape"])
    return sorted(names)


def main():
    args = sys.argv[1:]
    if args and args[0] == "--ops":
        # The operations an existing table holds, comma-separated (for --only).
        print(",".join(json.load(open(args[1]))["operations"]))
        return
    model = json.load(open(args[0]))
    service = model["metadata"]["endpointPrefix"]
    only = None
    rest = args[1:]
    while rest:
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag == "--service":
            service = value
        elif flag == "--only":
            only = set(value.split(","))
        else:
            raise SystemExit(f"unknown option {flag}")
    ops = {}
    for op_name in sorted(model["operations"]):
        if only is not None and op_name not in only:
            continue
        op = model["operations"][op_name]
        entry = {"members": {}}
        if "input" in op:
            inp = shape_to_member(model, op["input"]["shape"])
            entry["members"] = inp.get("members", {})
            if inp.get("required"):
                entry["required"] = inp["required"]
        paginator = PAGINATORS.get(service, {}).get(op_name)
        if paginator:
            entry["paginator"] = paginator
        entry["members"].update(EXTRA_MEMBERS.get(service, {}).get(op_name, {}))
        outfile = OUTFILES.get(service, {}).get(op_name)
        if outfile:
            entry["outfile"] = outfile
        ops[op_name] = entry
    # One operation per line keeps diffs readable and the file compact.
    lines = [f'{{"service": {json.dumps(service)}, "operations": {{']
    items = list(ops.items())
    for i, (name, entry) in enumerate(items):
        sep = "," if i + 1 < len(items) else ""
        lines.append(f"  {json.dumps(name)}: {json.dumps(entry, separators=(',', ':'))}{sep}")
    lines.append(f'}}, "timestamps": {json.dumps(output_timestamps(model, only))}}}')
    print("\n".join(lines))


if __name__ == "__main__":
    main()
