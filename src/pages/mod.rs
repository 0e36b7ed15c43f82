//! One component per route.

pub mod activity;
pub mod create_key;
pub mod home;
pub mod iam;
pub mod key_detail;
pub mod kms_keys;
pub mod learn;
pub mod not_found;
pub mod parameters;
pub mod quiz;
pub mod scenarios;
pub mod secrets;
pub mod services;
pub mod terminal;
