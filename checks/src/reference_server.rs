//! The reference server, in this process: what steps 3 and 4 talk to, so
//! that they never depend on the learner's unfinished step 2.

use std::thread;

use flight_server::{TableService, listen, serve};
use page_table::{PAGE_ROWS, build_table};
use tokio::sync::oneshot;

/// A reference Flight server on 127.0.0.1 and a free port, serving the
/// page's table on its own thread until dropped.
pub struct ReferenceServer {
    pub port: u16,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl ReferenceServer {
    pub fn start() -> ReferenceServer {
        let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
        let listener = runtime
            .block_on(listen("127.0.0.1", 0))
            .expect("a free port");
        let port = listener.local_addr().expect("the port").port();
        let service = TableService::new(build_table(PAGE_ROWS).expect("the page's table"));
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = thread::spawn(move || {
            let shutdown = async {
                stopped.await.ok();
            };
            runtime
                .block_on(serve(listener, service, shutdown))
                .expect("the reference server");
        });
        ReferenceServer {
            port,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `grpc://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("grpc://127.0.0.1:{}", self.port)
    }
}

impl Drop for ReferenceServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}
