//! One topic's messages, oldest first. Most topics hold a single message (a retained
//! value, a slow sensor), so that case is stored inline in the slot; a second message
//! moves both into a ring buffer. A million one-message topics thus save a million
//! allocations and their allocator headers. The ring buffer is boxed, so a slot is no
//! bigger than the one message it holds inline (the message's spare bits tell the
//! cases apart).

use std::collections::VecDeque;

use super::stored::StoredMessage;

#[derive(Debug, Default)]
pub(super) enum Ring {
    #[default]
    Empty,
    One(StoredMessage),
    /// Two or more, or a topic that once held more (capacity kept to reuse). Boxed on
    /// purpose: inline, the queue's four words would make every slot 8 bytes larger,
    /// and the one-message topics (nearly all of a retained burst) would pay for it.
    #[allow(clippy::box_collection)]
    Many(Box<VecDeque<StoredMessage>>),
}

impl Ring {
    pub(super) fn len(&self) -> usize {
        match self {
            Ring::Empty => 0,
            Ring::Many(queue) => queue.len(),
            Ring::One(_) => 1,
        }
    }

    /// Room held for messages (1 for the inline one).
    #[cfg(test)]
    pub(super) fn capacity(&self) -> usize {
        match self {
            Ring::Empty => 0,
            Ring::Many(queue) => queue.capacity(),
            Ring::One(_) => 1,
        }
    }

    pub(super) fn push_back(&mut self, msg: StoredMessage) {
        match self {
            Ring::Empty => *self = Ring::One(msg),
            Ring::Many(queue) => queue.push_back(msg),
            Ring::One(_) => {
                let Ring::One(first) = std::mem::take(self) else {
                    unreachable!("matched above")
                };
                let mut queue = VecDeque::with_capacity(4);
                queue.push_back(first);
                queue.push_back(msg);
                *self = Ring::Many(Box::new(queue));
            }
        }
    }

    pub(super) fn pop_front(&mut self) -> Option<StoredMessage> {
        match self {
            Ring::Empty => None,
            Ring::Many(queue) => queue.pop_front(),
            Ring::One(_) => match std::mem::take(self) {
                Ring::One(only) => Some(only),
                _ => unreachable!("matched above"),
            },
        }
    }

    pub(super) fn pop_back(&mut self) -> Option<StoredMessage> {
        match self {
            Ring::Empty => None,
            Ring::Many(queue) => queue.pop_back(),
            Ring::One(_) => self.pop_front(),
        }
    }

    /// The `index`-th oldest message.
    pub(super) fn get(&self, index: usize) -> Option<&StoredMessage> {
        match self {
            Ring::Empty => None,
            Ring::Many(queue) => queue.get(index),
            Ring::One(only) => (index == 0).then_some(only),
        }
    }

    /// Oldest first.
    pub(super) fn iter(&self) -> Iter<'_> {
        match self {
            Ring::Empty => Iter::default(),
            Ring::Many(queue) => {
                let (front, back) = queue.as_slices();
                Iter {
                    front: front.iter(),
                    back: back.iter(),
                }
            }
            Ring::One(only) => Iter {
                front: std::slice::from_ref(only).iter(),
                back: [].iter(),
            },
        }
    }

    /// Gives the ring buffer's memory back once it is mostly empty (a topic that once
    /// held many messages must not keep that memory outside the budget); a ring down to
    /// one message goes back inline.
    pub(super) fn shrink_if_sparse(&mut self, min_capacity: usize) {
        let Ring::Many(queue) = self else { return };
        if queue.len() == 1 && queue.capacity() > 4 {
            let only = queue.pop_front().expect("one message");
            *self = Ring::One(only);
        } else {
            shrink_queue_if_sparse(queue, min_capacity);
        }
    }
}

/// Halves a queue's unused room once it uses less than a quarter of a capacity above
/// `min_capacity` (rings and the history's eviction queue alike).
pub(super) fn shrink_queue_if_sparse<T>(queue: &mut VecDeque<T>, min_capacity: usize) {
    if queue.capacity() > min_capacity && queue.len() * 4 < queue.capacity() {
        queue.shrink_to(queue.len() * 2);
    }
}

/// Iterator over a [`Ring`], oldest first (`rev()` for newest first).
pub(super) struct Iter<'a> {
    front: std::slice::Iter<'a, StoredMessage>,
    back: std::slice::Iter<'a, StoredMessage>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a StoredMessage;

    fn next(&mut self) -> Option<Self::Item> {
        self.front.next().or_else(|| self.back.next())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.front.len() + self.back.len();
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.back.next_back().or_else(|| self.front.next_back())
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl Default for Iter<'_> {
    fn default() -> Self {
        Iter {
            front: [].iter(),
            back: [].iter(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;

    fn msg(n: u8) -> StoredMessage {
        StoredMessage::new(bytes::Bytes::from(vec![n]), 0, false, SystemTime::UNIX_EPOCH, None)
    }

    fn payloads(ring: &Ring) -> Vec<u8> {
        ring.iter().map(|m| m.payload[0]).collect()
    }

    #[test]
    fn one_message_is_inline_and_a_second_moves_both_to_a_queue_in_order() {
        let mut ring = Ring::default();
        assert_eq!(ring.len(), 0);
        ring.push_back(msg(1));
        assert!(matches!(ring, Ring::One(_)));
        ring.push_back(msg(2));
        ring.push_back(msg(3));
        assert!(matches!(ring, Ring::Many(_)));
        assert_eq!(payloads(&ring), [1, 2, 3]);
        assert_eq!(ring.iter().rev().map(|m| m.payload[0]).collect::<Vec<_>>(), [3, 2, 1]);
        assert_eq!(ring.iter().len(), 3);
        assert_eq!(ring.get(1).map(|m| m.payload[0]), Some(2));
        assert!(ring.get(3).is_none());
    }

    #[test]
    fn pops_from_either_end_of_the_inline_message_empty_it() {
        let mut ring = Ring::default();
        ring.push_back(msg(7));
        assert_eq!(ring.pop_back().map(|m| m.payload[0]), Some(7));
        assert_eq!(ring.len(), 0);
        assert!(ring.pop_front().is_none());
        ring.push_back(msg(8));
        assert_eq!(ring.pop_front().map(|m| m.payload[0]), Some(8));
        assert!(ring.iter().next().is_none());
    }

    #[test]
    fn a_wrapped_queue_iterates_in_order_from_both_ends() {
        let mut ring = Ring::default();
        for n in 0..4 {
            ring.push_back(msg(n));
        }
        // Wrap the ring buffer around its end.
        ring.pop_front();
        ring.pop_front();
        ring.push_back(msg(4));
        ring.push_back(msg(5));
        assert_eq!(payloads(&ring), [2, 3, 4, 5]);
        let mut it = ring.iter();
        assert_eq!(it.next_back().map(|m| m.payload[0]), Some(5));
        assert_eq!(it.next().map(|m| m.payload[0]), Some(2));
        assert_eq!(it.len(), 2);
    }

    #[test]
    fn a_big_queue_down_to_one_message_goes_back_inline() {
        let mut ring = Ring::default();
        for n in 0..100 {
            ring.push_back(msg(n));
        }
        while ring.len() > 1 {
            ring.pop_front();
            ring.shrink_if_sparse(64);
        }
        assert!(matches!(ring, Ring::One(_)), "{ring:?}");
        assert_eq!(payloads(&ring), [99]);
    }

    #[test]
    fn a_ring_is_no_bigger_than_its_inline_message() {
        // The inline message's spare bits tell the two cases apart: no tag word.
        assert_eq!(size_of::<Ring>(), size_of::<StoredMessage>());
    }
}
