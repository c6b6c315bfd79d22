//! Where oordeel keeps its data by default.

use std::path::PathBuf;

/// The demo database in the user's data directory (`~/.local/share/oordeel/demo.db` on Linux).
pub fn default_database() -> Option<PathBuf> {
    directories::ProjectDirs::from("nl", "", "oordeel").map(|d| d.data_dir().join("demo.db"))
}

/// The user's settings file (`~/.config/oordeel/config.toml` on Linux), whether or not it
/// exists. One key so far: `db = "/srv/oordeel/gemeente.db"`, the database every command uses
/// when neither `--db` nor `OORDEEL_DB` names one.
pub fn config_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("nl", "", "oordeel").map(|d| d.config_dir().join("config.toml"))
}

/// The settings file's `db`, if the file exists and names one; a file that does not parse, or
/// holds a key oordeel does not know, is refused with what is wrong and where.
pub fn configured_database() -> Result<Option<PathBuf>, String> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Config {
        db: Option<PathBuf>,
    }
    let Some(path) = config_file().filter(|p| p.exists()) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let config: Config =
        toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))?;
    Ok(config.db)
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
