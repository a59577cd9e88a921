//! One call in flight per key: requests that want the same carrier answer (or token) while it is
//! being fetched wait for that fetch instead of starting their own, so a burst of look-ups of one
//! number costs the carrier one call.
//!
//! Waiters poll on their own timer rather than being woken by the leading request: workerd ties
//! every promise to the request that made it, and cancels a request whose only pending work
//! belongs to another request as hung.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;

/// How often a waiting request looks for the result, in milliseconds.
pub const POLL_MS: u32 = 20;
/// How long a request waits for another's call before making its own, in milliseconds.
pub const MAX_WAIT_MS: u32 = 20_000;

/// A call in flight: how many requests wait for it, and its result once there.
struct Flight<T> {
    waiters: usize,
    result: Option<T>,
}

/// Calls in flight, by key.
pub struct SingleFlight<T> {
    flights: RefCell<HashMap<String, Flight<T>>>,
}

impl<T> Default for SingleFlight<T> {
    fn default() -> Self {
        SingleFlight {
            flights: RefCell::new(HashMap::new()),
        }
    }
}

impl<T: Clone> SingleFlight<T> {
    /// Runs `work` for `key` unless a call for `key` is already in flight, in which case this
    /// waits for that call's result, looking every [`POLL_MS`] with `sleep`. If the call in flight
    /// goes away unfinished (its request was cancelled) or takes longer than [`MAX_WAIT_MS`], the
    /// waiter runs `work` itself.
    pub async fn run<F, S>(
        &self,
        key: &str,
        work: impl FnOnce() -> F,
        sleep: impl Fn(u32) -> S,
    ) -> T
    where
        F: Future<Output = T>,
        S: Future<Output = ()>,
    {
        let joined = {
            let mut flights = self.flights.borrow_mut();
            match flights.get_mut(key) {
                Some(flight) if flight.result.is_none() => {
                    flight.waiters += 1;
                    true
                }
                _ => {
                    let flight = Flight {
                        waiters: 0,
                        result: None,
                    };
                    flights.insert(key.to_owned(), flight);
                    false
                }
            }
        };
        if joined {
            if let Some(value) = self.wait(key, &sleep).await {
                return value;
            }
            return work().await;
        }
        let leader = Leader { flight: self, key };
        let value = work().await;
        leader.finish(value.clone());
        value
    }

    /// Waits for the result of the call for `key`; `None` when it went away or took too long.
    async fn wait<S: Future<Output = ()>>(
        &self,
        key: &str,
        sleep: &impl Fn(u32) -> S,
    ) -> Option<T> {
        let mut waited = 0;
        while waited < MAX_WAIT_MS {
            sleep(POLL_MS).await;
            waited += POLL_MS;
            let mut flights = self.flights.borrow_mut();
            let flight = flights.get_mut(key)?;
            if let Some(value) = flight.result.clone() {
                flight.waiters = flight.waiters.saturating_sub(1);
                if flight.waiters == 0 {
                    flights.remove(key);
                }
                return Some(value);
            }
        }
        let mut flights = self.flights.borrow_mut();
        if let Some(flight) = flights.get_mut(key) {
            flight.waiters = flight.waiters.saturating_sub(1);
        }
        None
    }

    /// Keys with a call in flight or a result not yet collected by every waiter.
    pub fn pending(&self) -> usize {
        self.flights.borrow().len()
    }
}

/// The request making the call: leaves the result for its waiters, or clears the key when it is
/// dropped unfinished so the waiters make their own calls.
struct Leader<'a, T> {
    flight: &'a SingleFlight<T>,
    key: &'a str,
}

impl<T> Leader<'_, T> {
    fn finish(self, value: T) {
        let mut flights = self.flight.flights.borrow_mut();
        if let Some(flight) = flights.get_mut(self.key).filter(|f| f.waiters > 0) {
            flight.result = Some(value);
        } else {
            flights.remove(self.key);
        }
        drop(flights);
        std::mem::forget(self);
    }
}

impl<T> Drop for Leader<'_, T> {
    fn drop(&mut self) {
        self.flight.flights.borrow_mut().remove(self.key);
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use futures_util::future::{join, join3};

    use super::*;

    /// Polls until ready; the futures here make progress on every poll.
    fn run_to_end<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        let mut context = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(value) = future.as_mut().poll(&mut context) {
                return value;
            }
        }
    }

    /// A sleep that lets every other future run once.
    async fn tick(_millis: u32) {
        let mut yielded = false;
        std::future::poll_fn(|_| {
            if yielded {
                Poll::Ready(())
            } else {
                yielded = true;
                Poll::Pending
            }
        })
        .await;
    }

    #[test]
    fn concurrent_calls_for_one_key_share_one_result() {
        let flight = SingleFlight::<u32>::default();
        let calls = Cell::new(0);
        let work = || async {
            calls.set(calls.get() + 1);
            tick(0).await;
            tick(0).await;
            40 + calls.get()
        };
        let (a, b, c) = run_to_end(join3(
            flight.run("k", work, tick),
            flight.run("k", work, tick),
            flight.run("other", work, tick),
        ));
        assert_eq!((a, b), (42, 42), "the waiter got the leader's answer");
        assert_eq!(c, 42, "another key ran on its own");
        assert_eq!(calls.get(), 2);
        assert_eq!(flight.pending(), 0, "nothing left behind");
    }

    #[test]
    fn a_later_call_asks_again() {
        let flight = SingleFlight::<u32>::default();
        let calls = Cell::new(0);
        let work = || async {
            calls.set(calls.get() + 1);
            calls.get()
        };
        assert_eq!(run_to_end(flight.run("k", work, tick)), 1);
        assert_eq!(run_to_end(flight.run("k", work, tick)), 2);
    }

    #[test]
    fn waiters_of_a_dropped_call_run_it_themselves() {
        let flight = SingleFlight::<u32>::default();
        let mut context = Context::from_waker(Waker::noop());
        let mut leader = Box::pin(flight.run("k", std::future::pending::<u32>, tick));
        assert!(leader.as_mut().poll(&mut context).is_pending());
        let mut waiter = Box::pin(flight.run("k", || async { 5 }, tick));
        assert!(waiter.as_mut().poll(&mut context).is_pending());
        drop(leader);
        assert_eq!(run_to_end(waiter), 5);
        assert_eq!(flight.pending(), 0);
    }

    #[test]
    fn a_waiter_gives_up_after_the_longest_wait() {
        let flight = SingleFlight::<u32>::default();
        let mut context = Context::from_waker(Waker::noop());
        let mut leader = Box::pin(flight.run("k", std::future::pending::<u32>, tick));
        assert!(leader.as_mut().poll(&mut context).is_pending());
        let (mine, ()) = run_to_end(join(flight.run("k", || async { 9 }, tick), async {}));
        assert_eq!(mine, 9);
    }
}
