//! A per-host circuit breaker for the HTTP client. A host that cannot be reached at all
//! (connection refused, or no response before the timeout) would otherwise be retried by
//! every package in turn: a run with 55 changed packages spent a minute reaching nothing.
//! After a few consecutive failures without any response, the host is not asked again
//! this run. Any HTTP status, even a 5xx, means the host answered and resets the count.

use std::collections::HashMap;
use std::sync::Mutex;

/// Consecutive failures without a response after which a host is given up on.
pub const DEFAULT_THRESHOLD: u32 = 3;

#[derive(Debug)]
pub struct Breaker {
    threshold: u32,
    /// host:port -> consecutive failures without a response.
    failures: Mutex<HashMap<String, u32>>,
}

impl Breaker {
    pub fn new(threshold: u32) -> Breaker {
        Breaker {
            threshold: threshold.max(1),
            failures: Mutex::default(),
        }
    }

    /// The failures counted against the host of `url`, when it is given up on.
    pub fn open(&self, url: &str) -> Option<(String, u32)> {
        let host = host_of(url)?;
        let failures = *self.lock().get(&host)?;
        (failures >= self.threshold).then_some((host, failures))
    }

    /// The host of `url` answered (with any status).
    pub fn answered(&self, url: &str) {
        if let Some(host) = host_of(url) {
            self.lock().remove(&host);
        }
    }

    /// The host of `url` gave no response: refused, unreachable or silent.
    pub fn failed(&self, url: &str) {
        if let Some(host) = host_of(url) {
            *self.lock().entry(host).or_default() += 1;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, u32>> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `host:port` of a URL (credentials left out), as the breaker keys it.
fn host_of(url: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    Some(match parsed.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_consecutive_silent_failures_and_an_answer_resets_it() {
        let b = Breaker::new(3);
        let url = "http://127.0.0.1:9/x";
        b.failed(url);
        b.failed("http://127.0.0.1:9/y");
        assert_eq!(b.open(url), None);
        b.answered(url);
        for _ in 0..3 {
            b.failed(url);
        }
        assert_eq!(
            b.open("http://127.0.0.1:9/z"),
            Some(("127.0.0.1:9".into(), 3))
        );
        assert_eq!(b.open("http://127.0.0.1:10/z"), None, "per host and port");
        assert_eq!(b.open("not a url"), None);
    }
}
