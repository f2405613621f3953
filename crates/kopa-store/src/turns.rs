//! Heavy blocking work (password hashes, photo decoding) run off the async workers, a few at
//! a time: unbounded, a flood of requests would take gigabytes. Work past the bound waits its
//! turn, and is told to try again after a while without one.

use std::time::Duration;

use tokio::sync::Semaphore;

use crate::{Result, StoreError};

/// At most `at_once` pieces of one kind of work at a time.
pub struct Turns {
    semaphore: Semaphore,
    wait: Duration,
}

impl Turns {
    pub const fn new(at_once: usize, wait: Duration) -> Turns {
        Turns {
            semaphore: Semaphore::const_new(at_once),
            wait,
        }
    }

    /// Runs `work` on a blocking thread in its turn; [`StoreError::Busy`] after the wait
    /// without one, and `failed` (a Fluent key) if the work panics. The turn goes with the
    /// work, so a request given up on does not free it while its work still runs.
    pub async fn run<T: Send + 'static>(
        &'static self,
        failed: &'static str,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let turn = tokio::time::timeout(self.wait, self.semaphore.acquire())
            .await
            .map_err(|_| StoreError::Busy)?
            .map_err(|_| StoreError::Busy)?;
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            work()
        })
        .await
        .map_err(|e| StoreError::Refused(if e.is_panic() { failed } else { "error-busy" }))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    const AT_ONCE: usize = 4;

    /// Counts the work running at once, and the most seen.
    #[derive(Default)]
    struct Running {
        now: AtomicUsize,
        most: AtomicUsize,
    }

    fn slow_work(running: &Arc<Running>) -> impl FnOnce() + Send + 'static {
        let running = running.clone();
        move || {
            let now = running.now.fetch_add(1, Ordering::SeqCst) + 1;
            running.most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(20));
            running.now.fetch_sub(1, Ordering::SeqCst);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_flood_of_work_runs_a_few_at_a_time_and_all_is_done() {
        static TURNS: Turns = Turns::new(AT_ONCE, Duration::from_secs(10));
        let running = Arc::new(Running::default());
        let flood: Vec<_> = (0..24)
            .map(|_| tokio::spawn(TURNS.run("failed", slow_work(&running))))
            .collect();
        for work in flood {
            assert!(work.await.unwrap().is_ok(), "each is done in its turn");
        }
        let most = running.most.load(Ordering::SeqCst);
        assert!((1..=AT_ONCE).contains(&most), "{most} at once");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn requests_given_up_on_keep_their_turn_until_their_work_is_done() {
        static TURNS: Turns = Turns::new(AT_ONCE, Duration::from_secs(10));
        let running = Arc::new(Running::default());
        let abandoned: Vec<_> = (0..8)
            .map(|_| tokio::spawn(TURNS.run("failed", slow_work(&running))))
            .collect();
        tokio::time::sleep(Duration::from_millis(5)).await;
        for request in &abandoned {
            request.abort();
        }
        let flood: Vec<_> = (0..8)
            .map(|_| tokio::spawn(TURNS.run("failed", slow_work(&running))))
            .collect();
        for work in flood {
            assert!(work.await.unwrap().is_ok());
        }
        while running.now.load(Ordering::SeqCst) > 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let most = running.most.load(Ordering::SeqCst);
        assert!((1..=AT_ONCE).contains(&most), "{most} at once");
    }

    #[tokio::test]
    async fn work_past_the_wait_is_told_to_try_again_and_a_panic_names_the_work() {
        static TURNS: Turns = Turns::new(1, Duration::from_millis(20));
        let long = tokio::spawn(TURNS.run("failed", || std::thread::sleep(Duration::from_millis(300))));
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert!(matches!(TURNS.run("failed", || ()).await, Err(StoreError::Busy)));
        long.await.unwrap().unwrap();
        let panicked = TURNS.run("error-photo-unreadable", || panic!("a broken decoder")).await;
        assert!(matches!(panicked, Err(StoreError::Refused("error-photo-unreadable"))));
    }
}
