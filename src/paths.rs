//! Where oordeel keeps its data by default.

use std::path::PathBuf;

/// The demo database in the user's data directory (`~/.local/share/oordeel/demo.db` on Linux).
pub fn default_database() -> Option<PathBuf> {
    directories::ProjectDirs::from("nl", "", "oordeel").map(|d| d.data_dir().join("demo.db"))
}

/// The user's settings file (`~/.config/oordeel/config.toml` on Linux), whether or not it
/// exists: `db = "/srv/oordeel/gemeente.db"` and the `[checkpoints]` table ([`Settings`]).
pub fn config_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("nl", "", "oordeel").map(|d| d.config_dir().join("config.toml"))
}

/// The settings file, as far as oordeel reads it.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The database every command uses when neither `--db` nor `OORDEEL_DB` names one.
    pub db: Option<PathBuf>,
    #[serde(default)]
    pub checkpoints: CheckpointSettings,
}

/// `[checkpoints]`: where the signing key and the signed checkpoints are kept, how often a
/// long session signs, and the command each new checkpoint is handed to.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointSettings {
    pub key: Option<PathBuf>,
    pub dir: Option<PathBuf>,
    pub every: Option<u64>,
    /// A program and its arguments; the checkpoint is written to its standard input.
    pub command: Option<Vec<String>>,
    /// Seconds the command may take before it is stopped.
    pub timeout: Option<u64>,
}

/// The settings file, if it exists; a file that does not parse, or holds a key oordeel does
/// not know, is refused with what is wrong and where.
pub fn settings() -> Result<Settings, String> {
    let Some(path) = config_file().filter(|p| p.exists()) else {
        return Ok(Settings::default());
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))
}

/// The settings file's `db`, if the file exists and names one.
pub fn configured_database() -> Result<Option<PathBuf>, String> {
    Ok(settings()?.db)
}

/// The checkpoint signing key (`~/.config/oordeel/checkpoint.key` on Linux), whether or not
/// it exists: the service account's own, beside its settings, never beside the database.
pub fn checkpoint_key() -> Option<PathBuf> {
    directories::ProjectDirs::from("nl", "", "oordeel")
        .map(|d| d.config_dir().join("checkpoint.key"))
}

/// Where signed checkpoints are appended, one file per log
/// (`~/.local/state/oordeel/checkpoints` on Linux): state the account keeps, not settings.
pub fn checkpoint_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("nl", "", "oordeel").map(|d| {
        d.state_dir()
            .unwrap_or_else(|| d.data_local_dir())
            .join("checkpoints")
    })
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
