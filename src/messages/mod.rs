//! Sentences for people, made at the edge: what the layers below report as facts (the
//! store's refusals and failures, an import's faults, a model's or a key's errors, a text a
//! purge erased) in the user's language, from `assets/strings.toml`. Each error type's
//! `Display` is here; `domain`, `store`, `model` and `pipeline` never make a sentence.

pub mod checkpoint;
mod features;
mod import;
mod model;
mod pipeline;
mod refusal;
mod ssh_key;
mod store_error;

pub use features::ground_label;

pub use store_error::{one_line, where_they_differ};

use std::borrow::Cow;

use crate::domain::view::Written;
use crate::i18n::{self, Lang};

/// A written text as a reader sees it: the text, or when a purge erased it, in `lang`.
pub fn written_in(lang: Lang, written: &Written) -> Cow<'_, str> {
    match written {
        Written::Text(text) => Cow::Borrowed(text),
        Written::Erased { on } => {
            Cow::Owned(i18n::t_in(lang, "log.erased").replace("{on}", &i18n::date(lang, *on)))
        }
    }
}

/// [`written_in`] the language of the thread.
pub fn written(written: &Written) -> Cow<'_, str> {
    written_in(i18n::lang(), written)
}
