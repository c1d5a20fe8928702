//! Account basics shared by both API generations: how the user is authenticated
//! ([`AuthMode`]) and which ChatGPT plan they are on ([`PlanType`]).

use serde::{Deserialize, Deserializer, Serialize};

/// How the user is authenticated with the model provider.
///
/// Wire values: `"apikey"`, `"chatgpt"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    /// With an API key (wire value `"apikey"`).
    ApiKey,
    /// With a ChatGPT account, through the browser login (wire value `"chatgpt"`).
    #[serde(rename = "chatgpt")]
    ChatGpt,
}

/// The ChatGPT plan of a signed-in account.
///
/// Wire values: `"free"`, `"plus"`, `"pro"`, `"team"`, `"business"`, `"enterprise"`, `"edu"`,
/// `"unknown"`. Any other string read from the wire (a plan newer than this client) decodes as
/// [`PlanType::Unknown`] instead of failing, and is written back as `"unknown"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "codegen", schemars(extend("x-open-enum" = true)))]
#[non_exhaustive]
pub enum PlanType {
    /// The free plan.
    #[default]
    Free,
    /// ChatGPT Plus.
    Plus,
    /// ChatGPT Pro.
    Pro,
    /// ChatGPT Team.
    Team,
    /// ChatGPT Business.
    Business,
    /// ChatGPT Enterprise.
    Enterprise,
    /// ChatGPT Edu.
    Edu,
    /// A plan this version does not know (also what any unrecognised value decodes to).
    Unknown,
}

impl PlanType {
    /// The wire string, e.g. `"plus"`.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanType::Free => "free",
            PlanType::Plus => "plus",
            PlanType::Pro => "pro",
            PlanType::Team => "team",
            PlanType::Business => "business",
            PlanType::Enterprise => "enterprise",
            PlanType::Edu => "edu",
            PlanType::Unknown => "unknown",
        }
    }

    /// Reads a wire string; unrecognised values give [`PlanType::Unknown`].
    pub fn from_wire(value: &str) -> PlanType {
        match value {
            "free" => PlanType::Free,
            "plus" => PlanType::Plus,
            "pro" => PlanType::Pro,
            "team" => PlanType::Team,
            "business" => PlanType::Business,
            "enterprise" => PlanType::Enterprise,
            "edu" => PlanType::Edu,
            _ => PlanType::Unknown,
        }
    }
}

impl<'de> Deserialize<'de> for PlanType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Any string is accepted: unknown plans are not an error (catch-all `unknown`).
        let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(PlanType::from_wire(&value))
    }
}
