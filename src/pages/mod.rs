//! One component per route.

pub mod activity;
pub mod create_key;
pub mod home;
pub mod iam;
pub mod key_detail;
pub mod kms_keys;
pub mod learn;
pub mod not_found;
pub mod quiz;
pub mod scenarios;
pub mod services;
pub mod terminal;
