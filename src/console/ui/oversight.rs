//! The lines about the people around a case, at the top of the detail pane and the full
//! view: who else has it open, a decision waiting for a second signature (whose, what, and
//! under which rule), and the personal data: hidden until the reviewer reveals it (logged),
//! then shown, made safe, until they leave the case.

use crate::console::action::Action;
use ratatui::text::Line;

use super::detail::pack;
use super::format::{clock, date, decision_label, rule};
use crate::console::app::App;
use crate::console::backend::ClaimState;
use crate::console::casework::waiting_decision;
use crate::console::keymap::Context;
use crate::domain::decision::CaseStatus;
use crate::domain::text::sanitize;
use crate::domain::view::CaseDetail;
use crate::i18n::{Lang, lang, t};

/// All of them, in `cols` cells per line.
pub fn lines(app: &App, d: &CaseDetail, cols: usize) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = claim_line(app).into_iter().collect();
    out.extend(waiting_lines(app, d, cols));
    out.extend(personal_lines(app, cols));
    out
}

/// "● being handled by bram until 10:05", when someone else holds the case.
pub fn claim_line(app: &App) -> Option<Line<'static>> {
    let ClaimState::HeldBy { holder, until } = app.claim() else {
        return None;
    };
    let text = t("console.detail.held_by")
        .replace("{holder}", &sanitize(holder))
        .replace("{until}", &clock(until));
    Some(Line::styled(
        format!("{} {text}", app.theme.held()),
        app.theme.held_style(),
    ))
}

/// For a case waiting for a second signature: who decided what (and why), and the rule.
fn waiting_lines(app: &App, d: &CaseDetail, cols: usize) -> Vec<Line<'static>> {
    if d.status != CaseStatus::ToSign {
        return Vec::new();
    }
    let mut parts = Vec::new();
    if let Some(h) = waiting_decision(d) {
        parts.push(
            t("console.detail.decided_by")
                .replace("{decision}", &decision_label(&h.decision))
                .replace("{reviewer}", &sanitize(&h.reviewer)),
        );
        if let Some(code) = &h.reason {
            parts.push(reason_label(app, code));
        }
    }
    let rule_text = waiting_decision(d)
        .and_then(|h| h.four_eyes.as_deref())
        .map(rule)
        .unwrap_or_else(|| t("console.rule.unknown").to_owned());
    parts.push(t("console.full.four_eyes").replace("{rule}", &rule_text));
    pack(&parts, app.theme.sep(), cols)
        .into_iter()
        .map(|l| Line::styled(l, app.theme.warn()))
        .collect()
}

/// A rejection reason's label in the language of the thread, or its code, made safe.
pub fn reason_label(app: &App, code: &str) -> String {
    let label = app
        .reasons
        .iter()
        .find(|r| r.code == code)
        .map(|r| if lang() == Lang::Nl { &r.nl } else { &r.en })
        .map_or(code, |l| l.as_str());
    sanitize(label).into_owned()
}

/// Name, BSN, address and birth date once revealed; before that, how to reveal them.
pub fn personal_lines(app: &App, cols: usize) -> Vec<Line<'static>> {
    let Some(p) = app.revealed() else {
        let key = app
            .keymap
            .first_key(Context::Review, Action::Reveal, app.theme.ascii);
        let text = if app.role().reveals() && !key.is_empty() {
            t("console.detail.personal_hidden")
                .replace("{key}", &key)
                .replace("{sep}", app.theme.sep())
        } else {
            t("console.detail.personal_hidden_role").to_owned()
        };
        return vec![Line::styled(text, app.theme.dim())];
    };
    let parts = [
        sanitize(&p.name).into_owned(),
        t("console.detail.bsn").replace("{bsn}", &sanitize(&p.bsn)),
        sanitize(&p.address).into_owned(),
        t("console.detail.born").replace("{date}", &date(p.birth_date)),
    ];
    pack(&parts, app.theme.sep(), cols)
        .into_iter()
        .map(|l| Line::styled(l, app.theme.title()))
        .collect()
}
