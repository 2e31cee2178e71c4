//! Many manifests at once on every core: an order-keeping parallel map over scoped threads, and
//! the batch parse that the binding hands a whole list to (so the GIL is released once per batch,
//! not once per manifest).

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

use crate::error::Result;
use crate::manifest::{self, Manifest};

/// The most items a worker claims at a time: enough that the shared counter costs nothing,
/// few enough that a worker left with large manifests does not hold up the others for long.
const MAX_CHUNK: usize = 32;

/// How many threads `workers` means: `None` or 0 is every core this process may use.
pub fn worker_count(workers: Option<usize>) -> usize {
    match workers {
        Some(n) if n > 0 => n,
        _ => thread::available_parallelism().map_or(1, NonZeroUsize::get),
    }
}

/// `f` of every item, in the order of `items`, on up to `workers` threads, the calling thread
/// being one of them. With one worker (or one item) everything runs on the calling thread, and
/// so it does when no other thread can be started: a thread that fails to start leaves its share
/// to the threads that did. A panic in `f` reaches the caller as it would without threads.
pub fn map<T, R, F>(items: &[T], workers: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    map_with(items, workers, thread::Builder::new, f)
}

/// `map`, with threads made by `builder` (a test makes one that cannot start).
fn map_with<T, R, F>(
    items: &[T],
    workers: usize,
    builder: impl Fn() -> thread::Builder,
    f: F,
) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let workers = workers.min(items.len()).max(1);
    if workers == 1 {
        return items.iter().map(f).collect();
    }
    let chunk = (items.len() / (workers * 4)).clamp(1, MAX_CHUNK);
    let next = AtomicUsize::new(0);
    let work = &|| {
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let start = next.fetch_add(chunk, Ordering::Relaxed);
            if start >= items.len() {
                return done;
            }
            let end = (start + chunk).min(items.len());
            done.push((start, items[start..end].iter().map(&f).collect()));
        }
    };
    let mut chunks = thread::scope(|scope| {
        let helpers: Vec<_> = (1..workers)
            .filter_map(|_| builder().spawn_scoped(scope, work).ok())
            .collect();
        let mut chunks = work();
        for helper in helpers {
            match helper.join() {
                Ok(done) => chunks.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        chunks
    });
    chunks.sort_unstable_by_key(|(start, _)| *start);
    chunks
        .into_iter()
        .flat_map(|(_, results)| results)
        .collect()
}

/// A blocking step of `stream` (computing a chunk, or waiting for one from a helper): the
/// chunk's first index and its results, `None` when no helper is left to send one. The caller
/// runs each step through its `blocking` hook: the binding releases the GIL there.
pub type Step<'a, R> = dyn FnMut() -> Option<(usize, Vec<R>)> + Send + 'a;

/// `f` of every item on up to `workers` threads, the calling thread among them, each chunk of
/// results handed to `consume` on the calling thread in input order as soon as it is ready, so
/// the caller's own work on the results (the binding's Python objects) overlaps the other
/// threads' work instead of following it. Between two chunks it consumes, the calling thread
/// computes a chunk itself, or waits when none is left, in a `blocking` step. With one worker,
/// or one item, or when no other thread starts, the calling thread computes everything in one
/// step, then consumes it. An error from `consume` stops the other threads and is returned; a
/// panic in `f` reaches the caller as it would without threads.
pub fn stream<T, R, E>(
    items: &[T],
    workers: usize,
    f: impl Fn(&T) -> R + Sync,
    blocking: impl FnMut(&mut Step<'_, R>) -> Option<(usize, Vec<R>)>,
    consume: impl FnMut(Vec<R>) -> std::result::Result<(), E>,
) -> std::result::Result<(), E>
where
    T: Sync,
    R: Send,
{
    stream_with(items, workers, thread::Builder::new, f, blocking, consume)
}

/// `stream`, with threads made by `builder` (a test makes one that cannot start).
fn stream_with<T, R, E>(
    items: &[T],
    workers: usize,
    builder: impl Fn() -> thread::Builder,
    f: impl Fn(&T) -> R + Sync,
    mut blocking: impl FnMut(&mut Step<'_, R>) -> Option<(usize, Vec<R>)>,
    mut consume: impl FnMut(Vec<R>) -> std::result::Result<(), E>,
) -> std::result::Result<(), E>
where
    T: Sync,
    R: Send,
{
    let f = &f;
    let len = items.len();
    let mut alone = || Some((0, items.iter().map(f).collect()));
    let workers = workers.min(len);
    if workers <= 1 {
        let results = blocking(&mut alone).map(|(_, results)| results);
        return consume(results.unwrap_or_default());
    }
    let chunk = (len / (workers * 4)).clamp(1, MAX_CHUNK);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let claim = || {
        let start = next.fetch_add(chunk, Ordering::Relaxed);
        (start < len).then(|| {
            (
                start,
                items[start..(start + chunk).min(len)]
                    .iter()
                    .map(f)
                    .collect(),
            )
        })
    };
    let (sender, mut receiver) = mpsc::channel::<(usize, Vec<R>)>();
    let work = |sender: mpsc::Sender<(usize, Vec<R>)>| {
        while !stop.load(Ordering::Relaxed) {
            let Some(done) = claim() else { return };
            if sender.send(done).is_err() {
                return;
            }
        }
    };
    thread::scope(|scope| {
        let work = &work;
        let helpers: Vec<_> = (1..workers)
            .filter_map(|_| {
                let sender = sender.clone();
                builder().spawn_scoped(scope, move || work(sender)).ok()
            })
            .collect();
        drop(sender);
        let outcome = if helpers.is_empty() {
            let results = blocking(&mut alone).map(|(_, results)| results);
            consume(results.unwrap_or_default())
        } else {
            let mut pending: BTreeMap<usize, Vec<R>> = BTreeMap::new();
            let mut expected = 0;
            let mut outcome = Ok(());
            while expected < len {
                while let Ok((start, results)) = receiver.try_recv() {
                    pending.insert(start, results);
                }
                if let Some(results) = pending.remove(&expected) {
                    expected += results.len();
                    if let Err(error) = consume(results) {
                        outcome = Err(error);
                        break;
                    }
                    continue;
                }
                // Nothing to consume yet: compute a chunk here, or wait for the helpers.
                let (receiver, claim) = (&mut receiver, &claim);
                let step = blocking(&mut move || claim().or_else(|| receiver.recv().ok()));
                // None: every helper has ended without sending a chunk (one panicked).
                let Some((start, results)) = step else { break };
                pending.insert(start, results);
            }
            outcome
        };
        stop.store(true, Ordering::Relaxed);
        drop(receiver);
        for helper in helpers {
            if let Err(panic) = helper.join() {
                std::panic::resume_unwind(panic);
            }
        }
        outcome
    })
}

/// `manifest::parse` of every item, in order, on up to `workers` threads.
pub fn parse_many(items: &[&[u8]], validate: bool, workers: usize) -> Vec<Result<Manifest>> {
    map(items, workers, |raw| manifest::parse(raw, validate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keeps_order_for_every_size_and_worker_count() {
        for len in [0, 1, 2, 3, 7, 8, 9, 63, 64, 65, 1000] {
            let items: Vec<usize> = (0..len).collect();
            for workers in [1, 2, 3, 8] {
                let squares = map(&items, workers, |i| i * i);
                assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn map_runs_on_other_threads_when_asked() {
        let items: Vec<usize> = (0..256).collect();
        let caller = thread::current().id();
        let ids = map(&items, 2, |_| {
            // Slow enough that the second worker gets a share.
            thread::sleep(std::time::Duration::from_micros(200));
            thread::current().id()
        });
        assert!(ids.contains(&caller));
        assert!(ids.iter().any(|id| *id != caller));
        let alone = map(&items, 1, |_| thread::current().id());
        assert!(alone.iter().all(|id| *id == caller));
    }

    #[test]
    fn a_thread_that_cannot_start_leaves_the_work_to_the_caller() {
        let items: Vec<usize> = (0..100).collect();
        let caller = thread::current().id();
        // No system gives a thread a stack of usize::MAX bytes: every spawn fails.
        let unstartable = || thread::Builder::new().stack_size(usize::MAX);
        let ids = map_with(&items, 4, unstartable, |i| (*i, thread::current().id()));
        assert_eq!(ids.iter().map(|(i, _)| *i).collect::<Vec<_>>(), items);
        assert!(ids.iter().all(|(_, id)| *id == caller));
    }

    #[test]
    fn a_panic_reaches_the_caller() {
        let items: Vec<usize> = (0..100).collect();
        let outcome = std::panic::catch_unwind(|| {
            map(&items, 2, |i| assert!(*i != 77, "item 77"));
        });
        assert!(outcome.is_err());
    }

    /// `stream` of `items` squared: the chunks consumed, and how many blocking steps ran.
    fn streamed(
        items: &[usize],
        workers: usize,
        builder: impl Fn() -> thread::Builder,
    ) -> (Vec<Vec<usize>>, usize) {
        let (mut chunks, mut steps) = (Vec::new(), 0);
        let outcome: std::result::Result<(), ()> = stream_with(
            items,
            workers,
            builder,
            |i| i * i,
            |step| {
                steps += 1;
                step()
            },
            |chunk| {
                chunks.push(chunk);
                Ok(())
            },
        );
        assert_eq!(outcome, Ok(()));
        (chunks, steps)
    }

    #[test]
    fn stream_consumes_in_order_for_every_size_and_worker_count() {
        for len in [0, 1, 2, 3, 9, 64, 65, 1000] {
            let items: Vec<usize> = (0..len).collect();
            let squares: Vec<usize> = items.iter().map(|i| i * i).collect();
            for workers in [1, 2, 3, 8] {
                let (chunks, steps) = streamed(&items, workers, thread::Builder::new);
                assert_eq!(chunks.concat(), squares, "{len} items, {workers} workers");
                if workers == 1 || len <= 1 {
                    // Everything in one step on the calling thread.
                    assert_eq!((chunks.len(), steps), (1, 1));
                }
            }
        }
    }

    #[test]
    fn stream_computes_alone_when_no_thread_starts() {
        let items: Vec<usize> = (0..100).collect();
        let unstartable = || thread::Builder::new().stack_size(usize::MAX);
        let (chunks, steps) = streamed(&items, 4, unstartable);
        assert_eq!((chunks.len(), steps), (1, 1));
        assert_eq!(chunks[0], items.iter().map(|i| i * i).collect::<Vec<_>>());
    }

    #[test]
    fn stream_stops_at_the_first_error_of_consume() {
        let items: Vec<usize> = (0..10_000).collect();
        let mut consumed = 0;
        let outcome = stream(
            &items,
            2,
            |i| *i,
            |step| step(),
            |chunk| {
                consumed += chunk.len();
                if consumed > 100 {
                    Err("enough")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(outcome, Err("enough"));
        assert!(consumed < items.len());
    }

    #[test]
    fn a_panic_while_streaming_reaches_the_caller() {
        let items: Vec<usize> = (0..1000).collect();
        let outcome = std::panic::catch_unwind(|| {
            let _ = stream(
                &items,
                2,
                |i| assert!(*i != 500, "item 500"),
                |step| step(),
                |_| Ok::<(), ()>(()),
            );
        });
        assert!(outcome.is_err());
    }

    #[test]
    fn worker_counts() {
        assert_eq!(worker_count(Some(3)), 3);
        assert!(worker_count(None) >= 1);
        assert_eq!(worker_count(Some(0)), worker_count(None));
    }

    #[test]
    fn parse_many_equals_parse_one_by_one() {
        let good: &[u8] = br#"{"schemaVersion": 1, "name": "a/b", "tag": "t", "fsLayers": [{"blobSum": "sha256:00"}], "history": [{"v1Compatibility": "{\"id\": \"x\"}"}]}"#;
        let items: Vec<&[u8]> = vec![good, b"{", b"[]", good, b"", good];
        for workers in [1, 2, 4] {
            let many = parse_many(&items, true, workers);
            assert_eq!(many.len(), items.len());
            for (raw, result) in items.iter().zip(&many) {
                match (manifest::parse(raw, true), result) {
                    (Ok(one), Ok(batch)) => assert_eq!(one.digest, batch.digest),
                    (Err(one), Err(batch)) => assert_eq!(&one, batch),
                    (one, batch) => panic!("{one:?} != {batch:?}"),
                }
            }
        }
    }
}
