//! Values read from the store and kept until what they were read from changes. Pages that
//! read many rows (the map's items, the register's instrument files) are read far more often
//! than those rows change; each value is stamped with the newest change to its sources in the
//! audit chain and read again only once that moves. When it must be read again, one request
//! reads it and every request waiting meanwhile gets the same.
//!
//! Asking the audit chain for that newest change is itself a query, so small things read on
//! every request (a workspace, a version) are kept as [`Fresh`]: trusted without asking until
//! this process writes, or for [`TRUSTED_FOR`] at most.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

/// Each key's value with the version it was read at: the position of the newest change to
/// its sources in the audit chain, and whatever else it depends on (such as the day). Only the
/// newest version of each key is kept.
pub struct Cache<K, S, V>(Mutex<HashMap<K, Kept<S, V>>>);

/// A version, and its value once read.
type Kept<S, V> = (S, Arc<OnceCell<Arc<V>>>);

impl<K, S, V> Default for Cache<K, S, V> {
    fn default() -> Self {
        Cache(Mutex::default())
    }
}

impl<K: Hash + Eq, S: Eq, V> Cache<K, S, V> {
    /// The value kept for `key` at `version`, or the one `read` gives, kept from now on.
    pub async fn get<E, Fut>(&self, key: K, version: S, read: impl FnOnce() -> Fut) -> Result<Arc<V>, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        let cell = {
            let mut entries = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match entries.get(&key) {
                Some((kept, cell)) if *kept == version => cell.clone(),
                _ => {
                    let cell = Arc::new(OnceCell::new());
                    entries.insert(key, (version, cell.clone()));
                    cell
                }
            }
        };
        let value = cell.get_or_try_init(|| async { read().await.map(Arc::new) }).await?;
        Ok(value.clone())
    }
}

/// The longest a value read from the database is trusted while this process writes nothing:
/// how soon a change made by another process (the command line, another server) shows.
pub const TRUSTED_FOR: Duration = Duration::from_secs(1);

/// Small values read again once this process has written since, or once they are older than
/// [`TRUSTED_FOR`]. Each is stamped with [`kopa_store::Store::writes_here`] as it stood before
/// the read, so a write during the read makes the next request read again.
pub struct Fresh<K, V>(Mutex<HashMap<K, Checked<V>>>);

struct Checked<V> {
    value: V,
    writes: u64,
    at: Instant,
}

impl<K, V> Default for Fresh<K, V> {
    fn default() -> Self {
        Fresh(Mutex::default())
    }
}

impl<K: Hash + Eq, V: Clone> Fresh<K, V> {
    /// The value kept for `key`, or the one `read` gives when it may be out of date; `writes`
    /// is the count of this process's writes now.
    pub async fn get<E, Fut>(&self, key: K, writes: u64, read: impl FnOnce() -> Fut) -> Result<V, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        {
            let kept = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(checked) = kept.get(&key)
                && checked.writes == writes
                && checked.at.elapsed() < TRUSTED_FOR
            {
                return Ok(checked.value.clone());
            }
        }
        let at = Instant::now();
        let value = read().await?;
        let mut kept = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        kept.insert(
            key,
            Checked {
                value: value.clone(),
                writes,
                at,
            },
        );
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn one_read_serves_every_request_until_the_version_moves() {
        let cache: Arc<Cache<&str, i64, usize>> = Arc::default();
        let reads = Arc::new(AtomicUsize::new(0));
        let read = |reads: Arc<AtomicUsize>| async move {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            Ok::<_, ()>(reads.fetch_add(1, Ordering::SeqCst) + 1)
        };
        let waiting: Vec<_> = (0..20)
            .map(|_| {
                let (cache, reads) = (cache.clone(), reads.clone());
                tokio::spawn(async move { *cache.get("map", 7, || read(reads)).await.unwrap() })
            })
            .collect();
        for request in waiting {
            assert_eq!(request.await.unwrap(), 1);
        }
        assert_eq!(*cache.get("map", 7, || read(reads.clone())).await.unwrap(), 1);
        assert_eq!(*cache.get("map", 8, || read(reads.clone())).await.unwrap(), 2);
        assert_eq!(reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_fresh_value_is_read_again_after_a_write_here_or_a_while() {
        let fresh: Fresh<&str, usize> = Fresh::default();
        let reads = AtomicUsize::new(0);
        let read = || async { Ok::<_, ()>(reads.fetch_add(1, Ordering::SeqCst) + 1) };
        assert_eq!(fresh.get("kekava", 0, read).await, Ok(1));
        assert_eq!(
            fresh.get("kekava", 0, read).await,
            Ok(1),
            "kept while nothing is written"
        );
        assert_eq!(
            fresh.get("kekava", 1, read).await,
            Ok(2),
            "read again after a write here"
        );
        assert_eq!(fresh.get("other", 1, read).await, Ok(3), "each key on its own");
        tokio::time::sleep(TRUSTED_FOR + Duration::from_millis(50)).await;
        assert_eq!(
            fresh.get("kekava", 1, read).await,
            Ok(4),
            "and after a while, for what others write"
        );
    }

    #[tokio::test]
    async fn a_failed_read_is_not_kept() {
        let cache: Cache<u8, i64, u8> = Cache::default();
        assert_eq!(cache.get(1, 1, || async { Err::<u8, _>("down") }).await, Err("down"));
        assert_eq!(*cache.get(1, 1, || async { Ok::<_, &str>(5) }).await.unwrap(), 5);
    }
}
