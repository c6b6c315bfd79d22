//! `oordeel citizen HOUSEHOLD`: what oordeel recorded about one household and a plain-Dutch
//! letter explaining it, for a privacy officer answering an access request (GDPR art. 15) or
//! a request for an explanation (AI Act art. 86). The document is Dutch (it goes to the
//! household); gathering it is logged as a `citizen_report` event.

use crate::store::Refusal;
use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::cli::{CitizenArgs, CitizenFormat};
use crate::domain::citizen::{CitizenCase, CitizenRecord};
use crate::domain::decision::default_reasons;
use crate::domain::text::sanitize_text;
use crate::i18n::{Lang, number, t_in, tf};
use crate::model::proxy::ProxyCheck;
use crate::oversight::letter::{self, Letter, Proxy, dutch_date};
use crate::oversight::model_card::document::{Block, to_text};
use crate::oversight::model_card::html::to_html;

pub fn run(ctx: &Context, args: &CitizenArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    // An unknown household is named before the organisation file is asked for: that is the
    // mistake to fix first. Only to those who may answer requests at all.
    if actor.role.audits() && !store.has_household(&args.household)? {
        return Err(crate::store::StoreError::Refused(Refusal::NoSuchHousehold(
            args.household.clone(),
        ))
        .into());
    }
    let (org, _) = super::register::organisation(args.organisation.as_deref(), store.is_demo()?)?;
    let format = match args.format {
        CitizenFormat::Text => "text",
        CitizenFormat::Html => "html",
    };
    // Checked before the record is gathered (and the access logged): a request that cannot
    // be written out was not answered.
    if let Some(path) = &args.out {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        if path.is_dir() || parent.is_some_and(|p| !p.is_dir()) {
            return Err(color_eyre::eyre::eyre!(tf(
                "cli.citizen.bad_out",
                &[("path", &path.display())]
            )));
        }
    }
    let record = store.citizen_record(&actor, &args.household, format)?;
    let today = chrono::Local::now().date_naive();
    let sender = org.organization.clone().unwrap_or_default();
    let email = org.contact_email.clone().unwrap_or_default();
    let proxies = flagged_proxies(&store, &record)?;
    let letter = letter::write(
        &record,
        &sender,
        &email,
        today,
        &default_reasons(),
        &proxies,
    );
    let mut blocks = letter_blocks(&letter);
    blocks.extend(record_blocks(&record));
    let title = format!("{} · {}", letter.subject, sanitize_text(&args.household));
    let bytes = match args.format {
        CitizenFormat::Text => sanitize_text(&to_text(&title, &blocks, 72)).into_owned(),
        CitizenFormat::Html => to_html("nl", &title, &blocks),
    }
    .into_bytes();
    match &args.out {
        Some(path) => {
            // Owner-only: the letter holds the household's name, BSN and address.
            super::write_whole(path, &bytes, 0o600)?;
            let key = if record.personal.is_some() {
                "cli.citizen.written"
            } else {
                "cli.citizen.written_pseudonymous"
            };
            super::warn(&tf(key, &[("path", &path.display())]));
        }
        None => super::write_data(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The proxies that the proxy check of the model version behind the newest case's score
/// flagged (none when the case was not scored or the check was not recorded).
fn flagged_proxies(store: &crate::store::Store, record: &CitizenRecord) -> Result<Vec<Proxy>> {
    let Some(version) = record
        .cases
        .first()
        .and_then(|c| c.explanation.as_ref())
        .map(|e| e.model_version)
    else {
        return Ok(Vec::new());
    };
    let check = store
        .model_version(version)?
        .proxy_check
        .and_then(|text| serde_json::from_str::<ProxyCheck>(&text).ok());
    Ok(check
        .map(|c| {
            c.strong()
                .into_iter()
                .map(|p| Proxy {
                    feature: p.feature.clone(),
                    attribute: p.attribute.clone(),
                })
                .collect()
        })
        .unwrap_or_default())
}

fn letter_blocks(l: &Letter) -> Vec<Block> {
    let mut out = vec![Block::Paragraph(format!(
        "{} · {}",
        l.sender,
        dutch_date(l.date)
    ))];
    if !l.to.is_empty() {
        out.push(Block::Paragraph(l.to.join(", ")));
    }
    out.push(Block::Paragraph(l.greeting.clone()));
    out.push(Block::Paragraph(l.intro.clone()));
    for s in &l.sections {
        out.push(Block::Heading(s.heading.clone()));
        out.extend(s.paragraphs.iter().cloned().map(Block::Paragraph));
        if !s.bullets.is_empty() {
            out.push(Block::Bullets(s.bullets.clone()));
        }
        out.extend(s.after.iter().cloned().map(Block::Paragraph));
    }
    out.push(Block::Paragraph(l.closing.clone()));
    out.push(Block::Paragraph(l.sender.clone()));
    out
}

/// The appendix: every recorded fact, in Dutch.
fn record_blocks(r: &CitizenRecord) -> Vec<Block> {
    let nl = |key: &str| t_in(Lang::Nl, key).to_owned();
    let yes_no = |b: bool| if b { "ja" } else { "nee" }.to_owned();
    let mut out = vec![Block::Heading("Bijlage: uw gegevens".into())];
    out.push(Block::Facts(match &r.personal {
        Some(p) => vec![
            ("Naam".into(), p.name.clone()),
            ("BSN".into(), p.bsn.clone()),
            ("Adres".into(), p.address.clone()),
            ("Geboortedatum".into(), dutch_date(p.birth_date)),
        ],
        None => vec![(
            "Persoonsgegevens".into(),
            match r.erased_on {
                Some(on) => format!("gewist op {} (bewaartermijn verstreken)", dutch_date(on)),
                None if r.personal_withheld => {
                    "niet getoond: een auditor ziet geen persoonsgegevens".into()
                }
                None => "gewist".into(),
            },
        )],
    }));
    if let Some(p) = &r.protected {
        out.push(Block::Paragraph(
            "Alleen om te controleren of het programma groepen mensen gelijk behandelt \
             (het programma leest ze niet):"
                .into(),
        ));
        out.push(Block::Facts(vec![
            ("Geslacht".into(), protected_nl(&p.gender)),
            ("Leeftijdsgroep".into(), protected_nl(&p.age_band)),
            ("Herkomst".into(), protected_nl(&p.migration_background)),
        ]));
    }
    let h = &r.household;
    out.push(Block::Paragraph(
        "Zo staat uw huishouden in ons systeem (zonder naam):".into(),
    ));
    let mut facts = vec![("Kenmerk".into(), h.pseudonym.clone())];
    if let Some(key) = &r.key {
        facts.push(("Uw nummer bij ons".into(), key.clone()));
    }
    facts.extend([
        (
            "Huishouden".into(),
            nl(&format!("household_type.{}", h.household_type.as_code())),
        ),
        ("Kinderen".into(), h.children.to_string()),
        (
            "Inkomen".into(),
            nl(&format!("income_source.{}", h.income_source.as_code())),
        ),
        ("Wijk".into(), h.district.clone()),
        ("Eerder schuldhulp".into(), yes_no(h.earlier_debt_help)),
        (
            "Bekend bij wijkteam".into(),
            yes_no(h.known_to_district_team),
        ),
        ("Wmo of jeugdhulp".into(), yes_no(h.wmo_youth_support)),
    ]);
    out.push(Block::Facts(facts));
    for case in &r.cases {
        out.extend(case_blocks(case));
    }
    out.push(Block::Heading("Wie uw gegevens bekeek".into()));
    if r.accesses.is_empty() {
        out.push(Block::Paragraph("Niemand.".into()));
    } else {
        out.push(Block::Table {
            header: vec!["Datum".into(), "Wie".into(), "Wat".into()],
            rows: r
                .accesses
                .iter()
                .map(|a| {
                    let who = match &a.team {
                        Some(team) => format!("{} (team {team})", nl(&format!("role.{}", a.role))),
                        None => nl(&format!("role.{}", a.role)),
                    };
                    let what = match a.kind.as_str() {
                        "view" => "zaak bekeken",
                        "reveal" => "naam, BSN en adres ingezien",
                        "explanation_viewed" => "volledige uitleg bekeken",
                        "history_viewed" => "geschiedenis van het huishouden bekeken",
                        _ => "inzageverzoek beantwoord",
                    };
                    vec![dutch_date(a.at.date_naive()), who, what.into()]
                })
                .collect(),
        });
    }
    out
}

fn case_blocks(c: &CitizenCase) -> Vec<Block> {
    let nl = |key: &str| t_in(Lang::Nl, key).to_owned();
    let euro = |cents: i64| format!("€ {}", number(Lang::Nl, cents as f64 / 100.0, 2));
    let mut out = vec![Block::Heading(format!(
        "Melding van {} (zaak {})",
        dutch_date(c.opened_on),
        c.case_id
    ))];
    let status = (
        "Stand".into(),
        nl(&format!("status.{}", c.status.as_code())),
    );
    out.push(Block::Facts(match c.outcome {
        // A past case from the history: it had no contact deadline of its own, and its
        // outcome is what the program learns from.
        Some(outcome) => vec![
            status,
            (
                "Uitkomst".into(),
                if outcome {
                    "problematische schulden vastgesteld, hulp aanvaard binnen drie maanden"
                } else {
                    "geen problematische schulden vastgesteld, of geen hulp aanvaard"
                }
                .into(),
            ),
            (
                "Gebruikt".into(),
                "het programma leert van zulke afgesloten zaken".into(),
            ),
        ],
        None => vec![
            status,
            ("Contact uiterlijk".into(), dutch_date(c.deadline_on)),
        ],
    }));
    out.push(Block::Table {
        header: vec![
            "Ontvangen".into(),
            "Van".into(),
            "Bedrag".into(),
            "Maanden".into(),
        ],
        rows: c
            .signals
            .iter()
            .map(|s| {
                vec![
                    dutch_date(s.received_on),
                    format!(
                        "{} ({})",
                        nl(&format!("creditor.{}", s.creditor_type.as_code())),
                        s.creditor
                    ),
                    euro(s.amount_cents),
                    s.months_in_arrears.to_string(),
                ]
            })
            .collect(),
    });
    if let Some(e) = &c.explanation {
        out.push(Block::Paragraph(format!(
            "Het computerprogramma (versie {}) schatte de kans op hulpnood op {} op de 100. \
             Elk gegeven telde zo mee (een plus maakt de kans groter, een min kleiner; \
             begin {} plus de bijdragen is samen {}):",
            e.model_version,
            number(Lang::Nl, (e.score * 100.0).round(), 0),
            number(Lang::Nl, e.intercept, 2),
            number(Lang::Nl, e.logit, 2),
        )));
        out.push(Block::Table {
            header: vec!["Gegeven".into(), "Waarde".into(), "Bijdrage".into()],
            rows: e
                .contributions
                .iter()
                .map(|k| {
                    let (label, value) = letter::feature_text(&k.feature, &k.value);
                    let sign = if k.contribution >= 0.0 { "+" } else { "" };
                    vec![
                        label,
                        value,
                        format!("{sign}{}", number(Lang::Nl, k.contribution, 2)),
                    ]
                })
                .collect(),
        });
    }
    if !c.decisions.is_empty() {
        out.push(Block::Table {
            header: vec!["Datum".into(), "Wat".into(), "Reden".into()],
            rows: c
                .decisions
                .iter()
                .map(|d| {
                    let what = match d.decision.as_str() {
                        "accept" => "hulp aangeboden",
                        "reject" => "geen hulp aangeboden",
                        "defer" => "uitgesteld",
                        "retract" => "besluit ingetrokken",
                        "signed" => "gecontroleerd door tweede medewerker",
                        "sent_back" => "teruggestuurd door tweede medewerker",
                        other => other,
                    };
                    let reason = d.reason.as_deref().map(|code| {
                        default_reasons()
                            .into_iter()
                            .find(|r| r.code == code)
                            .map_or_else(|| code.to_owned(), |r| r.nl)
                    });
                    vec![
                        dutch_date(d.at.date_naive()),
                        what.to_owned(),
                        reason.unwrap_or_default(),
                    ]
                })
                .collect(),
        });
    }
    for n in &c.notes {
        out.push(Block::Paragraph(format!(
            "Notitie van {}: {}",
            dutch_date(n.at.date_naive()),
            crate::messages::written_in(crate::i18n::Lang::Nl, &n.text)
        )));
    }
    out
}

/// A protected attribute's code in the letter's Dutch.
fn protected_nl(code: &str) -> String {
    match code {
        "female" => "vrouw",
        "male" => "man",
        "other" => "anders",
        "unknown" => "onbekend",
        "netherlands" => "Nederland",
        "europe" => "Europa (buiten Nederland)",
        "outside_europe" => "buiten Europa",
        band => {
            return match band.split_once('-') {
                Some((from, to)) => format!("{from} tot en met {to} jaar"),
                None => band.replace('+', " jaar of ouder"),
            };
        }
    }
    .into()
}
