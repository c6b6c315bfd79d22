//! One keymap for the whole console: `assets/keymap.toml`, with the user's override file laid
//! over it. The key bar and the help overlay are generated from this, so they cannot disagree
//! with what the keys actually do.

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent};

use super::action::Action;
pub use super::keychord::KeyChord;
use crate::i18n::t;

const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Where a set of bindings applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The queue, the detail pane and the full-screen detail.
    Review,
    /// The note editor: unbound keys type into the note.
    Editor,
    /// The reason picker and the help overlay.
    Popup,
    /// A search's prompt and the cases it found: these keys come before the review's.
    Search,
}

impl Context {
    pub const ALL: [Context; 4] = [
        Context::Review,
        Context::Editor,
        Context::Popup,
        Context::Search,
    ];

    fn section(self) -> &'static str {
        match self {
            Context::Review => "review",
            Context::Editor => "editor",
            Context::Popup => "popup",
            Context::Search => "search",
        }
    }

    /// The bindable actions of this context, in help-overlay order.
    fn actions(self) -> &'static [Action] {
        match self {
            Context::Review => &[
                Action::JudgeNeedsHelp,
                Action::JudgeNoNeed,
                Action::JudgeUnsure,
                Action::Accept,
                Action::Reject,
                Action::Defer,
                Action::Note,
                Action::Undo,
                Action::Reveal,
                Action::Sign,
                Action::SendBack,
                Action::ToSign,
                Action::Help,
                Action::Quit,
                Action::Down,
                Action::Up,
                Action::PageDown,
                Action::PageUp,
                Action::First,
                Action::Last,
                Action::Detail,
                Action::ToggleDecided,
                Action::ByDeadline,
                Action::ToggleJudgeFirst,
                Action::Back,
                Action::Stats,
                Action::Outcome,
                Action::Outcomes,
                Action::Search,
                Action::Jump,
                Action::History,
            ],
            Context::Editor => &[Action::SaveNote, Action::Cancel],
            Context::Popup => &[Action::Cancel],
            Context::Search => &[
                Action::NextMatch,
                Action::PreviousMatch,
                Action::Confirm,
                Action::EndSearch,
            ],
        }
    }
}

/// Keys bound to one action.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The action's name in keymap.toml, e.g. `page_down`; also its label key `keys.<name>`.
    pub name: &'static str,
    pub action: Action,
    pub keys: Vec<KeyChord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    review: Vec<Binding>,
    editor: Vec<Binding>,
    popup: Vec<Binding>,
    search: Vec<Binding>,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct KeymapError(pub String);

impl Keymap {
    /// The shipped keymap, without any user file.
    pub fn embedded() -> Self {
        Self::build(&[("assets/keymap.toml", DEFAULT_KEYMAP)]).expect("assets/keymap.toml is valid")
    }

    /// The shipped keymap with `user_file` laid over it when that file exists.
    pub fn load(user_file: Option<&Path>) -> Result<Self, KeymapError> {
        let Some(path) = user_file.filter(|p| p.exists()) else {
            return Ok(Self::embedded());
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            KeymapError(fill(
                t("console.keymap.unreadable"),
                path,
                "",
                &e.to_string(),
            ))
        })?;
        let name = path.display().to_string();
        Self::build(&[
            ("assets/keymap.toml", DEFAULT_KEYMAP),
            (name.as_str(), text.as_str()),
        ])
    }

    /// Parses the layers in order; a later layer replaces the keys of each action it lists.
    fn build(layers: &[(&str, &str)]) -> Result<Self, KeymapError> {
        let mut map = Keymap {
            review: Vec::new(),
            editor: Vec::new(),
            popup: Vec::new(),
            search: Vec::new(),
        };
        for context in Context::ALL {
            *map.bindings_mut(context) = context
                .actions()
                .iter()
                .map(|action| Binding {
                    name: action.name(),
                    action: action.clone(),
                    keys: Vec::new(),
                })
                .collect();
        }
        for (source, text) in layers {
            let path = Path::new(source);
            let table: toml::Table = toml::from_str(text).map_err(|e| {
                KeymapError(fill(t("console.keymap.invalid"), path, "", &e.to_string()))
            })?;
            for (section, value) in &table {
                let context = Context::ALL
                    .into_iter()
                    .find(|c| c.section() == section)
                    .ok_or_else(|| {
                        KeymapError(fill(t("console.keymap.unknown_section"), path, section, ""))
                    })?;
                let entries = value.as_table().ok_or_else(|| {
                    KeymapError(fill(t("console.keymap.unknown_section"), path, section, ""))
                })?;
                for (name, keys) in entries {
                    let binding = map
                        .bindings_mut(context)
                        .iter_mut()
                        .find(|b| b.name == name.as_str())
                        .ok_or_else(|| {
                            KeymapError(fill(
                                t("console.keymap.unknown_action"),
                                path,
                                name,
                                section,
                            ))
                        })?;
                    let list = keys.as_array().ok_or_else(|| {
                        KeymapError(fill(t("console.keymap.not_a_list"), path, name, ""))
                    })?;
                    binding.keys = list
                        .iter()
                        .map(|k| {
                            k.as_str().and_then(KeyChord::parse).ok_or_else(|| {
                                KeymapError(fill(
                                    t("console.keymap.bad_key"),
                                    path,
                                    name,
                                    &k.to_string(),
                                ))
                            })
                        })
                        .collect::<Result<_, _>>()?;
                }
            }
        }
        map.validate(layers.last().map(|(s, _)| *s).unwrap_or_default())?;
        Ok(map)
    }

    fn validate(&self, source: &str) -> Result<(), KeymapError> {
        let path = Path::new(source);
        for context in Context::ALL {
            let mut seen: Vec<(KeyChord, &str)> = Vec::new();
            for b in self.bindings(context) {
                if b.keys.is_empty() && (context != Context::Review || b.action.required()) {
                    return Err(KeymapError(fill(
                        t("console.keymap.unbound"),
                        path,
                        b.name,
                        "",
                    )));
                }
                for k in &b.keys {
                    // In the editor a plain character types text: bound to save or cancel,
                    // a word in a note would save it and its next letters would decide cases.
                    let types_text = matches!(k.code, KeyCode::Char(_)) && !k.ctrl && !k.alt;
                    if context == Context::Editor && types_text {
                        return Err(KeymapError(fill(
                            t("console.keymap.editor_plain"),
                            path,
                            b.name,
                            &k.label(true),
                        )));
                    }
                    if let Some((_, other)) = seen.iter().find(|(s, _)| s == k) {
                        let both = format!("{other}, {}", b.name);
                        return Err(KeymapError(fill(
                            t("console.keymap.duplicate"),
                            path,
                            &k.label(true),
                            &both,
                        )));
                    }
                    seen.push((*k, b.name));
                }
            }
        }
        Ok(())
    }

    pub fn bindings(&self, context: Context) -> &[Binding] {
        match context {
            Context::Review => &self.review,
            Context::Editor => &self.editor,
            Context::Popup => &self.popup,
            Context::Search => &self.search,
        }
    }

    fn bindings_mut(&mut self, context: Context) -> &mut Vec<Binding> {
        match context {
            Context::Review => &mut self.review,
            Context::Editor => &mut self.editor,
            Context::Popup => &mut self.popup,
            Context::Search => &mut self.search,
        }
    }

    /// The action a key fires in the queue and detail views.
    pub fn action_for(&self, key: KeyEvent) -> Option<Action> {
        self.action_in(Context::Review, key)
    }

    /// The action a key fires in `context`, if it is bound there.
    pub fn action_in(&self, context: Context, key: KeyEvent) -> Option<Action> {
        let chord = KeyChord::from_event(&key);
        self.bindings(context)
            .iter()
            .find(|b| b.keys.contains(&chord))
            .map(|b| b.action.clone())
    }

    /// The binding of an action in a context (for the key bar).
    pub fn binding(&self, context: Context, action: Action) -> Option<&Binding> {
        self.bindings(context).iter().find(|b| b.action == action)
    }

    /// The first key of an action, as shown in the key bar; empty when unbound.
    pub fn first_key(&self, context: Context, action: Action, ascii: bool) -> String {
        self.binding(context, action)
            .and_then(|b| b.keys.first())
            .map(|k| k.label(ascii))
            .unwrap_or_default()
    }
}

/// Fills `{path}`, `{name}` and `{detail}` in a message template.
fn fill(template: &str, path: &Path, name: &str, detail: &str) -> String {
    template
        .replace("{path}", &path.display().to_string())
        .replace("{name}", name)
        .replace("{detail}", detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new_with_kind(code, modifiers, KeyEventKind::Press)
    }

    #[test]
    fn embedded_keymap_binds_the_documented_keys() {
        let map = Keymap::embedded();
        let plain = |c| map.action_for(key(KeyCode::Char(c), KeyModifiers::NONE));
        assert_eq!(plain('a'), Some(Action::Accept));
        assert_eq!(plain('r'), Some(Action::Reject));
        assert_eq!(plain('q'), Some(Action::Quit));
        assert_eq!(plain('x'), None);
        assert_eq!(
            map.action_for(key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Last)
        );
        assert_eq!(
            map.action_for(key(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            Some(Action::Help)
        );
        assert_eq!(
            map.action_for(key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            map.action_for(key(KeyCode::PageDown, KeyModifiers::NONE)),
            Some(Action::PageDown)
        );
        let save = key(
            KeyCode::Char('S'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(map.action_in(Context::Editor, save), Some(Action::SaveNote));
    }

    #[test]
    fn a_user_layer_replaces_only_what_it_lists() {
        let user = "[review]\naccept = [\"y\"]\n";
        let map = Keymap::build(&[("default", DEFAULT_KEYMAP), ("user.toml", user)]).unwrap();
        let plain = |c| map.action_for(key(KeyCode::Char(c), KeyModifiers::NONE));
        assert_eq!(plain('y'), Some(Action::Accept));
        assert_eq!(plain('a'), None);
        assert_eq!(plain('r'), Some(Action::Reject));
    }

    #[test]
    fn bad_user_files_are_refused_with_the_reason() {
        let cases = [
            ("[review]\nacept = [\"y\"]\n", "acept"),
            ("[reveiw]\n", "reveiw"),
            ("[review]\naccept = [\"hyper-x\"]\n", "hyper-x"),
            ("[review]\naccept = [\"r\"]\n", "accept"),
            ("[review]\nreject = []\n", "reject"),
            ("[review\n", "user.toml"),
            ("[editor]\nsave = [\"a\"]\n", "types text into the note"),
        ];
        for (text, needle) in cases {
            let err =
                Keymap::build(&[("default", DEFAULT_KEYMAP), ("user.toml", text)]).unwrap_err();
            assert!(err.0.contains(needle), "{text:?} gave {}", err.0);
        }
    }

    /// A name is the action's keymap entry, its serde name and its help text: every bindable
    /// action reads back from its name and has a description in both languages (a missing
    /// text would show as `⟨keys.…⟩` on screen; the key bar's labels are checked there).
    #[test]
    fn every_bindable_action_has_one_name_and_its_texts() {
        use crate::i18n::{Lang, t_in};
        for context in Context::ALL {
            for action in context.actions() {
                let name = action.name();
                assert_eq!(name.parse::<Action>().as_ref(), Ok(action), "{name}");
                assert_eq!(serde_json::to_value(action).unwrap(), name);
                let describe = match context {
                    Context::Review => format!("keys.describe.{name}"),
                    Context::Editor => format!("keys.describe.editor_{name}"),
                    Context::Popup => format!("keys.describe.popup_{name}"),
                    Context::Search => format!("keys.describe.{name}"),
                };
                for lang in [Lang::Nl, Lang::En] {
                    assert!(!t_in(lang, &describe).starts_with('⟨'), "{describe}");
                }
            }
        }
    }

    /// What only the event loop or a popup makes cannot be bound, even by its name.
    #[test]
    fn internal_actions_cannot_be_bound() {
        for name in [
            "tick",
            "poll",
            "resize",
            "paste",
            "pick_reason",
            "editor_key",
        ] {
            let user = format!("[review]\n{name} = [\"x\"]\n");
            let err =
                Keymap::build(&[("default", DEFAULT_KEYMAP), ("user.toml", &user)]).unwrap_err();
            assert!(err.0.contains(name), "{name}: {}", err.0);
        }
    }

    #[test]
    fn a_missing_user_file_means_the_defaults() {
        let map = Keymap::load(Some(Path::new("/nonexistent/oordeel/keymap.toml"))).unwrap();
        assert_eq!(map, Keymap::embedded());
    }
}
