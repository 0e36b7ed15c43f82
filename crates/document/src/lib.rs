//! The lab document: everything a learner's lab is, as one value with one file format.
//!
//! A [`LabDocument`] is the engine session (the simulated world, the shell's variables, the
//! browser's in-memory files, scenario and quiz progress) plus the [`HostSettings`] of whoever
//! keeps it (the browser bounds CloudTrail history so saves stay small; the native CLI keeps
//! the engine's default). It owns:
//!
//! - the state-file schema (`{"schemaVersion", "kind": "kmslab-state", "session"}`), its
//!   version and the migrations from older versions ([`LabDocument::load`], [`LabDocument::save`];
//!   the codec is [`state_file`], shared by `kmslab … --state` and the browser);
//! - the host settings, applied in one place whenever a world is made or replaced: loading,
//!   a fresh lab, a reset, a scenario start ([`HostSettings::apply`]);
//! - [`LabDocument::reset`], which says what survives a reset ([`Keep`]).
//!
//! Every state file a released build wrote still loads: `tests/fixtures/` holds files written
//! by released builds, and a test loads each one.

use awscli::Session;

pub mod state_file;

pub use state_file::{KIND, SCHEMA_VERSION, StateError};

/// What the host keeping the lab decides, applied to every world it holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HostSettings {
    /// Full CloudTrail events kept (counters cover everything beyond); `None`: the engine's
    /// default.
    pub event_retention: Option<usize>,
}

impl HostSettings {
    /// Applies the settings to a session (after it was loaded, made or replaced).
    pub fn apply(&self, session: &mut Session) {
        if let Some(events) = self.event_retention {
            session.world.set_event_retention(events);
        }
    }
}

/// What a reset keeps besides nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// A brand-new lab: world, variables, files and progress all fresh.
    Nothing,
    /// A fresh world, variables and files, keeping the learner's scenario and quiz progress and
    /// their aws-cli settings (`aws configure set output …`) and terminal width.
    Progress,
}

/// A learner's lab: the session and the host settings it is kept under.
#[derive(Clone, Debug)]
pub struct LabDocument {
    session: Session,
    host: HostSettings,
}

impl LabDocument {
    /// A fresh default lab.
    pub fn fresh(seed: u64, now_ms: i64, host: HostSettings) -> Self {
        Self::new(Session::new(seed, now_ms), host)
    }

    /// A lab around an existing session (the host settings are applied).
    pub fn new(mut session: Session, host: HostSettings) -> Self {
        host.apply(&mut session);
        LabDocument { session, host }
    }

    /// Loads a state file, migrating older schema versions; the host settings are applied.
    pub fn load(text: &str, host: HostSettings) -> Result<Self, StateError> {
        state_file::load(text).map(|session| Self::new(session, host))
    }

    /// The state file, in the current schema.
    pub fn save(&self) -> Result<String, StateError> {
        state_file::save(&self.session)
    }

    /// Starts over with a new world made from `seed` at `now_ms`, keeping what `keep` says.
    pub fn reset(&mut self, keep: Keep, seed: u64, now_ms: i64) {
        let mut fresh = Session::new(seed, now_ms);
        if keep == Keep::Progress {
            fresh.progress = std::mem::take(&mut self.session.progress);
            fresh.cli_config = std::mem::take(&mut self.session.cli_config);
            fresh.terminal_width = self.session.terminal_width;
        }
        self.host.apply(&mut fresh);
        self.session = fresh;
    }

    /// The session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The session, to change (re-apply [`HostSettings`] after replacing its world).
    pub fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    /// The host settings.
    pub fn host(&self) -> HostSettings {
        self.host
    }

    /// The session, giving up the document.
    pub fn into_session(self) -> Session {
        self.session
    }
}
