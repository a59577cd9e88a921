//! One call in flight per key: requests that want the same carrier answer (or token) while it is
//! being fetched wait for that fetch instead of starting their own, so a burst of look-ups of one
//! number costs the carrier one call.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;

use futures_channel::oneshot;

/// Calls in flight, by key, with the requests waiting for each.
pub struct SingleFlight<T> {
    waiting: RefCell<HashMap<String, Vec<oneshot::Sender<T>>>>,
}

impl<T> Default for SingleFlight<T> {
    fn default() -> Self {
        SingleFlight {
            waiting: RefCell::new(HashMap::new()),
        }
    }
}

impl<T: Clone> SingleFlight<T> {
    /// Runs `work` for `key` unless a call for `key` is already in flight, in which case this
    /// waits for that call's result. If the call in flight is dropped half-way (its request went
    /// away), the waiters each run `work` themselves.
    pub async fn run<F: Future<Output = T>>(&self, key: &str, work: impl FnOnce() -> F) -> T {
        let waiter = {
            let mut waiting = self.waiting.borrow_mut();
            match waiting.get_mut(key) {
                Some(queue) => {
                    let (sender, receiver) = oneshot::channel();
                    queue.push(sender);
                    Some(receiver)
                }
                None => {
                    waiting.insert(key.to_owned(), Vec::new());
                    None
                }
            }
        };
        if let Some(receiver) = waiter {
            return match receiver.await {
                Ok(value) => value,
                Err(oneshot::Canceled) => work().await,
            };
        }
        let guard = Leader { flight: self, key };
        let value = work().await;
        let queue = self.waiting.borrow_mut().remove(key).unwrap_or_default();
        drop(guard);
        for sender in queue {
            // A waiter that went away no longer needs the value.
            let _ = sender.send(value.clone());
        }
        value
    }

    /// How many keys have a call in flight.
    pub fn in_flight(&self) -> usize {
        self.waiting.borrow().len()
    }
}

/// Clears the key when the leading call is dropped before it finishes, waking its waiters.
struct Leader<'a, T> {
    flight: &'a SingleFlight<T>,
    key: &'a str,
}

impl<T> Drop for Leader<'_, T> {
    fn drop(&mut self) {
        self.flight.waiting.borrow_mut().remove(self.key);
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use futures_util::future::join3;

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

    #[test]
    fn concurrent_calls_for_one_key_share_one_result() {
        let flight = SingleFlight::<u32>::default();
        let calls = Cell::new(0);
        let (gate_tx, gate_rx) = oneshot::channel::<()>();
        let work = || async {
            calls.set(calls.get() + 1);
            40 + calls.get()
        };
        let leader = flight.run("k", || async {
            calls.set(calls.get() + 1);
            gate_rx.await.ok();
            7
        });
        let open = async {
            futures_util::future::ready(()).await;
            gate_tx.send(()).ok();
        };
        let (a, (b, c), ()) = run_to_end(join3(
            leader,
            futures_util::future::join(flight.run("k", work), flight.run("other", work)),
            open,
        ));
        assert_eq!((a, b), (7, 7), "the waiter got the leader's answer");
        assert_eq!(c, 42, "another key ran on its own");
        assert_eq!(calls.get(), 2);
        assert_eq!(flight.in_flight(), 0);
    }

    #[test]
    fn waiters_of_a_dropped_call_run_it_themselves() {
        let flight = SingleFlight::<u32>::default();
        let mut leader = Box::pin(flight.run("k", std::future::pending::<u32>));
        let mut context = Context::from_waker(Waker::noop());
        assert!(leader.as_mut().poll(&mut context).is_pending());
        let mut waiter = Box::pin(flight.run("k", || async { 5 }));
        assert!(waiter.as_mut().poll(&mut context).is_pending());
        drop(leader);
        assert_eq!(run_to_end(waiter), 5);
        assert_eq!(flight.in_flight(), 0);
    }
}
