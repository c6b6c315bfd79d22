//! A stored model version, decoded once: the fitted model from its specification, and the
//! reports stored beside it. Every command that needs more of a version than its figures
//! comes here, so a version that cannot be read is refused with one message everywhere.

use super::{Evaluation, ProxyCheck, TrainedModel, labels::LabelReport};
use crate::domain::model_version::ModelVersion;

/// A version's specification that does not parse: the database was edited, or written by a
/// newer oordeel (said in `messages::model`).
#[derive(Debug)]
pub struct UnreadableVersion {
    pub version: i64,
    pub source: serde_json::Error,
}

/// What a stored version holds, decoded. The reports are `None` when the version has none
/// (trained before they existed) or when theirs does not parse: they inform, the model ranks.
#[derive(Debug, Clone)]
pub struct DecodedVersion {
    pub model: TrainedModel,
    pub evaluation: Option<Evaluation>,
    pub proxy_check: Option<ProxyCheck>,
    pub labels: Option<LabelReport>,
}

impl ModelVersion {
    /// The fitted model this version stored.
    pub fn model(&self) -> Result<TrainedModel, UnreadableVersion> {
        serde_json::from_str(&self.spec).map_err(|source| UnreadableVersion {
            version: self.version,
            source,
        })
    }

    /// The model and every report stored with it.
    pub fn decode(&self) -> Result<DecodedVersion, UnreadableVersion> {
        fn report<T: serde::de::DeserializeOwned>(json: Option<&str>) -> Option<T> {
            json.and_then(|j| serde_json::from_str(j).ok())
        }
        Ok(DecodedVersion {
            model: self.model()?,
            evaluation: report(self.evaluation.as_deref()),
            proxy_check: report(self.proxy_check.as_deref()),
            labels: report(self.labels.as_deref()),
        })
    }
}
