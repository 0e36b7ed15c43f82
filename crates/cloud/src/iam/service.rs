//! IAM behind the [`Service`] trait: the JSON codec and the identity-only authorization every
//! IAM action passes.

use serde_json::Value;

use super::{Iam, IamError, IamRequest, IamResponse, iam_resource};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

impl Service for Iam {
    const NAME: &'static str = "iam";
    type Request = IamRequest;
    type Response = IamResponse;
    type Error = IamError;

    fn operation(req: &IamRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<IamRequest, AwsError> {
        let Some(req) = IamRequest::decode(operation, input) else {
            return Err(AwsError::new(
                "InvalidAction",
                format!("Could not find operation {operation} for version 2010-05-08"),
            ));
        };
        req.map_err(|e| crate::decode_error("ValidationError", operation, &e))
    }

    fn encode(resp: IamResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| IamError::ServiceFailure(e.to_string()).to_aws())
    }

    fn audit_input(req: &IamRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> IamError {
        IamError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> IamError {
        IamError::ServiceFailure(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: IamRequest,
        audit: &mut CallAudit,
    ) -> Result<IamResponse, IamError> {
        let operation = req.operation();
        let now = world.now_ms();
        audit.read_only = operation.starts_with("Get") || operation.starts_with("List");
        let resource = iam_resource(&req, ctx);
        crate::authorize::identity_only(
            &world.iam,
            ctx,
            &format!("iam:{operation}"),
            &resource,
            &[],
            now,
            &mut audit.authorizations,
        )
        .map_err(IamError::AccessDenied)?;
        world.iam.handle(ctx, req, now, &mut world.rng)
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde_json::{Value, json};

    use crate::World;
    use crate::context::CallContext;
    use crate::iam::{
        CreateUserRequest, IamError, ListRequest, PutRolePolicyRequest, RoleListRequest,
        RoleNameRequest, RolePolicyArnRequest, RolePolicyRequest,
    };

    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}"#;

    /// Two copies of a fresh world and the admin's context in each.
    fn twins() -> (World, CallContext, World, CallContext) {
        let mut typed = World::new(11, 1_795_377_600_000);
        let mut json = typed.clone();
        let a = typed.context_for_profile(None, None).unwrap();
        let b = json.context_for_profile(None, None).unwrap();
        (typed, a, json, b)
    }

    /// The typed answer, printed, is the JSON answer byte for byte.
    fn same<T: Serialize>(
        typed: Result<T, IamError>,
        json: Result<Value, crate::AwsError>,
    ) -> String {
        match (typed, json) {
            (Ok(t), Ok(j)) => {
                let t = serde_json::to_string(&t).unwrap();
                assert_eq!(t, serde_json::to_string(&j).unwrap());
                t
            }
            (Err(t), Err(j)) => {
                assert_eq!(t.to_aws(), j);
                String::new()
            }
            (t, j) => panic!("typed {:?} vs JSON {j:?}", t.map(|_| ())),
        }
    }

    /// The typed client answers what `World::call` answers, byte for byte, and both write the
    /// same CloudTrail events.
    #[test]
    fn typed_iam_answers_print_as_the_json_answers() {
        let (mut tw, tctx, mut jw, jctx) = twins();
        let list = ListRequest {
            path_prefix: None,
            marker: None,
            max_items: None,
        };
        let roles = same(
            tw.client(&tctx).iam().list_roles(list.clone()),
            jw.call(&jctx, "iam", "ListRoles", json!({})),
        );
        // The printed order of a role: Description last, as the lab always answered it.
        let v: Value = serde_json::from_str(&roles).unwrap();
        let keys: Vec<&str> = v["Roles"][0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "Path",
                "RoleName",
                "RoleId",
                "Arn",
                "CreateDate",
                "AssumeRolePolicyDocument",
                "MaxSessionDuration",
                "Description"
            ]
        );
        assert!(v["Roles"][0]["AssumeRolePolicyDocument"].is_object());
        assert_eq!(v["IsTruncated"], json!(false));
        assert!(v.get("Marker").is_none());

        let page = same(
            tw.client(&tctx).iam().list_roles(ListRequest {
                max_items: Some(1),
                ..list.clone()
            }),
            jw.call(&jctx, "iam", "ListRoles", json!({ "MaxItems": 1 })),
        );
        assert!(
            page.ends_with(r#""IsTruncated":true,"Marker":"1"}"#),
            "{page}"
        );
        same(
            tw.client(&tctx).iam().list_users(list),
            jw.call(&jctx, "iam", "ListUsers", json!({})),
        );
        same(
            tw.client(&tctx).iam().get_role(RoleNameRequest {
                role_name: "AppRole".into(),
            }),
            jw.call(&jctx, "iam", "GetRole", json!({ "RoleName": "AppRole" })),
        );
        let created = same(
            tw.client(&tctx).iam().create_user(CreateUserRequest {
                user_name: "bob".into(),
                path: Some("/dev/".into()),
                permissions_boundary: None,
                tags: None,
            }),
            jw.call(
                &jctx,
                "iam",
                "CreateUser",
                json!({ "UserName": "bob", "Path": "/dev/" }),
            ),
        );
        assert!(created.starts_with(r#"{"User":{"Path":"/dev/","UserName":"bob","UserId":"AIDA"#));
        let put = same(
            tw.client(&tctx)
                .iam()
                .put_role_policy(PutRolePolicyRequest {
                    role_name: "AppRole".into(),
                    policy_name: "extra".into(),
                    policy_document: POLICY.into(),
                }),
            jw.call(
                &jctx,
                "iam",
                "PutRolePolicy",
                json!({ "RoleName": "AppRole", "PolicyName": "extra", "PolicyDocument": POLICY }),
            ),
        );
        assert_eq!(put, "{}");
        let got = same(
            tw.client(&tctx).iam().get_role_policy(RolePolicyRequest {
                role_name: "AppRole".into(),
                policy_name: "extra".into(),
            }),
            jw.call(
                &jctx,
                "iam",
                "GetRolePolicy",
                json!({ "RoleName": "AppRole", "PolicyName": "extra" }),
            ),
        );
        assert_eq!(
            got,
            format!(r#"{{"RoleName":"AppRole","PolicyName":"extra","PolicyDocument":{POLICY}}}"#)
        );
        let names = |max: Option<i64>, marker: Option<&str>| RoleListRequest {
            role_name: "AppRole".into(),
            marker: marker.map(str::to_owned),
            max_items: max,
            path_prefix: None,
        };
        let first = same(
            tw.client(&tctx)
                .iam()
                .list_role_policies(names(Some(1), None)),
            jw.call(
                &jctx,
                "iam",
                "ListRolePolicies",
                json!({ "RoleName": "AppRole", "MaxItems": 1 }),
            ),
        );
        assert_eq!(
            first,
            r#"{"PolicyNames":["AppKeyUse"],"IsTruncated":true,"Marker":"1"}"#
        );
        same(
            tw.client(&tctx)
                .iam()
                .list_role_policies(names(Some(1), Some("1"))),
            jw.call(
                &jctx,
                "iam",
                "ListRolePolicies",
                json!({ "RoleName": "AppRole", "MaxItems": 1, "Marker": "1" }),
            ),
        );
        let arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        same(
            tw.client(&tctx)
                .iam()
                .attach_role_policy(RolePolicyArnRequest {
                    role_name: "AppRole".into(),
                    policy_arn: arn.into(),
                }),
            jw.call(
                &jctx,
                "iam",
                "AttachRolePolicy",
                json!({ "RoleName": "AppRole", "PolicyArn": arn }),
            ),
        );
        let attached = same(
            tw.client(&tctx)
                .iam()
                .list_attached_role_policies(names(None, None)),
            jw.call(
                &jctx,
                "iam",
                "ListAttachedRolePolicies",
                json!({ "RoleName": "AppRole" }),
            ),
        );
        assert_eq!(
            attached,
            format!(
                r#"{{"AttachedPolicies":[{{"PolicyName":"ReadOnlyAccess","PolicyArn":"{arn}"}}],"IsTruncated":false}}"#
            )
        );
        // Errors stay the same AWS errors.
        same(
            tw.client(&tctx).iam().get_role(RoleNameRequest {
                role_name: "Nobody".into(),
            }),
            jw.call(&jctx, "iam", "GetRole", json!({ "RoleName": "Nobody" })),
        );
        same(
            tw.client(&tctx)
                .iam()
                .list_role_policies(names(Some(0), None)),
            jw.call(
                &jctx,
                "iam",
                "ListRolePolicies",
                json!({ "RoleName": "AppRole", "MaxItems": 0 }),
            ),
        );
        let records = |w: &World| w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
        assert_eq!(records(&tw), records(&jw));
        assert_eq!(tw.event_counters(), jw.event_counters());
    }
}
