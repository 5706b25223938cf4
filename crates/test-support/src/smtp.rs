//! A small SMTP server on loopback for the email tests.
//!
//! It speaks enough of RFC 5321 for lettre (EHLO, MAIL, RCPT, DATA, RSET,
//! NOOP, QUIT; no TLS, no AUTH) and can be told to misbehave:
//! - [`SinkMode::Accept`]: keeps every message and answers `250`;
//! - [`SinkMode::Refuse`]: answers `451` (try later) to `MAIL FROM`, as a
//!   server that is down for maintenance or over quota does;
//! - [`SinkMode::Reject`]: answers `550` (never) to `RCPT TO`;
//! - [`SinkMode::Swallow`]: keeps the message but never answers the end of
//!   `DATA`, so the sender is stuck between the server having the message
//!   and hearing that it does (the window of a crash before marking).
//!
//! Hand-written rather than `mailin-embedded`, which cannot switch its TLS
//! off and pulls a second crypto provider into every test build.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// How the server answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SinkMode {
    /// Keep and acknowledge.
    Accept,
    /// `451` to every `MAIL FROM`.
    Refuse,
    /// `550` to every `RCPT TO`.
    Reject,
    /// Keep the message, never acknowledge it.
    Swallow,
}

/// A message the server received.
#[derive(Clone, Debug)]
pub struct Received {
    /// The message as sent (headers and body, dot-stuffing removed).
    pub raw: String,
    /// The `Message-ID` header.
    pub message_id: Option<String>,
    /// `RCPT TO` addresses.
    pub to: Vec<String>,
    /// When the end of `DATA` arrived.
    pub received_at: chrono::DateTime<chrono::Utc>,
}

/// The readable parts of a received email.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// Subject, decoded.
    pub subject: String,
    /// The text/plain part, decoded.
    pub text: String,
    /// The text/html part, decoded.
    pub html: String,
}

impl Parsed {
    /// Decodes a raw message, e.g. an `.eml` file (MIME parts, transfer
    /// encodings, encoded words).
    pub fn from_raw(raw: &str) -> Self {
        let m = mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .expect("a parsable email");
        Self {
            subject: m.subject().unwrap_or_default().to_owned(),
            text: m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
            html: m.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
        }
    }
}

impl Received {
    /// Decodes the message (MIME parts, transfer encodings, encoded words).
    pub fn parsed(&self) -> Parsed {
        Parsed::from_raw(&self.raw)
    }

    /// The first link in the text part that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let text = self.parsed().text;
        let start = text.find(prefix)?;
        Some(
            text[start..]
                .split(char::is_whitespace)
                .next()
                .unwrap_or("")
                .to_owned(),
        )
    }

    /// A header's value (first occurrence, unfolded), case-insensitive name.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.raw.split("\r\n\r\n").next().unwrap_or("");
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with(' ') || line.starts_with('\t') {
                    v.push_str(line.trim_start());
                    continue;
                }
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case(name)
            {
                value = Some(v.trim().to_owned());
            }
        }
        value
    }
}

struct State {
    mode: Mutex<SinkMode>,
    messages: Mutex<Vec<Received>>,
    arrived: Notify,
}

/// The running server; stops when dropped.
pub struct SmtpSink {
    /// Where it listens.
    pub addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SmtpSink {
    /// Starts a server on `127.0.0.1` at a free port, accepting.
    pub async fn start() -> Self {
        Self::start_on("127.0.0.1:0").await
    }

    /// Starts a server at `addr` (e.g. `127.0.0.1:2525`), accepting.
    pub async fn start_on(addr: &str) -> Self {
        let listener = TcpListener::bind(addr).await.expect("bind smtp");
        let addr = listener.local_addr().expect("smtp addr");
        let state = Arc::new(State {
            mode: Mutex::new(SinkMode::Accept),
            messages: Mutex::new(Vec::new()),
            arrived: Notify::new(),
        });
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let state = shared.clone();
                tokio::spawn(async move {
                    let _ = session(socket, state).await;
                });
            }
        });
        Self { addr, state, task }
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Changes how the server answers from the next command on.
    pub fn set_mode(&self, mode: SinkMode) {
        *self.state.mode.lock().unwrap() = mode;
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<Received> {
        self.state.messages.lock().unwrap().clone()
    }

    /// Waits until at least `n` messages have arrived; panics after `within`.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let arrived = self.state.arrived.notified();
            let now = self.messages();
            if now.len() >= n {
                return now;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!(
                    "expected {n} messages within {within:?}, got {}",
                    self.messages().len()
                );
            }
        }
    }
}

async fn session(socket: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    // Replies are small writes; without this, Nagle's algorithm and delayed
    // ACKs stall each exchange for tens of milliseconds.
    socket.set_nodelay(true)?;
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 integra-test-sink ESMTP\r\n").await?;
    let mut rcpts: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_owned();
        let upper = cmd.to_ascii_uppercase();
        let mode = *state.mode.lock().unwrap();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-integra-test-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") {
            b"250 integra-test-sink\r\n"
        } else if upper.starts_with("MAIL FROM") {
            rcpts.clear();
            if mode == SinkMode::Refuse {
                b"451 4.3.0 Temporarily unable to accept mail, try again later\r\n"
            } else {
                b"250 2.1.0 OK\r\n"
            }
        } else if upper.starts_with("RCPT TO") {
            if mode == SinkMode::Reject {
                b"550 5.1.1 No such mailbox\r\n"
            } else {
                let addr = cmd[8..]
                    .trim()
                    .trim_start_matches(':')
                    .trim()
                    .trim_start_matches('<')
                    .split('>')
                    .next()
                    .unwrap_or("")
                    .to_owned();
                rcpts.push(addr);
                b"250 2.1.5 OK\r\n"
            }
        } else if upper == "DATA" {
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut raw = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                raw.push_str(unstuffed);
            }
            let mut received = Received {
                raw,
                message_id: None,
                to: std::mem::take(&mut rcpts),
                received_at: chrono::Utc::now(),
            };
            received.message_id = received.header("Message-ID");
            let mode = *state.mode.lock().unwrap();
            if mode == SinkMode::Refuse {
                write.write_all(b"451 4.3.0 Try again later\r\n").await?;
                continue;
            }
            state.messages.lock().unwrap().push(received);
            state.arrived.notify_waiters();
            if mode == SinkMode::Swallow {
                // Hold the connection open without answering until the
                // sender goes away.
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                }
            }
            b"250 2.0.0 OK queued\r\n"
        } else if upper.starts_with("RSET") {
            rcpts.clear();
            b"250 2.0.0 OK\r\n"
        } else if upper.starts_with("NOOP") {
            b"250 2.0.0 OK\r\n"
        } else if upper.starts_with("QUIT") {
            write.write_all(b"221 2.0.0 Bye\r\n").await?;
            return Ok(());
        } else {
            b"502 5.5.2 Command not recognised\r\n"
        };
        write.write_all(reply).await?;
    }
}
