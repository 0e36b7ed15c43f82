//! Command failures and the exit codes aws-cli v2 uses for them.

/// aws-cli's usage banner, printed before argument errors.
pub const USAGE: &str = "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n\
To see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n";

/// Why a command line failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CliError {
    /// An argparse-level error (`aws: error: ...`): unknown service or operation, missing
    /// required argument, missing option value. Exit code 252.
    #[error("{USAGE}\naws: error: {0}")]
    Usage(String),
    /// Options the operation does not have. Exit code 252.
    #[error("{USAGE}\nUnknown options: {}", .0.join(", "))]
    UnknownOptions(Vec<String>),
    /// A value that cannot be converted to the parameter's type, or a parameter-validation
    /// failure before the request is sent. Exit code 252.
    #[error("{0}")]
    ParamValidation(String),
    /// The service answered with an error. Exit code 254.
    #[error("\nAn error occurred ({code}) when calling the {operation} operation: {message}")]
    Service {
        /// The AWS error code.
        code: String,
        /// The API operation name.
        operation: String,
        /// The service's message.
        message: String,
    },
    /// Invalid configuration or credentials (unknown profile, a role profile without a
    /// source profile). Exit code 253.
    #[error("{0}")]
    Config(String),
    /// Anything else aws-cli reports with exit code 255 (unreadable parameter file, invalid
    /// base64, a profile that does not exist).
    #[error("{0}")]
    Other(String),
    /// A lab or shell-builtin error with an explicit exit code.
    #[error("{message}")]
    Lab {
        /// The message (no trailing newline).
        message: String,
        /// The exit code.
        code: i32,
    },
}

impl CliError {
    /// The process exit code aws-cli v2 returns for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) | CliError::UnknownOptions(_) | CliError::ParamValidation(_) => 252,
            CliError::Config(_) => 253,
            CliError::Service { .. } => 254,
            CliError::Other(_) => 255,
            CliError::Lab { code, .. } => *code,
        }
    }

    /// The AWS error code of a service error.
    pub fn aws_code(&self) -> Option<&str> {
        match self {
            CliError::Service { code, .. } => Some(code),
            _ => None,
        }
    }

    /// A lab error with an exit code.
    pub fn lab(message: impl Into<String>, code: i32) -> Self {
        CliError::Lab {
            message: message.into(),
            code,
        }
    }

    /// The text written to standard error (with a trailing newline).
    pub fn stderr(&self) -> String {
        format!("{self}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_codes() {
        let e = CliError::Service {
            code: "NotFoundException".into(),
            operation: "DescribeKey".into(),
            message: "Alias 'arn:aws:kms:us-east-1:111122223333:alias/none' is not found.".into(),
        };
        assert_eq!(
            e.stderr(),
            "\nAn error occurred (NotFoundException) when calling the DescribeKey operation: Alias 'arn:aws:kms:us-east-1:111122223333:alias/none' is not found.\n"
        );
        assert_eq!(e.exit_code(), 254);
        let u = CliError::Usage("the following arguments are required: --key-id".into());
        assert!(u.stderr().starts_with("usage: aws [options]"));
        assert!(
            u.stderr()
                .ends_with("\n\naws: error: the following arguments are required: --key-id\n")
        );
        assert_eq!(u.exit_code(), 252);
        let k = CliError::UnknownOptions(vec!["--foo".into(), "bar".into()]);
        assert!(k.stderr().ends_with("\nUnknown options: --foo, bar\n"));
        assert_eq!(CliError::Other("x".into()).exit_code(), 255);
        assert_eq!(CliError::Config("x".into()).exit_code(), 253);
    }
}
