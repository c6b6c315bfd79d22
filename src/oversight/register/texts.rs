//! The register texts oordeel writes from facts, in Dutch at B1 level (the register's language
//! is `nld` only). Each stays inside its field's limit by construction: lists are cut, with a
//! count of what was left out, rather than letting the export fail.

use super::Facts;
use crate::domain::decision::Decision;

/// Used when the organisation file names the algorithm no other way.
pub const NAME: &str = "Volgorde van signalen over betalingsachterstanden (oordeel)";

const TEXT_LIMIT: usize = 2500;

fn number(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}").replace('.', ",")
}

fn date(rfc3339: &str) -> String {
    rfc3339.get(..10).unwrap_or(rfc3339).to_string()
}

pub fn human_intervention(facts: &Facts) -> String {
    let mut t = String::from(
        "Het algoritme beslist niets. Het zet meldingen van betalingsachterstanden in een \
         volgorde en laat per huishouden precies zien welke gegevens die plaats bepalen. Een \
         medewerker bekijkt elk huishouden en besluit zelf of de gemeente hulp aanbiedt. \
         Afwijzen, met een reden, is even makkelijk als accepteren; een besluit kan worden \
         teruggedraaid.",
    );
    for rule in &facts.four_eyes.rule {
        t.push(' ');
        t.push_str(&four_eyes_sentence(rule));
    }
    t.push_str(
        " Elk besluit, elke inzage in persoonsgegevens en elke nieuwe modelversie komt in een \
         logboek dat niet ongemerkt kan worden veranderd. Een nieuwe modelversie wordt pas \
         gebruikt als een tweede beheerder, niet degene die haar trainde, haar goedkeurt.",
    );
    if let Some(key) = &facts.checkpoint_key {
        t.push_str(&format!(
            " Het logboek wordt steeds getekend met een sleutel die buiten de database wordt \
             bewaard. Met de publieke sleutel {key} kan iedereen die een export van het \
             logboek krijgt nagaan dat het niet is herschreven, ingekort of teruggezet."
        ));
    }
    t
}

fn four_eyes_sentence(rule: &crate::domain::four_eyes::FourEyesRule) -> String {
    let what = match rule.decisions.as_slice() {
        [] => "Elk besluit".to_string(),
        [Decision::Reject] => "Een afwijzing".to_string(),
        [Decision::Accept] => "Een acceptatie".to_string(),
        _ => "Een besluit".to_string(),
    };
    let mut conditions = Vec::new();
    if let Some(p) = rule.top_percent {
        conditions.push(format!(
            "van een huishouden bij de hoogste {} % van de volgorde",
            number(p, 0)
        ));
    }
    if !rule.threat_signals.is_empty() {
        conditions.push(
            "over een huishouden dat met huisuitzetting of afsluiting wordt bedreigd".to_string(),
        );
    }
    let condition = if conditions.is_empty() {
        String::new()
    } else {
        format!(" {}", conditions.join(" en "))
    };
    format!("{what}{condition} moet door een tweede, ervaren medewerker worden bevestigd.")
}

pub fn risks(facts: &Facts, own: Option<&str>) -> String {
    let mut t = String::from(
        "Ongelijke behandeling: het model ziet nooit geslacht, leeftijd of migratieachtergrond; \
         die gegevens worden alleen gebruikt om per groep te toetsen hoe vaak het model \
         huishoudens selecteert en hoe vaak het zich vergist (oordeel report fairness), en \
         daarbij worden model en medewerkers naast elkaar gezet. Kenmerken die naar een \
         beschermd kenmerk verwijzen worden bij het trainen geweigerd.",
    );
    if facts.proxy_flags.is_empty() {
        t.push_str(
            " Bij de laatste modelversie hing geen kenmerk sterk samen met een beschermd \
             kenmerk.",
        );
    } else {
        t.push_str(" Deze kenmerken hangen sterk samen met een beschermd kenmerk en worden daarom extra gevolgd: ");
        t.push_str(&facts.proxy_flags.join("; "));
        t.push('.');
    }
    t.push_str(
        " Blind volgen: medewerkers zien waarom een huishouden hoog staat en moeten zelf \
         besluiten; afwijkingen van het model worden per medewerker gevolgd. Oude gegevens: \
         het model leert van eerdere uitkomsten, die kunnen scheef zijn doordat niet iedereen \
         even goed werd bereikt.",
    );
    if let Some(own) = own.filter(|s| !s.trim().is_empty()) {
        t.push(' ');
        t.push_str(own.trim());
    }
    cut(t)
}

/// Longest feature description quoted in `source_data`; the model card has them whole.
const DESCRIPTION_LIMIT: usize = 160;

pub fn source_data(facts: &Facts) -> String {
    let mut t = String::from(
        "Meldingen van betalingsachterstanden die woningcorporaties, energie- en \
         waterbedrijven en zorgverzekeraars aan de gemeente doen (vroegsignalering), en wat \
         het wijkteam al weet over het huishouden. Namen, adressen, BSN en geboortedatum \
         gebruikt het model niet; medewerkers zien ze alleen als dat nodig is, en elke inzage \
         wordt vastgelegd.",
    );
    let total = facts.features.len();
    if total == 0 {
        t.push_str(" Er zijn nog geen kenmerken beschreven.");
        return t;
    }
    // Every feature by name first, so none is left out however long the descriptions are.
    let names: Vec<&str> = facts.features.iter().map(|f| f.name.as_str()).collect();
    t.push_str(&format!(
        " Het model gebruikt {total} kenmerken: {}.",
        names.join(", ")
    ));
    t.push_str(" Per kenmerk:");
    for (i, f) in facts.features.iter().enumerate() {
        let description = shorten(f.description.trim(), DESCRIPTION_LIMIT);
        let item = match (description.as_str(), f.source.trim()) {
            ("", "") => format!(" {} (niet beschreven);", f.name),
            (d, "") => format!(" {}: {d};", f.name),
            ("", s) => format!(" {} (bron: {});", f.name, shorten(s, DESCRIPTION_LIMIT)),
            (d, s) => format!(
                " {}: {d} (bron: {});",
                f.name,
                shorten(s, DESCRIPTION_LIMIT)
            ),
        };
        let rest = format!(" … de overige {} staan in de modelkaart.", total - i);
        if t.chars().count() + item.chars().count() + rest.chars().count() > TEXT_LIMIT {
            t.push_str(&rest);
            return t;
        }
        t.push_str(&item);
    }
    t.pop();
    t.push('.');
    t
}

/// `text` cut to at most `max` characters on a word boundary, marked with "…".
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    if let Some(space) = out.rfind(' ') {
        out.truncate(space);
    }
    out.push('…');
    out
}

pub fn methods_and_models(facts: &Facts) -> String {
    let mut t = String::from(
        "Logistische regressie met L2-regularisatie (linfa). Het model is niet zelflerend: \
         het verandert niet tijdens gebruik. Een nieuwe versie ontstaat alleen als een \
         beheerder opnieuw traint op afgesloten zaken met een bekende uitkomst, en wordt pas \
         gebruikt na goedkeuring door een tweede beheerder. Invoer: de kenmerken hieronder bij \
         Gegevens. Uitvoer: per huishouden een kans op hulpbehoefte en een plaats in de \
         volgorde. De uitleg is exact: de bijdragen van de kenmerken tellen precies op tot de \
         score (in log-odds), en elke score is met de opgeslagen modelversie bit voor bit na \
         te rekenen.",
    );
    match &facts.model {
        None => t.push_str(" Er is nog geen modelversie in gebruik."),
        Some(m) => {
            t.push_str(&format!(
                " In gebruik: modelversie {}, getraind op {} met {} kenmerken op {} zaken en \
                 getoetst op {} andere zaken: AUC {}, Brier-score {}. Hash van de \
                 trainingsgegevens (SHA-256): {}.",
                m.version,
                date(&m.trained_at),
                m.features,
                m.n_train,
                m.n_test,
                number(m.auc, 3),
                number(m.brier, 3),
                m.training_data_hash
            ));
            match (&m.approved_by, &m.approved_at) {
                (Some(_), Some(at)) if m.demo_shortcut => {
                    t.push_str(&format!(
                        " Goedgekeurd op {} door de trainer zelf: een snelkoppeling van de \
                         demo, die in echt gebruik wordt geweigerd.",
                        date(at)
                    ));
                }
                (Some(_), Some(at)) => {
                    t.push_str(&format!(
                        " Goedgekeurd op {} door een tweede beheerder.",
                        date(at)
                    ));
                }
                _ => t.push_str(" Deze versie is nog niet goedgekeurd."),
            }
        }
    }
    t
}

/// Cuts a text at the field limit on a word boundary, marking the cut.
fn cut(text: String) -> String {
    if text.chars().count() <= TEXT_LIMIT {
        return text;
    }
    let mut out: String = text.chars().take(TEXT_LIMIT - 1).collect();
    if let Some(space) = out.rfind(' ') {
        out.truncate(space);
    }
    out.push('…');
    out
}
