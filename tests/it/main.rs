//! The integration tests: one crate, so SQLite, linfa and ratatui are linked once rather
//! than once per file. Each module is one area of behaviour as a user meets it: the binary
//! run as a command, the console in a pseudo-terminal or driven by keys, and the database
//! afterwards. `common` holds the shared helpers (a demo database, a session, the console).

mod common;

mod architecture;
mod checkpoints;
mod checkpoints_faults;
mod checkpoints_session;
mod citizen;
mod cli;
mod concurrency;
mod console_real_claims;
mod console_real_stats;
mod console_real_store;
mod console_snapshots;
mod console_snapshots_claims;
mod console_snapshots_judging;
mod console_snapshots_judging_nl;
mod console_snapshots_nl;
mod console_stats;
mod console_stats_nl;
mod docs;
mod drift_watch;
mod export_filters;
mod fairness_reference;
mod feature_governance;
mod halt;
mod halt_pty;
mod history_view;
mod hostile_cli;
mod hostile_pty;
mod hostile_text;
mod import;
mod import_fuzz;
mod init;
mod judge_first;
mod learning_loop;
mod log_export;
mod log_tamper;
mod model_card;
mod model_exactness;
mod model_quality;
mod model_reference;
mod model_registry;
mod own_data;
mod own_data_later;
mod own_data_refusals;
mod pty_session;
mod random_arm;
mod refusals;
mod register_export;
mod report_fairness;
mod report_oversight;
mod restore_drill;
mod retention;
mod roles;
mod scale_invariants;
mod search;
mod signals_import;
mod ssh;
mod state_tamper;
