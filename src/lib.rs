//! oordeel: a keyboard-driven console in which a model ranks households by their estimated
//! need for proactive support, explains each ranking exactly, and people decide.
//!
//! Data flows one way: `ingest` -> `store` -> `model` -> `console` -> `store` -> `oversight`.
//! `domain` holds the plain types and rules and does no I/O; `commands` is the glue behind
//! each command of `cli`.

pub mod checkpoints;
pub mod cli;
pub mod commands;
pub mod console;
pub mod domain;
pub mod format;
pub mod i18n;
pub mod identity;
pub mod ingest;
pub mod messages;
pub mod model;
pub mod oversight;
pub mod paths;
pub mod pipeline;
pub mod store;
