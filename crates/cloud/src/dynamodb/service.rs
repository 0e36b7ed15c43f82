//! DynamoDB behind the [`Service`] trait: the JSON codec, read-only marking, what the
//! CloudTrail event leaves out (item contents), the lazy key-health evaluation every call runs
//! first, and the dispatch.

use serde_json::Value;

use super::model::{DynamoDbRequest, DynamoDbResponse};
use super::{DynamoDb, DynamoDbError, backup, health, item, query, table};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

/// Request members CloudTrail never logs (item contents and key values).
const DATA_MEMBERS: &[&str] = &[
    "item",
    "key",
    "expressionAttributeValues",
    "exclusiveStartKey",
];

impl Service for DynamoDb {
    const NAME: &'static str = "dynamodb";
    type Request = DynamoDbRequest;
    type Response = DynamoDbResponse;
    type Error = DynamoDbError;

    fn operation(req: &DynamoDbRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<DynamoDbRequest, AwsError> {
        match DynamoDbRequest::decode(operation, crate::lenient::object(input)) {
            Some(Ok(req)) => Ok(req),
            Some(Err(e)) => Err(DynamoDbError::ValidationException(e.to_string()).to_aws()),
            None => Err(DynamoDbError::UnknownOperationException(format!(
                "DynamoDB has no operation named `{operation}` in the lab"
            ))
            .to_aws()),
        }
    }

    fn encode(resp: DynamoDbResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| DynamoDbError::InternalServerError(e.to_string()).to_aws())
    }

    fn audit_input(req: &DynamoDbRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> DynamoDbError {
        DynamoDbError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> DynamoDbError {
        DynamoDbError::InternalServerError(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: DynamoDbRequest,
        audit: &mut CallAudit,
    ) -> Result<DynamoDbResponse, DynamoDbError> {
        let operation = req.operation();
        audit.read_only = matches!(
            operation,
            "DescribeTable" | "ListTables" | "GetItem" | "Query" | "Scan" | "DescribeBackup"
                | "ListBackups"
        );
        if let Value::Object(m) = audit.request_parameters_mut() {
            for k in DATA_MEMBERS {
                m.remove(*k);
            }
        }
        // Key state changes reach the tables before anything else is answered.
        health::refresh(world);
        use DynamoDbRequest as Q;
        use DynamoDbResponse as A;
        Ok(match req {
            Q::CreateTable(r) => A::CreateTable(table::create(world, ctx, &r, audit)?),
            Q::DescribeTable(r) => A::DescribeTable(table::describe(world, ctx, &r, audit)?),
            Q::UpdateTable(r) => A::UpdateTable(table::update(world, ctx, &r, audit)?),
            Q::DeleteTable(r) => A::DeleteTable(table::delete(world, ctx, &r, audit)?),
            Q::ListTables(r) => A::ListTables(table::list(world, ctx, &r, audit)?),
            Q::PutItem(r) => A::PutItem(item::put(world, ctx, &r, audit)?),
            Q::GetItem(r) => A::GetItem(item::get(world, ctx, &r, audit)?),
            Q::DeleteItem(r) => A::DeleteItem(item::delete(world, ctx, &r, audit)?),
            Q::Query(r) => A::Query(query::query(world, ctx, &r, audit)?),
            Q::Scan(r) => A::Scan(query::scan(world, ctx, &r, audit)?),
            Q::CreateBackup(r) => A::CreateBackup(backup::create(world, ctx, &r, audit)?),
            Q::DescribeBackup(r) => A::DescribeBackup(backup::describe(world, ctx, &r, audit)?),
            Q::DeleteBackup(r) => A::DeleteBackup(backup::delete(world, ctx, &r, audit)?),
            Q::ListBackups(r) => A::ListBackups(backup::list(world, ctx, &r, audit)?),
            Q::RestoreTableFromBackup(r) => {
                A::RestoreTableFromBackup(backup::restore(world, ctx, &r, audit)?)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::World;
    use crate::dynamodb::model::{
        AttributeDefinition, CreateTableRequest, GetItemRequest, KeySchemaElement,
        PutItemRequest, SseSpecification,
    };

    /// Typed DynamoDB calls answer and audit exactly as the same JSON calls.
    #[test]
    fn typed_and_json_calls_answer_and_audit_alike() {
        let mut typed = World::new(5, 1_795_377_600_000);
        let mut json = typed.clone();
        let ctx = typed.context_for_profile(None, None).unwrap();
        let ctx2 = json.context_for_profile(None, None).unwrap();
        let mut ddb = typed.client(&ctx).dynamodb();
        let created = ddb
            .create_table(CreateTableRequest {
                table_name: Some("T1x".into()),
                attribute_definitions: Some(vec![AttributeDefinition {
                    attribute_name: "id".into(),
                    attribute_type: "S".into(),
                }]),
                key_schema: Some(vec![KeySchemaElement {
                    attribute_name: "id".into(),
                    key_type: "HASH".into(),
                }]),
                billing_mode: Some("PAY_PER_REQUEST".into()),
                sse_specification: Some(SseSpecification {
                    enabled: Some(true),
                    ..SseSpecification::default()
                }),
                ..CreateTableRequest::default()
            })
            .unwrap();
        let item = std::collections::BTreeMap::from([("id".to_owned(), json!({ "S": "a" }))]);
        ddb.put_item(PutItemRequest {
            table_name: Some("T1x".into()),
            item: Some(item.clone()),
            ..PutItemRequest::default()
        })
        .unwrap();
        let got = ddb
            .get_item(GetItemRequest {
                table_name: Some("T1x".into()),
                key: Some(item),
                ..GetItemRequest::default()
            })
            .unwrap();
        assert_eq!(got.item.as_ref().unwrap()["id"], json!({ "S": "a" }));
        let created_json = json
            .call(
                &ctx2,
                "dynamodb",
                "CreateTable",
                json!({ "TableName": "T1x", "AttributeDefinitions": [{ "AttributeName": "id", "AttributeType": "S" }],
                        "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }], "BillingMode": "PAY_PER_REQUEST",
                        "SSESpecification": { "Enabled": true } }),
            )
            .unwrap();
        json.call(
            &ctx2,
            "dynamodb",
            "PutItem",
            json!({ "TableName": "T1x", "Item": { "id": { "S": "a" } } }),
        )
        .unwrap();
        let got_json = json
            .call(
                &ctx2,
                "dynamodb",
                "GetItem",
                json!({ "TableName": "T1x", "Key": { "id": { "S": "a" } } }),
            )
            .unwrap();
        assert_eq!(serde_json::to_value(&created).unwrap(), created_json);
        assert_eq!(serde_json::to_value(&got).unwrap(), got_json);
        let records = |w: &World| w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
        assert_eq!(records(&typed), records(&json));
        assert_eq!(typed.event_counters(), json.event_counters());
    }
}
