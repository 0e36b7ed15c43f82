//! `aws …` lines: the profile's aws-cli settings (`output`, `cli_binary_format`) as defaults,
//! the parse, and the parsed command's run.

use super::{Out, Session};
use crate::aws::{self, AwsCommand, Globals};
use crate::fs::FileSystem;
use crate::output::Format;

impl Session {
    pub(super) fn aws(&mut self, args: &[String], fs: &mut dyn FileSystem) -> Out {
        let profile = aws::profile_arg(args)
            .map_or_else(|| self.world.default_profile().to_owned(), str::to_owned);
        let settings = self.cli_config.get(&profile);
        let defaults = Globals {
            output: settings
                .and_then(|m| m.get("output"))
                .and_then(|o| Format::parse(o)),
            raw_in_base64_out: settings
                .and_then(|m| m.get("cli_binary_format"))
                .is_some_and(|v| v == "raw-in-base64-out"),
            ..Globals::default()
        };
        let (g, cmd) = match aws::parse_with_defaults(args, fs, defaults) {
            Ok(p) => p,
            Err(e) => return Out::err(&e),
        };
        let mut out = self.run_command(&profile, &g, cmd, fs);
        if g.debug {
            // aws-cli's first two log lines, before the call's own.
            let now = self.world.now_ms();
            let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
            let head = super::call::debug_line(
                now,
                "awscli.clidriver",
                &format!("CLI version: {}", aws::VERSION),
            ) + &super::call::debug_line(
                now,
                "awscli.clidriver",
                &format!("Arguments entered to CLI: [{}]", quoted.join(", ")),
            );
            out.stderr = head + &out.stderr;
        }
        out
    }

    fn run_command(
        &mut self,
        profile: &str,
        g: &Globals,
        cmd: AwsCommand,
        fs: &mut dyn FileSystem,
    ) -> Out {
        match cmd {
            AwsCommand::Print(s) => Out::text(s),
            AwsCommand::ConfigureSet { key, value } => self.configure_set(profile, key, value),
            AwsCommand::ConfigureGet { key } => self.configure_get(profile, &key),
            AwsCommand::ListProfiles => self.list_profiles(),
            AwsCommand::ConfigureList => self.configure_list(g),
            AwsCommand::Call {
                service,
                operation,
                input,
                outfile,
                paging,
            } => self.call(g, &service, &operation, input, outfile, paging, fs),
            AwsCommand::S3 {
                operation,
                input,
                outfile,
                done,
                failed,
            } => self.s3_high_level(g, &operation, input, outfile, &done, &failed, fs),
            AwsCommand::S3List(l) => self.s3_list(g, &l, fs),
            AwsCommand::Wait {
                service,
                waiter,
                operation,
                input,
            } => self.wait(g, &service, &waiter, &operation, &input),
        }
    }
}
