//! Reusable pieces: data plus callbacks in their props.

pub mod dialog;
pub mod drawer;
pub mod empty_state;
pub mod envelope;
pub mod eval_flow;
pub mod export_status;
pub mod flash;
pub mod form;
pub mod icons;
pub mod lab_menu;
pub mod notice;
pub mod policy_editor;
pub mod prose;
pub mod request_chart;
pub mod resources;
pub mod side_nav;
pub mod top_bar;
pub mod why;
