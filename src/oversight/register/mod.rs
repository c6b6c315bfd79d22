//! The entry for the Dutch public Algoritmeregister, publication standard 1.0.0.
//!
//! What a municipality decides itself (its name, contact, the goal and the weighing it
//! publishes) comes from an [`Organisation`] file; what oordeel knows (which model version
//! ranks the queue, who approved it, which features it reads and where they come from, the
//! four-eyes rule, whether it learns by itself) is written from [`Facts`], so the published
//! text cannot drift from the running system. [`build`] makes the record and
//! [`schema::Standard::check`] refuses one that would not pass the register's validation.

pub mod schema;
mod texts;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::domain::four_eyes::FourEyesRules;

/// The demo municipality's organisation file.
pub const DEMO_ORGANISATION: &str = include_str!("../../../assets/register/organisation.toml");

/// A title and a link, as the standard's `*_grouping` fields hold them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub link: String,
}

/// The organisation's own facts and texts (see `assets/register/organisation.toml`).
/// Unknown keys are refused, so a misspelt key does not silently drop a field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub organization: Option<String>,
    pub contact_email: Option<String>,
    pub publication_category: Option<String>,
    pub name: Option<String>,
    pub description_short: Option<String>,
    pub website: Option<String>,
    #[serde(default)]
    pub category: Vec<String>,
    pub provider: Option<String>,
    pub goal: Option<String>,
    pub proportionality: Option<String>,
    /// Added after the risks oordeel states itself.
    pub risks: Option<String>,
    pub lawful_basis: Option<String>,
    #[serde(default)]
    pub lawful_basis_grouping: Vec<Link>,
    pub process_index_url: Option<String>,
    pub impacttoetsen: Option<String>,
    #[serde(default)]
    pub impacttoetsen_grouping: Vec<Link>,
    pub publiccode: Option<String>,
    pub url: Option<String>,
    pub source_id: Option<String>,
    pub tags: Option<String>,
}

impl Organisation {
    pub fn parse(text: &str) -> Result<Organisation, toml::de::Error> {
        toml::from_str(text)
    }
}

/// The model version that ranks the queue, as the register describes it.
#[derive(Debug, Clone)]
pub struct ModelFacts {
    pub version: i64,
    pub features: usize,
    pub n_train: usize,
    pub n_test: usize,
    pub auc: f64,
    pub brier: f64,
    pub training_data_hash: String,
    pub trained_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    /// Approved by its own trainer when the demo was set up (never in a real deployment).
    pub demo_shortcut: bool,
}

/// One model feature and its governance record.
#[derive(Debug, Clone)]
pub struct FeatureFacts {
    pub name: String,
    pub description: String,
    pub source: String,
}

/// What the database says about the running system.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The version of the latest scoring run; `None` before anything was ranked.
    pub model: Option<ModelFacts>,
    pub features: Vec<FeatureFacts>,
    pub four_eyes: FourEyesRules,
    /// Month (`YYYY-MM`) of the first ranking by an approved version.
    pub in_use_since: Option<String>,
    /// Feature × protected attribute pairs the proxy check flagged, in words.
    pub proxy_flags: Vec<String>,
    /// The public key the log's checkpoints are signed with, when one was made.
    pub checkpoint_key: Option<String>,
}

impl Facts {
    /// "In gebruik" once an approved version ranks the queue; before that "In ontwikkeling".
    pub fn status(&self) -> &'static str {
        match &self.model {
            Some(m) if m.approved_by.is_some() => "In gebruik",
            _ => "In ontwikkeling",
        }
    }
}

/// A register entry: its fields in the standard's order (which a JSON map would lose).
#[derive(Debug, Clone)]
pub struct Record(pub Vec<(&'static str, Value)>);

impl Record {
    /// The entry as a JSON object, for checking.
    pub fn to_value(&self) -> Value {
        Value::Object(
            self.0
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<Map<_, _>>(),
        )
    }
}

impl Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The register entry, fields in the standard's order. Empty optional fields are left out
/// rather than published empty.
pub fn build(org: &Organisation, facts: &Facts) -> Record {
    let mut out = Vec::new();
    let mut put = |key: &'static str, value: Option<Value>| {
        if let Some(v) = value {
            out.push((key, v));
        }
    };
    let text = |s: &Option<String>| {
        s.as_ref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| json!(s))
    };
    let links = |l: &[Link]| {
        (!l.is_empty()).then(|| {
            json!(
                l.iter()
                    .map(|l| json!({"title": l.title, "link": l.link}))
                    .collect::<Vec<_>>()
            )
        })
    };
    put(
        "name",
        Some(json!(
            org.name.clone().unwrap_or_else(|| texts::NAME.into())
        )),
    );
    put("description_short", text(&org.description_short));
    put("organization", text(&org.organization));
    put(
        "category",
        (!org.category.is_empty()).then(|| json!(org.category)),
    );
    put("status", Some(json!(facts.status())));
    put("begin_date", facts.in_use_since.clone().map(Value::from));
    put("contact_email", text(&org.contact_email));
    put("website", text(&org.website));
    put("publication_category", text(&org.publication_category));
    put("url", text(&org.url));
    put("goal", text(&org.goal));
    put("proportionality", text(&org.proportionality));
    put(
        "human_intervention",
        Some(json!(texts::human_intervention(facts))),
    );
    put(
        "risks",
        Some(json!(texts::risks(facts, org.risks.as_deref()))),
    );
    put("lawful_basis", text(&org.lawful_basis));
    put("lawful_basis_grouping", links(&org.lawful_basis_grouping));
    put("process_index_url", text(&org.process_index_url));
    put("impacttoetsen_grouping", links(&org.impacttoetsen_grouping));
    put("impacttoetsen", text(&org.impacttoetsen));
    put("source_data", Some(json!(texts::source_data(facts))));
    put(
        "methods_and_models",
        Some(json!(texts::methods_and_models(facts))),
    );
    put("provider", text(&org.provider));
    put("publiccode", text(&org.publiccode));
    put("lang", Some(json!("nld")));
    put("standard_version", Some(json!("1.0.0")));
    put("source_id", text(&org.source_id));
    put("tags", text(&org.tags));
    Record(out)
}

#[cfg(test)]
mod tests;
