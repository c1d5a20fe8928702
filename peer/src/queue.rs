//! The bounded queue between the client's reading task (one sender) and whoever reads
//! [`Notifications`](crate::Notifications) (one receiver).
//!
//! Why not tokio's `mpsc`: for one sender and one receiver its semaphore, block list and waker
//! bookkeeping cost about three times what the rest of delivering a notification does; this
//! is a `VecDeque` behind a lock that is never held across a wait, plus one [`Notify`] per
//! direction, woken only when the other side may be waiting (the queue was empty, or full).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

/// Creates a queue of at most `capacity` items (at least 1).
pub(crate) fn queue<T>(capacity: usize) -> (QueueSender<T>, QueueReceiver<T>) {
    let capacity = capacity.max(1);
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            items: VecDeque::with_capacity(capacity.min(1024)),
            sender: true,
            receiver: true,
        }),
        capacity,
        item: Notify::new(),
        room: Notify::new(),
    });
    (QueueSender { shared: Arc::clone(&shared) }, QueueReceiver { shared })
}

struct Shared<T> {
    state: Mutex<State<T>>,
    capacity: usize,
    /// Wakes the receiver: an item came into an empty queue, or the sender is gone.
    item: Notify,
    /// Wakes the sender: an item left a full queue, or the receiver is gone.
    room: Notify,
}

struct State<T> {
    items: VecDeque<T>,
    /// Whether the sender (the receiver) still exists.
    sender: bool,
    receiver: bool,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // Nothing panics while holding the lock; a poisoned lock still holds a sound state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What a send without waiting did.
pub(crate) enum Sent<T> {
    /// The item is in the queue.
    Queued,
    /// The queue is full: the item is given back.
    Full(T),
    /// The receiver is gone: the item is given back.
    Gone(T),
}

/// The sending half: the client's reading task.
pub(crate) struct QueueSender<T> {
    shared: Arc<Shared<T>>,
}

/// The receiving half.
pub(crate) struct QueueReceiver<T> {
    shared: Arc<Shared<T>>,
}

impl<T> QueueSender<T> {
    /// Queues `item`, waiting while the queue is full; gives it back when the receiver is gone.
    pub(crate) async fn send(&self, mut item: T) -> Result<(), T> {
        loop {
            item = match self.try_send(item) {
                Sent::Queued => return Ok(()),
                Sent::Gone(item) => return Err(item),
                Sent::Full(item) => item,
            };
            // Full. One sender: a wake-up between the look above and this wait is kept as
            // the `Notify`'s permit, which is this sender's.
            self.shared.room.notified().await;
        }
    }

    /// Queues `item` if there is room now.
    pub(crate) fn try_send(&self, item: T) -> Sent<T> {
        let mut state = self.shared.lock();
        if !state.receiver {
            return Sent::Gone(item);
        }
        if state.items.len() >= self.shared.capacity {
            return Sent::Full(item);
        }
        let was_empty = state.items.is_empty();
        state.items.push_back(item);
        drop(state);
        if was_empty {
            self.shared.item.notify_one();
        }
        Sent::Queued
    }
}

impl<T> QueueReceiver<T> {
    /// The next item; `None` once the sender is gone and every item was received.
    pub(crate) async fn recv(&mut self) -> Option<T> {
        loop {
            if let Some(received) = self.try_recv() {
                return received;
            }
            // Empty. One receiver: a wake-up between the look above and this wait is kept as
            // the `Notify`'s permit, which is this receiver's.
            self.shared.item.notified().await;
        }
    }

    /// The next item, `Some(None)` when there never will be one, `None` when the queue is
    /// empty for now.
    fn try_recv(&mut self) -> Option<Option<T>> {
        let mut state = self.shared.lock();
        let was_full = state.items.len() >= self.shared.capacity;
        match state.items.pop_front() {
            Some(next) => {
                drop(state);
                if was_full {
                    self.shared.room.notify_one();
                }
                Some(Some(next))
            }
            None => (!state.sender).then_some(None),
        }
    }

    /// A receiver whose sender is already gone: it yields nothing.
    pub(crate) fn ended() -> Self {
        let (sender, receiver) = queue(1);
        drop(sender);
        receiver
    }
}

impl<T> Drop for QueueSender<T> {
    fn drop(&mut self) {
        self.shared.lock().sender = false;
        self.shared.item.notify_one();
    }
}

impl<T> Drop for QueueReceiver<T> {
    fn drop(&mut self) {
        // What is queued is dropped now, not when the sender goes.
        let items = {
            let mut state = self.shared.lock();
            state.receiver = false;
            std::mem::take(&mut state.items)
        };
        drop(items);
        self.shared.room.notify_one();
    }
}

impl<T> std::fmt::Debug for QueueReceiver<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueueReceiver").field("queued", &self.shared.lock().items.len()).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::time::timeout;

    use super::*;

    const SHORT: Duration = Duration::from_millis(50);

    #[tokio::test]
    async fn items_come_out_in_order_and_a_full_queue_holds_the_sender_until_one_is_taken() {
        let (sender, mut receiver) = queue(2);
        sender.send(1).await.unwrap();
        sender.send(2).await.unwrap();
        let third = sender.send(3);
        tokio::pin!(third);
        assert!(timeout(SHORT, &mut third).await.is_err(), "full: the sender waits");
        assert_eq!(receiver.recv().await, Some(1));
        timeout(SHORT, third).await.expect("room again").unwrap();
        assert_eq!(receiver.recv().await, Some(2));
        assert_eq!(receiver.recv().await, Some(3));
    }

    #[tokio::test]
    async fn a_waiting_receiver_wakes_for_the_next_item_and_ends_after_the_sender_is_gone() {
        let (sender, mut receiver) = queue(4);
        let reader = tokio::spawn(async move {
            let mut seen = Vec::new();
            while let Some(item) = receiver.recv().await {
                seen.push(item);
            }
            seen
        });
        for item in 0..100 {
            sender.send(item).await.unwrap();
            tokio::task::yield_now().await;
        }
        drop(sender);
        let seen = timeout(Duration::from_secs(5), reader).await.unwrap().unwrap();
        assert_eq!(seen, (0..100).collect::<Vec<_>>());
        assert_eq!(QueueReceiver::<u8>::ended().recv().await, None);
    }

    #[tokio::test]
    async fn once_the_receiver_is_gone_a_send_gives_the_item_back_even_a_waiting_one() {
        let (sender, receiver) = queue(1);
        sender.send("kept").await.unwrap();
        let waiting = sender.send("waits");
        tokio::pin!(waiting);
        assert!(timeout(SHORT, &mut waiting).await.is_err());
        drop(receiver);
        assert_eq!(timeout(SHORT, waiting).await.expect("woken"), Err("waits"));
        assert_eq!(sender.send("late").await, Err("late"));
    }
}
