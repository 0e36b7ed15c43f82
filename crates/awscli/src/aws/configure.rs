//! `aws configure set|get|list|list-profiles|help`.

use super::{AwsCommand, columns};
use crate::error::CliError;

pub(super) fn parse_configure(args: &[String]) -> Result<AwsCommand, CliError> {
    let sub = args.first().map(String::as_str);
    let extra = |from: usize| -> Result<(), CliError> {
        let more: Vec<String> = args.get(from..).unwrap_or_default().to_vec();
        if more.is_empty() {
            Ok(())
        } else {
            Err(CliError::UnknownOptions(more))
        }
    };
    match sub {
        Some("set") => match (args.get(1), args.get(2)) {
            (Some(k), Some(v)) => {
                extra(3)?;
                Ok(AwsCommand::ConfigureSet { key: k.clone(), value: v.clone() })
            }
            _ => Err(CliError::Usage("the following arguments are required: varname, value".into())),
        },
        Some("get") => match args.get(1) {
            Some(k) => {
                extra(2)?;
                Ok(AwsCommand::ConfigureGet { key: k.clone() })
            }
            None => Err(CliError::Usage("the following arguments are required: varname".into())),
        },
        Some("list-profiles") => {
            extra(1)?;
            Ok(AwsCommand::ListProfiles)
        }
        Some("list") => {
            extra(1)?;
            Ok(AwsCommand::ConfigureList)
        }
        Some("help") | None => Ok(AwsCommand::Print(
            "aws configure set KEY VALUE [--profile NAME]   (region, role_arn, source_profile, output, cli_binary_format, cli_pager, ...)\n\
             aws configure get KEY [--profile NAME]\n\
             aws configure list [--profile NAME]\n\
             aws configure list-profiles\n"
                .into(),
        )),
        Some(other) => Err(CliError::Usage(format!(
            "argument operation: Invalid choice, valid choices are:\n\n{}",
            columns(&["get".into(), "list".into(), "list-profiles".into(), "set".into(), other.to_owned()][..4])
        ))),
    }
}
