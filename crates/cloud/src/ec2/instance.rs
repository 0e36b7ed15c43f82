//! Minimal EC2 instances: one instance with an EBS root volume (`RunInstances`), and
//! `DescribeInstances`. A root volume whose key fails makes the launch fail as EC2 reports it.

use serde_json::json;

use super::model::{
    CreateVolumeRequest, DescribeInstancesResponse, EbsInstanceBlockDevice,
    InstanceBlockDeviceMapping, InstanceDescription, InstanceState, Placement, Reservation,
    RunInstancesRequest, RunInstancesResponse, StateReason,
};
use super::volume::{attach_key, create, volume};
use super::{Instance, new_id};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::env::iso8601;

fn description(i: &Instance) -> InstanceDescription {
    let code = match i.state.as_str() {
        "running" => 16,
        "terminated" => 48,
        _ => 0,
    };
    InstanceDescription {
        instance_id: i.id.clone(),
        image_id: i.image_id.clone(),
        instance_type: i.instance_type.clone(),
        state: InstanceState {
            code,
            name: i.state.clone(),
        },
        launch_time: iso8601(i.launched_ms),
        placement: Placement {
            availability_zone: format!("{}a", i.region),
        },
        root_device_name: "/dev/xvda".into(),
        block_device_mappings: i.root_volume.as_ref().map_or_else(Vec::new, |v| {
            vec![InstanceBlockDeviceMapping {
                device_name: "/dev/xvda".into(),
                ebs: EbsInstanceBlockDevice {
                    volume_id: v.clone(),
                    status: "attached".into(),
                },
            }]
        }),
        state_reason: i.state_reason.as_ref().map(|(code, message)| StateReason {
            code: code.clone(),
            message: message.clone(),
        }),
    }
}

pub(super) fn run(
    world: &mut World,
    ctx: &CallContext,
    r: &RunInstancesRequest,
    audit: &mut CallAudit,
) -> RunInstancesResponse {
    let image = r
        .image_id
        .clone()
        .unwrap_or_else(|| "ami-0abcdef1234567890".into());
    let itype = r.instance_type.clone().unwrap_or_else(|| "t3.micro".into());
    let ebs = r
        .block_device_mappings
        .as_ref()
        .and_then(|m| m.first())
        .and_then(|m| m.ebs.clone())
        .unwrap_or_default();
    let id = new_id(world, "i");
    let volume_request = CreateVolumeRequest {
        availability_zone: Some(format!("{}a", ctx.region)),
        size: Some(ebs.volume_size.unwrap_or(8)),
        encrypted: (ebs.encrypted == Some(true)).then_some(true),
        kms_key_id: ebs.kms_key_id.clone(),
        // Current Amazon Linux and Windows AMIs map their root volume as gp3.
        volume_type: Some("gp3".into()),
        ..CreateVolumeRequest::default()
    };
    let launched = world.now_ms();
    // The instance is accepted, then fails to start if EBS cannot get or use the root volume's
    // key: AWS reports it terminated with "Client.InternalError: Client error on launch".
    let mut instance = Instance {
        id: id.clone(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        image_id: image,
        instance_type: itype,
        state: "running".into(),
        state_reason: None,
        root_volume: None,
        launched_ms: launched,
    };
    world.services.ec2.instances.insert(id.clone(), instance.clone());
    let started = create(world, ctx, &volume_request, audit).and_then(|v| {
        let vol = volume(world, ctx, &v.volume_id)?;
        attach_key(world, ctx, &vol, &id, audit).map(|()| v.volume_id)
    });
    match started {
        Ok(vid) => {
            if let Some(v) = world.services.ec2.volumes.get_mut(&vid) {
                v.attached_to = Some(id.clone());
                v.device = Some("/dev/xvda".into());
                "in-use".clone_into(&mut v.state);
            }
            instance.root_volume = Some(vid);
        }
        Err(e) => {
            "terminated".clone_into(&mut instance.state);
            instance.state_reason = Some((
                "Client.InternalError".into(),
                "Client.InternalError: Client error on launch".into(),
            ));
            audit.additional_event_data =
                Some(Box::new(json!({ "launchFailure": { "code": e.code(), "message": e.message() } })));
        }
    }
    world.services.ec2.instances.insert(id.clone(), instance.clone());
    // RunInstances answers while the instance is still pending.
    let shown = InstanceDescription {
        state: InstanceState {
            code: 0,
            name: "pending".into(),
        },
        state_reason: None,
        ..description(&instance)
    };
    let reservation = format!("r-{}", world.rng.hex(17));
    RunInstancesResponse {
        reservation_id: reservation,
        owner_id: ctx.account.clone(),
        instances: vec![shown],
    }
}

pub(super) fn describe(world: &World, ctx: &CallContext) -> DescribeInstancesResponse {
    let reservations = world
        .services.ec2
        .instances
        .values()
        .filter(|i| i.account == ctx.account && i.region == ctx.region)
        .map(|i| Reservation {
            owner_id: i.account.clone(),
            instances: vec![description(i)],
        })
        .collect();
    DescribeInstancesResponse { reservations }
}
