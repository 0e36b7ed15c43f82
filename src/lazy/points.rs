//! The split points: one per page group, and the engine's extension. With the `split` feature
//! each is a `#[wasm_split]` point (its body, and all only it reaches, goes into its own chunk;
//! calling it downloads the chunk first); without it, a plain call.

// The split points' generated imports and loader statics (`wasm_split_macros`).
#![allow(unsafe_code)]

use super::{PageFn, SplitLoaderError, pages};

macro_rules! chunks {
    ($( $chunk:ident => $loader:ident, $render:path; )*) => {
        /// The page groups loaded on first use.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Chunk { $( $chunk ),* }

        impl Chunk {
            /// Every chunk, in the order they are fetched in the background.
            pub const ALL: &[Chunk] = &[ $( Chunk::$chunk ),* ];
        }

        $(
            #[cfg_attr(
                feature = "split",
                wasm_split_macros::wasm_split($loader, wasm_split_path = crate::lazy, fallible)
            )]
            fn $loader() -> Result<PageFn, SplitLoaderError> {
                Ok($render)
            }
        )*

        /// The chunk's render function, downloading the chunk first if need be.
        pub(super) async fn fetch(chunk: Chunk) -> Result<PageFn, SplitLoaderError> {
            match chunk {
                $( Chunk::$chunk => {
                    #[cfg(feature = "split")]
                    let render = $loader().await;
                    #[cfg(not(feature = "split"))]
                    let render = $loader();
                    render
                } )*
            }
        }
    };
}

chunks! {
    Kms => kms_pages, pages::kms;
    Iam => iam_pages, pages::iam;
    Storage => storage_pages, pages::storage;
    Messaging => messaging_pages, pages::messaging;
    Governance => governance_pages, pages::governance;
    Quiz => quiz_pages, pages::quiz;
    Learn => learn_pages, pages::learn;
}

/// What the engine's chunk installs: the engine's services, the command line's interpreter and
/// the scenarios' checks.
pub(super) struct Engine {
    /// Every service (KMS, IAM, STS and CloudTrail among them), and the hooks into them.
    pub extension: &'static cloud::service::Extension,
    /// The command line's interpreter (what runs a line: parsing, output, `--query`, `lab`).
    pub runner: awscli::runner::Runner,
    /// The scenarios' objective checks and wrong-turn detectors.
    pub checks: lab::scenario::CheckTable,
    /// The CLI's tables of the services beyond the core.
    pub models: awscli::model::ModelTable,
}

/// The engine's extension: every service (KMS, IAM, STS and CloudTrail among them), the command
/// line's interpreter, the CLI's tables of the services beyond the core, and the scenarios'
/// checks (with the `split` feature, the `lazy` features of `cloud`,
/// `awscli` and `lab` keep the first download from naming them, so their code and data are in
/// this chunk).
#[cfg_attr(
    feature = "split",
    wasm_split_macros::wasm_split(engine_extension, wasm_split_path = crate::lazy, fallible)
)]
fn engine_extension() -> Result<Engine, SplitLoaderError> {
    Ok(Engine {
        extension: cloud::service::extension(),
        checks: lab::scenario::check_table(),
        models: awscli::model::extension_table(),
        runner: awscli::runner::table(),
    })
}

/// The engine's extension, downloading its chunk first if need be.
pub(super) async fn fetch_engine() -> Result<Engine, SplitLoaderError> {
    #[cfg(feature = "split")]
    let engine = engine_extension().await;
    #[cfg(not(feature = "split"))]
    let engine = engine_extension();
    engine
}
