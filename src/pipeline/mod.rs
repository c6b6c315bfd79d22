//! The work that joins the store and the model: what a command runs, without the command's
//! parsing and printing, so `score` and `demo` run the same code. Above `store` and `model`,
//! below `commands`.

pub mod score;

pub use score::{ScoreError, score_and_store};
