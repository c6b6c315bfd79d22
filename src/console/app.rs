//! The console's state. Everything the screen shows is derived from an `App`; only
//! `update()` changes it, and only through the `ReviewBackend` does it touch storage.

use std::time::Duration;

use chrono::NaiveDate;

use super::backend::{ClaimState, QueueKey, QueueSummary, ReviewBackend};
use super::clock::Clock;
use super::keymap::Keymap;
use super::theme::Theme;
use super::window::QueueWindow;
use super::{ConsoleError, ui};
use crate::domain::decision::{CaseStatus, Reason};
use crate::domain::household::PersonalData;
use crate::domain::role::Role;
use crate::domain::view::{CaseDetail, QueueRow};
use crate::store::StoreError;

pub use super::options::ConsoleOptions;
pub use super::screen::{
    OpenCase, PendingDecision, PendingOutcome, Popup, Status, StatusKind, View,
};

/// The claim of no case on screen.
static NO_CLAIM: ClaimState = ClaimState::None;

pub struct App {
    pub(crate) backend: Box<dyn ReviewBackend>,
    pub(crate) keymap: Keymap,
    pub(crate) theme: Theme,
    pub(crate) reasons: Vec<Reason>,
    pub(crate) today: NaiveDate,
    pub(crate) summary: QueueSummary,
    pub(crate) window: QueueWindow,
    /// The case on screen, if one is.
    pub(crate) open: Option<OpenCase>,
    /// Where the queue stood when the to-sign queue was shown, to come back to.
    pub(crate) queue_return: Option<QueueKey>,
    pub(crate) view: View,
    pub(crate) popup: Option<Popup>,
    pub(crate) status: Option<Status>,
    /// Terminal size as of the last resize.
    pub(crate) size: (u16, u16),
    pub(crate) quit: bool,
    /// A failure while ending the session, reported after the terminal is restored.
    pub(crate) exit_error: Option<StoreError>,
    pub(crate) clock: Clock,
    pub(crate) confirm_within: Option<Duration>,
    /// The full view moved on to another case (after a decision, or j/k): its title says so
    /// until the next key, as the title's pseudonym changing alone is easy to miss.
    pub(crate) new_case: bool,
    /// The database's data version when last looked at (`ReviewBackend::data_version`).
    pub(crate) data_version: i64,
    /// What the queue on screen was read under: when it changes, the queue is read again.
    pub(crate) basis: super::backend::QueueBasis,
    /// A search under way (`/`, `:`): its prompt, or the cases it found in the queue pane.
    pub(crate) search: Option<super::search::SearchState>,
}

impl App {
    /// Opens the console state: reads the keymap, the header figures and the first window,
    /// at the case where this reviewer stopped last time if there is one.
    pub fn new(
        backend: Box<dyn ReviewBackend>,
        options: ConsoleOptions,
    ) -> Result<App, ConsoleError> {
        let keymap = Keymap::load(options.keymap_path.as_deref())?;
        let size = (ui::MIN_WIDTH, ui::MIN_HEIGHT);
        let mut app = App {
            summary: backend.summary()?,
            data_version: backend.data_version()?,
            basis: backend.queue_basis()?,
            backend,
            keymap,
            theme: Theme::new(options.ascii, options.no_color),
            reasons: options.reasons,
            today: options.today,
            window: QueueWindow::new(ui::queue_rows(size.1)),
            open: None,
            queue_return: None,
            view: View::Queue,
            popup: None,
            status: None,
            size,
            quit: false,
            exit_error: None,
            clock: options.clock,
            confirm_within: options.confirm_within,
            new_case: false,
            search: None,
        };
        let resume = app.backend.resume_key()?;
        match resume {
            Some(key) => app.window.resume(&*app.backend, key)?,
            None => app.window.first(&*app.backend)?,
        }
        app.load_detail();
        // Seen in a trial: after a re-score the console reopened mid-queue, at the case where
        // the reviewer stopped but in a new order, without a word.
        if let Some(run) = app.backend.rescored_since_last_session()? {
            let back_at = app
                .selected()
                .filter(|r| resume.is_some_and(|k| k.case_id == r.case_id));
            let top = app.keymap.first_key(
                super::keymap::Context::Review,
                super::action::Action::First,
                app.theme.ascii,
            );
            let text = match back_at {
                Some(row) => crate::i18n::tf(
                    "console.status.rescored_back_at",
                    &[
                        ("run", &run),
                        ("household", &crate::domain::text::sanitize(&row.household)),
                        (
                            "rank",
                            &row.rank.map_or_else(|| "-".to_owned(), |r| r.to_string()),
                        ),
                        ("key", &top),
                    ],
                ),
                None => crate::i18n::tf("console.status.rescored_top", &[("run", &run)]),
            };
            app.info(text);
        }
        Ok(app)
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    /// The rows of the queue window the console holds (not the whole queue).
    pub fn rows(&self) -> &[QueueRow] {
        self.window.rows()
    }

    pub fn selected(&self) -> Option<&QueueRow> {
        self.window.selected()
    }

    pub fn detail(&self) -> Option<&CaseDetail> {
        self.open.as_ref().and_then(|o| o.detail.as_ref())
    }

    /// The id of the case on screen, as opened.
    pub(crate) fn opened(&self) -> Option<i64> {
        self.open.as_ref().map(|o| o.case_id)
    }

    pub fn summary(&self) -> &QueueSummary {
        &self.summary
    }

    /// The stats view's figures, while it is open.
    pub(crate) fn stats(&self) -> Option<&crate::domain::stats::Stats> {
        match &self.view {
            View::Stats { stats, .. } => Some(stats),
            _ => None,
        }
    }

    /// The household's story, while the history view is open.
    pub(crate) fn story(&self) -> Option<&crate::domain::household_story::HouseholdStory> {
        match &self.view {
            View::History { story, .. } => Some(story),
            _ => None,
        }
    }

    /// The first line shown in the full view, the stats or the history (0 in the queue).
    pub(crate) fn scroll(&self) -> u16 {
        match &self.view {
            View::FullDetail { scroll }
            | View::Stats { scroll, .. }
            | View::History { scroll, .. } => *scroll,
            View::Queue => 0,
        }
    }

    /// Scrolls the full view, the stats or the history to line `to`.
    pub(crate) fn scroll_to(&mut self, to: u16) {
        if let View::FullDetail { scroll }
        | View::Stats { scroll, .. }
        | View::History { scroll, .. } = &mut self.view
        {
            *scroll = to;
        }
    }

    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    pub fn view(&self) -> &View {
        &self.view
    }

    pub fn popup(&self) -> Option<&Popup> {
        self.popup.as_ref()
    }

    /// The text in the note editor, when it is open.
    pub fn note_text(&self) -> Option<String> {
        match &self.popup {
            Some(Popup::Note(editor) | Popup::RejectNote(_, editor)) => {
                Some(editor.lines().join("\n"))
            }
            _ => None,
        }
    }

    /// The search under way, if one is.
    pub fn search(&self) -> Option<&super::search::SearchState> {
        self.search.as_ref()
    }

    /// Whether keys go to the search prompt.
    pub fn search_typing(&self) -> bool {
        self.search.as_ref().is_some_and(|s| s.typing)
    }

    /// Whether the queue pane lists what a search found (after Enter), where `n`/`N` move.
    pub fn showing_search_results(&self) -> bool {
        self.window.list() == crate::domain::queue::QueueList::Search && !self.search_typing()
    }

    pub fn showing_decided(&self) -> bool {
        self.window.include_decided()
    }

    /// Whether the queue is read nearest deadline first.
    pub fn showing_by_deadline(&self) -> bool {
        self.window.by_deadline()
    }

    /// Whether the queue shows the decisions waiting for a second signature.
    pub fn showing_to_sign(&self) -> bool {
        self.window.to_sign()
    }

    /// The claim on the case on screen.
    pub fn claim(&self) -> &ClaimState {
        self.open.as_ref().map_or(&NO_CLAIM, |o| &o.claim)
    }

    /// Sets the claim on the case on screen (none on screen: nothing to claim).
    pub(crate) fn set_claim(&mut self, claim: ClaimState) {
        if let Some(open) = &mut self.open {
            open.claim = claim;
        }
    }

    /// The personal data on screen, if the reviewer revealed it for this case.
    pub fn revealed(&self) -> Option<&PersonalData> {
        self.open
            .as_ref()
            .filter(|o| o.detail.is_some())
            .and_then(|o| o.revealed.as_ref())
    }

    pub fn role(&self) -> Role {
        self.backend.role()
    }

    pub fn backend(&self) -> &dyn ReviewBackend {
        &*self.backend
    }

    /// Whether the terminal is below the size the console needs.
    pub fn too_small(&self) -> bool {
        self.size.0 < ui::MIN_WIDTH || self.size.1 < ui::MIN_HEIGHT
    }

    /// Takes the error of ending the session, if that failed.
    pub fn take_exit_error(&mut self) -> Option<StoreError> {
        self.exit_error.take()
    }

    pub(crate) fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            kind: StatusKind::Info,
            text: text.into(),
        });
    }

    /// Shows a backend failure. Never swallowed: it stays until the next key.
    pub(crate) fn fail(&mut self, error: &StoreError) {
        self.status = Some(Status {
            kind: StatusKind::Error,
            text: error.to_string(),
        });
    }

    /// Shows the selected case. A case the reviewer lands on is opened through the backend
    /// (a `view` event, and a claim when it is theirs to decide or sign), once per landing:
    /// the case already on screen is only read again. Leaving every case frees the claim.
    pub(crate) fn load_detail(&mut self) {
        let selected = self.selected().map(|r| r.case_id);
        if selected != self.opened()
            && let View::FullDetail { scroll } = &mut self.view
        {
            *scroll = 0;
        }
        match selected {
            None => {
                let held = matches!(self.claim(), ClaimState::Mine { .. });
                self.open = None;
                if held && let Err(e) = self.backend.release_claims() {
                    self.fail(&e);
                }
            }
            Some(case_id) if selected == self.opened() => self.reread(case_id),
            Some(case_id) => match self.backend.open(case_id) {
                Ok(opened) => {
                    self.open = Some(OpenCase {
                        case_id,
                        detail: Some(opened.detail),
                        claim: opened.claim,
                        revealed: None,
                        opened_at: self.clock.now(),
                        prompted: false,
                        explained: false,
                    });
                    self.new_case = self.view.is_full_detail();
                }
                Err(e) => {
                    // Not opened: the next landing tries again.
                    self.open = None;
                    self.fail(&e);
                }
            },
        }
        // In the full view the explanation is on screen as soon as the case is: after a
        // decision the next case opens there, and after one's own judgment it appears.
        if self.view.is_full_detail() {
            self.log_full_view(false);
        }
    }

    /// Logs that the full explanation of the case on screen is seen, once per opening (or
    /// each time with `again`: the reviewer pressed Enter for it). Nothing is logged when no
    /// explanation shows (halted; judge-first before one's own judgment). False when the
    /// write failed; the error shows.
    pub(crate) fn log_full_view(&mut self, again: bool) -> bool {
        let Some(d) = self.detail().filter(|d| d.explanation.is_some()) else {
            return true;
        };
        let case_id = d.case_id;
        if !again && self.open.as_ref().is_some_and(|o| o.explained) {
            return true;
        }
        match self.backend.explanation_viewed(case_id) {
            Ok(_) => {
                if let Some(open) = &mut self.open {
                    open.explained = true;
                }
                true
            }
            Err(e) => {
                self.fail(&e);
                false
            }
        }
    }

    /// Reads the case on screen again (after a note or a decision): no new `view` event. A
    /// case that still wants this reviewer's decision or signature keeps (or regains) the
    /// claim; one that no longer does has none.
    fn reread(&mut self, case_id: i64) {
        let role = self.role();
        let Some(open) = self.open.as_mut() else {
            return;
        };
        match self.backend.detail(case_id) {
            Ok(d) => {
                let claimable = claimable(role, d.status);
                open.detail = Some(d);
                if !claimable {
                    open.claim = ClaimState::None;
                } else if !matches!(open.claim, ClaimState::Mine { .. }) {
                    match self.backend.renew_claim(case_id) {
                        Ok(claim) => open.claim = claim,
                        Err(e) => self.fail(&e),
                    }
                }
            }
            Err(e) => {
                open.detail = None;
                self.fail(&e);
            }
        }
    }

    /// Re-reads the header figures after a write.
    pub(crate) fn load_summary(&mut self) {
        match self.backend.summary() {
            Ok(s) => self.summary = s,
            Err(e) => self.fail(&e),
        }
    }
}

/// Whether a case in this status is claimed by someone in this role when they open it (the
/// store's rule: a decision to take, or a signature to give).
pub fn claimable(role: Role, status: CaseStatus) -> bool {
    match status {
        CaseStatus::Open | CaseStatus::Deferred => role.decides(),
        CaseStatus::ToSign => role.signs(),
        _ => false,
    }
}
