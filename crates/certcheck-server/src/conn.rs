//! One accepted connection's socket, as hyper sees it: every byte read passes through the
//! framing scanner (`framing`), and writes carry a write timeout.
//!
//! The write timeout: once a write would block (the client is not taking what is sent), the
//! client has `--write-timeout` to take at least [`MIN_PROGRESS`] bytes, or to let the server's
//! buffer drain; otherwise the write fails and hyper drops the connection, freeing its slot,
//! its buffer and its open file. A client that stops reading a response therefore holds its slot
//! for about that long, and one that reads slower than `MIN_PROGRESS` per write timeout (16 KiB
//! per 20 s by default, about 0.8 KiB/s) loses it too.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

use crate::framing::Scanner;

/// The bytes a stalled client must take within the write timeout to keep its connection.
pub(crate) const MIN_PROGRESS: u64 = 16 * 1024;

/// A socket with a framing scanner on its reads and a write timeout.
pub(crate) struct Guarded<S> {
    inner: S,
    write_timeout: Duration,
    /// Bytes written so far.
    written: u64,
    /// Since when a write has been waiting for the client, and the count then.
    stall: Option<(Pin<Box<Sleep>>, u64)>,
    scanner: Arc<Mutex<Scanner>>,
}

impl<S> Guarded<S> {
    pub(crate) fn new(inner: S, write_timeout: Duration, scanner: Arc<Mutex<Scanner>>) -> Self {
        Self { inner, write_timeout, written: 0, stall: None, scanner }
    }

    fn progress(&mut self, bytes: usize) {
        self.written = self.written.saturating_add(bytes as u64);
        if self.stall.as_ref().is_some_and(|(_, since)| self.written.saturating_sub(*since) >= MIN_PROGRESS) {
            self.stall = None;
        }
    }

    /// A write would block: starts the timer (if not running) and fails once it has run out.
    fn blocked<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let (written, timeout) = (self.written, self.write_timeout);
        let (deadline, _) = self.stall.get_or_insert_with(|| (Box::pin(tokio::time::sleep(timeout)), written));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client took too little of the response within the write timeout",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Guarded<S> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = result
            && let Some(new) = buf.filled().get(before..)
            && !new.is_empty()
        {
            this.scanner.lock().unwrap_or_else(PoisonError::into_inner).feed(new);
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Guarded<S> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(Ok(n)) => {
                this.progress(n);
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            Poll::Pending => this.blocked(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(Ok(n)) => {
                this.progress(n);
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            Poll::Pending => this.blocked(cx),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    /// hyper flushes once its own buffer has gone to the socket: nothing waits any more.
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Ready(result) => {
                this.stall = None;
                Poll::Ready(result)
            }
            Poll::Pending => this.blocked(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_shutdown(cx) {
            Poll::Ready(result) => Poll::Ready(result),
            Poll::Pending => this.blocked(cx),
        }
    }
}
