//! Where oordeel keeps its data by default.

use std::path::PathBuf;

/// The demo database in the user's data directory (`~/.local/share/oordeel/demo.db` on Linux).
pub fn default_database() -> Option<PathBuf> {
    directories::ProjectDirs::from("nl", "", "oordeel").map(|d| d.data_dir().join("demo.db"))
}

/// The user's keymap override (`~/.config/oordeel/keymap.toml` on Linux), if it exists.
pub fn keymap_override() -> Option<PathBuf> {
    directories::ProjectDirs::from("nl", "", "oordeel")
        .map(|d| d.config_dir().join("keymap.toml"))
        .filter(|p| p.exists())
}

/// Where `register export` looks for the organisation's facts
/// (`~/.config/oordeel/organisation.toml` on Linux), whether or not it exists.
pub fn organisation_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("nl", "", "oordeel")
        .map(|d| d.config_dir().join("organisation.toml"))
}
