//! [`Cache`] on the Workers Cache API (`caches.default`): entries live in the data centre that
//! wrote them, so a read costs no network hop and a delete takes effect there at once. Best
//! effort like the carrier cache: a failed read is a miss, a failed write is logged and dropped.
//! (On `*.workers.dev` the Cache API stores nothing: every look-up is then built from D1.)

use std::cell::OnceCell;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use worker::{Cache as CacheApi, Response, console_warn};

use crate::service::answers::AnswerMemory;
use crate::service::live::Cache;

thread_local! {
    /// One answer memory per isolate, for as long as the isolate lives.
    static MEMORY: &'static AnswerMemory = Box::leak(Box::default());
}

/// The isolate's answer memory.
pub fn answer_memory() -> &'static AnswerMemory {
    MEMORY.with(|memory| *memory)
}

/// The made-up origin of entry URLs (the Cache API keys by URL; nothing is ever fetched there).
const ORIGIN: &str = "https://answers.waypost.invalid/";

/// The Worker's data-centre-local cache: the zone's default cache, opened on first use (most
/// requests never touch it).
#[derive(Default)]
pub struct EdgeCache {
    cache: OnceCell<CacheApi>,
}

impl EdgeCache {
    fn cache(&self) -> &CacheApi {
        self.cache.get_or_init(CacheApi::default)
    }
}

/// The URL an entry is kept under: the whole key as one escaped path segment, so no character
/// of it (`#`, `?`, `/`) can make two keys meet.
fn url(key: &str) -> String {
    format!("{ORIGIN}{}", utf8_percent_encode(key, NON_ALPHANUMERIC))
}

impl Cache for EdgeCache {
    async fn get(&self, key: &str) -> Option<String> {
        let mut response = match self.cache().get(url(key), false).await {
            Ok(found) => found?,
            Err(error) => {
                console_warn!("edge cache read failed: {error:?}");
                return None;
            }
        };
        response.text().await.ok()
    }

    async fn put(&self, key: &str, value: &str, ttl_secs: u32) {
        let stored = Response::ok(value).and_then(|mut response| {
            response
                .headers_mut()
                .set("Cache-Control", &format!("max-age={ttl_secs}"))?;
            Ok(response)
        });
        let written = match stored {
            Ok(response) => self.cache().put(url(key), response).await,
            Err(error) => Err(error),
        };
        if let Err(error) = written {
            console_warn!("edge cache write failed: {error:?}");
        }
    }

    async fn delete(&self, key: &str) {
        if let Err(error) = self.cache().delete(url(key), false).await {
            console_warn!("edge cache delete failed: {error:?}");
        }
    }
}
