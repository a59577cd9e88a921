//! Public answers kept close to the request, so a repeated look-up costs neither D1 nor a rebuild.
//!
//! Three kinds of entries live in a [`Cache`] (the Workers Cache API of the data centre in the
//! Worker, a map in host tests):
//! - a publishable key's shop, so a look-up needs no D1 read to know whose it is;
//! - a shipment's *answer version*, a random word that every write of the shipment deletes;
//! - the built answer (JSON and ETag) per shop, number, version and language.
//!
//! Entries are also kept in the isolate's [`AnswerMemory`], so a warm look-up reads nothing at
//! all. A version is kept there only for the rest of the current second: a write in this isolate
//! drops it at once, a write in another isolate of the data centre shows within that second.
//!
//! A reader takes the version before it reads D1 and keeps what it built under that version; a
//! writer deletes the version after it wrote D1. An answer built from a read older than a write is
//! thus always kept under a version the write deleted, and no later look-up finds it: the next
//! look-up after a write sees the write, in every language at once (in another isolate, within
//! the second). Entries expire on their own after [`ANSWER_TTL_SECS`], which bounds what another
//! data centre (whose copy a write cannot reach) may serve.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use waypost_shared::labels::Lang;

use super::auth::random_hex;
use super::live::Cache;
use super::store::{Runtime, ShopRecord};
use super::tracking_number::TrackingNumber;
use crate::error::{EdgeError, Result};

/// How long a built answer, or a key's shop, may be served without asking D1: the longest a
/// data centre other than the writer's can lag behind a write (or a key's revocation).
pub const ANSWER_TTL_SECS: u32 = 30;
/// How long an answer version lives without a write. Longer than [`ANSWER_TTL_SECS`]: a version
/// only names answers, which expire on their own.
const VERSION_TTL_SECS: u32 = 24 * 3600;
/// Prefix of every entry, raised when their format changes so old entries are never read.
const PREFIX: &str = "answers/1";
/// Entries an isolate keeps in memory at most (an answer is a few kilobytes).
const MEMORY_ENTRIES: usize = 500;

/// A built public answer: its JSON body and the strong ETag of exactly those bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// `"<24 hex>"`, from the body's SHA-256.
    pub etag: String,
    /// The JSON body.
    pub body: String,
}

impl Answer {
    /// Serialises `view` and tags it.
    pub fn of(view: &impl Serialize) -> Result<Answer> {
        let body = serde_json::to_string(view).map_err(|e| EdgeError::Internal(e.to_string()))?;
        let digest = Sha256::digest(body.as_bytes());
        Ok(Answer {
            etag: format!("\"{}\"", hex::encode(&digest[..12])),
            body,
        })
    }

    /// Whether an `If-None-Match` header names this answer (so a 304 does).
    pub fn named_by(&self, if_none_match: Option<&str>) -> bool {
        if_none_match.is_some_and(|given| {
            given
                .split(',')
                .any(|tag| tag.trim() == self.etag || tag.trim() == "*")
        })
    }

    /// The entry's text: the ETag on the first line, then the body.
    fn to_entry(&self) -> String {
        format!("{}\n{}", self.etag, self.body)
    }

    /// The answer an entry's text holds, its body taken without a copy.
    fn from_entry(mut entry: String) -> Option<Answer> {
        let line_end = entry.find('\n')?;
        let body = entry.split_off(line_end + 1);
        entry.truncate(line_end);
        Some(Answer { etag: entry, body })
    }
}

/// The isolate's copy of the cache's entries, bounded, each until it expires in the cache too
/// (versions: until the end of the second).
#[derive(Default)]
pub struct AnswerMemory {
    entries: RefCell<HashMap<String, (String, DateTime<Utc>)>>,
}

impl AnswerMemory {
    fn get(&self, entry: &str, now: DateTime<Utc>) -> Option<String> {
        let entries = self.entries.borrow();
        let (value, until) = entries.get(entry)?;
        (*until > now).then(|| value.clone())
    }

    fn put(&self, entry: &str, value: &str, until: DateTime<Utc>, now: DateTime<Utc>) {
        let mut entries = self.entries.borrow_mut();
        if entries.len() >= MEMORY_ENTRIES {
            entries.retain(|_, (_, until)| *until > now);
        }
        if entries.len() >= MEMORY_ENTRIES {
            entries.clear();
        }
        entries.insert(entry.to_owned(), (value.to_owned(), until));
    }

    fn remove(&self, entry: &str) {
        self.entries.borrow_mut().remove(entry);
    }
}

/// The public answer cache, on any [`Cache`], with the isolate's memory in front, at `now`.
pub struct Answers<'a, C: Cache> {
    cache: &'a C,
    memory: &'a AnswerMemory,
    now: DateTime<Utc>,
}

impl<'a, C: Cache> Answers<'a, C> {
    /// Answers kept in `cache` and `memory`, read and written at `now`.
    pub fn new(cache: &'a C, memory: &'a AnswerMemory, now: DateTime<Utc>) -> Self {
        Answers { cache, memory, now }
    }

    /// The shop a publishable key was found to belong to, within [`ANSWER_TTL_SECS`].
    pub async fn shop_of_key(&self, key: &str) -> Option<ShopRecord> {
        let entry = self.remembered(&key_entry(key)).await?;
        serde_json::from_str(&entry).ok()
    }

    /// Remembers a valid publishable key's shop. (Shops cannot change after creation today; a
    /// route that changes one must [`Answers::forget_key`] each of its publishable keys.)
    pub async fn remember_key(&self, key: &str, shop: &ShopRecord) {
        if let Ok(entry) = serde_json::to_string(shop) {
            self.remember(&key_entry(key), &entry, ANSWER_TTL_SECS)
                .await;
        }
    }

    /// Forgets a key's shop (the key was revoked).
    pub async fn forget_key(&self, key: &str) {
        let entry = key_entry(key);
        self.memory.remove(&entry);
        self.cache.delete(&entry).await;
    }

    /// The shipment's current answer version, made now when it has none. Read from the cache
    /// at most once a second per isolate.
    pub async fn version(
        &self,
        runtime: &impl Runtime,
        shop_id: &str,
        number: &TrackingNumber,
    ) -> Result<String> {
        let entry = version_entry(shop_id, number);
        if let Some(version) = self.memory.get(&entry, self.now) {
            return Ok(version);
        }
        let version = match self.cache.get(&entry).await {
            Some(version) => version,
            None => {
                let version = random_hex(runtime, 8)?;
                self.cache.put(&entry, &version, VERSION_TTL_SECS).await;
                version
            }
        };
        let end_of_second = self.now + TimeDelta::seconds(1);
        self.memory.put(&entry, &version, end_of_second, self.now);
        Ok(version)
    }

    /// The answer built under `version` in `lang`, if still kept.
    pub async fn answer(&self, place: &AnswerPlace<'_>) -> Option<Answer> {
        Answer::from_entry(self.remembered(&place.entry()).await?)
    }

    /// Keeps an answer for `keep_secs` (at most [`ANSWER_TTL_SECS`]).
    pub async fn keep(&self, place: &AnswerPlace<'_>, answer: &Answer, keep_secs: u32) {
        let ttl = keep_secs.min(ANSWER_TTL_SECS);
        if ttl > 0 {
            self.remember(&place.entry(), &answer.to_entry(), ttl).await;
        }
    }

    /// The shipment changed: every answer built before (any language) is never served again.
    pub async fn shipment_changed(&self, shop_id: &str, number: &TrackingNumber) {
        let entry = version_entry(shop_id, number);
        self.memory.remove(&entry);
        self.cache.delete(&entry).await;
    }

    /// An entry from memory, else from the cache (then copied to memory until it expires: the
    /// cached text starts with that instant, so no copy outlives what was kept).
    async fn remembered(&self, entry: &str) -> Option<String> {
        if let Some(value) = self.memory.get(entry, self.now) {
            return Some(value);
        }
        let stored = self.cache.get(entry).await?;
        let (until, value) = stored.split_once('\n')?;
        let until = DateTime::from_timestamp(until.parse().ok()?, 0)?;
        if until <= self.now {
            return None;
        }
        self.memory.put(entry, value, until, self.now);
        Some(value.to_owned())
    }

    /// Keeps an entry for `ttl_secs`, in memory and in the cache.
    async fn remember(&self, entry: &str, value: &str, ttl_secs: u32) {
        let until = self.now + TimeDelta::seconds(ttl_secs.into());
        self.memory.put(entry, value, until, self.now);
        let stored = format!("{}\n{value}", until.timestamp());
        self.cache.put(entry, &stored, ttl_secs).await;
    }
}

/// Where one answer is kept: shop, number, the version it was built under, and language.
pub struct AnswerPlace<'a> {
    pub shop_id: &'a str,
    pub number: &'a TrackingNumber,
    pub version: &'a str,
    pub lang: Lang,
}

impl AnswerPlace<'_> {
    fn entry(&self) -> String {
        format!(
            "{PREFIX}/answer/{}/{}/{}/{}",
            self.shop_id,
            self.number,
            self.version,
            self.lang.code()
        )
    }
}

fn key_entry(key: &str) -> String {
    format!("{PREFIX}/key/{key}")
}

fn version_entry(shop_id: &str, number: &TrackingNumber) -> String {
    format!("{PREFIX}/version/{shop_id}/{number}")
}
