//! Values read from the store and kept until what they were read from changes. Pages that
//! read many rows (the map's items, the register's instrument files) are read far more often
//! than those rows change; each value is stamped with the newest change to its sources in the
//! audit chain and read again only once that moves. When it must be read again, one request
//! reads it and every request waiting meanwhile gets the same.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

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
    async fn a_failed_read_is_not_kept() {
        let cache: Cache<u8, i64, u8> = Cache::default();
        assert_eq!(cache.get(1, 1, || async { Err::<u8, _>("down") }).await, Err("down"));
        assert_eq!(*cache.get(1, 1, || async { Ok::<_, &str>(5) }).await.unwrap(), 5);
    }
}
