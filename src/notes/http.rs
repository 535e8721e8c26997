//! The HTTP client behind every networked source: bounded concurrency, connect and total
//! timeouts, retries with exponential backoff and jitter for timeouts, broken bodies and
//! 5xx, rate limits honoured through Retry-After / X-RateLimit-Reset within a bounded
//! wait, ETag revalidation through the cache, and a per-host circuit breaker (`breaker`)
//! for hosts that give no response at all. Error messages mask known secrets (`redact`).

use super::breaker::Breaker;
use super::cache::{Cache, Entry};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::Semaphore;

#[derive(Clone, Debug)]
pub struct HttpConfig {
    pub concurrency: usize,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub retries: u32,
    /// The longest a rate limit is waited out; beyond it the request fails.
    pub max_wait: Duration,
    /// First backoff step; doubles on each retry.
    pub backoff: Duration,
    /// Consecutive failures without any response after which a host is not asked again.
    pub unreachable_after: u32,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            concurrency: 8,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(20),
            retries: 3,
            max_wait: Duration::from_secs(60),
            backoff: Duration::from_millis(250),
            unreachable_after: super::breaker::DEFAULT_THRESHOLD,
        }
    }
}

impl HttpConfig {
    /// The defaults, tuned by `BUMPCHECK_HTTP_CONCURRENCY`, `BUMPCHECK_HTTP_TIMEOUT`
    /// (seconds), `BUMPCHECK_HTTP_RETRIES`, `BUMPCHECK_HTTP_MAX_WAIT` (seconds) and
    /// `BUMPCHECK_HTTP_BACKOFF_MS`.
    pub fn from_env() -> HttpConfig {
        let mut c = HttpConfig::default();
        let num = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| *v >= 0.0)
        };
        if let Some(v) = num("BUMPCHECK_HTTP_CONCURRENCY") {
            c.concurrency = (v as usize).max(1);
        }
        if let Some(v) = num("BUMPCHECK_HTTP_TIMEOUT") {
            c.timeout = Duration::from_secs_f64(v);
            c.connect_timeout = c.connect_timeout.min(c.timeout);
        }
        if let Some(v) = num("BUMPCHECK_HTTP_RETRIES") {
            c.retries = v as u32;
        }
        if let Some(v) = num("BUMPCHECK_HTTP_MAX_WAIT") {
            c.max_wait = Duration::from_secs_f64(v);
        }
        if let Some(v) = num("BUMPCHECK_HTTP_BACKOFF_MS") {
            c.backoff = Duration::from_secs_f64(v / 1000.0);
        }
        c
    }
}

/// Why a request failed. Its Display is the one way the failure becomes text, and it
/// masks every known secret (`crate::redact`): registries echo credentials back in error
/// bodies, and a URL may carry `user:password@`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpError {
    /// `detail` is `: ` and the start of the body (see `redact::quote`), or empty.
    Status {
        url: String,
        status: u16,
        detail: String,
    },
    /// The server asked to wait longer than bumpcheck waits.
    RateLimited {
        url: String,
        wait_secs: u64,
        max_secs: u64,
    },
    /// Rate limited on every attempt: waited `waits` times, as asked each time.
    StillRateLimited {
        url: String,
        waits: u32,
        /// The shortest and longest wait asked for.
        asked_secs: (u64, u64),
    },
    Transport {
        url: String,
        message: String,
        attempts: u32,
    },
    /// The host answered nothing several times in a row: not asked again this run.
    Unreachable { host: String, failures: u32 },
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            HttpError::Status {
                url,
                status,
                detail,
            } => format!("{url}: HTTP {status}{detail}"),
            HttpError::RateLimited {
                url,
                wait_secs,
                max_secs,
            } => format!(
                "{url}: rate limited; retry after {wait_secs} s (longer than the {max_secs} s bumpcheck waits)"
            ),
            HttpError::StillRateLimited {
                url,
                waits,
                asked_secs: (least, most),
            } => {
                let asked = if least == most {
                    format!("Retry-After: {least} s each time")
                } else {
                    format!("Retry-After: {least} to {most} s")
                };
                let retries = if *waits == 1 { "retry" } else { "retries" };
                format!("{url}: still rate limited after {waits} {retries} ({asked})")
            }
            HttpError::Transport {
                url,
                message,
                attempts,
            } => format!("{url}: {message} (after {attempts} attempts)"),
            HttpError::Unreachable { host, failures } => format!(
                "{host} unreachable: {failures} connection failures; not asked again this run"
            ),
        };
        f.write_str(&crate::redact::redact(&text))
    }
}

impl std::error::Error for HttpError {}

pub struct Http {
    client: reqwest::Client,
    permits: Semaphore,
    config: HttpConfig,
    cache: Option<Cache>,
    requests: AtomicUsize,
    breaker: Breaker,
}

/// How a response may be cached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caching {
    No,
    /// Revalidate with the stored ETag (`If-None-Match`).
    Revalidate,
}

pub struct Fetched {
    pub body: Vec<u8>,
    /// The URL of the next page (`Link: <...>; rel="next"`).
    pub next: Option<String>,
}

impl Http {
    pub fn new(config: HttpConfig, cache: Option<Cache>) -> Http {
        // TLS for real registries and forges; tests speak plain HTTP on loopback.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(concat!("bumpcheck/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client configuration is static");
        Http {
            client,
            permits: Semaphore::new(config.concurrency.max(1)),
            breaker: Breaker::new(config.unreachable_after),
            config,
            cache,
            requests: AtomicUsize::new(0),
        }
    }

    /// How many requests went out (retries included).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    pub fn cache(&self) -> Option<&Cache> {
        self.cache.as_ref()
    }

    pub async fn get(
        &self,
        url: &str,
        headers: &[(&str, String)],
        caching: Caching,
    ) -> Result<Fetched, HttpError> {
        self.request(reqwest::Method::GET, url, headers, None, caching)
            .await
    }

    /// Sends `body` (JSON) with `method` (POST, PATCH...). A request that is not
    /// idempotent is retried only when it cannot have reached the server (no connection)
    /// or was refused by a rate limit, so a retry never makes a second comment.
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        url: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Result<Fetched, HttpError> {
        self.request(method, url, headers, Some(body), Caching::No)
            .await
    }

    async fn request(
        &self,
        method: reqwest::Method,
        url: &str,
        headers: &[(&str, String)],
        body: Option<Vec<u8>>,
        caching: Caching,
    ) -> Result<Fetched, HttpError> {
        // Every URL that travels is known, so its `user:password@` never shows in a message.
        crate::redact::register_url(url);
        let cached = match (caching, &self.cache) {
            (Caching::Revalidate, Some(c)) => c.get(url),
            _ => None,
        };
        let mut attempt = 0;
        let mut rate_limits: Vec<Duration> = Vec::new();
        loop {
            if let Some((host, failures)) = self.breaker.open(url) {
                return Err(HttpError::Unreachable { host, failures });
            }
            attempt += 1;
            let outcome = self
                .once(&method, url, headers, body.as_deref(), cached.as_ref())
                .await;
            let retry_in = match outcome {
                Ok(Once::Done(fetched, etag)) => {
                    if let (Caching::Revalidate, Some(c), Some(etag)) = (caching, &self.cache, etag)
                    {
                        c.put(
                            url,
                            &Entry {
                                etag: Some(etag),
                                body: String::from_utf8_lossy(&fetched.body).into_owned(),
                            },
                        );
                    }
                    return Ok(fetched);
                }
                Ok(Once::NotModified(next)) => {
                    let body = cached.map(|c| c.body.into_bytes()).unwrap_or_default();
                    return Ok(Fetched { body, next });
                }
                Ok(Once::RateLimited(wait)) => {
                    if wait > self.config.max_wait {
                        return Err(HttpError::RateLimited {
                            url: url.to_string(),
                            wait_secs: wait.as_secs(),
                            max_secs: self.config.max_wait.as_secs(),
                        });
                    }
                    if attempt > self.config.retries {
                        return Err(still_rate_limited(url, &rate_limits, wait));
                    }
                    rate_limits.push(wait);
                    wait
                }
                Err(Failure::Final(e)) => return Err(e),
                Err(Failure::Retryable(message, sent)) => {
                    let unsafe_to_repeat = sent && !method.is_idempotent();
                    if attempt > self.config.retries || unsafe_to_repeat {
                        return Err(HttpError::Transport {
                            url: url.to_string(),
                            message,
                            attempts: attempt,
                        });
                    }
                    self.backoff(attempt)
                }
            };
            tokio::time::sleep(retry_in).await;
        }
    }

    /// Exponential backoff with full jitter on top: base * 2^(n-1) + random(0..base).
    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.config.backoff;
        let exp = base.saturating_mul(1 << (attempt - 1).min(10));
        exp + base.mul_f64(fastrand::f64())
    }

    async fn once(
        &self,
        method: &reqwest::Method,
        url: &str,
        headers: &[(&str, String)],
        body: Option<&[u8]>,
        cached: Option<&Entry>,
    ) -> Result<Once, Failure> {
        let _permit = self
            .permits
            .acquire()
            .await
            .expect("the semaphore is never closed");
        // The host may have been given up on while this request waited for its turn.
        if let Some((host, failures)) = self.breaker.open(url) {
            return Err(Failure::Final(HttpError::Unreachable { host, failures }));
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut req = self.client.request(method.clone(), url);
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        if let Some(body) = body {
            req = req
                .header("Content-Type", "application/json")
                .body(body.to_vec());
        }
        if let Some(etag) = cached.and_then(|c| c.etag.as_ref()) {
            req = req.header("If-None-Match", etag);
        }
        // No response at all (refused, unreachable, silent until the timeout) counts
        // against the host; any status, even a 5xx, means it answered.
        let resp = req.send().await.map_err(|e| {
            self.breaker.failed(url);
            Failure::Retryable(describe(&e), !e.is_connect())
        })?;
        self.breaker.answered(url);
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let next = header("link").and_then(|l| next_link(&l));
        if status == 304 && cached.is_some() {
            return Ok(Once::NotModified(next));
        }
        if status == 429
            || (status == 403
                && (header("retry-after").is_some()
                    || header("x-ratelimit-remaining").as_deref() == Some("0")))
        {
            return Ok(Once::RateLimited(rate_limit_wait(
                header("retry-after"),
                header("x-ratelimit-reset"),
            )));
        }
        if status >= 500 {
            return Err(Failure::Retryable(format!("HTTP {status}"), true));
        }
        let etag = header("etag");
        let body = resp
            .bytes()
            .await
            .map_err(|e| Failure::Retryable(format!("reading the body: {}", describe(&e)), true))?;
        if !(200..300).contains(&status) {
            let quoted = crate::redact::quote(&body);
            let detail = if quoted.is_empty() {
                String::new()
            } else {
                format!(": {quoted}")
            };
            return Err(Failure::Final(HttpError::Status {
                url: url.to_string(),
                status,
                detail,
            }));
        }
        Ok(Once::Done(
            Fetched {
                body: body.to_vec(),
                next,
            },
            etag,
        ))
    }
}

enum Once {
    Done(Fetched, Option<String>),
    NotModified(Option<String>),
    RateLimited(Duration),
}

enum Failure {
    /// A failure worth retrying; `true` when the request may have reached the server.
    Retryable(String, bool),
    Final(HttpError),
}

/// The error after the last of several rate-limited attempts: `waited` are the waits
/// already made, `last` the one asked for by the final answer.
fn still_rate_limited(url: &str, waited: &[Duration], last: Duration) -> HttpError {
    let secs = waited.iter().chain([&last]).map(Duration::as_secs);
    HttpError::StillRateLimited {
        url: url.to_string(),
        waits: waited.len() as u32,
        asked_secs: (
            secs.clone().min().unwrap_or_default(),
            secs.max().unwrap_or_default(),
        ),
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        let mut s = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(inner) = source {
            s.push_str(": ");
            s.push_str(&inner.to_string());
            source = inner.source();
        }
        s
    }
}

/// Retry-After (seconds, or an HTTP date we do not parse: a minute), else the reset time
/// of X-RateLimit-Reset (epoch seconds), else a minute.
fn rate_limit_wait(retry_after: Option<String>, reset: Option<String>) -> Duration {
    if let Some(secs) = retry_after
        .as_deref()
        .and_then(|s| s.trim().parse::<u64>().ok())
    {
        return Duration::from_secs(secs);
    }
    if let Some(at) = reset.as_deref().and_then(|s| s.trim().parse::<u64>().ok()) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        return Duration::from_secs(at.saturating_sub(now));
    }
    Duration::from_secs(60)
}

/// The `rel="next"` target of a Link header.
pub fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_link_and_rate_limit_headers() {
        let link = "<https://api.example.invalid/r?page=2>; rel=\"next\", <https://api.example.invalid/r?page=5>; rel=\"last\"";
        assert_eq!(
            next_link(link).as_deref(),
            Some("https://api.example.invalid/r?page=2")
        );
        assert_eq!(next_link("<https://x>; rel=\"prev\""), None);
        assert_eq!(
            rate_limit_wait(Some("3".into()), None),
            Duration::from_secs(3)
        );
        assert_eq!(rate_limit_wait(None, Some("0".into())), Duration::ZERO);
    }
}
