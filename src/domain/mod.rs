//! Plain types and rules of the problem: households, signals, cases, decisions, events.
//!
//! Nothing in here performs I/O: the store, the model, the console and the importers all
//! speak these types, so the rules live in one place and are testable on their own.

pub mod address;
pub mod bsn;
pub mod calendar;
pub mod checkpoint;
pub mod citizen;
pub mod decision;
pub mod drift;
pub mod drift_reference;
pub mod event;
pub mod fairness;
pub mod feature_catalogue;
pub mod feature_governance;
pub mod feature_hash;
pub mod feature_rules;
pub mod four_eyes;
pub mod household;
pub mod household_story;
pub mod identity_check;
pub mod import;
pub mod judge_first;
pub mod metrics;
pub mod model_version;
pub mod outcome;
pub mod queue;
pub mod random_arm;
pub mod retention;
pub mod role;
pub mod search;
pub mod signal_file;
pub mod ssh_key;
pub mod stats;
pub mod text;
pub mod view;
