//! A Ballista cluster node that knows proxreg's functions: the cluster route of docs/scale.md.
//!
//! Apache Ballista's stock `ballista-scheduler` and `ballista-executor` binaries resolve
//! user-defined functions by name from their own registries, which hold only DataFusion's
//! built-ins; a query that calls `proxreg_stats` fails on them. This example is the custom
//! binary that fixes that: the same processes, started through Ballista's library entry points
//! (`start_server`, `start_executor_process`), with [`register_functions`] applied to the
//! scheduler's session builder and to the executor's function registry. Run one scheduler and
//! any number of executors (on one machine or many), then point a client at the scheduler:
//!
//! ```text
//! cd integrations/proxreg-datafusion
//! cargo build --release --features ballista --examples
//! B=target/release/examples
//! $B/ballista_node scheduler --port 50050 &
//! $B/ballista_node executor --scheduler localhost:50050 --port 50051 --grpc-port 50052 --slots 1 &
//! $B/ballista_node executor --scheduler localhost:50050 --port 50061 --grpc-port 50062 --slots 1 &
//! $B/parquet_cv DIR --cluster df://localhost:50050    # the client: statistics, CV, refit
//! ```
//!
//! The client (`parquet_cv --cluster`) registers the functions in its own session too: its
//! plan names them, and the scheduler decodes that plan with its registry.

use std::net::SocketAddr;
use std::sync::Arc;

use ballista_core::registry::BallistaFunctionRegistry;
use ballista_core::utils::default_session_builder;
use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::SessionConfig;
use proxreg_datafusion::register_functions;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "usage: ballista_node scheduler [--port 50050]\n       \
     ballista_node executor [--scheduler HOST:PORT] [--port 50051] [--grpc-port 50052] \
     [--slots N] [--work-dir DIR]";

/// `--name value` pairs after the role.
fn options(args: &[String]) -> Res<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(name) = it.next() {
        let value = it.next().ok_or(format!("{name} needs a value\n{USAGE}"))?;
        out.push((name.clone(), value.clone()));
    }
    Ok(out)
}

async fn scheduler(args: &[String]) -> Res<()> {
    let mut port = 50050u16;
    for (name, value) in options(args)? {
        match name.as_str() {
            "--port" => port = value.parse()?,
            _ => return Err(format!("unknown option {name}\n{USAGE}").into()),
        }
    }
    // Every session the scheduler builds (one per client session) gets the functions on top
    // of Ballista's default state (its optimizer rules and planner included).
    let config = SchedulerConfig::default()
        .with_port(port)
        .with_override_session_builder(Arc::new(|config: SessionConfig| {
            let mut state = default_session_builder(config)?;
            register_functions(&mut state)?;
            Ok(state)
        }));
    let cluster = BallistaCluster::new_from_config(&config).await?;
    let addr: SocketAddr = format!("{}:{}", config.bind_host, config.bind_port).parse()?;
    println!("proxreg Ballista scheduler on {addr}");
    start_server(cluster, addr, Arc::new(config)).await?;
    Ok(())
}

async fn executor(args: &[String]) -> Res<()> {
    let mut config = ExecutorProcessConfig::default();
    for (name, value) in options(args)? {
        match name.as_str() {
            "--scheduler" => {
                let (host, port) = value
                    .rsplit_once(':')
                    .ok_or(format!("--scheduler {value}: expected HOST:PORT"))?;
                config.scheduler_host = host.to_string();
                config.scheduler_port = port.parse()?;
            }
            "--port" => config.port = value.parse()?,
            "--grpc-port" => config.grpc_port = value.parse()?,
            "--slots" => config.vcores = value.parse()?,
            "--work-dir" => config.work_dir = Some(value),
            _ => return Err(format!("unknown option {name}\n{USAGE}").into()),
        }
    }
    // The executor decodes each task's physical plan against this registry: DataFusion's
    // functions plus proxreg's.
    let mut state = SessionStateBuilder::new().with_default_features().build();
    register_functions(&mut state)?;
    config.override_function_registry = Some(Arc::new(BallistaFunctionRegistry::from(&state)));
    println!(
        "proxreg Ballista executor on port {} ({} task slots), scheduler {}:{}",
        config.port, config.vcores, config.scheduler_host, config.scheduler_port
    );
    start_executor_process(Arc::new(config)).await?;
    Ok(())
}

#[tokio::main]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("scheduler") => scheduler(&args[1..]).await,
        Some("executor") => executor(&args[1..]).await,
        _ => Err(USAGE.into()),
    }
}
