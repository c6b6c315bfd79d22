//! Oversight documents built from what the store knows: the Algoritmeregister entry (and, with
//! the model card, the documents an auditor or the public reads), and the rubber-stamp
//! monitor's per-reviewer measures. The fairness audit itself is
//! pure arithmetic and lives in `domain::fairness`.

pub mod letter;
pub mod model_card;
pub mod register;
pub mod rubber_stamp;
pub mod stats;
