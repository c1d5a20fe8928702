//! Ids, clocks and jitter of one mock (shaped as a released server's: UUIDv7 threads,
//! UUIDv4 user messages, model response numbers for `rs_N`/`msg_N`/`call_N` items): seeded (`--seed N`: the same ids, timestamps and
//! timing every run) or seeded from the clock.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use app_server_protocol::core_types::ConversationId;

/// The Unix time a seeded mock's clock starts at (2025-12-02 00:00:00 UTC).
const SEEDED_EPOCH: i64 = 1_764_633_600;

/// SplitMix64: a small, well-known generator; good enough for ids and jitter (not secrets).
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator starting at `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A fresh random UUID (version 4).
    pub(crate) fn uuid_v4(&mut self) -> String {
        let random = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
        let bits = (random & !(0xF << 76)) | (0x4 << 76); // version 4
        ConversationId::from_u128(with_variant(bits)).to_string()
    }

    /// `delay` scaled by a factor from 0.75 to 1.25.
    pub(crate) fn jitter(&mut self, delay: Duration) -> Duration {
        let factor = 0.75 + (self.next_u64() % 1000) as f64 / 2000.0;
        delay.mul_f64(factor)
    }
}

/// Where a mock's ids and timestamps come from.
#[derive(Debug)]
pub(crate) struct Ids {
    rng: Mutex<Rng>,
    counter: AtomicU64,
    responses: AtomicU64,
    /// The readings of a seeded clock.
    clock: AtomicU64,
    seeded: bool,
}

impl Ids {
    /// Ids from `seed`, or from the clock when `None`.
    pub(crate) fn new(seed: Option<u64>) -> Self {
        let start = seed.unwrap_or_else(|| {
            SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_nanos() as u64)
        });
        Ids {
            rng: Mutex::new(Rng::new(start)),
            counter: AtomicU64::new(0),
            responses: AtomicU64::new(0),
            clock: AtomicU64::new(0),
            seeded: seed.is_some(),
        }
    }

    /// A fresh random UUID (version 4), e.g. for a user message item or a login.
    /// (A turn draws its own from its [`Rng`], so that a seeded mock's ids do not depend on
    /// how a running turn and the next request interleave.)
    pub(crate) fn uuid_v4(&self) -> String {
        self.rng.lock().unwrap_or_else(std::sync::PoisonError::into_inner).uuid_v4()
    }

    /// A fresh time-ordered UUID (version 7), as released servers make thread ids: the
    /// first 48 bits are the Unix time in milliseconds (the seeded clock's when seeded).
    pub(crate) fn uuid_v7(&self) -> String {
        let millis = if self.seeded {
            (self.now() as u128) * 1000
        } else {
            SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_millis())
        };
        let random = self.random_u128() & ((1 << 80) - 1);
        let bits = ((millis & 0xFFFF_FFFF_FFFF) << 80) | random;
        let bits = (bits & !(0xF << 76)) | (0x7 << 76); // version 7
        ConversationId::from_u128(with_variant(bits)).to_string()
    }

    fn random_u128(&self) -> u128 {
        let mut rng = self.rng.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64())
    }

    /// The number of the next model response (the model API names a response's items
    /// after it: `rs_N`, `msg_N`, `call_N`; one count for the whole mock, as one model
    /// serves one server).
    pub(crate) fn response(&self) -> u64 {
        self.responses.fetch_add(1, Ordering::Relaxed)
    }

    /// A fresh id with `prefix`: `turn_7`, `item_12`, `login_3`.
    pub(crate) fn next(&self, prefix: &str) -> String {
        format!("{prefix}_{}", self.counter.fetch_add(1, Ordering::Relaxed) + 1)
    }

    /// A generator for one turn's timing, derived from the mock's.
    pub(crate) fn fork(&self) -> Rng {
        let mut rng = self.rng.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Rng::new(rng.next_u64())
    }

    /// The current Unix time in seconds; a seeded mock's clock is a counter from a fixed
    /// date, one minute per reading.
    pub(crate) fn now(&self) -> i64 {
        if self.seeded {
            SEEDED_EPOCH + 60 * self.clock.fetch_add(1, Ordering::Relaxed) as i64
        } else {
            SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs() as i64)
        }
    }
}

/// `bits` with the RFC 9562 variant (`10` in bits 62–63).
fn with_variant(bits: u128) -> u128 {
    (bits & !(0x3 << 62)) | (0x2 << 62)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_ids_repeat_and_are_uuids() {
        let (a, b) = (Ids::new(Some(7)), Ids::new(Some(7)));
        let first = a.uuid_v4();
        assert_eq!(first, b.uuid_v4());
        assert!(ConversationId::parse(&first).is_ok(), "{first}");
        assert_eq!(&first[14..15], "4");
        assert_ne!(first, a.uuid_v4());
        b.uuid_v4();
        let thread = a.uuid_v7();
        assert_eq!(thread, b.uuid_v7());
        assert_eq!(&thread[14..15], "7");
        assert!(matches!(&thread[19..20], "8" | "9" | "a" | "b"), "{thread}");
        // The seeded clock's reading, in milliseconds, leads the id.
        let millis = u64::from_str_radix(&thread.replace('-', "")[..12], 16).unwrap();
        assert_eq!(millis / 1000 % 60, 0);
        assert!(millis / 1000 >= SEEDED_EPOCH as u64);
        assert_eq!(a.next("turn"), b.next("turn"));
        assert_eq!((a.response(), a.response()), (0, 1));
    }
}
