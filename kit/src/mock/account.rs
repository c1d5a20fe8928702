//! The signed-in account and the logins in progress, shared by every connection.
//!
//! The mock starts signed in with ChatGPT (`dev@example.com`, plan `plus`). An API-key login
//! completes at once; a ChatGPT login stays pending (there is no browser flow) until it is
//! cancelled: `account/login/cancel` answers `canceled` once and `notFound` after that
//! (idempotent), while v1 `cancelLoginChatGpt` answers an error for an unknown id, as the
//! baseline does.

use std::collections::HashSet;

use app_server_protocol::core_types::{AuthMode, PlanType};
use app_server_protocol::v2::{
    Account, CancelLoginAccountStatus, CreditsSnapshot, RateLimitSnapshot, RateLimitWindow,
};

/// The account state of one mock.
#[derive(Debug)]
pub(crate) struct Accounts {
    /// How the user is signed in, if at all.
    pub(crate) auth: Option<AuthMode>,
    /// The ChatGPT logins started and neither cancelled nor finished.
    pending: HashSet<String>,
}

impl Default for Accounts {
    fn default() -> Self {
        Accounts { auth: Some(AuthMode::ChatGpt), pending: HashSet::new() }
    }
}

/// The email of the mock's ChatGPT user.
pub(crate) const EMAIL: &str = "dev@example.com";

impl Accounts {
    /// The account as `account/read` shows it.
    pub(crate) fn account(&self) -> Option<Account> {
        match self.auth? {
            AuthMode::ApiKey => Some(Account::ApiKey),
            AuthMode::ChatGpt => {
                Some(Account::Chatgpt { email: EMAIL.into(), plan_type: PlanType::Plus })
            }
        }
    }

    /// Starts a ChatGPT login with `login_id`.
    pub(crate) fn start_login(&mut self, login_id: &str) {
        self.pending.insert(login_id.to_owned());
    }

    /// Cancels login `login_id`: `Canceled` when it was pending, `NotFound` otherwise.
    pub(crate) fn cancel(&mut self, login_id: &str) -> CancelLoginAccountStatus {
        if self.pending.remove(login_id) {
            CancelLoginAccountStatus::Canceled
        } else {
            CancelLoginAccountStatus::NotFound
        }
    }
}

/// The rate limits the mock reports.
pub(crate) fn rate_limits() -> RateLimitSnapshot {
    RateLimitSnapshot {
        primary: Some(RateLimitWindow {
            used_percent: 42,
            window_duration_mins: Some(300),
            resets_at: Some(1_764_640_800),
        }),
        secondary: Some(RateLimitWindow {
            used_percent: 7,
            window_duration_mins: Some(10_080),
            resets_at: Some(1_765_152_000),
        }),
        credits: Some(CreditsSnapshot {
            has_credits: true,
            unlimited: false,
            balance: Some("12.50".into()),
        }),
    }
}
